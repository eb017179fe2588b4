from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haven_link import PersonName, normalise_name
from haven_link._chinese import han_to_pinyin, romanised_to_pinyin, to_simplified
from haven_link._greek import elot743


@pytest.mark.parametrize(
    ("family", "reading"),
    [("单", "shan"), ("曾", "zeng"), ("区", "ou"), ("解", "xie"), ("仇", "qiu"), ("朴", "piao"),
     ("查", "zha"), ("盖", "ge"), ("翟", "zhai"), ("覃", "qin"), ("區", "ou"), ("單", "shan")],
)  # fmt: skip
def test_surname_readings(family: str, reading: str) -> None:
    assert normalise_name(family, "明").units[0] == reading
    assert normalise_name("", "", family + "明").units[0] == reading


def test_surname_reading_only_in_surname_position() -> None:
    # 曾 as a given name character keeps its ordinary reading.
    assert han_to_pinyin("曾", surname_first=False) == ("ceng",)
    assert han_to_pinyin("欧阳娜娜", surname_first=True) == ("ou", "yang", "na", "na")


def test_traditional_to_simplified() -> None:
    assert to_simplified("張曉麗") == "张晓丽"
    assert normalise_name("", "", "張曉麗").units == normalise_name("张", "晓丽").units


@pytest.mark.parametrize(
    ("family", "given"),
    [("Zhang", "Xiaoli"), ("ZHANG", "XIAO LI"), ("zhang", "Xiao-Li"), ("Chang", "Hsiao-li"),
     ("Cheung", "Siu Lei"), ("XIAOLI", "ZHANG"), ("Xiao Li", "Zhang")],
)  # fmt: skip
def test_romanisations_meet_pinyin(family: str, given: str) -> None:
    assert set(normalise_name(family, given).units) == {"zhang", "xiao", "li"}


def test_wade_giles_and_cantonese_tables() -> None:
    assert romanised_to_pinyin(("hsieh",)) == ("xie",)
    assert romanised_to_pinyin(("tsai",)) == ("cai",)
    assert romanised_to_pinyin(("chan", "kwok", "wing")) is not None
    assert romanised_to_pinyin(("ng",)) == ("wu",)
    assert romanised_to_pinyin(("lopez",)) is None


def test_hong_kong_spelling_shares_spellings_with_characters() -> None:
    han = normalise_name("", "", "陳大文")
    latin = normalise_name("CHAN", "Tai Man")
    assert {"chan", "tai", "man"} <= set(han.spellings)
    assert set(latin.spellings) & set(han.spellings) == {"chan", "tai", "man"}


@pytest.mark.parametrize(
    ("greek", "latin"),
    [("Γεώργιος", "georgios"), ("Παπαδόπουλος", "papadopoulos"), ("Ευάγγελος", "evangelos"),
     ("Ευθύμιος", "efthymios"), ("Μπακογιάννης", "bakogiannis"), ("Λαμπράκης", "lambrakis"),
     ("Χριστόδουλος", "christodoulos"), ("Ψαρράς", "psarras"), ("Ντόρα", "dora"), ("Άγγελος", "angelos"),
     ("Ταΰγετος", "taygetos"), ("Αυγερινός", "avgerinos")],
)  # fmt: skip
def test_elot_743(greek: str, latin: str) -> None:
    assert elot743(greek) == latin


def test_greek_names_meet_passport_spelling() -> None:
    assert (
        normalise_name("Παπαδόπουλος", "Γεώργιος").units
        == normalise_name("PAPADOPOULOS", "GEORGIOS").units
    )


def test_diacritics_particles_and_compound_names() -> None:
    assert normalise_name("Nguyễn", "Thị Minh Khai").units == ("nguyen", "thi", "minh", "khai")
    assert normalise_name("Đặng", "Văn").units == ("dang", "van")
    spanish = normalise_name("García López", "María de la Cruz")
    assert spanish.units == ("garcia", "lopez", "maria", "cruz")
    assert set(normalise_name("GARCIA", "MARIA").units) < set(spanish.units)


def test_order_and_spacing_do_not_matter() -> None:
    a = normalise_name("Smith", "Mary-Anne")
    b = normalise_name("MARY ANNE", "SMITH")
    assert set(a.units) == set(b.units)


def reference_normalise_name(family: str = "", given: str = "", original: str = "") -> PersonName:
    """``normalise_name`` as one plain pass over the whole name, with no per-column cache:
    what the cached per-column version must reproduce exactly."""
    from haven_link._chinese import (
        han_to_cantonese,
        has_han,
        romanised_syllables,
        split_surname,
        syllable_key,
    )
    from haven_link._names import _HAN_RUN, PARTICLES, latin_words, word_key

    units: list[str] = []
    spellings: list[str] = []
    chinese = False
    latin: list[str] = []
    for position, text in enumerate((family, given, original)):
        if not text:
            continue
        if has_han(text):
            chinese = True
            runs = _HAN_RUN.findall(text)
            for run in runs:
                spellings += han_to_cantonese(run)
            for i, run in enumerate(runs):
                first = position != 1 and i == 0
                if first and len(runs) == 1 and position == 2:
                    fam, giv = split_surname(run)
                    units += han_to_pinyin(fam, surname_first=True)
                    units += han_to_pinyin(giv, surname_first=False)
                else:
                    units += han_to_pinyin(run, surname_first=first)
            text = _HAN_RUN.sub(" ", text)
        latin += latin_words(text)
    if latin:
        read = romanised_syllables(tuple(latin))
        if read is not None:
            chinese = True
            units += read[0]
            spellings += read[1]
        else:
            units += [w for w in latin if w not in PARTICLES] or latin
    unique = tuple(dict.fromkeys(units))
    keys = tuple(syllable_key(u) if chinese else word_key(u) for u in unique)
    if chinese:
        spellings += unique
    return PersonName(unique, keys, chinese, tuple(dict.fromkeys(spellings)) if chinese else ())


def test_per_column_cache_equals_whole_name_reference() -> None:
    from .synth import generate

    a, b, _ = generate(400, seed=3)
    names = [(r["family_name"], r["given_name"], r["name_original"]) for r in a + b]
    names += [
        ("García López", "María de la Cruz", ""), ("de", "la", ""), ("CHAN", "Tai Man", "陳大文"),
        ("", "", "歐陽娜娜 Nana"), ("张", "Xiaoli", ""), ("Zhang", "Xiao-Li", "Smith"),
        ("Chang", "Hsiao-li", ""), ("Cheung", "Siu Lei", ""), ("Παπαδόπουλος", "Γεώργιος", ""),
        ("Nguyễn", "Thị Minh Khai", ""), ("O'Brien", "Seán", ""), ("", "", ""), ("李", "明", "李明"),
    ]  # fmt: skip
    for name in names:
        assert normalise_name(*name) == reference_normalise_name(*name), name


def test_fast_simplified_conversion_equals_opencc() -> None:
    from haven_link._chinese import _t2s

    texts = ["張曉麗", "歐陽娜娜", "陳大文", "乾隆", "頭髮", "鍾國榮", "著名", "台灣", "龍"]
    for text in texts:
        assert to_simplified(text) == _t2s().convert(text)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("family", "given", "han"),
    [("Sin", "Yin", "冼燕"), ("LIU", "YIMGUEN", "廖艳娟"), ("MO", "NGA", "毛雅"),
     ("Yen", "Chien", "闫倩"), ("FAAN", "SIN FA", "范倩花"), ("CHOI", "HOI", "蔡海")],
)  # fmt: skip
def test_no_bare_consonant_inside_a_word(family: str, given: str, han: str) -> None:
    """ "Sin" is Cantonese "sin", not pinyin "si" + "n": a syllable without a vowel only
    stands as a word of its own (Cantonese "Ng"), and the system with the fewest
    syllables wins ("faan" is one Cantonese syllable, not pinyin "fa" + "an")."""
    latin = normalise_name(family, given)
    assert latin.chinese
    assert not {"m", "n", "ng"} & set(latin.units)
    assert len(latin.units) == len(normalise_name("", "", han).units)
    # Written syllables meet the characters' Hong Kong readings.
    assert set(latin.spellings) & set(normalise_name("", "", han).spellings) >= {
        w.lower() for w in f"{family} {given}".replace("-", " ").split() if len(w) <= 4
    } - {"chien", "yen"}
    assert normalise_name("Ng", "Ka Ming").units == ("wu", "jia", "ming")


def test_four_syllables_counted_once_across_columns() -> None:
    twice = normalise_name("Zhang", "Xiao Li", "Zhang Xiaoli")
    assert twice.chinese and twice.units == ("zhang", "xiao", "li")
    assert normalise_name("Ouyang", "Nana Tingting").chinese
    assert not normalise_name("Ouyang", "Xiaoli Tingting").chinese  # five: not a name


@pytest.mark.parametrize(
    ("family", "given", "units"),
    [("GEUNG", "LEE-RONG", ("jiang", "li", "rong")), ("Fung", "Sin Qiang", ("feng", "shan", "qiang")),
     ("Lui", "Qiangbok", ("lv", "qiang", "bo")), ("MO", "LEEGAM", ("wu", "li", "jin"))],
)  # fmt: skip
def test_mixed_romanisations(family: str, given: str, units: tuple[str, ...]) -> None:
    """Hong Kong spellings with pinyin where no Cantonese spelling was at hand: read
    syllable by syllable in whichever system spells each."""
    name = normalise_name(family, given)
    assert name.chinese and name.units == units


@pytest.mark.parametrize(
    ("family", "given"),
    [("Garcia", "Maria"), ("Tenorio Bueno", "Esuefania"), ("Rubio", "Logan"), ("Case", "Calvn"),
     ("Sotelo Soto", "Alejo"), ("Zurita Duque", "Amador"), ("Palomo", "Eodia")],
)  # fmt: skip
def test_other_names_not_read_as_chinese(family: str, given: str) -> None:
    """No lone consonants, no vowel-initial syllable inside a word of a mixture, at most
    four syllables: Spanish and English names stay words."""
    name = normalise_name(family, given)
    assert not name.chinese
    assert name.units == tuple(f"{family} {given}".lower().split())


def test_greek_chi_as_h_sounds_alike() -> None:
    elot = normalise_name("Χατζημιχαήλ", "Παράσχος")
    loose = normalise_name("HATZIMIHAIL", "PARASHOS")
    assert elot.units != loose.units
    assert elot.sounds == loose.sounds


def test_sound_triples_for_blocking() -> None:
    from haven_link._features import name_tokens

    tokens = name_tokens(normalise_name("", "", "张晓丽"))
    assert tokens["sound_triple"] == ["+".join(sorted(normalise_name("", "", "张晓丽").sounds))]
    assert name_tokens(normalise_name("Smith", "Mary"))["sound_triple"] == []


def _readings_one_system_at_a_time(token: str) -> tuple:
    """What _token_readings returned before its pre-check: each system searched alone."""
    from haven_link._chinese import MIXED, _mixed_vocabulary, _segment_in, _tables

    _, wade, canto = _tables()
    out = []
    for system, mapping in ((0, None), (1, wade), (2, canto), (MIXED, _mixed_vocabulary())):
        parts = _segment_in(token, system)
        pinyin = parts if mapping is None or parts is None else tuple(mapping[p] for p in parts)
        out.append(None if parts is None else (pinyin, parts))
    return tuple(out)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=14))
def test_readings_pre_check_changes_nothing(token: str) -> None:
    from haven_link._chinese import _token_readings

    assert _token_readings(token) == _readings_one_system_at_a_time(token)


@pytest.mark.parametrize(
    "token",
    ["ng", "m", "hng", "xiaoli", "zhang", "tsui", "hsiao", "chan", "garcia", "smith",
     "qiangbok", "sin", "yim", "ouyang", "christopher", "a" * 25, "nguyen"],
)  # fmt: skip
def test_readings_pre_check_on_known_words(token: str) -> None:
    from haven_link._chinese import _token_readings

    assert _token_readings(token) == _readings_one_system_at_a_time(token)


def _pypinyin_reading(text: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin

    read = lazy_pinyin(text, style=Style.NORMAL, v_to_u=False, errors="ignore")
    return tuple(s for s in read if s.isascii() and s.isalpha())


# Name characters, characters that start pypinyin phrases with readings of their own
# (重庆 chong, 银行 hang, 长江 chang), and ones read differently inside phrases.
_PINYIN_POOL = "张晓丽李伟王芳刘洋陈静重庆银行长江音乐乐都曾经单于朴素解放仇恨区别率领绿吕女"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_PINYIN_POOL, min_size=1, max_size=6))
def test_character_by_character_reading_equals_pypinyin(text: str) -> None:
    # The fast path reads character by character only where no phrase can start.
    assert han_to_pinyin(text, surname_first=False) == _pypinyin_reading(text)
    assert han_to_pinyin("重庆", surname_first=False) == ("chong", "qing")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_marks_table_deletes_what_combining_marks_are(text: str) -> None:
    import unicodedata

    from haven_link._greek import without_marks

    decomposed = unicodedata.normalize("NFKD", text)
    expected = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    assert decomposed.translate(without_marks()) == expected

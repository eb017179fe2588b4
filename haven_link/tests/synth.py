"""Synthetic cross-border person records with known matches, for tests and the benchmark.

Side A holds names as the person's own agency writes them (Chinese characters, Greek
letters, Spanish and Vietnamese with diacritics); side B as a foreign agency would: pinyin,
Wade-Giles or Hong Kong Cantonese spellings, ELOT 743 or loose Greek transliterations,
names in either order, compound surnames cut, dates with the usual errors.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from haven_link._chinese import han_to_pinyin
from haven_link._greek import elot743

Record = dict[str, str]

CN_SURNAMES = (
    "王李张刘陈杨黄吴赵周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "单区解仇朴查翟冼欧阳司马诸葛"
)
CN_COMPOUND = ("欧阳", "司马", "诸葛", "上官")
CN_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉斌宇浩凯健俊帆帅旭宁龙林欣晓雪梅琳晶婷颖佳雅思嘉家豪志文建国立新海波春秋月凤"
TRADITIONAL = str.maketrans(
    "张陈杨黄赵刘吴郑谢邓罗许韩冯苏叶吕卢钟谭陆汪贾韦邹熊闫龙贺顾龚钱严伟丽军艳杰娟涛兰华红玲凤辉鹏斌健帅宁晓颖嘉豪志国立新海区单冯",
    "張陳楊黃趙劉吳鄭謝鄧羅許韓馮蘇葉呂盧鍾譚陸汪賈韋鄒熊閆龍賀顧龔錢嚴偉麗軍艷傑娟濤蘭華紅玲鳳輝鵬斌健帥寧曉穎嘉豪志國立新海區單馮",
)
GR_GIVEN = ("Γεώργιος", "Ιωάννης", "Κωνσταντίνος", "Δημήτριος", "Νικόλαος", "Παναγιώτης", "Ευάγγελος",
            "Χρήστος", "Μαρία", "Ελένη", "Αικατερίνη", "Βασιλική", "Σοφία", "Αγγελική", "Ευθυμία", "Χαράλαμπος",
            "Σπυρίδων", "Θεόδωρος", "Αναστασία", "Δέσποινα")  # fmt: skip
GR_FAMILY = ("Παπαδόπουλος", "Παπαδοπούλου", "Βλάχος", "Γεωργίου", "Οικονόμου", "Μπακογιάννης", "Καραγιάννης",
             "Νικολάου", "Δημητρίου", "Ευαγγέλου", "Χριστοδούλου", "Αντωνίου", "Μαυρίδης", "Ψαρράς", "Ζαχαρίου",
             "Λαμπράκης", "Κωνσταντίνου", "Ιωάννου", "Θεοδωρίδης", "Ντόκος")  # fmt: skip
ES_GIVEN = ("María", "José", "Juan", "Ana", "Lucía", "Carmen", "Javier", "Sofía", "Andrés", "Inés", "Raúl",
            "Pilar", "Ángel", "Rocío", "Jesús", "Concepción", "Begoña", "Íñigo", "Nuria", "Álvaro")  # fmt: skip
ES_FAMILY = ("García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez",
             "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez", "Romero", "de la Cruz",
             "Núñez")  # fmt: skip
VI_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
             "Ngô", "Dương", "Lý")  # fmt: skip
VI_MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc")
VI_GIVEN = ("An", "Bình", "Châu", "Dũng", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Hương", "Khánh", "Lan", "Linh",
            "Long", "Mai", "Nam", "Phương", "Quân", "Thảo", "Trang", "Tuấn", "Vy", "Yến", "Đạt")  # fmt: skip
EN_GIVEN = ("James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William", "Sarah",
            "David", "Karen", "Thomas", "Nancy", "Daniel", "Lisa", "Matthew", "Emily", "Joshua", "Olivia")  # fmt: skip
EN_FAMILY = ("Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
             "Thomas", "Moore", "Jackson", "Martin", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker")  # fmt: skip
COUNTRIES = {"cn": "CHN", "gr": "GRC", "es": "ESP", "vi": "VNM", "en": "GBR"}


@dataclass(frozen=True, slots=True)
class Person:
    culture: str
    family: str
    given: str
    year: int
    month: int
    day: int
    sex: str


def _strip(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


@lru_cache(maxsize=1)
def _pools() -> dict[str, tuple[str, ...]]:
    """Name pools: Faker's (a Haven dependency) where it has enough names, else ours."""
    from faker.providers.person.el_GR import Provider as Greek
    from faker.providers.person.en_US import Provider as English
    from faker.providers.person.es_ES import Provider as Spanish

    cn_given = {ch for name in _faker_cn_given() for ch in name} | set(CN_GIVEN)
    return {
        "gr_given": tuple(
            dict.fromkeys([*Greek.first_names_male, *Greek.first_names_female, *GR_GIVEN])
        ),
        "gr_family": tuple(
            dict.fromkeys([*Greek.last_names_male, *Greek.last_names_female, *GR_FAMILY])
        ),
        "es_given": tuple(dict.fromkeys([*Spanish.first_names, *ES_GIVEN])),
        "es_family": tuple(dict.fromkeys([*Spanish.last_names, *ES_FAMILY])),
        "en_given": tuple(English.first_names),
        "en_family": tuple(English.last_names),
        "cn_given": tuple(sorted(cn_given)),
    }


def _faker_cn_given() -> list[str]:
    from faker.providers.person.zh_CN import Provider as Chinese

    return list(Chinese.first_names)


def _person(rng: random.Random, culture: str) -> Person:
    sex = rng.choice("MF")
    pools = _pools()
    if culture == "cn":
        family = rng.choice(CN_COMPOUND) if rng.random() < 0.02 else rng.choice(CN_SURNAMES)
        given = "".join(rng.choice(pools["cn_given"]) for _ in range(rng.choice((1, 2, 2, 2))))
    elif culture == "gr":
        family, given = rng.choice(pools["gr_family"]), rng.choice(pools["gr_given"])
    elif culture == "es":
        family = f"{rng.choice(pools['es_family'])} {rng.choice(pools['es_family'])}"
        given = rng.choice(pools["es_given"])
    elif culture == "vi":
        family = rng.choice(VI_FAMILY)
        given = f"{rng.choice(VI_MIDDLE)} {rng.choice(VI_GIVEN)} {rng.choice(VI_GIVEN)}"
    else:
        family, given = rng.choice(pools["en_family"]), rng.choice(pools["en_given"])
    return Person(
        culture, family, given, rng.randint(1960, 2008), rng.randint(1, 12), rng.randint(1, 28), sex
    )


@lru_cache(maxsize=65536)
def _wade(syllable: str) -> str:
    from pypinyin import Style
    from pypinyin.style import convert

    return convert(syllable, Style.WADEGILES, strict=False).replace("'", "").replace("v", "u")


@lru_cache(maxsize=65536)
def _cantonese(char: str) -> str:

    romans = _canto().getRoman(char.translate(TRADITIONAL))[0]
    return str(romans[0]) if romans else ""


@lru_cache(maxsize=1)
def _canto() -> Any:
    from cantoroman import Cantonese

    return Cantonese()


def _chinese_latin(rng: random.Random, p: Person) -> tuple[str, str]:
    fam_py = list(han_to_pinyin(p.family, surname_first=True))
    giv_py = list(han_to_pinyin(p.given, surname_first=False))
    system = rng.random()
    if system < 0.6:
        fam, giv = fam_py, giv_py
    elif system < 0.8:
        fam, giv = [_wade(s) for s in fam_py], [_wade(s) for s in giv_py]
    else:
        fam = [_cantonese(c) or s for c, s in zip(p.family, fam_py, strict=False)]
        giv = [_cantonese(c) or s for c, s in zip(p.given, giv_py, strict=False)]
    style = rng.random()
    if style < 0.4:
        given = "".join(giv).capitalize()
    elif style < 0.7:
        given = "-".join(s.capitalize() for s in giv)
    else:
        given = " ".join(s.capitalize() for s in giv)
    family = "".join(fam).capitalize()
    if rng.random() < 0.5:
        family, given = family.upper(), given.upper()
    return family, given


def _greek_latin(rng: random.Random, text: str) -> str:
    latin = elot743(text).upper()
    if rng.random() < 0.25:  # loose, non-ELOT spellings seen on older documents
        latin = latin.replace("OU", "U").replace("CH", "H").replace("Y", "I")
    return latin


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.random()
    if kind < 0.4:
        return text[:i] + text[i + 1 :]
    if kind < 0.7:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + rng.choice("aeiounrst") + text[i + 1 :]


def _date_b(rng: random.Random, p: Person) -> str:
    r = rng.random()
    y, m, d = p.year, p.month, p.day
    if r < 0.70:
        return f"{y:04d}-{m:02d}-{d:02d}"
    if r < 0.80 and d <= 12:
        return f"{y:04d}-{d:02d}-{m:02d}"
    if r < 0.85:
        ys = f"{y:04d}"
        return (
            f"{ys[:2]}{ys[3]}{ys[2]}-{m:02d}-{d:02d}"
            if ys[2] != ys[3]
            else f"{y:04d}-{m:02d}-{d:02d}"
        )
    if r < 0.90:
        return f"{y:04d}"
    if r < 0.95:
        return f"{y + rng.choice((-1, 0, 1)):04d}"
    return ""


def record_a(p: Person, ident: str) -> Record:
    rec = {"id": ident, "family_name": p.family, "given_name": p.given, "name_original": ""}
    if p.culture == "cn":
        rec = {
            "id": ident,
            "family_name": "",
            "given_name": "",
            "name_original": p.family + p.given,
        }
    rec |= {
        "date_of_birth": f"{p.year:04d}-{p.month:02d}-{p.day:02d}",
        "sex": p.sex,
        "citizenship": COUNTRIES[p.culture],
    }
    return rec


def record_b(rng: random.Random, p: Person, ident: str) -> Record:
    if p.culture == "cn":
        family, given = _chinese_latin(rng, p)
    elif p.culture == "gr":
        family, given = _greek_latin(rng, p.family), _greek_latin(rng, p.given)
    elif p.culture == "es":
        family, given = _strip(p.family), _strip(p.given)
        if rng.random() < 0.3:
            family = family.split()[0] if not family.startswith("de la") else family
    elif p.culture == "vi":
        family, given = _strip(p.family), _strip(p.given)
    else:
        family, given = p.family, p.given
    if p.culture != "cn" and rng.random() < 0.15:
        given = _typo(rng, given)
    if rng.random() < 0.2:
        family, given = given, family
    if rng.random() < 0.5:
        family, given = family.upper(), given.upper()
    return {
        "id": ident,
        "family_name": family,
        "given_name": given,
        "name_original": "",
        "date_of_birth": _date_b(rng, p),
        "sex": p.sex if rng.random() < 0.98 else "",
        "citizenship": COUNTRIES[p.culture] if rng.random() < 0.9 else "",
    }


CULTURES = ("cn", "cn", "cn", "cn", "gr", "gr", "es", "vi", "vi", "en")


def generate(
    n: int, *, overlap: float = 0.5, seed: int = 0
) -> tuple[list[Record], list[Record], set[tuple[str, str]]]:
    """Two files of ``n`` records each; ``overlap`` of the people appear in both."""
    rng = random.Random(seed)
    shared = int(n * overlap)
    a: list[Record] = []
    b: list[Record] = []
    truth: set[tuple[str, str]] = set()
    for i in range(n):
        p = _person(rng, rng.choice(CULTURES))
        a.append(record_a(p, f"a{i}"))
        if i < shared:
            b.append(record_b(rng, p, f"b{i}"))
            truth.add((f"a{i}", f"b{i}"))
    for i in range(shared, n):
        b.append(record_b(rng, _person(rng, rng.choice(CULTURES)), f"b{i}"))
    rng.shuffle(b)
    return a, b, truth


def people(n: int, seed: int = 0) -> Iterator[Person]:
    rng = random.Random(seed)
    for _ in range(n):
        yield _person(rng, rng.choice(CULTURES))


__all__ = ["generate", "people", "record_a", "record_b"]

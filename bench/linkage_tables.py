"""Build haven_link/_data/romanisation.json: Wade-Giles and Hong Kong Cantonese syllables
mapped to the most likely pinyin syllable in personal names.

Run once by a developer (needs Faker, pypinyin, cantoroman, opencc in the venv); the
library only reads the JSON it writes, so nothing is computed or fetched at run time.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import opencc
from cantoroman import Cantonese
from faker.providers.person.zh_CN import Provider as ProviderCN
from faker.providers.person.zh_TW import Provider as ProviderTW
from pypinyin import Style, lazy_pinyin, pinyin_dict
from pypinyin.style import convert

from haven_link._surnames import COMPOUND_SURNAMES, SURNAME_READINGS

OUT = Path(__file__).resolve().parent.parent / "haven_link" / "_data" / "romanisation.json"


def _plain(syllable: str) -> str:
    return syllable.replace("ü", "v").replace("'", "").replace("’", "")


def main() -> None:
    s2t = opencc.OpenCC("s2t")
    t2s = opencc.OpenCC("t2s")
    canto = Cantonese()
    weights: dict[str, float] = defaultdict(float)
    surname_chars: set[str] = set()
    for name, weight in ProviderCN.last_names.items():
        for ch in t2s.convert(name):
            weights[ch] += float(weight) * 20
            surname_chars.add(ch)
    for name in list(ProviderTW.last_names):
        for ch in t2s.convert(name):
            weights[ch] += 2.0
            surname_chars.add(ch)
    for names in (ProviderCN.first_names, ProviderTW.first_names):
        for name in names:
            for ch in t2s.convert(name):
                weights[ch] += 1.0

    def mandarin(ch: str) -> str:
        if ch in surname_chars and ch in SURNAME_READINGS:
            return SURNAME_READINGS[ch]
        return _plain(lazy_pinyin(ch, style=Style.NORMAL, v_to_u=False)[0])

    pinyin_weight: dict[str, float] = defaultdict(float)
    syllables: set[str] = set()
    for code in pinyin_dict.pinyin_dict:
        ch = chr(code)
        syl = mandarin(ch)
        if syl.isascii() and syl.isalpha():
            syllables.add(syl)
            pinyin_weight[syl] += weights.get(ch, 0.0) + 0.001
    for pair in COMPOUND_SURNAMES.values():
        syllables.update(pair.split())

    wade: dict[str, dict[str, float]] = defaultdict(dict)
    for syl in syllables:
        wg = convert(syl, Style.WADEGILES, strict=False)
        for variant in {wg, _plain(wg), wg.replace("v", "u"), _plain(wg).replace("v", "u")}:
            wade[variant][syl] = pinyin_weight[syl]

    cantonese: dict[str, dict[str, float]] = defaultdict(dict)
    chars = set(weights) | {chr(c) for c in pinyin_dict.pinyin_dict if 0x4E00 <= c < 0xA000}
    for ch in chars:
        trad = s2t.convert(ch)
        romans = canto.getRoman(trad)[0] or canto.getRoman(ch)[0]
        syl = mandarin(ch)
        if not (syl.isascii() and syl.isalpha()):
            continue
        for roman in romans:
            roman = roman.lower()
            cantonese[roman][syl] = cantonese[roman].get(syl, 0.0) + weights.get(ch, 0.0) + 0.001

    def best(table: dict[str, dict[str, float]]) -> dict[str, str]:
        return {
            k: max(v.items(), key=lambda kv: (kv[1], kv[0]))[0] for k, v in sorted(table.items())
        }

    data = {
        "pinyin": sorted(syllables),
        "wade_giles": best(wade),
        "cantonese": best(cantonese),
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0) + "\n")
    print(
        f"wrote {OUT}: {len(syllables)} pinyin, {len(data['wade_giles'])} WG, {len(data['cantonese'])} Cantonese"
    )


if __name__ == "__main__":
    main()

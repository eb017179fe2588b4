"""Explanation sentences, from whole-sentence templates in the catalogue's texts."""

from ._combination import satisfied_rule
from ._model import Catalogue
from ._scoring import CD, CR, DR, POS, RV, UND, VD, Score
from ._types import DIMENSIONS, OUTCOMES, Profile

# How many IDs the "ask next" sentence names; the full list is in Assessment.missing.
MISSING_IN_SENTENCE = 5


def explain(
    catalogue: Catalogue,
    lang: str,
    chosen: Score,
    *,
    both: bool,
    tie: bool,
    missing: tuple[str, ...],
) -> tuple[str, ...]:
    texts = catalogue.texts
    separator = texts["list_separator"][lang]
    item = texts["indicator_item"][lang]

    def items(ids: tuple[str, ...] | list[str]) -> str:
        return separator.join(
            item.format(id=i, label=catalogue.indicator(i).labels[lang]) for i in ids
        )

    def dimension_label(index: int) -> str:
        return catalogue.dimension(DIMENSIONS[index]).labels[lang]

    profile: Profile = chosen.table.profile
    profile_label = texts[f"label.profile.{profile}"][lang]
    key = ("profile_both_tie" if tie else "profile_both") if both else "profile_used"
    sentences = [texts[key][lang].format(profile=profile_label)]

    for index, status in enumerate(chosen.statuses):
        if status == POS:
            rule = satisfied_rule(*chosen.present[index])
            sentences.append(
                texts[f"dimension_positive.{rule}"][lang].format(
                    dimension=dimension_label(index),
                    indicators=items(chosen.present_ids[index]),
                )
            )
    undetermined = [dimension_label(i) for i, s in enumerate(chosen.statuses) if s == UND]
    if undetermined:
        sentences.append(
            texts["dimensions_undetermined"][lang].format(dimensions=separator.join(undetermined))
        )

    outcome = OUTCOMES[chosen.outcome]
    age_group = "child" if chosen.table.is_child else "adult"
    if outcome == "trafficking" and age_group == "adult":
        sentences.append(
            texts["outcome.trafficking.adult"][lang].format(
                recruitment=separator.join(
                    dimension_label(d) for d in (DR, CR, RV) if chosen.statuses[d] == POS
                ),
                destination=separator.join(
                    dimension_label(d) for d in (CD, VD) if chosen.statuses[d] == POS
                ),
            )
        )
    elif outcome == "trafficking":
        sentences.append(
            texts["outcome.trafficking.child"][lang].format(acts=items(chosen.act_present))
        )
    elif outcome == "possible_trafficking":
        sentences.append(texts[f"outcome.possible_trafficking.{age_group}"][lang])
    else:
        sentences.append(texts[f"outcome.{outcome}"][lang])

    if missing:
        sentences.append(
            texts["missing"][lang].format(indicators=items(missing[:MISSING_IN_SENTENCE]))
        )
    sentences.append(texts["referral"][lang])
    return tuple(sentences)

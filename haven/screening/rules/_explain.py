"""Explanation sentences, from whole-sentence templates in the catalogue's texts."""

import functools
from collections.abc import Set
from dataclasses import dataclass

from ._combination import satisfied_rule
from ._model import Catalogue
from ._scoring import CD, CR, DR, POS, RV, UND, VD, Score
from ._types import DIMENSIONS, OUTCOMES, PROFILES

# How many IDs the "ask next" sentence names; the full list is in Assessment.missing.
MISSING_IN_SENTENCE = 5


@dataclass(frozen=True, slots=True)
class _Texts:
    """The templates of one language, looked up once (the engine formats them per request)."""

    separator: str
    items: dict[str, str]  # indicator ID -> "label (ID)"
    dimensions: tuple[str, ...]
    profiles: dict[str, str]
    templates: dict[str, str]


@functools.lru_cache(maxsize=64)
def _texts(catalogue: Catalogue, lang: str) -> _Texts:
    texts = catalogue.texts
    item = texts["indicator_item"][lang]
    return _Texts(
        separator=texts["list_separator"][lang],
        items={i.id: item.format(id=i.id, label=i.labels[lang]) for i in catalogue.indicators},
        dimensions=tuple(catalogue.dimension(code).labels[lang] for code in DIMENSIONS),
        profiles={p: texts[f"label.profile.{p}"][lang] for p in PROFILES},
        templates={key: by_lang[lang] for key, by_lang in texts.items()},
    )


def explain(
    catalogue: Catalogue,
    lang: str,
    chosen: Score,
    yes: Set[str],
    present_ids: tuple[tuple[str, ...], ...],
    *,
    both: bool,
    tie: bool,
    missing: tuple[str, ...],
    not_counted: tuple[str, ...] = (),
) -> tuple[str, ...]:
    t = _texts(catalogue, lang)
    templates, labels, separator, item = t.templates, t.dimensions, t.separator, t.items

    def items(ids: tuple[str, ...]) -> str:
        return separator.join([item[i] for i in ids])

    key = ("profile_both_tie" if tie else "profile_both") if both else "profile_used"
    sentences = [templates[key].format(profile=t.profiles[chosen.table.profile])]

    statuses = chosen.statuses
    for index, status in enumerate(statuses):
        if status == POS:
            rule = satisfied_rule(*chosen.dimensions[index].present)
            sentences.append(
                templates["dimension_positive." + str(rule)].format(
                    dimension=labels[index], indicators=items(present_ids[index])
                )
            )
    if UND in statuses:
        undetermined = separator.join([labels[i] for i, s in enumerate(statuses) if s == UND])
        sentences.append(templates["dimensions_undetermined"].format(dimensions=undetermined))

    outcome = OUTCOMES[chosen.outcome]
    is_child = chosen.table.is_child
    if outcome == "trafficking" and not is_child:
        recruitment = [labels[d] for d in (DR, CR, RV) if statuses[d] == POS]
        destination = [labels[d] for d in (CD, VD) if statuses[d] == POS]
        sentences.append(
            templates["outcome.trafficking.adult"].format(
                recruitment=separator.join(recruitment), destination=separator.join(destination)
            )
        )
    elif outcome == "trafficking":
        acts = items(chosen.act_present_ids(yes))
        sentences.append(templates["outcome.trafficking.child"].format(acts=acts))
    elif outcome == "possible_trafficking":
        age_group = "child" if is_child else "adult"
        sentences.append(templates["outcome.possible_trafficking." + age_group])
    else:
        sentences.append(templates["outcome." + outcome])

    if not_counted:
        sentences.append(templates["not_counted"].format(indicators=items(not_counted)))
    if missing:
        sentences.append(
            templates["missing"].format(indicators=items(missing[:MISSING_IN_SENTENCE]))
        )
    sentences.append(templates["referral"])
    return tuple(sentences)

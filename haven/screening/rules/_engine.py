"""The screening rule engine: a pure function from answers to an :class:`Assessment`."""

import functools
from collections.abc import Mapping
from typing import Final

from ._errors import InputError
from ._explain import explain
from ._loader import default_catalogue
from ._missing import group_classes, missing_indicators
from ._model import Catalogue
from ._request import AssessmentRequest, parse_request
from ._result import Assessment, DimensionResult, Elements, Flag
from ._scoring import (
    CR,
    DR,
    EX,
    MEANS,
    NEG,
    POS,
    POSSIBLE_TRAFFICKING,
    RV,
    Score,
    profile_tables,
    score,
)
from ._types import (
    DIMENSIONS,
    FLAG_CODES,
    LANGUAGES,
    OUTCOMES,
    STATUSES,
    Answer,
    Exploitation,
    FlagCode,
    Profile,
)

# Bump when a change to this package can change a result for the same catalogue.
ENGINE_VERSION: Final = "1.1.0"  # 1.1: explanations name "yes" answers outside the sets scored
CHILD_AGE_LIMIT: Final = 18


def assess(
    *,
    age: int | None,
    exploitation: Exploitation,
    may_be_child: bool = False,
    answers: Mapping[str, Answer] | None = None,
    met_in_custody: bool = False,
    lang: str = "en",
    catalogue: Catalogue | None = None,
) -> Assessment:
    """Validate the arguments (raising :class:`InputError`) and assess them."""
    cat = catalogue if catalogue is not None else default_catalogue()
    request = parse_request(
        {
            "age": age,
            "exploitation": exploitation,
            "may_be_child": may_be_child,
            "answers": {} if answers is None else answers,
            "met_in_custody": met_in_custody,
        },
        catalogue=cat,
    )
    return assess_request(request, lang=lang, catalogue=cat)


def profiles_for(request: AssessmentRequest) -> tuple[Profile, ...]:
    """The indicator sets to score, labour first (so labour wins a tie under "both")."""
    # Age unknown with reasons to believe the person is a child: presumed a child (CoE Art. 10(3)).
    child = request.age < CHILD_AGE_LIMIT if request.age is not None else request.may_be_child
    if child:
        by_type: dict[Exploitation, tuple[Profile, ...]] = {
            "labour": ("child_labour",),
            "sexual": ("child_sexual",),
            "both": ("child_labour", "child_sexual"),
        }
    else:
        by_type = {
            "labour": ("adult_labour",),
            "sexual": ("adult_sexual",),
            "both": ("adult_labour", "adult_sexual"),
        }
    return by_type[request.exploitation]


def assess_request(
    request: AssessmentRequest, *, lang: str = "en", catalogue: Catalogue | None = None
) -> Assessment:
    """Assess an already validated request.

    With ``exploitation="both"`` both sets are scored and the stronger outcome is reported;
    on a tie the labour set is reported (it is listed first and ``max`` keeps the first).
    """
    if lang not in LANGUAGES:
        raise InputError("lang", f"must be one of {', '.join(LANGUAGES)}")
    cat = catalogue if catalogue is not None else default_catalogue()
    tables = profile_tables(cat)
    answers = request.answers
    yes = {i for i, answer in answers.items() if answer == "yes"}
    no = {i for i, answer in answers.items() if answer == "no"}
    profiles = profiles_for(request)
    scores = [score(tables[p], yes, no) for p in profiles]
    chosen = max(scores, key=lambda s: s.outcome)
    both = len(scores) > 1
    tie = both and all(s.outcome == chosen.outcome for s in scores)
    order = _catalogue_order(cat)
    missing = missing_indicators(scores, group_classes(cat, profiles), yes, no, order)
    present = tuple(chosen.present_ids(n, yes) for n in range(len(DIMENSIONS)))
    # A "yes" outside every set scored (a sexual-exploitation indicator under "labour") would
    # otherwise vanish without a word; the explanation names it.
    not_counted = tuple(
        sorted(yes - _scored_ids(cat, profiles), key=lambda i: order.get(i, len(order)))
    )
    return Assessment(
        profile=chosen.table.profile,
        exploitation=request.exploitation,
        outcome=OUTCOMES[chosen.outcome],
        dimensions={
            code: DimensionResult(STATUSES[chosen.statuses[n]], present[n])
            for n, code in enumerate(DIMENSIONS)
        },
        acts_present=tuple(i for i in chosen.table.act_ids if i in yes),
        elements=_elements(chosen),
        missing=missing,
        explanation=explain(
            cat,
            lang,
            chosen,
            yes,
            present,
            both=both,
            tie=tie,
            missing=missing,
            not_counted=not_counted,
        ),
        flags=_flags(cat, request, chosen, lang),
        scored={s.table.profile: OUTCOMES[s.outcome] for s in scores},
        lang=lang,
        catalogue_version=cat.version,
        engine_version=ENGINE_VERSION,
    )


@functools.lru_cache(maxsize=32)
def _scored_ids(catalogue: Catalogue, profiles: tuple[Profile, ...]) -> frozenset[str]:
    """Every ID the profiles' sets count, plus the urgent items (never "not counted")."""
    tables = profile_tables(catalogue)
    return frozenset(
        i for p in profiles for i in (*tables[p].class_of, *tables[p].act_ids)
    ) | frozenset(u.id for u in catalogue.urgent_items)


@functools.lru_cache(maxsize=8)
def _catalogue_order(catalogue: Catalogue) -> dict[str, int]:
    return {i.id: n for n, i in enumerate(catalogue.indicators)}


def _tristate(status: int) -> bool | None:
    return True if status == POS else False if status == NEG else None


def _elements(s: Score) -> Elements:
    # A child's act counts recruitment indicators too (see score()); for an adult a positive
    # recruitment dimension implies the act.
    recruitment = max(s.statuses[DR], s.statuses[CR], s.statuses[RV])
    act = s.act if s.table.is_child else max(recruitment, s.act)
    return Elements(
        act=_tristate(act),
        means=_tristate(max(s.statuses[d] for d in MEANS)),
        purpose=_tristate(s.statuses[EX]),
    )


def _flags(
    catalogue: Catalogue, request: AssessmentRequest, chosen: Score, lang: str
) -> tuple[Flag, ...]:
    raised: list[FlagCode] = []
    for item in catalogue.urgent_items:
        if request.answers.get(item.id) == "yes" and item.flag not in raised:
            raised.append(item.flag)
    if chosen.table.is_child:
        raised.append("child")
    if request.met_in_custody and chosen.outcome >= POSSIBLE_TRAFFICKING:
        raised.append("non_punishment")
    raised.sort(key=FLAG_CODES.index)
    return tuple(Flag(code, catalogue.texts[f"flag.{code}"][lang]) for code in raised)

"""A workshop's results: the live progress table and the CSV exports for its trainers."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass

from haven.accounts.models import User
from haven.screening.rules import default_catalogue
from haven.training.library import text_in
from haven.training.models import Attempt, Workshop
from haven.training.practice import ui_language
from haven.training.registry import get_case_study

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """Text as a spreadsheet shows it, never as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


@dataclass(frozen=True)
class Cell:
    attempt: Attempt | None

    @property
    def status(self) -> str:
        return self.attempt.status if self.attempt else "not_started"


@dataclass(frozen=True)
class Row:
    participant: User
    cells: list[Cell]


@dataclass(frozen=True)
class Progress:
    case_studies: list[str]
    rows: list[Row]


def _latest_attempts(workshop: Workshop) -> dict[tuple[int, str], Attempt]:
    """The latest attempt of each participant at each case study."""
    latest: dict[tuple[int, str], Attempt] = {}
    for attempt in Attempt.objects.filter(workshop=workshop).order_by("started_at"):
        latest[(attempt.trainee_id, attempt.case_study)] = attempt
    return latest


def _participants(workshop: Workshop) -> list[User]:
    return list(
        workshop.participants.select_related("organisation").order_by(
            "organisation__country", "organisation__name", "username"
        )
    )


def progress(workshop: Workshop) -> Progress:
    latest = _latest_attempts(workshop)
    slugs = list(workshop.case_studies)
    rows = [
        Row(p, [Cell(latest.get((p.pk, slug))) for slug in slugs]) for p in _participants(workshop)
    ]
    return Progress(slugs, rows)


PARTICIPANT_COLUMNS = (
    "workshop",
    "participant",
    "organisation",
    "country",
    "case_study",
    "status",
    "completed_at",
    "outcome_given",
    "outcome_expected",
    "outcome_correct",
    "flags_correct",
    "next_steps_correct",
    "precision",
    "recall",
    "score",
    "indicators_found",
    "indicators_missed",
    "indicators_wrongly_marked",
)


def participants_csv(workshop: Workshop) -> str:
    """One row per participant and assigned case study, including those not started."""
    latest = _latest_attempts(workshop)
    studies = {slug: get_case_study(slug) for slug in workshop.case_studies}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(PARTICIPANT_COLUMNS)
    for participant in _participants(workshop):
        for slug in workshop.case_studies:
            attempt = latest.get((participant.pk, slug))
            fb = attempt.feedback if attempt and attempt.feedback else {}
            study = studies[slug]
            writer.writerow(
                [
                    _cell(workshop.title),
                    _cell(participant.username),
                    _cell(participant.organisation.name),
                    _cell(participant.organisation.country),
                    _cell(slug),
                    attempt.status if attempt else "not_started",
                    attempt.completed_at.isoformat() if attempt and attempt.completed_at else "",
                    fb.get("outcome", ""),
                    fb.get("expected_outcome", study.key.outcome if study else ""),
                    _yes_no(fb.get("outcome_correct")),
                    _yes_no(fb.get("flags_correct")),
                    _yes_no(fb.get("steps_correct")),
                    fb.get("precision", ""),
                    fb.get("recall", ""),
                    attempt.score if attempt and attempt.score is not None else "",
                    " ".join(fb.get("found", [])),
                    " ".join(fb.get("missed", [])),
                    " ".join(fb.get("wrong", [])),
                ]
            )
    return out.getvalue()


def _yes_no(value: object) -> str:
    return {True: "yes", False: "no"}.get(value, "")  # type: ignore[call-overload]


INDICATOR_COLUMNS = (
    "indicator",
    "label",
    "in_key",
    "found",
    "missed",
    "miss_rate",
    "wrongly_marked",
)


def indicators_csv(workshop: Workshop) -> str:
    """Per indicator, over the latest completed attempts: how often the group missed it (it was
    in the key and not marked) and how often it was marked without being in the key. Most
    missed first."""
    catalogue = default_catalogue()
    lang = ui_language(workshop.language)
    in_key: Counter[str] = Counter()
    found: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    for attempt in _latest_attempts(workshop).values():
        if attempt.status != Attempt.Status.COMPLETED or not attempt.feedback:
            continue
        for item in attempt.feedback.get("found", []):
            found[item] += 1
            in_key[item] += 1
        for item in attempt.feedback.get("missed", []):
            missed[item] += 1
            in_key[item] += 1
        for item in attempt.feedback.get("wrong", []):
            wrong[item] += 1
    order = {i.id: n for n, i in enumerate(catalogue.indicators)}
    ids = sorted(
        set(in_key) | set(wrong),
        key=lambda i: (-missed[i], -wrong[i], order.get(i, 0)),
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(INDICATOR_COLUMNS)
    for item in ids:
        label = catalogue.indicator(item).labels[lang] if catalogue.is_indicator(item) else item
        rate = f"{missed[item] / in_key[item]:.2f}" if in_key[item] else ""
        writer.writerow(
            [item, _cell(label), in_key[item], found[item], missed[item], rate, wrong[item]]
        )
    return out.getvalue()


def study_title(slug: str, lang: str) -> str:
    study = get_case_study(slug)
    return text_in(study.title, lang) if study else slug

"""The catalogue in one language, JSON-ready, for ``GET /api/v1/screening/catalogue``."""

from ._errors import InputError
from ._loader import default_catalogue
from ._model import Catalogue
from ._types import ELEMENTS, INTERVIEW_LANGUAGES, LANGUAGES, OUTCOMES, STATUSES


def catalogue_as_dict(
    lang: str = "en",
    *,
    interviewee_lang: str | None = None,
    catalogue: Catalogue | None = None,
) -> dict[str, object]:
    """Indicators with labels, sections with their questions, in ``lang``.

    ``interviewee_lang`` (any interview language, including vi and my) adds each question's
    text in the language the interviewee reads, next to the screener's.
    """
    if lang not in LANGUAGES:
        raise InputError("lang", f"must be one of {', '.join(LANGUAGES)}")
    if interviewee_lang is not None and interviewee_lang not in INTERVIEW_LANGUAGES:
        raise InputError("interviewee_lang", f"must be one of {', '.join(INTERVIEW_LANGUAGES)}")
    cat = catalogue if catalogue is not None else default_catalogue()
    texts = cat.texts

    def question(q_id: str, text: dict[str, str], evidences: tuple[str, ...]) -> dict[str, object]:
        entry: dict[str, object] = {"id": q_id, "text": text[lang], "evidences": list(evidences)}
        if interviewee_lang is not None:
            entry["interviewee_text"] = text[interviewee_lang]
        return entry

    return {
        "version": cat.version,
        "lang": lang,
        "interviewee_lang": interviewee_lang,
        "sets": {
            profile: {
                "label": texts[f"label.profile.{profile}"][lang],
                "provisional": info.provisional,
                "source": info.source,
            }
            for profile, info in cat.sets.items()
        },
        "dimensions": [
            {"code": d.code, "element": d.element, "label": d.labels[lang]} for d in cat.dimensions
        ],
        "indicators": [
            {
                "id": i.id,
                "dimension": i.dimension,
                "element": i.element,
                "label": i.labels[lang],
                "grades": dict(i.grades),
                "htcds": i.htcds,
                "verified": i.verified,
                "source": i.source,
            }
            for i in cat.indicators
        ],
        "urgent_items": [
            {"id": u.id, "flag": u.flag, "label": u.labels[lang]} for u in cat.urgent_items
        ],
        "sections": [
            {
                "id": s.id,
                "title": s.titles[lang],
                "interviewee_title": (
                    s.titles[interviewee_lang] if interviewee_lang is not None else None
                ),
                "questions": [
                    question(q.id, dict(q.texts), q.evidences)
                    for q in cat.questions
                    if q.section == s.id
                ],
            }
            for s in cat.sections
        ],
        "labels": {
            "outcomes": {o: texts[f"label.outcome.{o}"][lang] for o in OUTCOMES},
            "statuses": {s: texts[f"label.status.{s}"][lang] for s in STATUSES},
            "elements": {e: texts[f"label.element.{e}"][lang] for e in ELEMENTS},
        },
        "translation_notes": dict(cat.translation_notes),
    }

"""System check: the case-study library loads and every expert key agrees with the engine."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register


@register()
def case_study_library(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from haven.training.library import CaseStudyError, engine_disagreements, file_library

    try:
        studies = file_library()
    except CaseStudyError as exc:
        return [Error(str(exc), id="training.E001")]
    errors: list[CheckMessage] = []
    for study in studies.values():
        for problem in engine_disagreements(study):
            errors.append(Error(f"{study.source}: {problem}", id="training.E002"))
    return errors

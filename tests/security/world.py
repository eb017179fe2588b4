"""Objects for the URL patterns that need arguments, built through the apps' own services.

Each step is best-effort: an app that is not there (or changed its services) leaves a
placeholder that names no object, and the matrix then expects a "not found" for it."""

from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass, field
from typing import Any

from haven.testing.personas import Personas

# The person the world is built around: none of this may ever show up in a log or a dump.
SEEDED = {
    "family_name": "Vostrikovna",
    "given_name": "Ilsabeth",
    "name_original": "伊莎贝丝",
    "contact": "+34 699 407 311",
    "document": "PY7730519",
}
MISSING_REFERENCE = "HVN-1900-999999"
MISSING_ID = 999_999
MISSING_UUID = "00000000-0000-4000-8000-000000000000"


@dataclass
class World:
    personas: Personas
    case_reference: str = MISSING_REFERENCE
    consent_id: int = MISSING_ID
    service_id: int = MISSING_ID
    referral_id: int = MISSING_ID
    screening_id: str = MISSING_UUID
    export_job_id: int = MISSING_ID
    problems: list[str] = field(default_factory=list)

    def object_id(self) -> Any:
        return self.personas.org_a.pk


def build_world(personas: Personas) -> World:
    world = World(personas)
    case = None
    try:
        from haven.cases import services
        from haven.cases.services import DocumentInput
        from haven.cases.tests.conftest import case_input

        case = services.create_case(
            case_input(
                family_name=SEEDED["family_name"],
                given_name=SEEDED["given_name"],
                name_original=SEEDED["name_original"],
                contact=SEEDED["contact"],
                documents=[DocumentInput("passport", SEEDED["document"], "PY")],
            ),
            actor=personas.caseworker_a,
        )
        world.case_reference = case.reference
        services.start_screening(case, actor=personas.caseworker_a)
        services.refer_for_identification(case, actor=personas.caseworker_a)
        services.record_decision(
            case,
            actor=personas.supervisor_a,
            kind="reasonable_grounds",
            outcome="positive",
            reasons="Credible account.",
        )
        consent = services.record_consent(
            case,
            actor=personas.caseworker_a,
            purpose="referral",
            explained_in="es",
            organisation=personas.org_b,
        )
        world.consent_id = consent.pk
        service = services.add_service(case, actor=personas.caseworker_a, kind="medical")
        world.service_id = service.pk
    except Exception as exc:
        world.problems.append(f"cases: {type(exc).__name__}: {exc}")
    try:
        from haven.cases.models import Consent
        from haven.referrals.services import send_referral

        found_consent = Consent.objects.filter(pk=world.consent_id).first()
        if case is not None:
            referral = send_referral(
                case,
                actor=personas.caseworker_a,
                to_organisation=personas.org_b,
                purpose="assistance",
                consent=found_consent,
                fields=["first_contact", "exploitation_types"],
            )
            world.referral_id = referral.pk
    except Exception as exc:
        world.problems.append(f"referrals: {type(exc).__name__}: {exc}")
    try:
        from haven.screening.services import start_screening

        screening = start_screening(
            actor=personas.screener_a,
            interview_language="es",
            interviewee_language="es",
            interpreter_used=False,
            age=30,
            may_be_child=False,
            exploitation="labour",
            met_in_custody=False,
        )
        world.screening_id = str(screening.pk)
    except Exception as exc:
        world.problems.append(f"screening: {type(exc).__name__}: {exc}")
    with contextlib.suppress(Exception):
        from haven.cases.models import ExportJob

        job = ExportJob.objects.create(
            requested_by=personas.caseworker_a, format="csv", created_at=_now()
        )
        world.export_job_id = job.pk
    return world


def _now() -> datetime.datetime:
    from django.utils import timezone

    return timezone.now()

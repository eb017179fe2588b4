"""Every change to a screening goes through these functions: permission, validation, save and
audit in one transaction."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.audit.models import AuditEvent
from haven.audit.services import record_event
from haven.screening import policy
from haven.screening.hooks import referral_handler, screening_completed
from haven.screening.models import Screening
from haven.screening.rules import (
    ENGINE_VERSION,
    Assessment,
    assess_request,
    default_catalogue,
    parse_request,
)


def _ui_language(lang: str) -> str:
    return lang if lang in ("en", "zh-hans", "es", "el", "nl") else "en"


def assess_screening(screening: Screening, lang: str) -> Assessment:
    request = parse_request(screening.request_dict())
    return assess_request(request, lang=_ui_language(lang))


@transaction.atomic
def start_screening(
    *,
    actor: User,
    interview_language: str,
    interviewee_language: str,
    interpreter_used: bool,
    age: int | None,
    may_be_child: bool,
    exploitation: str,
    met_in_custody: bool,
    case_reference: str = "",
) -> Screening:
    if not policy.can_screen(actor):
        raise PermissionDenied
    # Validates the profile inputs exactly as the API and CLI do.
    parse_request({"age": age, "exploitation": exploitation, "may_be_child": may_be_child})
    screening = Screening(
        organisation=actor.organisation,
        interviewer=actor,
        case_reference=case_reference,
        interview_language=interview_language,
        interviewee_language=interviewee_language,
        interpreter_used=interpreter_used,
        age=age,
        may_be_child=may_be_child,
        exploitation=exploitation,
        met_in_custody=met_in_custody,
        catalogue_version=default_catalogue().version,
        engine_version=ENGINE_VERSION,
    )
    _refresh_result(screening)
    screening.save()
    record_event(AuditEvent.Action.CREATE, actor=actor, object_ref=screening.object_ref)
    return screening


def _refresh_result(screening: Screening) -> Assessment:
    assessment = assess_screening(screening, "en")
    screening.result = assessment.to_dict()
    screening.outcome = assessment.outcome
    screening.catalogue_version = assessment.catalogue_version
    screening.engine_version = assessment.engine_version
    return assessment


@transaction.atomic
def save_answers(
    screening: Screening,
    *,
    actor: User,
    answers: Mapping[str, str],
    notes: Mapping[str, str],
) -> Assessment:
    """Replace the answers and notes; raises InputError (naming the item) on a bad value."""
    if not policy.can_edit(actor, screening):
        raise PermissionDenied
    # Validate every value (a typo must not silently become "unknown"), keep only the answered.
    parse_request({**screening.request_dict(), "answers": dict(answers)})
    known = {key: value for key, value in answers.items() if value in ("yes", "no")}
    screening.answers = known
    screening.evidence_notes = {key: text.strip() for key, text in notes.items() if text.strip()}
    assessment = _refresh_result(screening)
    screening.save()
    record_event(AuditEvent.Action.UPDATE, actor=actor, object_ref=screening.object_ref)
    return assessment


@transaction.atomic
def complete_screening(screening: Screening, *, actor: User) -> Assessment:
    if not policy.can_edit(actor, screening):
        raise PermissionDenied
    assessment = _refresh_result(screening)
    screening.status = Screening.Status.COMPLETED
    screening.completed_at = timezone.now()
    screening.save()
    record_event(
        AuditEvent.Action.UPDATE,
        actor=actor,
        object_ref=screening.object_ref,
        detail={"completed": True, "outcome": assessment.outcome},
    )
    screening_completed.send(Screening, screening=screening, assessment=assessment)
    return assessment


class ReferralUnavailableError(Exception):
    """Case management is not installed on this instance."""


@transaction.atomic
def refer_for_identification(
    screening: Screening, *, actor: User, details: Mapping[str, str] | None = None
) -> str:
    """Create or update the person's case from this screening; returns the case reference."""
    if not policy.can_view(actor, screening) or screening.status != Screening.Status.COMPLETED:
        raise PermissionDenied
    handler = referral_handler()
    if handler is None:
        raise ReferralUnavailableError
    reference = handler(screening, actor, dict(details or {}))
    screening.case_reference = reference
    screening.save(update_fields=["case_reference", "updated_at"])
    return reference

"""Every change to training records goes through these functions: permission, validation,
save and (where it matters) audit, in one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import User
from haven.audit.models import AuditEvent
from haven.audit.services import record_event
from haven.screening.rules import parse_request
from haven.training import policy
from haven.training.library import (
    NEXT_STEPS,
    CaseStudy,
    CaseStudyError,
    Disagreement,
    engine_disagreements,
    file_library,
)
from haven.training.models import Attempt, AuthoredCaseStudy, Workshop
from haven.training.registry import authored_study
from haven.training.scoring import evaluate


class PublishRefusedError(Exception):
    def __init__(self, disagreements: list[Disagreement]) -> None:
        super().__init__("; ".join(str(d) for d in disagreements))
        self.disagreements = disagreements


@transaction.atomic
def start_attempt(
    *,
    actor: User,
    study: CaseStudy,
    workshop: Workshop | None,
    age: int | None,
    may_be_child: bool,
    exploitation: str,
    met_in_custody: bool,
) -> Attempt:
    if not policy.can_practise(actor):
        raise PermissionDenied
    if workshop is not None and (
        not policy.is_participant(actor, workshop) or study.slug not in workshop.case_studies
    ):
        raise PermissionDenied
    parse_request({"age": age, "exploitation": exploitation, "may_be_child": may_be_child})
    return Attempt.objects.create(
        trainee=actor,
        workshop=workshop,
        case_study=study.slug,
        age=age,
        may_be_child=may_be_child,
        exploitation=exploitation,
        met_in_custody=met_in_custody,
    )


@transaction.atomic
def save_answers(
    attempt: Attempt,
    *,
    actor: User,
    answers: Mapping[str, str],
    next_steps: Iterable[str] = (),
) -> None:
    if not policy.can_edit_attempt(actor, attempt):
        raise PermissionDenied
    # Validated exactly as a real screening's answers are.
    request = parse_request({**attempt.request_dict(), "answers": dict(answers)})
    attempt.answers = {i: a for i, a in request.answers.items() if a != "unknown"}
    attempt.next_steps = sorted({s for s in next_steps if s in NEXT_STEPS})
    attempt.save(update_fields=["answers", "next_steps"])


@transaction.atomic
def complete_attempt(
    attempt: Attempt, *, actor: User, study: CaseStudy, next_steps: Iterable[str]
) -> Attempt:
    if not policy.can_edit_attempt(actor, attempt):
        raise PermissionDenied
    steps = sorted({s for s in next_steps if s in NEXT_STEPS})
    feedback = evaluate(study, attempt.request_dict(), steps)
    attempt.next_steps = steps
    attempt.feedback = feedback.to_dict()
    attempt.outcome = feedback.outcome
    attempt.score = feedback.score
    attempt.status = Attempt.Status.COMPLETED
    attempt.completed_at = timezone.now()
    attempt.save(
        update_fields=["next_steps", "feedback", "outcome", "score", "status", "completed_at"]
    )
    return attempt


@transaction.atomic
def save_workshop(
    *,
    actor: User,
    workshop: Workshop | None,
    title: str,
    date: datetime.date,
    place: str,
    language: str,
    participants: Iterable[User],
    case_studies: list[str],
) -> Workshop:
    if not policy.is_trainer(actor):
        raise PermissionDenied
    created = workshop is None
    if workshop is None:
        workshop = Workshop(organisation=actor.organisation, trainer=actor)
    elif not policy.can_manage_workshop(actor, workshop):
        raise PermissionDenied
    workshop.title = title
    workshop.date = date
    workshop.place = place
    workshop.language = language
    workshop.case_studies = list(case_studies)
    workshop.save()
    people = list(participants)
    workshop.participants.set(people)
    record_event(
        AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        actor=actor,
        object_ref=workshop.object_ref,
        detail={"participants": len(people), "case_studies": list(case_studies)},
    )
    return workshop


def record_export(workshop: Workshop, *, actor: User, kind: str) -> None:
    if not policy.can_manage_workshop(actor, workshop):
        raise PermissionDenied
    record_event(
        AuditEvent.Action.EXPORT,
        actor=actor,
        object_ref=workshop.object_ref,
        detail={"kind": kind},
    )


@transaction.atomic
def save_authored(
    *, actor: User, record: AuthoredCaseStudy | None, data: dict[str, Any]
) -> AuthoredCaseStudy:
    """Store a draft. Any change sends a published study back to draft: it is published again
    only after passing the engine check once more."""
    if not policy.is_trainer(actor):
        raise PermissionDenied
    created = record is None
    if record is None:
        record = AuthoredCaseStudy(organisation=actor.organisation, author=actor)
    elif not policy.can_edit_authored(actor, record):
        raise PermissionDenied
    record.slug = data["id"]
    record.data = data
    record.status = AuthoredCaseStudy.Status.DRAFT
    record.published_at = None
    record.save()
    record_event(
        AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        actor=actor,
        object_ref=record.object_ref,
    )
    return record


@transaction.atomic
def publish_authored(record: AuthoredCaseStudy, *, actor: User) -> CaseStudy:
    """Publish after full validation and the engine check; raise CaseStudyError or
    PublishRefused with the reason."""
    if not policy.can_edit_authored(actor, record):
        raise PermissionDenied
    study = authored_study(record, complete=True)
    if study.slug in file_library():
        raise CaseStudyError(study.source, "id", _("a shipped case study already uses this id"))
    disagreements = engine_disagreements(study)
    if disagreements:
        raise PublishRefusedError(disagreements)
    record.status = AuthoredCaseStudy.Status.PUBLISHED
    record.published_at = timezone.now()
    record.save(update_fields=["status", "published_at"])
    record_event(
        AuditEvent.Action.UPDATE,
        actor=actor,
        object_ref=record.object_ref,
        detail={"status": "published"},
    )
    return study

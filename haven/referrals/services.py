"""Sending and answering referrals: one function each, audited in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Organisation, User
from haven.accounts.roles import Role
from haven.audit.models import AuditEvent
from haven.audit.services import record_event
from haven.cases import policy as case_policy
from haven.cases.choices import ConsentPurpose, Stage
from haven.cases.models import Case, Consent, TimelineEntry
from haven.cases.notifications import notify, organisation_users
from haven.cases.policy import CaseError, NotAllowedError
from haven.cases.services import (
    REFERRAL_ANSWER_WORKING_DAYS,
    InvalidInputError,
    add_working_days,
    require_consent,
)
from haven.cases.sharing import clean_fields
from haven.referrals import policy
from haven.referrals.models import Referral

A = AuditEvent.Action
# A referral to a named organisation rests on a "referral" consent; one to the police for an
# investigation may rest on a "law enforcement" consent instead.
CONSENT_FOR_PURPOSE: dict[str, str] = {
    Referral.Purpose.INVESTIGATION: ConsentPurpose.LAW_ENFORCEMENT
}


@transaction.atomic
def send_referral(
    case: Case,
    *,
    actor: User,
    to_organisation: Organisation,
    purpose: str,
    consent: Consent | None,
    fields: Iterable[str],
    message: str = "",
) -> Referral:
    case_policy.require_case_work(actor, case)
    if purpose not in Referral.Purpose.values:
        raise InvalidInputError("purpose", _("Unknown value: %(value)s"), value=purpose)
    if to_organisation.pk == case.organisation_id:
        raise InvalidInputError("to_organisation", _("Choose another organisation than your own."))
    if case.stage == Stage.CLOSED:
        raise CaseError(_("A closed case cannot be referred."))
    shared = clean_fields(fields)
    if not shared:
        raise InvalidInputError("fields", _("Choose at least one field to share."))
    needed = CONSENT_FOR_PURPOSE.get(purpose, ConsentPurpose.REFERRAL)
    checked = require_consent(case, needed, consent=consent, organisation=to_organisation)
    referral = Referral.objects.create(
        case=case,
        from_organisation_id=case.organisation_id,
        to_organisation=to_organisation,
        purpose=purpose,
        consent=checked,
        fields=shared,
        message=message.strip(),
        sent_by=actor,
        respond_by=add_working_days(
            timezone.localdate(), REFERRAL_ANSWER_WORKING_DAYS, to_organisation.country.code
        ),
    )
    TimelineEntry.objects.create(
        case=case,
        author=actor,
        event="referral_sent",
        params={"to": to_organisation.name, "purpose": purpose},
    )
    record_event(
        A.SHARE,
        actor=actor,
        object_ref=case.object_ref,
        detail={
            "referral": referral.pk,
            "to_organisation": to_organisation.pk,
            "consent": checked.pk,
            "fields": shared,
        },
    )
    receivers = organisation_users(to_organisation.pk, Role.CASE_WORKER, Role.SUPERVISOR)
    notify(receivers, case.reference, "referral_received", due=referral.respond_by.isoformat())
    return referral


def _answer(referral: Referral, actor: User) -> Referral:
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if not policy.may_answer(actor, locked):
        raise NotAllowedError(
            _("Only a case worker or supervisor of the receiving organisation can answer.")
        )
    if locked.status != Referral.Status.PENDING:
        raise CaseError(_("This referral was already answered."))
    return locked


@transaction.atomic
def accept_referral(referral: Referral, *, actor: User) -> Referral:
    locked = _answer(referral, actor)
    # The consent may have been withdrawn since the referral was sent.
    if not locked.consent.is_active:
        raise NotAllowedError(_("The consent this referral rests on was withdrawn."))
    locked.status = Referral.Status.ACCEPTED
    locked.responded_by = actor
    locked.responded_at = timezone.now()
    locked.save(update_fields=["status", "responded_by", "responded_at"])
    case = locked.case
    TimelineEntry.objects.create(
        case=case, author=actor, event="referral_accepted", params={"to": actor.organisation.name}
    )
    record_event(
        A.UPDATE,
        actor=actor,
        object_ref=case.object_ref,
        detail={"referral": locked.pk, "change": "accepted"},
    )
    notify([locked.sent_by, case.assigned_to], case.reference, "referral_accepted")
    return locked


@transaction.atomic
def decline_referral(referral: Referral, *, actor: User, reason: str) -> Referral:
    locked = _answer(referral, actor)
    if not reason or not reason.strip():
        raise InvalidInputError("reason", _("Say why the referral is declined."))
    locked.status = Referral.Status.DECLINED
    locked.responded_by = actor
    locked.responded_at = timezone.now()
    locked.decline_reason = reason.strip()
    locked.save(update_fields=["status", "responded_by", "responded_at", "decline_reason"])
    case = locked.case
    TimelineEntry.objects.create(
        case=case, author=actor, event="referral_declined", params={"to": actor.organisation.name}
    )
    record_event(
        A.UPDATE,
        actor=actor,
        object_ref=case.object_ref,
        detail={"referral": locked.pk, "change": "declined"},
    )
    notify([locked.sent_by, case.assigned_to], case.reference, "referral_declined")
    return locked


def record_shared_view(actor: User, referral: Referral, *, channel: str) -> None:
    with transaction.atomic():
        record_event(
            A.VIEW,
            actor=actor,
            object_ref=referral.case.object_ref,
            detail={"channel": channel, "shared": True, "referral": referral.pk},
        )

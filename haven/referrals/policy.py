"""Who may send, answer and read referrals, and what a receiving organisation sees."""

from __future__ import annotations

from django.db.models import QuerySet

from haven.accounts.models import User
from haven.accounts.roles import Role
from haven.cases import policy as case_policy
from haven.cases.models import Case
from haven.referrals.models import Referral

_RECEIVERS = (Role.CASE_WORKER, Role.SUPERVISOR, Role.INVESTIGATOR)


def shared_fields_for(user: User, case: Case) -> frozenset[str] | None:
    """The fields that accepted referrals to the user's organisation shared, or None when
    none was accepted: a pending, declined or withdrawn referral shows nothing."""
    if not case_policy.may_see_cases(user) or not user.has_role(*_RECEIVERS):
        return None
    found = Referral.objects.filter(
        case=case, to_organisation_id=user.organisation_id, status=Referral.Status.ACCEPTED
    ).values_list("fields", flat=True)
    rows = list(found)
    if not rows:
        return None
    return frozenset(name for fields in rows for name in fields)


def may_answer(user: User, referral: Referral) -> bool:
    return (
        user.is_active
        and referral.to_organisation_id == user.organisation_id
        and user.has_role(Role.CASE_WORKER, Role.SUPERVISOR)
    )


def may_see_referral(user: User, referral: Referral) -> bool:
    """The sender's case team sees status; the receiver sees the referral (its shared data
    only once accepted, see shared_fields_for)."""
    if not case_policy.may_see_cases(user):
        return False
    if referral.to_organisation_id == user.organisation_id:
        return user.has_role(*_RECEIVERS)
    return case_policy.owns(user, referral.case)


def inbox(user: User) -> QuerySet[Referral]:
    if not case_policy.may_see_cases(user) or not user.has_role(*_RECEIVERS):
        return Referral.objects.none()
    return Referral.objects.filter(to_organisation_id=user.organisation_id)


def outbox(user: User) -> QuerySet[Referral]:
    return Referral.objects.filter(case__in=case_policy.visible_cases(user))


def may_manage_keys(user: User) -> bool:
    return user.is_active and user.has_role(Role.ORG_ADMIN)

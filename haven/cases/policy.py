"""Who may see and do what with a case: the one place where case access is decided.

- Analysts and trainees (and every role outside PERSONAL_DATA_ROLES) never see a case.
- Inside the owning organisation: case workers, supervisors and investigators see its cases;
  a screener sees only the cases they created.
- Another organisation sees nothing until it accepts a referral of the case; then it sees the
  fields that referral shared, and nothing else (haven.referrals.policy).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import User
from haven.accounts.roles import Role
from haven.cases.models import Case


class CaseError(Exception):
    """A refusal with a reason the user can read; nothing was changed."""

    code = "invalid"

    def __init__(self, message: str | Promise, **params: object) -> None:
        self.message_template = message
        self.params = params
        super().__init__(str(message))

    @property
    def message(self) -> str:
        text = str(self.message_template)
        return text % self.params if self.params else text


class NotAllowedError(CaseError):
    code = "forbidden"


class InvalidInputError(CaseError):
    """Bad input for one field: `field` names it."""

    def __init__(self, field_name: str, message: str | Promise, **params: object) -> None:
        super().__init__(message, **params)
        self.field = field_name


class InvalidTransitionError(CaseError):
    code = "invalid_transition"


class Level(Enum):
    NONE = 0
    SHARED = 1
    FULL = 2


@dataclass(frozen=True)
class Access:
    level: Level
    fields: frozenset[str] = frozenset()

    @property
    def full(self) -> bool:
        return self.level is Level.FULL

    @property
    def any(self) -> bool:
        return self.level is not Level.NONE


NO_ACCESS = Access(Level.NONE)
FULL_ACCESS = Access(Level.FULL)

_ORG_READERS = (Role.CASE_WORKER, Role.SUPERVISOR, Role.INVESTIGATOR)
CASE_WORK_ROLES = (Role.CASE_WORKER,)


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def may_see_cases(user: User) -> bool:
    return _active(user) and user.may_see_personal_data


def may_create_case(user: User) -> bool:
    return _active(user) and user.has_role(Role.CASE_WORKER, Role.SCREENER)


def visible_cases(user: User) -> QuerySet[Case]:
    """The cases a user sees in full: their organisation's, narrowed for screeners."""
    if not may_see_cases(user):
        return Case.objects.none()
    cases = Case.objects.filter(organisation_id=user.organisation_id)
    if user.has_role(*_ORG_READERS):
        return cases
    return cases.filter(created_by=user)


def owns(user: User, case: Case) -> bool:
    if not may_see_cases(user) or case.organisation_id != user.organisation_id:
        return False
    return user.has_role(*_ORG_READERS) or case.created_by_id == user.pk


def access(user: User, case: Case) -> Access:
    if owns(user, case):
        return FULL_ACCESS
    if not may_see_cases(user):
        return NO_ACCESS
    from haven.referrals.policy import shared_fields_for

    fields = shared_fields_for(user, case)
    return Access(Level.SHARED, fields) if fields is not None else NO_ACCESS


def _works_on_case(user: User, case: Case) -> bool:
    return owns(user, case) and user.has_role(Role.CASE_WORKER)


def require_case_work(user: User, case: Case) -> None:
    """Consent, needs, services, notes, referrals, transfers, durable solutions, closure."""
    if not _works_on_case(user, case):
        raise NotAllowedError(_("Only a case worker of the owning organisation can do this."))


def require_screening_work(user: User, case: Case) -> None:
    """Start screening and refer for identification: the case worker, or the screener who
    opened the case."""
    if _works_on_case(user, case):
        return
    if owns(user, case) and user.has_role(Role.SCREENER) and case.created_by_id == user.pk:
        return
    raise NotAllowedError(
        _("Only a case worker, or the screener who opened the case, can do this.")
    )


def may_decide(user: User, case: Case) -> bool:
    return owns(user, case) and user.has_role(Role.SUPERVISOR)


def require_decider(user: User, case: Case) -> None:
    if not may_decide(user, case):
        raise NotAllowedError(
            _("Only a supervisor (competent authority) of the owning organisation can decide.")
        )


def require_reopen(user: User, case: Case) -> None:
    if not (owns(user, case) and user.has_role(Role.CASE_WORKER, Role.SUPERVISOR)):
        raise NotAllowedError(
            _("Only a case worker or supervisor of the owning organisation can do this.")
        )


def may_export(user: User) -> bool:
    return may_see_cases(user)

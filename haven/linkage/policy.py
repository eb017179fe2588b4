"""Who may do what with cross-border matching: the one place these rules live."""

from __future__ import annotations

from haven.accounts.models import User
from haven.accounts.roles import Role

ASKING_ROLES = (Role.INVESTIGATOR, Role.CASE_WORKER, Role.SUPERVISOR)


def may_manage_agreements(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.ORG_ADMIN)


def may_ask(user: User) -> bool:
    """Ask "is this person known to partner X?" and confirm possible matches."""
    return user.is_authenticated and user.has_role(*ASKING_ROLES)


def may_see_linkage(user: User) -> bool:
    return may_manage_agreements(user) or may_ask(user)

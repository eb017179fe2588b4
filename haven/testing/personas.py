"""The people of the tests: two organisations in two countries and the roles that matter.

Every later issue reuses these personas, so that each endpoint can be checked for "works",
"an outsider is refused" and "a read-only role cannot write" the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from haven.accounts.models import Organisation, RoleGrant, User
from haven.accounts.roles import Role

PASSWORD = "persona-password-123"  # noqa: S105


@dataclass(frozen=True)
class Personas:
    org_a: Organisation
    org_b: Organisation
    caseworker_a: User
    caseworker_b: User
    screener_a: User
    supervisor_a: User
    investigator_a: User
    analyst_a: User
    admin: User

    def all(self) -> dict[str, User]:
        return {name: value for name, value in vars(self).items() if isinstance(value, User)}


def make_user(username: str, org: Organisation, *roles: Role, **extra: Any) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, organisation=org, **extra)
    for role in roles:
        RoleGrant.objects.create(user=user, role=role)
    return user


def make_personas() -> Personas:
    org_a = Organisation.objects.create(
        name="Organisation A (Spain)",
        country="ES",
        city="Madrid",
        kind=Organisation.Kind.NGO,
        languages=["es", "en"],
    )
    org_b = Organisation.objects.create(
        name="Organisation B (China)",
        country="CN",
        city="Nanjing",
        kind=Organisation.Kind.POLICE,
        languages=["zh"],
    )
    return Personas(
        org_a=org_a,
        org_b=org_b,
        caseworker_a=make_user("caseworker-a", org_a, Role.CASE_WORKER),
        caseworker_b=make_user("caseworker-b", org_b, Role.CASE_WORKER),
        screener_a=make_user("screener-a", org_a, Role.SCREENER),
        supervisor_a=make_user("supervisor-a", org_a, Role.SUPERVISOR),
        investigator_a=make_user("investigator-a", org_a, Role.INVESTIGATOR),
        analyst_a=make_user("analyst-a", org_a, Role.ANALYST),
        admin=make_user("sysadmin", org_a, Role.SYSTEM_ADMIN, is_staff=True, is_superuser=True),
    )

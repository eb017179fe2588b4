"""Authorisation in one place: the shared base of every model's policy.

A policy answers one question, "may this user do this to this object?", and nothing else. Views
and API endpoints call `require()`, which raises `PermissionDenied` and writes a DENIED audit
row when the answer is no; the 403 page and the API's 403 answer then do not audit it again.

    class CasePolicy:
        def allows(self, user, permission, obj=None): ...

    require(request.user, "case.view", case, policy=CASE_POLICY, object_ref=case.ref)

Who owns an object is answered by a registry, so that generic pages (the access history) can
decide without knowing every model: `register_owner("case", lambda ref: ...)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from django.core.exceptions import PermissionDenied

from haven.accounts.models import Organisation
from haven.accounts.roles import Role
from haven.audit.models import AuditEvent
from haven.audit.services import record_event

T_contra = TypeVar("T_contra", contravariant=True)


class Policy(Protocol[T_contra]):
    def allows(self, user: Any, permission: str, obj: T_contra | None = None) -> bool: ...


class AuditedPermissionDenied(PermissionDenied):
    """A refusal that is already in the audit log."""

    audited = True


def deny(user: Any, permission: str, object_ref: str = "") -> AuditedPermissionDenied:
    """Write the DENIED row and return the exception for the caller to raise."""
    record_event(
        AuditEvent.Action.DENIED,
        actor=user,
        object_ref=object_ref,
        detail={"permission": permission},
    )
    return AuditedPermissionDenied(permission)


def require(
    user: Any,
    permission: str,
    obj: Any = None,
    *,
    policy: Policy[Any],
    object_ref: str = "",
) -> None:
    if not getattr(user, "is_authenticated", False) or not policy.allows(user, permission, obj):
        raise deny(user, permission, object_ref)


# Object references look like "<prefix>:<id>" ("case:HVN-2026-000123", "user:42").
OwnerLookup = Callable[[str], Organisation | None]
_owners: dict[str, OwnerLookup] = {}


def register_owner(prefix: str, lookup: OwnerLookup) -> None:
    """`lookup` gets the part of the reference after "<prefix>:" and returns the owning
    organisation, or None when there is no such object."""
    _owners[prefix] = lookup


def owning_organisation(object_ref: str) -> Organisation | None:
    prefix, sep, rest = object_ref.partition(":")
    lookup = _owners.get(prefix)
    if not sep or lookup is None or not rest:
        return None
    return lookup(rest)


def may_see_access_history(user: Any, object_ref: str) -> bool:
    """Supervisors and organisation admins, of the organisation that owns the object."""
    if not getattr(user, "is_authenticated", False):
        return False
    if not user.has_role(Role.SUPERVISOR, Role.ORG_ADMIN):
        return False
    owner = owning_organisation(object_ref)
    return owner is not None and owner.pk == user.organisation_id

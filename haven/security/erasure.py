"""Retention and erasure of personal data, whatever app holds it.

Apps that keep personal data register how to erase one object and how to find the objects past
their organisation's retention period:

    register_erasable("case", erase_case, expired_cases)

`erase_fn(rest)` gets the reference without its prefix and removes the personal data (deleting
rows, or blanking sealed fields), returning False when there was no such object.
`expired_fn(now)` returns the full references ("case:HVN-...") past retention; it reads
`Organisation.retention_days` of each owner itself.

Every erasure writes an ERASE row: the reference (pseudonymous), who asked, why. That row is
the tombstone; it holds no personal data, and the audit log keeps it like any other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from haven.audit.models import AuditEvent
from haven.audit.services import record_event


class ErasureError(Exception):
    """The reference names no registered kind of object, or no existing object."""


@dataclass(frozen=True)
class Erasable:
    prefix: str
    erase: Callable[[str], bool]
    expired: Callable[[datetime], Iterable[str]] | None


_registry: dict[str, Erasable] = {}


def register_erasable(
    prefix: str,
    erase_fn: Callable[[str], bool],
    expired_fn: Callable[[datetime], Iterable[str]] | None = None,
) -> None:
    _registry[prefix] = Erasable(prefix, erase_fn, expired_fn)


def registered_prefixes() -> list[str]:
    return sorted(_registry)


def erase(object_ref: str, *, actor: Any = None, reason: str = "request") -> None:
    """Removes one object's personal data and leaves the tombstone, in one transaction."""
    prefix, sep, rest = object_ref.partition(":")
    entry = _registry.get(prefix)
    if not sep or not rest or entry is None:
        raise ErasureError(f"no erasure is registered for references like {prefix!r}")
    with transaction.atomic():
        if not entry.erase(rest):
            raise ErasureError("no such object")
        record_event(
            AuditEvent.Action.ERASE,
            actor=actor,
            object_ref=object_ref,
            detail={"reason": reason},
        )


def expired(now: datetime | None = None) -> list[str]:
    moment = now or timezone.now()
    found: list[str] = []
    for entry in _registry.values():
        if entry.expired is not None:
            found.extend(entry.expired(moment))
    return sorted(found)


def purge(*, dry_run: bool = False, now: datetime | None = None) -> list[str]:
    """Erases everything past retention; returns the references (erased, or that would be)."""
    refs = expired(now)
    if not dry_run:
        for ref in refs:
            erase(ref, actor=None, reason="retention")
    return refs

"""Writing to and checking the audit log."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from haven.audit.chain import GENESIS_HASH, ChainBreak, find_break, row_hash
from haven.audit.models import AuditEvent
from haven.lib.request_context import current_request_id

# Any constant works: it only has to be the same for every writer of the chain.
_POSTGRES_CHAIN_LOCK = 72_617_001


def _content(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": event.at.isoformat(),
        "actor": event.actor_username,
        "organisation": event.organisation_id_at_time,
        "action": event.action,
        "object": event.object_ref,
        "request": event.request_id,
        "detail": event.detail,
    }


def record_event(
    action: str,
    *,
    actor: Any,
    object_ref: str = "",
    detail: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one row. Called inside the caller's transaction, so the row and the change it
    describes are committed together or not at all."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Serialise writers so that two rows never claim the same predecessor.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_POSTGRES_CHAIN_LOCK])
        last = AuditEvent.objects.order_by("-id").only("hash").first()
        is_user = actor is not None and getattr(actor, "is_authenticated", False)
        event = AuditEvent(
            at=timezone.now(),
            actor=actor if is_user else None,
            actor_username=actor.get_username() if is_user else "",
            organisation_id_at_time=getattr(actor, "organisation_id", None) if is_user else None,
            action=action,
            object_ref=object_ref,
            request_id=current_request_id.get(),
            detail=dict(detail or {}),
            prev_hash=last.hash if last else GENESIS_HASH,
        )
        event.hash = row_hash(event.prev_hash, _content(event))
        event.save()
    return event


def _rows() -> Iterator[tuple[int, str, str, Mapping[str, Any]]]:
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        yield event.pk, event.prev_hash, event.hash, _content(event)


def verify_chain() -> ChainBreak | None:
    return find_break(_rows())


def access_history(
    object_ref: str, *, actions: Iterable[str] | None = None
) -> QuerySet[AuditEvent]:
    """Who did what to one object, newest first: reads, changes, shares, refusals."""
    rows = AuditEvent.objects.filter(object_ref=object_ref)
    if actions is not None:
        rows = rows.filter(action__in=list(actions))
    return rows.order_by("-at", "-id")

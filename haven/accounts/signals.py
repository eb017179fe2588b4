"""Sign-in, failed sign-in and sign-out go to the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from haven.audit.models import AuditEvent
from haven.audit.services import record_event
from haven.security import lockout


@receiver(user_logged_in)
def audit_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record_event(AuditEvent.Action.LOGIN, actor=user, object_ref=f"user:{user.pk}")


@receiver(user_logged_out)
def audit_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record_event(AuditEvent.Action.LOGOUT, actor=user, object_ref=f"user:{user.pk}")


@receiver(user_login_failed)
def audit_failed_login(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # The attempted username may be a mistyped password: it is not written anywhere in clear
    # (the lock-out counter keeps only a keyed hash of it).
    record_event(AuditEvent.Action.LOGIN_FAILED, actor=None, object_ref="")
    lockout.record_failure(str(credentials.get("username") or ""), lockout.client_address(request))

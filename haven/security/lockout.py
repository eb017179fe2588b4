"""Lock-out after repeated failed sign-ins, per account and per client address.

Failures (wrong password, wrong one-time code) are rows in the database, so the count holds
across server processes and restarts. Within the window, an account is refused after
HAVEN_LOCKOUT_ACCOUNT_FAILURES failures and an address after HAVEN_LOCKOUT_ADDRESS_FAILURES;
the refusal lifts by itself when the oldest failures leave the window.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from haven.security.models import SignInFailure

Scope = SignInFailure.Scope


def _key(scope: str, value: str) -> str:
    return salted_hmac("haven.security.lockout", f"{scope}\x00{value}").hexdigest()


def _account_key(username: str) -> str:
    return _key(Scope.ACCOUNT, username.strip().casefold())


def client_address(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    # Behind a proxy, SECURE_PROXY_SSL_HEADER is set and the proxy must overwrite REMOTE_ADDR
    # (gunicorn --forwarded-allow-ips); a client-supplied X-Forwarded-For is never trusted here.
    return str(request.META.get("REMOTE_ADDR", ""))


def _window() -> timedelta:
    return timedelta(seconds=settings.LOCKOUT_WINDOW_SECONDS)


def _count(scope: str, key: str) -> int:
    since = timezone.now() - _window()
    return SignInFailure.objects.filter(scope=scope, key=key, at__gt=since).count()


def locked_scope(username: str, address: str) -> str | None:
    """ "account" or "address" when sign-in must be refused now, else None."""
    if username and _count(Scope.ACCOUNT, _account_key(username)) >= (
        settings.LOCKOUT_ACCOUNT_FAILURES
    ):
        return Scope.ACCOUNT
    if address and _count(Scope.ADDRESS, _key(Scope.ADDRESS, address)) >= (
        settings.LOCKOUT_ADDRESS_FAILURES
    ):
        return Scope.ADDRESS
    return None


def record_failure(username: str, address: str) -> None:
    now = timezone.now()
    rows = []
    if username:
        rows.append(SignInFailure(scope=Scope.ACCOUNT, key=_account_key(username), at=now))
    if address:
        rows.append(SignInFailure(scope=Scope.ADDRESS, key=_key(Scope.ADDRESS, address), at=now))
    SignInFailure.objects.bulk_create(rows)
    # Old rows are useless: keep the table small.
    SignInFailure.objects.filter(at__lt=now - 4 * _window()).delete()


def clear_account(username: str) -> None:
    """After a complete sign-in, the account's earlier failures no longer count."""
    SignInFailure.objects.filter(scope=Scope.ACCOUNT, key=_account_key(username)).delete()


def minutes_left() -> int:
    return max(1, settings.LOCKOUT_WINDOW_SECONDS // 60)

"""Session expiry after inactivity, and signing out everywhere."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from haven.accounts.models import ApiToken, User
from haven.audit.models import AuditEvent
from haven.audit.services import record_event

LAST_SEEN = "haven_last_seen"


class IdleSessionMiddleware:
    """Ends a signed-in session that has seen no request for HAVEN_SESSION_IDLE_SECONDS.

    Placed after AuthenticationMiddleware. The next page then asks for sign-in again, with a
    message that says why."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            last = request.session.get(LAST_SEEN)
            if isinstance(last, int | float) and now - last > settings.SESSION_IDLE_SECONDS:
                logout(request)
                messages.info(request, _("You were signed out after a period of inactivity."))
            else:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


def sign_out_everywhere(user: User) -> None:
    """Every browser session (its signature includes the epoch) and every API token ends."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
        ApiToken.objects.filter(user=user).delete()
        record_event(AuditEvent.Action.SIGN_OUT_ALL, actor=user, object_ref=f"user:{user.pk}")
    user.refresh_from_db(fields=["session_epoch"])

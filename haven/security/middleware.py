"""Every refusal (HTTP 403), from a page or the API, leaves a DENIED row in the audit log."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from haven.audit.models import AuditEvent
from haven.audit.services import record_event

AUDITED_FLAG = "_haven_denial_audited"


def mark_denial_audited(request: HttpRequest) -> None:
    setattr(request, AUDITED_FLAG, True)


class DeniedAuditMiddleware:
    """Catches refusals that no policy audited itself (a role check in a view, the admin, a
    failed CSRF check). Only the route's name is kept: URLs can carry references."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 403 and not getattr(request, AUDITED_FLAG, False):
            match = getattr(request, "resolver_match", None)
            record_event(
                AuditEvent.Action.DENIED,
                actor=getattr(request, "user", None),
                detail={"route": match.view_name if match else "", "method": request.method},
            )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if getattr(exception, "audited", False):
            mark_denial_audited(request)

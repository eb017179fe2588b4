"""One JSON shape for every API error: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from haven.security.middleware import mark_denial_audited

logger = logging.getLogger("haven.api")


class ApiError(Exception):
    """Raised by endpoints for a refusal that the client can act on."""

    def __init__(
        self, status: int, code: str, message: str, fields: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}


def error_body(code: str, message: str, fields: dict[str, str] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _field_name(location: list[Any] | tuple[Any, ...]) -> str:
    # Drop pydantic's location prefixes ("body", "payload") so the name is the client's field.
    parts = [str(p) for p in location if p not in ("body", "query", "path", "payload")]
    return ".".join(parts) or "body"


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(
        request: HttpRequest,
        status: int,
        code: str,
        message: str,
        fields: dict[str, str] | None = None,
    ) -> HttpResponse:
        return api.create_response(request, error_body(code, message, fields), status=status)

    @api.exception_handler(ApiError)
    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return respond(request, exc.status, exc.code, exc.message, exc.fields)

    @api.exception_handler(ValidationError)
    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields: dict[str, str] = {}
        for error in exc.errors:
            fields.setdefault(_field_name(error.get("loc", ())), str(error.get("msg", "")))
        return respond(request, 400, "invalid", _("Some fields are not valid."), fields)

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, 401, "unauthenticated", _("Sign in or send a valid token."))

    @api.exception_handler(AuthorizationError)
    def on_forbidden(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
        return respond(request, 403, "forbidden", _("You do not have permission to do this."))

    @api.exception_handler(PermissionDenied)
    def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        # A policy's refusal (haven.security.policy.require) is audited where it is raised;
        # any other 403 is audited by haven.security.middleware.DeniedAuditMiddleware.
        if getattr(exc, "audited", False):
            mark_denial_audited(request)
        return respond(request, 403, "forbidden", _("You do not have permission to do this."))

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, "not_found", _("Not found."))

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, exc.status_code, "http_error", str(exc.message))

    @api.exception_handler(Exception)
    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        # The exception text may quote input; only its type goes to the log.
        logger.error("unhandled API error: %s", type(exc).__name__)
        return respond(
            request, 500, "server_error", _("Something went wrong on our side. Nothing was saved.")
        )

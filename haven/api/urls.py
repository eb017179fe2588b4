"""/api/v1/: the versioned JSON API. The OpenAPI schema is at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router

from haven.accounts.models import ApiToken, Organisation, User
from haven.api.auth import api_auth
from haven.api.errors import ApiError, install_error_handlers
from haven.api.schemas import (
    ErrorResponse,
    FocalPointList,
    MeOut,
    TokenRequest,
    TokenResponse,
)
from haven.audit.models import AuditEvent
from haven.audit.services import record_event
from haven.cases.api import router as cases_router
from haven.directory.search import DirectoryQuery, search_focal_points
from haven.referrals.api import router as referrals_router
from haven.referrals.api import transfers_router
from haven.screening.api import router as screening_router
from haven.security import lockout, two_factor

api = NinjaAPI(
    title="Haven API",
    version="1",
    urls_namespace="api",
    docs_url=None,  # the interactive docs page loads scripts from the internet
    openapi_url="/openapi.json",
    auth=api_auth,
)
install_error_handlers(api)

ERRORS: dict[int, Any] = {
    400: ErrorResponse,
    401: ErrorResponse,
    403: ErrorResponse,
    404: ErrorResponse,
}


def organisation_out(org: Organisation) -> dict[str, Any]:
    return {
        "id": org.pk,
        "name": org.name,
        "country": org.country.code,
        "city": org.city,
        "kind": org.kind,
        "languages": org.languages,
    }


auth_router = Router(tags=["auth"])


@auth_router.post("/token", auth=None, response={200: TokenResponse, **ERRORS, 429: ErrorResponse})
def issue_token(request: HttpRequest, payload: TokenRequest) -> dict[str, Any]:
    address = lockout.client_address(request)
    scope = lockout.locked_scope(payload.username, address)
    if scope is not None:
        record_event(AuditEvent.Action.LOCKED_OUT, actor=None, detail={"scope": scope})
        raise ApiError(
            429,
            "locked",
            _("Too many failed sign-in attempts. Wait %(minutes)s minutes and try again.")
            % {"minutes": lockout.minutes_left()},
        )
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        raise ApiError(401, "invalid_credentials", _("The username or password is not correct."))
    if user.needs_two_factor:
        if not two_factor.has_confirmed_device(user):
            raise ApiError(
                401,
                "two_factor_not_set_up",
                _("Set up two-factor sign-in in the web interface first."),
            )
        if not payload.otp:
            raise ApiError(
                400,
                "otp_required",
                _("Some fields are not valid."),
                {"otp": _("Enter the code from your authenticator app.")},
            )
        if not two_factor.verify_second_factor(user, payload.otp):
            lockout.record_failure(payload.username, address)
            record_event(AuditEvent.Action.OTP_FAILED, actor=None, object_ref=f"user:{user.pk}")
            raise ApiError(401, "invalid_otp", _("The one-time code is not correct."))
    lockout.clear_account(payload.username)
    # The token and its audit row are committed together or not at all.
    with transaction.atomic():
        token, raw = ApiToken.objects.issue(user)
        record_event(
            AuditEvent.Action.TOKEN_ISSUED,
            actor=user,
            object_ref=f"user:{user.pk}",
            detail={"token": token.pk},
        )
    return {"token": raw, "expires_at": token.expires_at.isoformat()}


me_router = Router(tags=["accounts"])


@me_router.get("", response={200: MeOut, **ERRORS})
def me(request: HttpRequest) -> dict[str, Any]:
    user: User = request.user  # type: ignore[assignment]
    return {
        "username": user.username,
        "organisation": organisation_out(user.organisation),
        "roles": sorted(user.roles),
        "language": user.language,
        "time_zone": user.time_zone,
    }


directory_router = Router(tags=["directory"])


@directory_router.get("/focal-points", response={200: FocalPointList, **ERRORS})
def focal_points(
    request: HttpRequest,
    country: str = "",
    kind: str = "",
    language: str = "",
    q: str = "",
    page: int = 1,
) -> dict[str, Any]:
    if page < 1:
        raise ApiError(
            400, "invalid", _("Some fields are not valid."), {"page": _("Must be 1 or more.")}
        )
    if kind and kind not in Organisation.Kind.values:
        raise ApiError(
            400, "invalid", _("Some fields are not valid."), {"kind": _("Unknown kind.")}
        )
    found = search_focal_points(
        DirectoryQuery(country=country.upper(), kind=kind, language=language, text=q)
    )
    size = 50
    items = list(found[(page - 1) * size : page * size])
    return {
        "count": found.count(),
        "items": [
            {
                "id": fp.pk,
                "name": fp.name,
                "role_title": fp.role_title,
                "organisation": organisation_out(fp.organisation),
                "languages": fp.languages,
                "channel": fp.channel,
                "contact": fp.contact,
            }
            for fp in items
        ],
    }


api.add_router("/auth", auth_router)
api.add_router("/me", me_router)
api.add_router("/directory", directory_router)

api.add_router("/cases", cases_router)
api.add_router("/referrals", referrals_router)
api.add_router("/transfers", transfers_router)
api.add_router("/screening", screening_router)

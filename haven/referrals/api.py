"""/api/v1/referrals (inbox, accept, decline) and /api/v1/transfers/import."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from haven.api.errors import ApiError
from haven.cases.api import ERRORS, call
from haven.cases.api import request_user as user_of
from haven.referrals import policy
from haven.referrals.models import Referral
from haven.referrals.services import accept_referral, decline_referral
from haven.referrals.transfer import import_package

router = Router(tags=["referrals"])
transfers_router = Router(tags=["referrals"])


def referral_out(referral: Referral) -> dict[str, Any]:
    return {
        "id": referral.pk,
        "case": referral.case.reference,
        "from_organisation": referral.from_organisation_id,
        "to_organisation": referral.to_organisation_id,
        "purpose": referral.purpose,
        "fields": referral.fields,
        "status": referral.status,
        "sent_at": referral.sent_at.isoformat(),
        "respond_by": referral.respond_by.isoformat(),
        "responded_at": referral.responded_at.isoformat() if referral.responded_at else None,
        "overdue": referral.is_overdue(),
    }


def _referral(request: HttpRequest, referral_id: int) -> Referral:
    referral = Referral.objects.select_related("case", "consent").filter(pk=referral_id).first()
    if referral is None or not policy.may_see_referral(user_of(request), referral):
        raise ApiError(404, "not_found", _("Not found."))
    return referral


@router.get("", response={200: dict[str, Any], **ERRORS})
def inbox(request: HttpRequest, status: str = "", page: int = 1) -> dict[str, Any]:
    if page < 1:
        raise ApiError(
            400, "invalid", _("Some fields are not valid."), {"page": _("Must be 1 or more.")}
        )
    found = policy.inbox(user_of(request)).select_related("case")
    if status:
        found = found.filter(status=status)
    items = list(found[(page - 1) * 50 : page * 50])
    return {"count": found.count(), "items": [referral_out(r) for r in items]}


@router.post("/{referral_id}/accept", response={200: dict[str, Any], **ERRORS})
def accept(request: HttpRequest, referral_id: int) -> dict[str, Any]:
    referral = call(accept_referral, _referral(request, referral_id), actor=user_of(request))
    return referral_out(referral)


class DeclineIn(Schema):
    reason: str = ""


@router.post("/{referral_id}/decline", response={200: dict[str, Any], **ERRORS})
def decline(request: HttpRequest, referral_id: int, payload: DeclineIn) -> dict[str, Any]:
    referral = call(
        decline_referral,
        _referral(request, referral_id),
        actor=user_of(request),
        reason=payload.reason,
    )
    return referral_out(referral)


@transfers_router.post("/import", response={201: dict[str, Any], **ERRORS})
def import_transfer(request: HttpRequest) -> Status[dict[str, Any]]:
    """The body is the package file exactly as exported."""
    content = request.body
    if not content:
        raise ApiError(400, "invalid", _("Some fields are not valid."), {"body": _("Empty.")})
    case = call(import_package, content, actor=user_of(request))
    return Status(
        201, {"reference": case.reference, "transferred_from": case.transferred_from_reference}
    )

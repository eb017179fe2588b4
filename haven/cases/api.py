"""/api/v1/cases: cases, consents, decisions, needs, services, transitions and referrals.

A case the caller may not see answers 404, whatever the reason, so that its existence does
not leak; a case shared through an accepted referral answers with the shared fields only.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from haven.accounts.models import Organisation, User
from haven.api.errors import ApiError
from haven.api.schemas import ErrorResponse
from haven.audit.models import AuditEvent
from haven.audit.services import record_event
from haven.cases import policy, services
from haven.cases.models import Case, Consent
from haven.cases.policy import CaseError, InvalidInputError, NotAllowedError
from haven.cases.search import CaseQuery, search_cases
from haven.cases.sharing import case_data

T = TypeVar("T")
PAGE_SIZE = 50
ERRORS: dict[int, Any] = {
    400: ErrorResponse,
    401: ErrorResponse,
    403: ErrorResponse,
    404: ErrorResponse,
    409: ErrorResponse,
}

router = Router(tags=["cases"])


# --- schemas -------------------------------------------------------------------------------


class DocumentIn(Schema):
    kind: str
    number: str = Field(max_length=100)
    country: str = Field("", max_length=2)


class PersonIn(Schema):
    family_name: str = Field("", max_length=200)
    given_name: str = Field("", max_length=200)
    name_original: str = Field("", max_length=200)
    aliases: list[str] = []
    sex: str = "not_specified"
    date_of_birth: datetime.date | None = None
    estimated_age: int | None = Field(None, ge=0, le=120)
    citizenships: list[str] = []
    languages: list[str] = []
    contact: str = Field("", max_length=1000)
    notes: str = Field("", max_length=10000)
    documents: list[DocumentIn] = []


class RouteIn(Schema):
    role: str
    country: str = Field(max_length=2)
    arrived_on: datetime.date | None = None
    left_on: datetime.date | None = None


class CaseIn(Schema):
    person: PersonIn
    first_contact: str = ""
    exploitation_types: list[str] = []
    child: bool | None = None
    risk_level: str = "medium"
    route: list[RouteIn] = []


class ReferenceOut(Schema):
    reference: str


class ConsentIn(Schema):
    purpose: str
    explained_in: str
    given_on: datetime.date | None = None
    organisation: int | None = None


class DecisionIn(Schema):
    kind: str
    outcome: str
    reasons: str = Field(max_length=10000)
    decided_on: datetime.date | None = None


class TransitionIn(Schema):
    action: str
    reason: str = ""
    note: str = Field("", max_length=10000)
    solution: str = ""
    requested_by_person: bool = False


class NeedIn(Schema):
    level: str
    risk: str
    risk_factors: str = Field("", max_length=10000)
    protective_factors: str = Field("", max_length=10000)


class ServiceIn(Schema):
    kind: str
    provider: int | None = None
    provider_name: str = Field("", max_length=200)
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    follow_up_on: datetime.date | None = None
    status: str = "planned"


class ReferralIn(Schema):
    to_organisation: int
    purpose: str
    consent: int
    fields: list[str]
    message: str = Field("", max_length=5000)


class TransferIn(Schema):
    to_organisation: int
    consent: int
    fields: list[str]


# --- helpers -------------------------------------------------------------------------------


def request_user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _not_found() -> ApiError:
    return ApiError(404, "not_found", _("Not found."))


def _case_for(request: HttpRequest, reference: str) -> tuple[Case, policy.Access]:
    case = (
        Case.objects.select_related("person", "organisation", "assigned_to")
        .filter(reference=reference.upper())
        .first()
    )
    if case is None:
        raise _not_found()
    found = policy.access(request_user(request), case)
    if not found.any:
        raise _not_found()
    return case, found


def _owned(request: HttpRequest, reference: str) -> Case:
    case, found = _case_for(request, reference)
    if not found.full:
        raise ApiError(403, "forbidden", _("You do not have permission to do this."))
    return case


def call(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Runs a service and turns its refusals into the API's error shape."""
    try:
        return fn(*args, **kwargs)
    except InvalidInputError as exc:
        raise ApiError(
            400, "invalid", _("Some fields are not valid."), {exc.field: exc.message}
        ) from None
    except NotAllowedError as exc:
        raise ApiError(403, "forbidden", exc.message) from None
    except CaseError as exc:
        raise ApiError(409, exc.code, exc.message) from None


def _organisation(field: str, pk: int | None) -> Organisation | None:
    if pk is None:
        return None
    found = Organisation.objects.filter(pk=pk).first()
    if found is None:
        raise ApiError(400, "invalid", _("Some fields are not valid."), {field: _("Not found.")})
    return found


def _required_organisation(field: str, pk: int) -> Organisation:
    found = _organisation(field, pk)
    assert found is not None
    return found


def to_case_input(payload: CaseIn) -> services.CaseInput:
    p = payload.person
    return services.CaseInput(
        person=services.PersonInput(
            family_name=p.family_name,
            given_name=p.given_name,
            name_original=p.name_original,
            aliases=list(p.aliases),
            sex=p.sex,
            date_of_birth=p.date_of_birth,
            estimated_age=p.estimated_age,
            citizenships=list(p.citizenships),
            languages=list(p.languages),
            contact=p.contact,
            notes=p.notes,
            documents=[
                services.DocumentInput(kind=d.kind, number=d.number, country=d.country)
                for d in p.documents
            ],
        ),
        first_contact=payload.first_contact,
        exploitation_types=list(payload.exploitation_types),
        child=payload.child,
        risk_level=payload.risk_level,
        route=[
            services.RouteInput(
                role=r.role, country=r.country, arrived_on=r.arrived_on, left_on=r.left_on
            )
            for r in payload.route
        ],
    )


def case_summary(case: Case) -> dict[str, Any]:
    """A list row: the reference is the only identifier."""
    return {
        "reference": case.reference,
        "stage": case.stage,
        "organisation": case.organisation_id,
        "first_contact": case.first_contact,
        "exploitation_types": case.exploitation_types,
        "child": case.child,
        "risk_level": case.risk_level,
        "citizenship": case.citizenship,
        "assigned_to": case.assigned_to.username if case.assigned_to else None,
        "rg_due": case.rg_due.isoformat() if case.rg_due else None,
        "reflection_period_ends": case.reflection_ends.isoformat()
        if case.reflection_ends
        else None,
    }


# --- endpoints -----------------------------------------------------------------------------


@router.post("", response={201: ReferenceOut, **ERRORS})
def create(request: HttpRequest, payload: CaseIn) -> Status[dict[str, str]]:
    case = call(services.create_case, to_case_input(payload), actor=request_user(request))
    return Status(201, {"reference": case.reference})


@router.get("", response={200: dict[str, Any], **ERRORS})
def list_cases(
    request: HttpRequest,
    q: str = "",
    stage: str = "",
    country: str = "",
    deadline: str = "",
    organisation: int | None = None,
    page: int = 1,
) -> dict[str, Any]:
    user = request_user(request)
    if page < 1:
        raise ApiError(
            400, "invalid", _("Some fields are not valid."), {"page": _("Must be 1 or more.")}
        )
    if not policy.may_see_cases(user):
        raise ApiError(403, "forbidden", _("You do not have permission to do this."))
    query = CaseQuery(
        q=q, stage=stage, country=country, deadline=deadline, organisation=organisation
    )
    found = search_cases(user, query)
    items = list(found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    if query.is_name_search:
        record_event(
            AuditEvent.Action.VIEW,
            actor=user,
            object_ref="cases:search",
            detail={"kind": "name", "found": [c.reference for c in items]},
        )
    if organisation is not None and organisation != user.organisation_id:
        # Cases shared through referrals: what a list row would show was perhaps not shared.
        rows = [
            {"reference": c.reference, "stage": c.stage, "organisation": c.organisation_id}
            for c in items
        ]
    else:
        rows = [case_summary(c) for c in items]
    return {"count": found.count(), "page": page, "items": rows}


@router.get("/{reference}", response={200: dict[str, Any], **ERRORS})
def read(request: HttpRequest, reference: str) -> dict[str, Any]:
    case, found = _case_for(request, reference)
    if found.full:
        services.record_view(request_user(request), case, channel="api")
        return case_data(case)
    services.record_view(request_user(request), case, channel="api", shared=True)
    return case_data(case, found.fields)


@router.post("/{reference}/consents", response={201: dict[str, Any], **ERRORS})
def add_consent(request: HttpRequest, reference: str, payload: ConsentIn) -> Status[dict[str, Any]]:
    case = _owned(request, reference)
    consent = call(
        services.record_consent,
        case,
        actor=request_user(request),
        purpose=payload.purpose,
        explained_in=payload.explained_in,
        given_on=payload.given_on,
        organisation=_organisation("organisation", payload.organisation),
    )
    return Status(
        201,
        {
            "id": consent.pk,
            "purpose": consent.purpose,
            "organisation": consent.organisation_id,
            "explained_in": consent.explained_in,
            "given_on": consent.given_on.isoformat(),
            "active": True,
        },
    )


@router.post(
    "/{reference}/consents/{consent_id}/withdraw", response={200: dict[str, Any], **ERRORS}
)
def withdraw_consent(request: HttpRequest, reference: str, consent_id: int) -> dict[str, Any]:
    case = _owned(request, reference)
    consent = Consent.objects.filter(case=case, pk=consent_id).first()
    if consent is None:
        raise _not_found()
    call(services.withdraw_consent, consent, actor=request_user(request))
    return {"id": consent.pk, "active": False}


@router.post("/{reference}/decisions", response={201: dict[str, Any], **ERRORS})
def decide(request: HttpRequest, reference: str, payload: DecisionIn) -> Status[dict[str, Any]]:
    case = _owned(request, reference)
    decision = call(
        services.record_decision,
        case,
        actor=request_user(request),
        kind=payload.kind,
        outcome=payload.outcome,
        reasons=payload.reasons,
        decided_on=payload.decided_on,
    )
    return Status(
        201,
        {
            "id": decision.pk,
            "kind": decision.kind,
            "outcome": decision.outcome,
            "decided_on": decision.decided_on.isoformat(),
            "stage": case.stage,
            "reflection_period_ends": case.reflection_ends.isoformat()
            if case.reflection_ends and decision.kind == "reasonable_grounds"
            else None,
        },
    )


@router.post("/{reference}/transitions", response={200: dict[str, Any], **ERRORS})
def transition(request: HttpRequest, reference: str, payload: TransitionIn) -> dict[str, Any]:
    case = _owned(request, reference)
    actor = request_user(request)
    if payload.action == "close":
        call(services.close_case, case, actor=actor, reason=payload.reason, note=payload.note)
    elif payload.action == "reopen":
        call(services.reopen_case, case, actor=actor, reasons=payload.note)
    elif payload.action == "durable_solution":
        call(
            services.choose_durable_solution,
            case,
            actor=actor,
            solution=payload.solution,
            requested_by_person=payload.requested_by_person,
        )
    elif payload.action in services.TRANSITIONS:
        call(services.run_transition, payload.action, case, actor=actor)
    else:
        raise ApiError(
            400, "invalid", _("Some fields are not valid."), {"action": _("Unknown action.")}
        )
    return {"reference": case.reference, "stage": case.stage}


@router.post("/{reference}/needs", response={201: dict[str, Any], **ERRORS})
def add_need(request: HttpRequest, reference: str, payload: NeedIn) -> Status[dict[str, Any]]:
    case = _owned(request, reference)
    need = call(
        services.add_needs_assessment,
        case,
        actor=request_user(request),
        level=payload.level,
        risk=payload.risk,
        risk_factors=payload.risk_factors,
        protective_factors=payload.protective_factors,
    )
    return Status(201, {"id": need.pk, "level": need.level, "risk": need.risk})


@router.post("/{reference}/services", response={201: dict[str, Any], **ERRORS})
def add_service(request: HttpRequest, reference: str, payload: ServiceIn) -> Status[dict[str, Any]]:
    case = _owned(request, reference)
    service = call(
        services.add_service,
        case,
        actor=request_user(request),
        kind=payload.kind,
        provider=_organisation("provider", payload.provider),
        provider_name=payload.provider_name,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        follow_up_on=payload.follow_up_on,
        status=payload.status,
    )
    return Status(201, {"id": service.pk, "kind": service.kind, "status": service.status})


@router.post("/{reference}/referrals", response={201: dict[str, Any], **ERRORS})
def refer(request: HttpRequest, reference: str, payload: ReferralIn) -> Status[dict[str, Any]]:
    from haven.referrals.api import referral_out
    from haven.referrals.services import send_referral

    case = _owned(request, reference)
    to = _required_organisation("to_organisation", payload.to_organisation)
    consent = Consent.objects.filter(case=case, pk=payload.consent).first()
    referral = call(
        send_referral,
        case,
        actor=request_user(request),
        to_organisation=to,
        purpose=payload.purpose,
        consent=consent,
        fields=payload.fields,
        message=payload.message,
    )
    return Status(201, referral_out(referral))


@router.post("/{reference}/transfer", response={200: dict[str, Any], **ERRORS})
def transfer(request: HttpRequest, reference: str, payload: TransferIn) -> dict[str, Any]:
    import json

    from haven.referrals.transfer import export_package

    case = _owned(request, reference)
    to = _required_organisation("to_organisation", payload.to_organisation)
    consent = Consent.objects.filter(case=case, pk=payload.consent).first()
    package = call(
        export_package,
        case,
        actor=request_user(request),
        to_organisation=to,
        consent=consent,
        fields=payload.fields,
    )
    return {"filename": package.filename, "package": json.loads(package.content)}

"""Every change to a case, one function each.

Each function checks the actor's permission through haven.cases.policy, validates, saves,
writes the audit event inside the same transaction, and notifies the people concerned. A
refusal raises CaseError (or NotAllowedError) with a translated reason, and changes nothing.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import holidays
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from haven.accounts.models import Organisation, User
from haven.accounts.roles import Role
from haven.audit.models import AuditEvent
from haven.audit.services import record_event
from haven.cases import policy
from haven.cases.choices import (
    ClosureReason,
    ConsentPurpose,
    DecisionKind,
    DurableSolution,
    ExploitationType,
    FirstContact,
    Outcome,
    RiskLevel,
    RouteRole,
    ServiceKind,
    ServiceStatus,
    Sex,
    Stage,
    VulnerabilityLevel,
)
from haven.cases.models import (
    Case,
    Consent,
    CountrySetting,
    Decision,
    IdentityDocument,
    NeedsAssessment,
    Person,
    ReferenceCounter,
    RouteStop,
    Service,
    TimelineEntry,
)
from haven.cases.notifications import notify, organisation_users
from haven.cases.policy import CaseError, InvalidInputError, InvalidTransitionError
from haven.lib.languages import SPOKEN_LANGUAGES

A = AuditEvent.Action
RG_WORKING_DAYS = 5
REFERRAL_ANSWER_WORKING_DAYS = 3


@functools.lru_cache(maxsize=256)
def _calendar(country: str, year: int) -> holidays.HolidayBase | None:
    if country not in holidays.list_supported_countries():
        return None
    return holidays.country_holidays(country, years=year)


def is_working_day(day: datetime.date, country: str = "") -> bool:
    """The country's national calendar from the `holidays` package, which ships with it
    (nothing is fetched): its weekend, public holidays and weekend make-up working days
    (China's). Regional holidays are left out, so a deadline may fall a day early in one
    region, never late. Without a known country: Monday to Friday (decision 0104)."""
    calendar = _calendar(country, day.year) if country else None
    if calendar is None:
        return day.weekday() < 5
    return bool(calendar.is_working_day(day))


def add_working_days(start: datetime.date, days: int, country: str = "") -> datetime.date:
    current = start
    added = 0
    while added < days:
        current += datetime.timedelta(days=1)
        if is_working_day(current, country):
            added += 1
    return current


def next_reference(year: int) -> str:
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"HVN-{year}-{counter.last:06d}"


# --- input ---------------------------------------------------------------------------------


@dataclass
class RouteInput:
    role: str
    country: str
    arrived_on: datetime.date | None = None
    left_on: datetime.date | None = None


@dataclass
class DocumentInput:
    kind: str
    number: str
    country: str = ""


@dataclass
class PersonInput:
    family_name: str = ""
    given_name: str = ""
    name_original: str = ""
    aliases: list[str] = field(default_factory=list)
    sex: str = Sex.NOT_SPECIFIED
    date_of_birth: datetime.date | None = None
    estimated_age: int | None = None
    citizenships: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    contact: str = ""
    notes: str = ""
    documents: list[DocumentInput] = field(default_factory=list)


@dataclass
class CaseInput:
    person: PersonInput
    first_contact: str = ""
    exploitation_types: list[str] = field(default_factory=list)
    child: bool | None = None
    risk_level: str = RiskLevel.MEDIUM
    route: list[RouteInput] = field(default_factory=list)


def _check_choice(name: str, value: str, choices: Iterable[str]) -> None:
    if value not in set(choices):
        raise InvalidInputError(name, _("Unknown value: %(value)s"), value=value)


def _check_country(name: str, code: str) -> str:
    code = (code or "").upper()
    if code not in dict(countries):
        raise InvalidInputError(name, _("Unknown country code: %(value)s"), value=code)
    return code


def validate_case_input(data: CaseInput) -> None:
    person = data.person
    if not (person.family_name.strip() or person.given_name.strip()):
        raise InvalidInputError("person.family_name", _("Enter a family name or a given name."))
    _check_choice("person.sex", person.sex, Sex.values)
    today = timezone.localdate()
    if person.date_of_birth and not (datetime.date(1900, 1, 1) <= person.date_of_birth <= today):
        raise InvalidInputError("person.date_of_birth", _("The date of birth is not plausible."))
    if person.estimated_age is not None and not 0 <= person.estimated_age <= 120:
        raise InvalidInputError("person.estimated_age", _("The estimated age is not plausible."))
    person.citizenships = [
        _check_country("person.citizenships", code) for code in person.citizenships
    ]
    for code in person.languages:
        _check_choice("person.languages", code, SPOKEN_LANGUAGES)
    for document in person.documents:
        _check_choice("person.documents", document.kind, IdentityDocument.Kind.values)
        if not document.number.strip():
            raise InvalidInputError("person.documents", _("Enter the document number."))
        if document.country:
            document.country = _check_country("person.documents", document.country)
    if data.first_contact:
        _check_choice("first_contact", data.first_contact, FirstContact.values)
    for kind in data.exploitation_types:
        _check_choice("exploitation_types", kind, ExploitationType.values)
    _check_choice("risk_level", data.risk_level, RiskLevel.values)
    for stop in data.route:
        _check_choice("route", stop.role, RouteRole.values)
        stop.country = _check_country("route", stop.country)
        if stop.arrived_on and stop.left_on and stop.left_on < stop.arrived_on:
            raise InvalidInputError("route", _("A route stop cannot end before it starts."))


def _is_child(person: PersonInput, today: datetime.date) -> bool:
    if person.date_of_birth:
        dob = person.date_of_birth
        age = today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))
        return age < 18
    return person.estimated_age is not None and person.estimated_age < 18


# --- helpers ---------------------------------------------------------------------------------


def _event(case: Case, actor: User | None, event: str, note: str = "", **params: Any) -> None:
    TimelineEntry.objects.create(case=case, author=actor, event=event, params=params, note=note)


def _audit(action: str, actor: User | None, case: Case, **detail: Any) -> None:
    record_event(action, actor=actor, object_ref=case.object_ref, detail=detail)


def _touch(case: Case, *fields: str) -> None:
    case.updated_at = timezone.now()
    case.save(update_fields=[*fields, "updated_at"])


def _lock(case: Case) -> Case:
    """Re-read the case under a row lock, so two transitions cannot interleave."""
    fresh = Case.objects.select_for_update().get(pk=case.pk)
    return fresh


def _sync(target: Case, source: Case) -> None:
    for f in Case._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))


def _require_stage(case: Case, allowed: Iterable[str], action: Any) -> None:
    if case.stage not in set(allowed):
        raise InvalidTransitionError(
            _("%(action)s is not possible while the case is at the stage: %(stage)s."),
            action=str(action),
            stage=str(Stage(case.stage).label),
        )


def _move(case: Case, actor: User, to: str, transition: str, **extra: Any) -> None:
    before = case.stage
    case.stage = to
    _event(case, actor, "stage_changed", stage_from=before, stage_to=to, transition=transition)
    _audit(A.UPDATE, actor, case, transition=transition, stage_from=before, stage_to=to, **extra)


def _case_team(case: Case) -> list[User | None]:
    return [case.assigned_to, case.created_by]


# --- reading -----------------------------------------------------------------------------------


def record_view(actor: User, case: Case, *, channel: str, shared: bool = False) -> None:
    """Every read of a case or person, on the web or through the API, leaves a row."""
    with transaction.atomic():
        _audit(A.VIEW, actor, case, channel=channel, shared=shared)


# --- creating -----------------------------------------------------------------------------------


@transaction.atomic
def create_case(data: CaseInput, *, actor: User, assign_to: User | None = None) -> Case:
    if not policy.may_create_case(actor):
        raise policy.NotAllowedError(_("Only case workers and screeners can open a case."))
    validate_case_input(data)
    if assign_to is not None and (
        assign_to.organisation_id != actor.organisation_id
        or not assign_to.has_role(Role.CASE_WORKER)
    ):
        raise InvalidInputError("assigned_to", _("Choose a case worker of your organisation."))
    if assign_to is None and actor.has_role(Role.CASE_WORKER):
        assign_to = actor
    p = data.person
    values: dict[str, Any] = {
        "family_name": p.family_name.strip(),
        "given_name": p.given_name.strip(),
        "name_original": p.name_original.strip(),
        "aliases": [a.strip() for a in p.aliases if a.strip()],
        "sex": p.sex,
        "date_of_birth": p.date_of_birth,
        "estimated_age": p.estimated_age,
        "citizenships": p.citizenships,
        "languages": p.languages,
        "contact": p.contact.strip(),
        "notes": p.notes.strip(),
    }
    person = Person(**values)
    person.save()
    for document in p.documents:
        IdentityDocument(
            person=person, kind=document.kind, country=document.country, number=document.number
        ).save()
    today = timezone.localdate()
    case = Case(
        reference=next_reference(today.year),
        person=person,
        organisation_id=actor.organisation_id,
        assigned_to=assign_to,
        created_by=actor,
        first_contact=data.first_contact,
        exploitation_types=sorted(set(data.exploitation_types)),
        child=data.child if data.child is not None else _is_child(p, today),
        risk_level=data.risk_level,
        citizenship=p.citizenships[0] if p.citizenships else "",
    )
    case.save()
    for position, stop in enumerate(data.route):
        RouteStop.objects.create(
            case=case,
            role=stop.role,
            country=stop.country,
            arrived_on=stop.arrived_on,
            left_on=stop.left_on,
            position=position,
        )
    _event(case, actor, "case_opened", first_contact=case.first_contact)
    _audit(A.CREATE, actor, case)
    if assign_to is not None and assign_to != actor:
        notify([assign_to], case.reference, "case_assigned")
    return case


@transaction.atomic
def update_case_details(case: Case, data: CaseInput, *, actor: User) -> Case:
    """Correct or complete what is known about the person and the case. The audit row names
    the fields that changed, never their values."""
    locked = _lock(case)
    policy.require_case_work(actor, locked)
    validate_case_input(data)
    person = Person.objects.get(pk=locked.person_id)
    p = data.person
    new_values: dict[str, Any] = {
        "family_name": p.family_name.strip(),
        "given_name": p.given_name.strip(),
        "name_original": p.name_original.strip(),
        "aliases": [a.strip() for a in p.aliases if a.strip()],
        "sex": p.sex,
        "date_of_birth": p.date_of_birth,
        "estimated_age": p.estimated_age,
        "citizenships": p.citizenships,
        "languages": p.languages,
        "contact": p.contact.strip(),
        "notes": p.notes.strip(),
    }
    changed = [name for name, value in new_values.items() if getattr(person, name) != value]
    for name in changed:
        setattr(person, name, new_values[name])
    if changed:
        person.save(update_fields=changed)
    if p.documents:
        IdentityDocument.objects.filter(person=person).delete()
        for document in p.documents:
            IdentityDocument(
                person=person, kind=document.kind, country=document.country, number=document.number
            ).save()
        changed.append("documents")
    case_values: dict[str, Any] = {
        "first_contact": data.first_contact,
        "exploitation_types": sorted(set(data.exploitation_types)),
        "child": data.child if data.child is not None else _is_child(p, timezone.localdate()),
        "risk_level": data.risk_level,
        "citizenship": p.citizenships[0] if p.citizenships else "",
    }
    case_changed = [n for n, v in case_values.items() if getattr(locked, n) != v]
    for name in case_changed:
        setattr(locked, name, case_values[name])
    if data.route:
        RouteStop.objects.filter(case=locked).delete()
        for position, stop in enumerate(data.route):
            RouteStop.objects.create(
                case=locked,
                role=stop.role,
                country=stop.country,
                arrived_on=stop.arrived_on,
                left_on=stop.left_on,
                position=position,
            )
        case_changed.append("route")
    _touch(locked, *[n for n in case_changed if n != "route"])
    fields = changed + case_changed
    _event(locked, actor, "details_updated", fields=", ".join(fields))
    _audit(A.UPDATE, actor, locked, change="details_updated", fields=fields)
    _sync(case, locked)
    return case


# --- stage transitions ---------------------------------------------------------------------


@transaction.atomic
def start_screening(case: Case, *, actor: User) -> Case:
    locked = _lock(case)
    policy.require_screening_work(actor, locked)
    _require_stage(locked, [Stage.FIRST_CONTACT], _("Starting the screening"))
    _move(locked, actor, Stage.SCREENING, "start_screening")
    _touch(locked, "stage")
    _sync(case, locked)
    return case


@transaction.atomic
def refer_for_identification(case: Case, *, actor: User) -> Case:
    locked = _lock(case)
    policy.require_screening_work(actor, locked)
    _require_stage(locked, [Stage.SCREENING], _("Referral for identification"))
    locked.rg_due = add_working_days(
        timezone.localdate(), RG_WORKING_DAYS, locked.organisation.country.code
    )
    _move(locked, actor, Stage.REFERRED, "refer_for_identification", rg_due=str(locked.rg_due))
    _touch(locked, "stage", "rg_due")
    supervisors = organisation_users(locked.organisation_id, Role.SUPERVISOR)
    notify(
        [*supervisors, *_case_team(locked)],
        locked.reference,
        "referred_for_identification",
        due=locked.rg_due.isoformat(),
    )
    _sync(case, locked)
    return case


@transaction.atomic
def record_decision(
    case: Case,
    *,
    actor: User,
    kind: str,
    outcome: str,
    reasons: str,
    decided_on: datetime.date | None = None,
) -> Decision:
    locked = _lock(case)
    policy.require_decider(actor, locked)
    _check_choice("kind", kind, DecisionKind.values)
    _check_choice("outcome", outcome, Outcome.values)
    if not reasons or not reasons.strip():
        raise InvalidInputError("reasons", _("Give the reasons for the decision."))
    today = timezone.localdate()
    decided_on = decided_on or today
    if decided_on > today:
        raise InvalidInputError("decided_on", _("A decision cannot be dated in the future."))
    if kind == DecisionKind.REASONABLE_GROUNDS:
        _require_stage(locked, [Stage.REFERRED], _("A reasonable-grounds decision"))
    else:
        _require_stage(
            locked,
            [Stage.REASONABLE_GROUNDS, Stage.RECOVERY_REFLECTION],
            _("A conclusive-grounds decision"),
        )
    decision = Decision.objects.create(
        case=locked,
        kind=kind,
        outcome=outcome,
        reasons=reasons.strip(),
        decided_on=decided_on,
        decided_by=actor,
    )
    _event(locked, actor, "decision", kind=kind, outcome=outcome)
    record_event(
        A.DECIDE,
        actor=actor,
        object_ref=locked.object_ref,
        detail={"kind": kind, "outcome": outcome, "decided_on": decided_on.isoformat()},
    )
    fields = ["stage"]
    if kind == DecisionKind.REASONABLE_GROUNDS:
        locked.rg_due = None
        fields.append("rg_due")
    if outcome == Outcome.NEGATIVE:
        locked.stage_before_closure = locked.stage
        locked.closure_reason = ClosureReason.NEGATIVE_DECISION
        locked.closed_at = timezone.now()
        _move(locked, actor, Stage.CLOSED, "negative_decision", kind=kind)
        fields += ["stage_before_closure", "closure_reason", "closed_at"]
    elif kind == DecisionKind.REASONABLE_GROUNDS:
        # A positive RG passes through "reasonable grounds" and starts the recovery and
        # reflection period on the day of the decision (CoE Convention Art. 13).
        days = CountrySetting.reflection_days_for(locked.organisation.country.code)
        locked.reflection_starts = decided_on
        locked.reflection_ends = decided_on + datetime.timedelta(days=days)
        _move(locked, actor, Stage.REASONABLE_GROUNDS, "positive_reasonable_grounds")
        _move(
            locked,
            actor,
            Stage.RECOVERY_REFLECTION,
            "start_recovery_reflection",
            reflection_ends=locked.reflection_ends.isoformat(),
        )
        fields += ["reflection_starts", "reflection_ends"]
        notify(
            _case_team(locked),
            locked.reference,
            "reflection_started",
            ends=locked.reflection_ends.isoformat(),
        )
    else:
        _move(locked, actor, Stage.CONCLUSIVE_GROUNDS, "positive_conclusive_grounds")
    _touch(locked, *fields)
    notify(_case_team(locked), locked.reference, "decision_recorded", kind=kind, outcome=outcome)
    _sync(case, locked)
    return decision


@transaction.atomic
def start_assistance(case: Case, *, actor: User) -> Case:
    locked = _lock(case)
    policy.require_case_work(actor, locked)
    _require_stage(
        locked,
        [Stage.CONCLUSIVE_GROUNDS, Stage.RECOVERY_REFLECTION, Stage.REASONABLE_GROUNDS],
        _("Starting assistance and protection"),
    )
    _move(locked, actor, Stage.ASSISTANCE, "start_assistance")
    _touch(locked, "stage")
    _sync(case, locked)
    return case


@transaction.atomic
def choose_durable_solution(
    case: Case, *, actor: User, solution: str, requested_by_person: bool = False
) -> Case:
    locked = _lock(case)
    policy.require_case_work(actor, locked)
    _check_choice("solution", solution, DurableSolution.values)
    _require_stage(
        locked,
        [Stage.ASSISTANCE, Stage.CONCLUSIVE_GROUNDS, Stage.RECOVERY_REFLECTION],
        _("Choosing a durable solution"),
    )
    if (
        solution == DurableSolution.VOLUNTARY_RETURN
        and locked.reflection_running()
        and not requested_by_person
    ):
        raise InvalidTransitionError(
            _(
                "The recovery and reflection period runs until %(ends)s: a return can be "
                "planned before then only if the person asks for it."
            ),
            ends=locked.reflection_ends.isoformat() if locked.reflection_ends else "",
        )
    locked.durable_solution = solution
    locked.return_requested_by_person = requested_by_person
    _move(
        locked,
        actor,
        Stage.DURABLE_SOLUTION,
        "choose_durable_solution",
        solution=solution,
        requested_by_person=requested_by_person,
    )
    _touch(locked, "stage", "durable_solution", "return_requested_by_person")
    _sync(case, locked)
    return case


def _close(locked: Case, actor: User, reason: str, transition: str, note: str = "") -> None:
    _require_stage(locked, [s for s in Stage.values if s != Stage.CLOSED], _("Closing the case"))
    locked.stage_before_closure = locked.stage
    locked.closure_reason = reason
    locked.closed_at = timezone.now()
    locked.rg_due = None
    if note:
        _event(locked, actor, "note", note=note)
    _move(locked, actor, Stage.CLOSED, transition, reason=reason)
    _touch(locked, "stage", "stage_before_closure", "closure_reason", "closed_at", "rg_due")
    notify(_case_team(locked), locked.reference, "stage_changed", stage=Stage.CLOSED)


@transaction.atomic
def close_case(case: Case, *, actor: User, reason: str, note: str = "") -> Case:
    locked = _lock(case)
    policy.require_case_work(actor, locked)
    _check_choice("reason", reason, ClosureReason.values)
    if reason == ClosureReason.NEGATIVE_DECISION:
        raise InvalidInputError("reason", _("A negative decision closes a case by itself."))
    _close(locked, actor, reason, "close", note)
    _sync(case, locked)
    return case


@transaction.atomic
def withdraw_case(case: Case, *, actor: User, note: str = "") -> Case:
    """The person no longer wants Haven's organisation to work on their case."""
    locked = _lock(case)
    policy.require_case_work(actor, locked)
    _close(locked, actor, ClosureReason.WITHDRAWN, "withdraw", note)
    _sync(case, locked)
    return case


@transaction.atomic
def reopen_case(case: Case, *, actor: User, reasons: str) -> Case:
    locked = _lock(case)
    policy.require_reopen(actor, locked)
    _require_stage(locked, [Stage.CLOSED], _("Re-opening"))
    if not reasons or not reasons.strip():
        raise InvalidInputError("reasons", _("Say why the case is re-opened."))
    # A negative decision is reconsidered from the referral; otherwise the case resumes.
    to: str
    if locked.closure_reason == ClosureReason.NEGATIVE_DECISION:
        to = Stage.REFERRED
        locked.rg_due = add_working_days(
            timezone.localdate(), RG_WORKING_DAYS, locked.organisation.country.code
        )
    else:
        to = locked.stage_before_closure or Stage.ASSISTANCE
    locked.closure_reason = ""
    locked.closed_at = None
    _event(locked, actor, "note", note=reasons.strip())
    _move(locked, actor, to, "reopen")
    _touch(locked, "stage", "closure_reason", "closed_at", "rg_due")
    notify(_case_team(locked), locked.reference, "stage_changed", stage=to)
    _sync(case, locked)
    return case


@transaction.atomic
def assign_case(case: Case, *, actor: User, worker: User) -> Case:
    locked = _lock(case)
    if not (policy.owns(actor, locked) and actor.has_role(Role.CASE_WORKER, Role.SUPERVISOR)):
        raise policy.NotAllowedError(_("Only a case worker or supervisor can assign a case."))
    if worker.organisation_id != locked.organisation_id or not worker.has_role(Role.CASE_WORKER):
        raise InvalidInputError("worker", _("Choose a case worker of the owning organisation."))
    locked.assigned_to = worker
    _event(locked, actor, "assigned")
    _audit(A.UPDATE, actor, locked, transition="assign", worker=worker.pk)
    _touch(locked, "assigned_to")
    notify([worker], locked.reference, "case_assigned")
    _sync(case, locked)
    return case


# The buttons of the case page: name -> (stages it starts from, permission check).
TRANSITIONS: dict[str, tuple[frozenset[str], Callable[[User, Case], None]]] = {
    "start_screening": (frozenset({Stage.FIRST_CONTACT}), policy.require_screening_work),
    "refer_for_identification": (frozenset({Stage.SCREENING}), policy.require_screening_work),
    "start_assistance": (
        frozenset({Stage.CONCLUSIVE_GROUNDS, Stage.RECOVERY_REFLECTION, Stage.REASONABLE_GROUNDS}),
        policy.require_case_work,
    ),
    "withdraw": (
        frozenset(s for s in Stage.values if s != Stage.CLOSED),
        policy.require_case_work,
    ),
}


def allowed_transitions(user: User, case: Case) -> list[str]:
    allowed = []
    for name, (stages, check) in TRANSITIONS.items():
        if case.stage not in stages:
            continue
        try:
            check(user, case)
        except policy.NotAllowedError:
            continue
        allowed.append(name)
    return allowed


def run_transition(name: str, case: Case, *, actor: User) -> Case:
    functions: dict[str, Callable[..., Case]] = {
        "start_screening": start_screening,
        "refer_for_identification": refer_for_identification,
        "start_assistance": start_assistance,
        "withdraw": withdraw_case,
    }
    if name not in functions:
        raise InvalidTransitionError(_("Unknown action."))
    return functions[name](case, actor=actor)


# --- consent, needs, services, notes ---------------------------------------------------------


@transaction.atomic
def record_consent(
    case: Case,
    *,
    actor: User,
    purpose: str,
    explained_in: str,
    given_on: datetime.date | None = None,
    organisation: Organisation | None = None,
) -> Consent:
    policy.require_case_work(actor, case)
    _check_choice("purpose", purpose, ConsentPurpose.values)
    _check_choice("explained_in", explained_in, SPOKEN_LANGUAGES)
    if purpose in (ConsentPurpose.REFERRAL, ConsentPurpose.CROSS_BORDER) and organisation is None:
        raise InvalidInputError(
            "organisation", _("Name the organisation this consent allows sharing with.")
        )
    today = timezone.localdate()
    given_on = given_on or today
    if given_on > today:
        raise InvalidInputError("given_on", _("A consent cannot be dated in the future."))
    consent = Consent.objects.create(
        case=case,
        purpose=purpose,
        organisation=organisation,
        explained_in=explained_in,
        given_on=given_on,
        recorded_by=actor,
    )
    _event(case, actor, "consent_recorded", purpose=purpose, language=explained_in)
    _audit(A.UPDATE, actor, case, consent=consent.pk, purpose=purpose, change="consent_given")
    return consent


@transaction.atomic
def withdraw_consent(consent: Consent, *, actor: User) -> Consent:
    case = consent.case
    policy.require_case_work(actor, case)
    if consent.withdrawn_at is not None:
        raise CaseError(_("This consent was already withdrawn."))
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = actor
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    _event(case, actor, "consent_withdrawn", purpose=consent.purpose)
    _audit(A.UPDATE, actor, case, consent=consent.pk, change="consent_withdrawn")
    notify(_case_team(case), case.reference, "consent_withdrawn")
    return consent


def require_consent(
    case: Case, purpose: str, *, consent: Consent | None, organisation: Organisation | None = None
) -> Consent:
    """The check every sharing action makes: an active consent of this case, for this
    purpose (and, for a referral or transfer, for this organisation)."""
    if consent is None or consent.case_id != case.pk:
        raise policy.NotAllowedError(_("Sharing needs a recorded consent of this person."))
    if not consent.is_active:
        raise policy.NotAllowedError(_("This consent was withdrawn: nothing can be shared on it."))
    if consent.purpose != purpose:
        raise policy.NotAllowedError(
            _("This consent was given for another purpose: %(purpose)s."),
            purpose=str(ConsentPurpose(consent.purpose).label),
        )
    if organisation is not None and consent.organisation_id not in (None, organisation.pk):
        raise policy.NotAllowedError(_("This consent names another organisation."))
    if (
        organisation is not None
        and consent.organisation_id is None
        and purpose
        in (
            ConsentPurpose.REFERRAL,
            ConsentPurpose.CROSS_BORDER,
        )
    ):
        raise policy.NotAllowedError(_("This consent names no organisation."))
    return consent


@transaction.atomic
def add_needs_assessment(
    case: Case,
    *,
    actor: User,
    level: str,
    risk: str,
    risk_factors: str = "",
    protective_factors: str = "",
    assessed_on: datetime.date | None = None,
) -> NeedsAssessment:
    policy.require_case_work(actor, case)
    _check_choice("level", level, VulnerabilityLevel.values)
    _check_choice("risk", risk, RiskLevel.values)
    need = NeedsAssessment.objects.create(
        case=case,
        level=level,
        risk=risk,
        risk_factors=risk_factors.strip(),
        protective_factors=protective_factors.strip(),
        assessed_on=assessed_on or timezone.localdate(),
        assessed_by=actor,
    )
    _event(case, actor, "needs_assessed", level=level, risk=risk)
    _audit(A.UPDATE, actor, case, change="needs_assessed", level=level)
    return need


@transaction.atomic
def add_service(
    case: Case,
    *,
    actor: User,
    kind: str,
    provider: Organisation | None = None,
    provider_name: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    follow_up_on: datetime.date | None = None,
    status: str = ServiceStatus.PLANNED,
    outcome: str = "",
) -> Service:
    policy.require_case_work(actor, case)
    _check_choice("kind", kind, ServiceKind.values)
    _check_choice("status", status, ServiceStatus.values)
    if starts_on and ends_on and ends_on < starts_on:
        raise InvalidInputError("ends_on", _("A service cannot end before it starts."))
    service = Service.objects.create(
        case=case,
        kind=kind,
        provider=provider,
        provider_name=provider_name.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        follow_up_on=follow_up_on,
        status=status,
        outcome=outcome.strip(),
    )
    _event(case, actor, "service_added", kind=kind, status=status)
    _audit(A.UPDATE, actor, case, change="service_added", kind=kind)
    return service


@transaction.atomic
def update_service(service: Service, *, actor: User, status: str, outcome: str = "") -> Service:
    case = service.case
    policy.require_case_work(actor, case)
    _check_choice("status", status, ServiceStatus.values)
    service.status = status
    if outcome.strip():
        service.outcome = outcome.strip()
    if status in (ServiceStatus.DELIVERED, ServiceStatus.CANCELLED):
        service.follow_up_on = None
    service.save(update_fields=["status", "outcome", "follow_up_on"])
    _event(case, actor, "service_updated", kind=service.kind, status=status)
    _audit(A.UPDATE, actor, case, change="service_updated", service=service.pk, status=status)
    return service


@transaction.atomic
def add_note(case: Case, *, actor: User, text: str) -> TimelineEntry:
    policy.require_case_work(actor, case)
    if not text or not text.strip():
        raise InvalidInputError("text", _("Write the note."))
    entry = TimelineEntry.objects.create(case=case, author=actor, event="note", note=text.strip())
    _audit(A.UPDATE, actor, case, change="note_added")
    return entry

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from haven.audit.models import AuditEvent
from haven.cases import policy, services
from haven.cases.models import Case, CountrySetting, Notification, Person, TimelineEntry
from haven.cases.policy import InvalidInputError, InvalidTransitionError, NotAllowedError
from haven.cases.search import CaseQuery, search_cases
from haven.cases.tests.conftest import case_input

pytestmark = pytest.mark.django_db


def test_reference_is_pseudonymous_and_sequential(personas, make_case):
    first, second = make_case(), make_case()
    year = timezone.localdate().year
    assert first.reference == f"HVN-{year}-000001"
    assert second.reference == f"HVN-{year}-000002"
    assert first.stage == "first_contact"
    assert first.assigned_to == personas.caseworker_a
    assert first.citizenship == "PY"
    assert not first.child


def test_names_documents_and_birth_dates_are_not_stored_in_clear(make_case):
    case = make_case(name_original="玛丽亚")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT family_name, given_name, name_original, date_of_birth, contact, aliases "
            "FROM cases_person WHERE id = %s",
            [case.person_id],
        )
        row = cursor.fetchone()
        cursor.execute("SELECT number FROM cases_identitydocument")
        (number,) = cursor.fetchone()
    raw = " ".join(str(v) for v in row) + number
    for secret in ["García", "Garcia", "María", "玛丽亚", "1998", "600 111", "PY1234567"]:
        assert secret not in raw
    assert all(str(v).startswith("hv1:") for v in row[:5])
    person = Person.objects.get(pk=case.person_id)
    assert person.family_name == "García López"
    assert person.date_of_birth == datetime.date(1998, 4, 2)


def test_exact_name_search_is_normalised_through_the_blind_index(personas, make_case):
    case = make_case()
    make_case(family_name="Other", given_name="Person", documents=[])
    for text in ["garcia lopez", "GARCÍA-LÓPEZ", "maria", "PY1234567", case.reference.lower()]:
        found = list(search_cases(personas.caseworker_a, CaseQuery(q=text)))
        assert found == [case], text
    assert list(search_cases(personas.caseworker_a, CaseQuery(q="Garc"))) == []


def test_a_child_is_flagged_from_the_date_of_birth(make_case):
    today = timezone.localdate()
    case = make_case(date_of_birth=today.replace(year=today.year - 15))
    assert case.child


def test_only_a_name_is_needed_and_bad_input_names_the_field(personas):
    case = services.create_case(
        services.CaseInput(person=services.PersonInput(given_name="Lan")),
        actor=personas.caseworker_a,
    )
    assert case.first_contact == ""
    with pytest.raises(InvalidInputError) as error:
        services.create_case(
            services.CaseInput(person=services.PersonInput()), actor=personas.caseworker_a
        )
    assert error.value.field == "person.family_name"
    with pytest.raises(InvalidInputError) as error:
        services.create_case(case_input(citizenships=["XX"]), actor=personas.caseworker_a)
    assert error.value.field == "person.citizenships"
    assert Case.objects.count() == 1


def test_analysts_cannot_open_or_see_cases(personas, make_case):
    make_case()
    with pytest.raises(NotAllowedError):
        services.create_case(case_input(), actor=personas.analyst_a)
    assert not policy.visible_cases(personas.analyst_a).exists()


def test_screeners_see_only_the_cases_they_opened(personas, make_case):
    mine = make_case(actor=personas.screener_a)
    make_case()
    assert list(policy.visible_cases(personas.screener_a)) == [mine]
    services.start_screening(mine, actor=personas.screener_a)
    services.refer_for_identification(mine, actor=personas.screener_a)
    assert mine.stage == "referred"


def test_the_identification_path_with_the_reflection_period(personas, make_case):
    case = make_case()
    services.start_screening(case, actor=personas.caseworker_a)
    services.refer_for_identification(case, actor=personas.caseworker_a)
    assert case.rg_due == services.add_working_days(timezone.localdate(), 5, "ES")
    assert case.rg_due.weekday() < 5
    # Supervisors hear of it; nothing in the notification names the person.
    note = Notification.objects.get(recipient=personas.supervisor_a)
    assert note.case_reference == case.reference
    assert "María" not in str(note.params)
    decided = timezone.localdate() - datetime.timedelta(days=2)
    services.record_decision(
        case,
        actor=personas.supervisor_a,
        kind="reasonable_grounds",
        outcome="positive",
        reasons="Indicators of forced labour.",
        decided_on=decided,
    )
    case.refresh_from_db()
    assert case.stage == "recovery_reflection"
    # Organisation A is in Spain: 90 days (Ley Orgánica 4/2000, art. 59 bis).
    assert case.reflection_ends == decided + datetime.timedelta(days=90)
    assert case.reflection_days_left() == 88
    assert case.rg_due is None
    # No return while the period runs, unless the person asks for it.
    with pytest.raises(InvalidTransitionError):
        services.choose_durable_solution(
            case, actor=personas.caseworker_a, solution="voluntary_return"
        )
    services.record_decision(
        case,
        actor=personas.supervisor_a,
        kind="conclusive_grounds",
        outcome="positive",
        reasons="Confirmed.",
    )
    assert case.stage == "conclusive_grounds"
    services.start_assistance(case, actor=personas.caseworker_a)
    services.choose_durable_solution(
        case, actor=personas.caseworker_a, solution="voluntary_return", requested_by_person=True
    )
    case.refresh_from_db()
    assert case.stage == "durable_solution"
    assert case.return_requested_by_person
    services.close_case(case, actor=personas.caseworker_a, reason="completed")
    assert case.stage == "closed"
    services.reopen_case(case, actor=personas.caseworker_a, reasons="New threats.")
    assert case.stage == "durable_solution"
    stages = [
        e.params["stage_to"]
        for e in TimelineEntry.objects.filter(case=case, event="stage_changed").order_by("id")
    ]
    assert stages == [
        "screening",
        "referred",
        "reasonable_grounds",
        "recovery_reflection",
        "conclusive_grounds",
        "assistance",
        "durable_solution",
        "closed",
        "durable_solution",
    ]


@pytest.mark.parametrize(
    ("country", "days"), [("ES", 90), ("NL", 90), ("CY", 30), ("CN", 30), ("FR", 30)]
)
def test_reflection_period_per_country(country, days):
    assert CountrySetting.reflection_days_for(country) == days


def test_an_invalid_transition_changes_nothing(personas, make_case):
    case = make_case()
    audit_rows = AuditEvent.objects.count()
    timeline = TimelineEntry.objects.count()
    with pytest.raises(InvalidTransitionError) as error:
        services.refer_for_identification(case, actor=personas.caseworker_a)
    assert "First contact" in error.value.message
    with pytest.raises(InvalidTransitionError):
        services.record_decision(
            case,
            actor=personas.supervisor_a,
            kind="reasonable_grounds",
            outcome="positive",
            reasons="x",
        )
    case.refresh_from_db()
    assert case.stage == "first_contact"
    assert case.rg_due is None
    assert AuditEvent.objects.count() == audit_rows
    assert TimelineEntry.objects.count() == timeline
    assert not case.decisions.exists()


def test_only_a_supervisor_of_the_owning_organisation_decides(personas, referred_case):
    for actor in [personas.caseworker_a, personas.caseworker_b, personas.investigator_a]:
        with pytest.raises(NotAllowedError):
            services.record_decision(
                referred_case,
                actor=actor,
                kind="reasonable_grounds",
                outcome="positive",
                reasons="x",
            )
    referred_case.refresh_from_db()
    assert referred_case.stage == "referred"


def test_a_negative_decision_closes_and_can_be_reconsidered(personas, referred_case):
    services.record_decision(
        referred_case,
        actor=personas.supervisor_a,
        kind="reasonable_grounds",
        outcome="negative",
        reasons="No indicator.",
    )
    assert referred_case.stage == "closed"
    assert referred_case.closure_reason == "negative_decision"
    services.reopen_case(referred_case, actor=personas.supervisor_a, reasons="New evidence.")
    assert referred_case.stage == "referred"
    assert referred_case.rg_due is not None


def test_withdrawal_closes_the_case(personas, make_case):
    case = make_case()
    services.withdraw_case(case, actor=personas.caseworker_a)
    assert case.stage == "closed"
    assert case.closure_reason == "withdrawn"
    with pytest.raises(InvalidTransitionError):
        services.withdraw_case(case, actor=personas.caseworker_a)


def test_consent_needs_services_and_notes(personas, reflection_case):
    case = reflection_case
    consent = services.record_consent(
        case, actor=personas.caseworker_a, purpose="assistance", explained_in="es"
    )
    assert consent.is_active and consent.recorded_by == personas.caseworker_a
    with pytest.raises(InvalidInputError):
        services.record_consent(
            case, actor=personas.caseworker_a, purpose="referral", explained_in="es"
        )
    services.add_needs_assessment(
        case, actor=personas.caseworker_a, level="individual", risk="high", risk_factors="Debt"
    )
    service = services.add_service(
        case,
        actor=personas.caseworker_a,
        kind="accommodation",
        provider=personas.org_a,
        follow_up_on=timezone.localdate(),
    )
    services.update_service(service, actor=personas.caseworker_a, status="delivered", outcome="ok")
    services.add_note(case, actor=personas.caseworker_a, text="Met at the shelter.")
    services.withdraw_consent(consent, actor=personas.caseworker_a)
    assert not consent.is_active
    with pytest.raises(NotAllowedError):
        services.add_note(case, actor=personas.investigator_a, text="x")
    with pytest.raises(NotAllowedError):
        services.add_note(case, actor=personas.caseworker_b, text="x")


def test_assistance_does_not_need_a_law_enforcement_consent(personas, reflection_case):
    # Only an assistance consent, none for the police: the assistance path stays open.
    services.record_consent(
        reflection_case, actor=personas.caseworker_a, purpose="assistance", explained_in="es"
    )
    services.start_assistance(reflection_case, actor=personas.caseworker_a)
    services.add_service(reflection_case, actor=personas.caseworker_a, kind="medical")
    assert reflection_case.stage == "assistance"


def test_reading_a_case_is_audited_without_names(personas, make_case):
    case = make_case()
    services.record_view(personas.caseworker_a, case, channel="web")
    event = AuditEvent.objects.filter(action="view").get()
    assert event.object_ref == case.object_ref
    assert "García" not in str(event.detail)


@pytest.mark.parametrize(
    ("country", "start", "expected"),
    [
        # Thursday 24 December 2026: Christmas (Fri) and the weekend are not working days.
        ("ES", datetime.date(2026, 12, 24), datetime.date(2027, 1, 4)),
        ("NL", datetime.date(2026, 12, 24), datetime.date(2027, 1, 4)),
        # No holidays known: five weekdays.
        ("", datetime.date(2026, 12, 24), datetime.date(2026, 12, 31)),
        # China's National Day week: 1 to 7 October 2026 off, Saturday 10 October worked.
        ("CN", datetime.date(2026, 9, 30), datetime.date(2026, 10, 13)),
    ],
)
def test_working_days_skip_national_public_holidays(country, start, expected):
    assert services.add_working_days(start, 5, country) == expected

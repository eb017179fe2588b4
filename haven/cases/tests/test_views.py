import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.accounts.roles import Role
from haven.audit.models import AuditEvent
from haven.cases import services
from haven.cases.models import Case, Notification

pytestmark = pytest.mark.django_db


def test_open_a_case_in_the_browser_form(client_for, personas):
    client = client_for(personas.caseworker_a)
    assert client.get(reverse("cases:create")).status_code == 200
    response = client.post(
        reverse("cases:create"),
        {
            "family_name": "Chen",
            "given_name": "Mei",
            "name_original": "陈美",
            "sex": "feminine",
            "citizenships": ["CN"],
            "first_contact": "hotline",
            "exploitation_types": ["forced_marriage"],
            "risk_level": "high",
            "origin": "CN",
            "destination": "ES",
            "document_kind": "passport",
            "document_number": "E1234",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    assert case.person.name_original == "陈美"
    assert case.exploitation_types == ["forced_marriage"]
    page = client.get(case.get_absolute_url())
    html = page.content.decode()
    assert "陈美" in html and "Start screening" in html
    assert "<script>" not in html and "style=" not in html


def test_route_dates_in_the_form(client_for, personas):
    client = client_for(personas.caseworker_a)
    base = {"given_name": "Mei", "sex": "feminine", "risk_level": "high"}
    route = {"origin": "CN", "destination": "ES"}
    dates = {"left_origin_on": "2025-03-01", "arrived_destination_on": "2025-04-10"}
    backwards = client.post(
        reverse("cases:create"),
        {**base, **route, "left_origin_on": "2025-04-10", "arrived_destination_on": "2025-03-01"},
    )
    assert backwards.status_code == 200
    assert "The arrival cannot be before leaving" in backwards.content.decode()
    no_country = client.post(reverse("cases:create"), {**base, **dates})
    assert "Choose the country of origin for this date." in no_country.content.decode()
    future = timezone.localdate() + datetime.timedelta(days=3)
    later = client.post(
        reverse("cases:create"), {**base, **route, "arrived_destination_on": future.isoformat()}
    )
    assert "This date is in the future." in later.content.decode()
    assert not Case.objects.exists()
    assert client.post(reverse("cases:create"), {**base, **route, **dates}).status_code == 302
    case = Case.objects.get()
    stops = {s.role: (s.country.code, s.arrived_on, s.left_on) for s in case.route.all()}
    assert stops == {
        "origin": ("CN", None, datetime.date(2025, 3, 1)),
        "destination": ("ES", datetime.date(2025, 4, 10), None),
    }
    edit = client.get(reverse("cases:edit", args=[case.reference])).content.decode()
    assert 'value="2025-03-01"' in edit and 'value="2025-04-10"' in edit


def test_the_create_form_names_a_missing_name(client_for, personas):
    response = client_for(personas.caseworker_a).post(
        reverse("cases:create"), {"sex": "feminine", "risk_level": "low"}
    )
    assert response.status_code == 200
    assert "Enter a family name or a given name." in response.content.decode()
    assert not Case.objects.exists()


def test_transition_buttons_and_refusals(client_for, personas, make_case):
    case = make_case()
    client = client_for(personas.caseworker_a)
    client.post(reverse("cases:transition", args=[case.reference, "start_screening"]))
    case.refresh_from_db()
    assert case.stage == "screening"
    # The same button again is refused with a reason and changes nothing.
    response = client.post(
        reverse("cases:transition", args=[case.reference, "start_screening"]), follow=True
    )
    assert "is not possible while the case is at the stage" in response.content.decode()
    case.refresh_from_db()
    assert case.stage == "screening"


def test_supervisor_decides_through_the_form(client_for, personas, referred_case):
    client = client_for(personas.supervisor_a)
    queue = client.get(reverse("cases:decisions")).content.decode()
    assert referred_case.reference in queue
    today = timezone.localdate()
    client.post(
        reverse("cases:decide", args=[referred_case.reference]),
        {
            "kind": "reasonable_grounds",
            "outcome": "positive",
            "decided_on": today,
            "reasons": "Indicators.",
        },
    )
    referred_case.refresh_from_db()
    assert referred_case.reflection_ends == today + datetime.timedelta(days=90)
    html = client_for(personas.caseworker_a).get(referred_case.get_absolute_url()).content.decode()
    assert "90 days left" in html
    assert (
        client_for(personas.caseworker_a)
        .get(reverse("cases:decide", args=[referred_case.reference]))
        .status_code
        == 403
    )


def test_outsiders_and_analysts_are_refused(client_for, personas, make_case):
    case = make_case()
    assert client_for(personas.caseworker_b).get(case.get_absolute_url()).status_code == 404
    assert (
        client_for(personas.caseworker_b)
        .get(reverse("cases:print", args=[case.reference]))
        .status_code
        == 404
    )
    assert client_for(personas.analyst_a).get(case.get_absolute_url()).status_code == 404
    assert client_for(personas.analyst_a).get(reverse("cases:list")).status_code == 403
    other_list = (
        client_for(personas.caseworker_b).get(reverse("cases:list") + "?q=maria").content.decode()
    )
    assert case.reference not in other_list
    # Read-only roles cannot write.
    response = client_for(personas.investigator_a).post(
        reverse("cases:note_add", args=[case.reference]), {"text": "x"}, follow=True
    )
    assert "Only a case worker" in response.content.decode()
    assert not case.timeline.filter(event="note").exists()


def test_list_page_query_count_and_no_names(
    client_for, personas, make_case, django_assert_max_num_queries
):
    for _ in range(30):
        make_case()
    client = client_for(personas.caseworker_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cases:list"))
    html = response.content.decode()
    assert "30 cases found" in html
    assert "García" not in html and "María" not in html
    # Name search resolves the blind indexes to ids first (3 small queries); PostgreSQL adds
    # one more for the audit chain's advisory lock. 30 rows: an N+1 would show.
    with django_assert_max_num_queries(18):
        response = client.get(reverse("cases:list") + "?q=garcia+lopez&stage=first_contact")
    assert "30 cases found" in response.content.decode()
    search = AuditEvent.objects.filter(object_ref="cases:search").get()
    assert "García" not in str(search.detail)


def test_case_page_query_count(
    client_for, personas, reflection_case, django_assert_max_num_queries
):
    services.add_service(reflection_case, actor=personas.caseworker_a, kind="medical")
    services.record_consent(
        reflection_case, actor=personas.caseworker_a, purpose="assistance", explained_in="es"
    )
    client = client_for(personas.caseworker_a)
    with django_assert_max_num_queries(30):
        response = client.get(reflection_case.get_absolute_url())
    assert response.status_code == 200


def test_forms_on_the_case_page(client_for, personas, reflection_case):
    client = client_for(personas.caseworker_a)
    ref = reflection_case.reference
    client.post(
        reverse("cases:consent_add", args=[ref]),
        {"purpose": "assistance", "explained_in": "es", "given_on": timezone.localdate()},
    )
    client.post(reverse("cases:need_add", args=[ref]), {"level": "community", "risk": "low"})
    client.post(
        reverse("cases:service_add", args=[ref]), {"kind": "legal_counselling", "status": "planned"}
    )
    client.post(reverse("cases:note_add", args=[ref]), {"text": "Called the lawyer."})
    assert reflection_case.consents.count() == 1
    assert reflection_case.needs.count() == 1
    assert reflection_case.services.count() == 1
    service = reflection_case.services.get()
    client.post(reverse("cases:service_update", args=[ref, service.pk]), {"status": "delivered"})
    service.refresh_from_db()
    assert service.status == "delivered"
    html = client.get(reflection_case.get_absolute_url()).content.decode()
    assert "Called the lawyer." in html and "Legal counselling" in html
    response = client.post(
        reverse("cases:durable", args=[ref]), {"solution": "voluntary_return"}, follow=True
    )
    assert "only if the person asks for it" in response.content.decode()
    client.post(reverse("cases:close", args=[ref]), {"reason": "lost_contact"})
    reflection_case.refresh_from_db()
    assert reflection_case.stage == "closed"


def test_deadlines_notifications_and_print(client_for, personas, referred_case):
    client = client_for(personas.supervisor_a)
    html = client.get(reverse("cases:deadlines")).content.decode()
    assert referred_case.reference in html and "Reasonable-grounds decision" in html
    notes = client.get(reverse("cases:notifications")).content.decode()
    assert f"Case {referred_case.reference} was referred for identification" in notes
    client.post(reverse("cases:notifications"))
    assert not Notification.objects.filter(recipient=personas.supervisor_a, read=False).exists()
    printed = client_for(personas.caseworker_a).get(
        reverse("cases:print", args=[referred_case.reference])
    )
    assert "García" in printed.content.decode()
    assert AuditEvent.objects.filter(action="view", detail__channel="print").exists()


def test_overdue_rg_decision_is_listed(client_for, personas, referred_case):
    Case.objects.filter(pk=referred_case.pk).update(
        rg_due=timezone.localdate() - datetime.timedelta(days=1)
    )
    html = (
        client_for(personas.caseworker_a)
        .get(reverse("cases:list") + "?deadline=overdue")
        .content.decode()
    )
    assert referred_case.reference in html and "1 case found" in html
    html = (
        client_for(personas.caseworker_a)
        .get(reverse("cases:deadlines") + "?scope=organisation")
        .content.decode()
    )
    assert "Overdue" in html


def test_home_cards_point_to_cases(client_for, personas):
    html = client_for(personas.supervisor_a).get(reverse("web:home")).content.decode()
    assert reverse("cases:list") in html and reverse("cases:decisions") in html


def test_assign_a_case(client_for, personas, make_case):
    from haven.testing.personas import make_user

    case = make_case()
    other = make_user("caseworker-a2", personas.org_a, Role.CASE_WORKER)
    client_for(personas.supervisor_a).post(
        reverse("cases:assign", args=[case.reference]), {"worker": other.pk}
    )
    case.refresh_from_db()
    assert case.assigned_to == other
    assert Notification.objects.filter(recipient=other, message_key="case_assigned").exists()
    # A user of another organisation cannot be chosen.
    client_for(personas.supervisor_a).post(
        reverse("cases:assign", args=[case.reference]), {"worker": personas.caseworker_b.pk}
    )
    case.refresh_from_db()
    assert case.assigned_to == other


def test_edit_details_audits_field_names_only(client_for, personas, make_case):
    case = make_case()
    client = client_for(personas.caseworker_a)
    page = client.get(reverse("cases:edit", args=[case.reference])).content.decode()
    assert "García López" in page  # prefilled
    response = client.post(
        reverse("cases:edit", args=[case.reference]),
        {
            "family_name": "García López",
            "given_name": "María José",
            "sex": "feminine",
            "citizenships": ["PY", "ES"],
            "risk_level": "critical",
            "origin": "PY",
            "destination": "ES",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.person.given_name == "María José"
    assert case.risk_level == "critical"
    event = AuditEvent.objects.filter(detail__change="details_updated").get()
    assert "given_name" in event.detail["fields"]
    assert "María" not in str(event.detail)
    assert (
        client_for(personas.investigator_a)
        .get(reverse("cases:edit", args=[case.reference]))
        .status_code
        == 403
    )
    assert (
        client_for(personas.caseworker_b)
        .get(reverse("cases:edit", args=[case.reference]))
        .status_code
        == 404
    )


def test_the_case_list_stops_counting_at_the_cap(client_for, personas, make_case, monkeypatch):
    from haven.cases import pagination

    for _ in range(4):
        make_case()
    client = client_for(personas.caseworker_a)
    assert "4 cases found." in client.get(reverse("cases:list")).content.decode()
    monkeypatch.setattr(pagination, "CASE_LIST_COUNT_CAP", 3)
    page = client.get(reverse("cases:list")).content.decode()
    assert "More than 3 cases found." in page and "4 cases found." not in page
    assert "Page 1 of" not in page

import datetime

import pytest
from django.utils import timezone

from haven.audit.models import AuditEvent
from haven.cases.models import Case

pytestmark = pytest.mark.django_db

NEW_CASE = {
    "person": {
        "family_name": "Nguyen",
        "given_name": "Thi Lan",
        "name_original": "Nguyễn Thị Lan",
        "date_of_birth": "2001-05-17",
        "sex": "feminine",
        "citizenships": ["VN"],
        "languages": ["vi"],
    },
    "first_contact": "labour_inspection",
    "exploitation_types": ["forced_labour"],
    "route": [{"role": "origin", "country": "VN"}, {"role": "destination", "country": "ES"}],
}


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def create(client, data=None):
    response = post(client, "/api/v1/cases", data or NEW_CASE)
    assert response.status_code == 201, response.content
    return response.json()["reference"]


def test_create_and_read_a_case(client_for, personas):
    client = client_for(personas.caseworker_a)
    reference = create(client)
    body = client.get(f"/api/v1/cases/{reference}").json()
    assert body["reference"] == reference
    assert body["stage"] == "first_contact"
    assert body["organisation"]["id"] == personas.org_a.pk
    assert body["person"]["family_name"] == "Nguyen"
    assert body["person"]["name_original"] == "Nguyễn Thị Lan"
    assert body["person"]["date_of_birth"] == "2001-05-17"
    assert body["person"]["citizenships"] == ["VN"]
    assert body["first_contact"] == "labour_inspection"
    assert body["exploitation_types"] == ["forced_labour"]
    view = AuditEvent.objects.filter(action="view", object_ref=f"case:{reference}").get()
    assert view.detail["channel"] == "api"


def test_only_a_name_is_required(client_for, personas):
    client = client_for(personas.caseworker_a)
    reference = create(client, {"person": {"given_name": "Lan"}})
    assert Case.objects.get(reference=reference).person.given_name == "Lan"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"person": {}}, "person.family_name"),
        ({"person": {"family_name": "X", "citizenships": ["ZZ"]}}, "person.citizenships"),
        ({"person": {"family_name": "X", "date_of_birth": "not-a-date"}}, "person.date_of_birth"),
        ({"person": {"family_name": "X", "date_of_birth": "2999-01-01"}}, "person.date_of_birth"),
        ({"person": {"family_name": "X", "sex": "robot"}}, "person.sex"),
        ({"person": {"family_name": "X", "estimated_age": -3}}, "person.estimated_age"),
        ({"person": {"family_name": "X"}, "first_contact": "magic"}, "first_contact"),
        ({"person": {"family_name": "X"}, "exploitation_types": ["x"]}, "exploitation_types"),
        ({"person": {"family_name": "X"}, "route": [{"role": "origin", "country": "Q1"}]}, "route"),
        ({"person": "nobody"}, "person"),
        ({}, "person"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client_for, personas, payload, field):
    response = post(client_for(personas.caseworker_a), "/api/v1/cases", payload)
    assert response.status_code == 400, response.content
    fields = response.json()["error"]["fields"]
    assert any(name.startswith(field) for name in fields), fields
    assert not Case.objects.exists()


def test_garbage_is_a_400_not_a_500(client_for, personas):
    client = client_for(personas.caseworker_a)
    response = client.post("/api/v1/cases", b"{not json", content_type="application/json")
    assert response.status_code == 400
    response = post(client, "/api/v1/cases?page=x", NEW_CASE)
    assert response.status_code in (201, 400)
    assert client.get("/api/v1/cases?page=0").status_code == 400
    assert client.get("/api/v1/cases?page=abc").status_code == 400


def test_the_full_path_through_the_api(client_for, personas):
    worker = client_for(personas.caseworker_a)
    supervisor = client_for(personas.supervisor_a)
    reference = create(worker)
    for action in ["start_screening", "refer_for_identification"]:
        response = post(worker, f"/api/v1/cases/{reference}/transitions", {"action": action})
        assert response.status_code == 200, response.content
    response = post(
        supervisor,
        f"/api/v1/cases/{reference}/decisions",
        {"kind": "reasonable_grounds", "outcome": "positive", "reasons": "Indicators."},
    )
    assert response.status_code == 201, response.content
    expected = timezone.localdate() + datetime.timedelta(days=90)
    assert response.json()["reflection_period_ends"] == expected.isoformat()
    assert response.json()["stage"] == "recovery_reflection"
    consent = post(
        worker,
        f"/api/v1/cases/{reference}/consents",
        {"purpose": "referral", "explained_in": "vi", "organisation": personas.org_b.pk},
    )
    assert consent.status_code == 201, consent.content
    need = post(worker, f"/api/v1/cases/{reference}/needs", {"level": "household", "risk": "high"})
    assert need.status_code == 201
    service = post(
        worker,
        f"/api/v1/cases/{reference}/services",
        {"kind": "psychological", "provider": personas.org_a.pk},
    )
    assert service.status_code == 201
    referral = post(
        worker,
        f"/api/v1/cases/{reference}/referrals",
        {
            "to_organisation": personas.org_b.pk,
            "purpose": "assistance",
            "consent": consent.json()["id"],
            "fields": ["given_name", "citizenships", "exploitation_types"],
        },
    )
    assert referral.status_code == 201, referral.content
    receiver = client_for(personas.caseworker_b)
    assert receiver.get(f"/api/v1/cases/{reference}").status_code == 404
    accepted = post(receiver, f"/api/v1/referrals/{referral.json()['id']}/accept", {})
    assert accepted.status_code == 200
    shared = receiver.get(f"/api/v1/cases/{reference}").json()
    assert shared["person"] == {"given_name": "Thi Lan", "citizenships": ["VN"]}
    assert shared["exploitation_types"] == ["forced_labour"]
    assert "first_contact" not in shared
    # A shared case is read-only for the receiver.
    denied = post(
        receiver, f"/api/v1/cases/{reference}/needs", {"level": "individual", "risk": "low"}
    )
    assert denied.status_code == 403
    assert (
        post(
            worker, f"/api/v1/cases/{reference}/transitions", {"action": "start_assistance"}
        ).status_code
        == 200
    )
    response = post(
        worker,
        f"/api/v1/cases/{reference}/transitions",
        {"action": "close", "reason": "transferred"},
    )
    assert response.json()["stage"] == "closed"


def test_an_invalid_transition_is_a_409_and_changes_nothing(client_for, personas):
    worker = client_for(personas.caseworker_a)
    reference = create(worker)
    response = post(
        worker, f"/api/v1/cases/{reference}/transitions", {"action": "refer_for_identification"}
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"
    assert Case.objects.get(reference=reference).stage == "first_contact"
    response = post(
        client_for(personas.supervisor_a),
        f"/api/v1/cases/{reference}/decisions",
        {"kind": "reasonable_grounds", "outcome": "positive", "reasons": "x"},
    )
    assert response.status_code == 409


def test_case_workers_cannot_decide(client_for, personas):
    worker = client_for(personas.caseworker_a)
    reference = create(worker)
    response = post(
        worker,
        f"/api/v1/cases/{reference}/decisions",
        {"kind": "reasonable_grounds", "outcome": "positive", "reasons": "x"},
    )
    assert response.status_code == 403


def test_another_organisation_cannot_read_list_or_search(client_for, personas):
    reference = create(client_for(personas.caseworker_a))
    other = client_for(personas.caseworker_b)
    assert other.get(f"/api/v1/cases/{reference}").status_code == 404
    assert other.get("/api/v1/cases").json() == {"count": 0, "page": 1, "items": []}
    assert other.get(f"/api/v1/cases?q={reference}").json()["count"] == 0
    assert other.get("/api/v1/cases?q=Nguyen").json()["count"] == 0
    assert other.get(f"/api/v1/cases?organisation={personas.org_a.pk}").json()["count"] == 0
    write = post(
        other,
        f"/api/v1/cases/{reference}/consents",
        {"purpose": "assistance", "explained_in": "zh"},
    )
    assert write.status_code == 404


def test_analysts_see_no_case(client_for, personas):
    reference = create(client_for(personas.caseworker_a))
    analyst = client_for(personas.analyst_a)
    assert analyst.get(f"/api/v1/cases/{reference}").status_code == 404
    assert analyst.get("/api/v1/cases").status_code == 403


def test_list_filters_and_pages(client_for, personas, django_assert_max_num_queries):
    worker = client_for(personas.caseworker_a)
    references = [create(worker) for _ in range(3)]
    post(worker, f"/api/v1/cases/{references[0]}/transitions", {"action": "start_screening"})
    with django_assert_max_num_queries(12):
        body = worker.get("/api/v1/cases?stage=screening").json()
    assert body["count"] == 1
    assert body["items"][0]["reference"] == references[0]
    assert "person" not in body["items"][0]  # lists show references only
    assert worker.get("/api/v1/cases?q=nguyen").json()["count"] == 3
    assert worker.get("/api/v1/cases?page=2").json()["items"] == []
    assert worker.get("/api/v1/cases?country=VN").json()["count"] == 3

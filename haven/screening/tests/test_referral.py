import pytest
from django.urls import reverse

from haven.cases.models import Case, Notification
from haven.screening.models import Screening

pytestmark = pytest.mark.django_db
POSITIVE = {
    "DR-1": "yes",
    "DR-2": "yes",
    "EX-1": "yes",
    "EX-2": "yes",
    "CD-1": "yes",
    "CD-2": "yes",
}


def _completed(client, **start):
    data = {
        "interview_language": "en",
        "interviewee_language": "vi",
        "age": "22",
        "exploitation": "labour",
        **start,
    }
    client.post(reverse("screening:start"), data)
    screening = Screening.objects.latest("started_at")
    answers = {f"answer-{k}": v for k, v in POSITIVE.items()}
    client.post(reverse("screening:save", args=[screening.pk]), {**answers, "finish": "1"})
    screening.refresh_from_db()
    return screening


def test_refer_for_identification_opens_and_refers_a_case(client_for, personas):
    client = client_for(personas.screener_a)
    screening = _completed(client)
    response = client.post(
        reverse("screening:refer", args=[screening.pk]),
        {"family_name": "Nguyen", "given_name": "Thi Hoa", "citizenship": "vn"},
    )
    assert response.status_code == 302
    screening.refresh_from_db()
    case = Case.objects.get(reference=screening.case_reference)
    assert case.stage == "referred"
    assert case.organisation == personas.org_a
    assert case.person.citizenships == ["VN"]
    assert case.rg_due is not None


def test_referral_needs_a_name_and_changes_nothing_without_one(client_for, personas):
    client = client_for(personas.screener_a)
    screening = _completed(client)
    client.post(reverse("screening:refer", args=[screening.pk]), {"family_name": " "})
    screening.refresh_from_db()
    assert screening.case_reference == "" and Case.objects.count() == 0


def test_non_punishment_reaches_the_case_owner(client_for, personas):
    from haven.cases import services
    from haven.cases.services import CaseInput, PersonInput

    case = services.create_case(
        CaseInput(person=PersonInput(family_name="Tran")), actor=personas.caseworker_a
    )
    client = client_for(personas.screener_a)
    screening = _completed(client, met_in_custody="on", case_reference=case.reference)
    assert any(flag["code"] == "non_punishment" for flag in screening.result["flags"])
    note = Notification.objects.get(recipient=personas.caseworker_a, message_key="non_punishment")
    assert note.case_reference == case.reference

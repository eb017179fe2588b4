import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from haven.audit.models import AuditEvent
from haven.screening.models import Screening

pytestmark = pytest.mark.django_db

# A clear adult labour case: deceptive recruitment (DR-1 strong + DR-2 medium), exploitative
# conditions (EX-1 strong + EX-2 medium), coercion at destination (CD-1 strong + CD-2 strong).
POSITIVE = {
    "DR-1": "yes",
    "DR-2": "yes",
    "EX-1": "yes",
    "EX-2": "yes",
    "CD-1": "yes",
    "CD-2": "yes",
}


def _start(client, **overrides):
    data = {
        "interview_language": "en",
        "interviewee_language": "vi",
        "interpreter_used": "on",
        "age": "24",
        "exploitation": "labour",
        **overrides,
    }
    response = client.post(reverse("screening:start"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Screening.objects.latest("started_at")


def _answer_form(answers, notes=None):
    data = {f"answer-{key}": value for key, value in answers.items()}
    data.update({f"note-{key}": value for key, value in (notes or {}).items()})
    return data


def test_start_and_answer_and_finish(client_for, personas):
    client = client_for(personas.screener_a)
    screening = _start(client)
    assert screening.interviewer == personas.screener_a
    assert screening.interviewee_language == "vi" and screening.interpreter_used

    page = client.get(reverse("screening:interview", args=[screening.pk])).content.decode()
    assert 'lang="vi"' in page  # the interviewee's side of the bilingual questions

    response = client.post(
        reverse("screening:save", args=[screening.pk]),
        _answer_form(POSITIVE, {"DR-1": "Promised a job in a restaurant, sent to a farm"}),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'id="live-outcome"' in response.content.decode()
    screening.refresh_from_db()
    assert screening.outcome == "trafficking"
    assert screening.evidence_notes["DR-1"].startswith("Promised")

    response = client.post(
        reverse("screening:save", args=[screening.pk]), {**_answer_form(POSITIVE), "finish": "1"}
    )
    assert response.status_code == 302
    screening.refresh_from_db()
    assert screening.status == Screening.Status.COMPLETED
    result = client.get(reverse("screening:result", args=[screening.pk])).content.decode()
    assert "ground for referral" in result
    assert AuditEvent.objects.filter(object_ref=screening.object_ref).count() >= 4


def test_evidence_notes_are_not_stored_in_clear(client_for, personas):
    from django.db import connection

    client = client_for(personas.screener_a)
    screening = _start(client)
    client.post(
        reverse("screening:save", args=[screening.pk]),
        _answer_form({"DR-1": "yes"}, {"DR-1": "Recruited by Mr Nguyen Van Binh"}),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT evidence_notes FROM screening_screening")
        raw = cursor.fetchone()[0]
    assert "Nguyen" not in raw and raw.startswith("hv1:")


def test_a_bad_answer_value_saves_nothing(client_for, personas):
    client = client_for(personas.screener_a)
    screening = _start(client)
    response = client.post(
        reverse("screening:save", args=[screening.pk]),
        _answer_form({"DR-1": "yes", "EX-1": "perhaps"}),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert "EX-1" in response.content.decode()
    screening.refresh_from_db()
    assert screening.answers == {}


def test_bad_start_input_is_refused_with_a_message(client_for, personas):
    client = client_for(personas.screener_a)
    response = client.post(
        reverse("screening:start"),
        {
            "interview_language": "en",
            "interviewee_language": "xx",
            "age": "-3",
            "exploitation": "labour",
        },
    )
    assert response.status_code == 200
    assert Screening.objects.count() == 0
    assert "errorlist" in response.content.decode()


def test_other_organisations_and_analysts_cannot_see_a_screening(client_for, personas):
    screening = _start(client_for(personas.screener_a))
    for user in (personas.caseworker_b, personas.analyst_a):
        client = client_for(user)
        assert client.get(reverse("screening:result", args=[screening.pk])).status_code == 404
        assert client.post(reverse("screening:save", args=[screening.pk]), {}).status_code == 404
    assert client_for(personas.analyst_a).get(reverse("screening:start")).status_code == 403


def test_only_the_interviewer_records_answers(client_for, personas):
    screening = _start(client_for(personas.screener_a))
    colleague = client_for(personas.caseworker_a)
    response = colleague.post(
        reverse("screening:save", args=[screening.pk]), _answer_form(POSITIVE)
    )
    assert response.status_code == 403
    screening.refresh_from_db()
    assert screening.answers == {}


def test_child_and_non_punishment_flags(client_for, personas):
    client = client_for(personas.screener_a)
    screening = _start(client, age="", may_be_child="on", met_in_custody="on")
    client.post(
        reverse("screening:save", args=[screening.pk]),
        {**_answer_form({"ACT-1": "yes", "EX-1": "yes", "EX-2": "yes"}), "finish": "1"},
    )
    screening.refresh_from_db()
    assert screening.result["profile"] == "child_labour"
    codes = {flag["code"] for flag in screening.result["flags"]}
    assert {"child", "non_punishment"} <= codes


def test_cli_api_and_browser_flow_agree(client_for, personas, capsys, tmp_path):
    """The same answers give the same result in the interview, the API and the CLI."""
    answers = {**POSITIVE, "CD-1": "unknown", "CD-2": "no", "VD-1": "yes"}
    client = client_for(personas.screener_a)
    screening = _start(client, age="31", exploitation="both")
    client.post(
        reverse("screening:save", args=[screening.pk]), {**_answer_form(answers), "finish": "1"}
    )
    screening.refresh_from_db()
    stored = screening.result

    body = screening.request_dict()
    api = client.post(
        "/api/v1/screening/assess?lang=en", json.dumps(body), content_type="application/json"
    )
    assert api.status_code == 200

    path = tmp_path / "answers.json"
    path.write_text(json.dumps(body))
    call_command("screen", "assess", str(path), "--lang", "en")
    cli = json.loads(capsys.readouterr().out)

    assert stored == api.json() == cli
    assert stored["outcome"] in {"trafficking", "possible_trafficking"}

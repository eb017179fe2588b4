"""Forms and the API reject bad input with a message and write nothing."""

import pytest
from django.urls import reverse

from haven.accounts.models import ApiToken, User
from haven.audit.models import AuditEvent
from haven.security.models import TwoFactorDevice
from tests.security.helpers import enrol, password_step

pytestmark = pytest.mark.django_db


def _snapshot(user):
    user.refresh_from_db()
    return (user.language, user.time_zone, user.password, user.session_epoch)


@pytest.mark.parametrize(
    "data",
    [
        {"language": "xx", "time_zone": "UTC"},
        {"language": "en", "time_zone": "Mars/Olympus_Mons"},
        {"language": "en" * 200, "time_zone": "UTC"},
    ],
)
def test_preferences_reject_bad_values(client_for, personas, data):
    before = _snapshot(personas.caseworker_a)
    response = client_for(personas.caseworker_a).post(reverse("accounts:preferences"), data)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert _snapshot(personas.caseworker_a) == before


def test_language_switch_rejects_an_unknown_language(client_for, personas):
    before = _snapshot(personas.caseworker_a)
    response = client_for(personas.caseworker_a).post(
        reverse("accounts:switch_language"), {"language": "klingon", "next": "/"}
    )
    assert response.status_code == 400
    assert _snapshot(personas.caseworker_a) == before


@pytest.mark.parametrize("code", ["", "abcdef", "1" * 21, "12 34", "<script>"])
def test_the_code_step_rejects_junk_and_signs_in_nobody(client, personas, code):
    enrol(personas.supervisor_a)
    password_step(client, "supervisor-a")
    response = client.post(reverse("accounts:two_factor"), {"code": code})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode() or "not right" in response.content.decode()
    assert "<script>" not in response.content.decode().split("</header>")[1]
    assert client.get(reverse("web:home")).status_code == 302


def test_enrolment_with_a_wrong_code_confirms_nothing(client, personas):
    password_step(client, "caseworker-a")
    client.get(reverse("accounts:two_factor_enrol"))
    response = client.post(reverse("accounts:two_factor_enrol"), {"code": "12345x"})
    assert response.status_code == 200
    assert not TwoFactorDevice.objects.filter(confirmed_at__isnull=False).exists()


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[]",
        b'{"username": 5}',
        b'{"username": "a", "password": null}',
        '{"username": "\u0000", "password": "x"}'.encode(),
        b'{"username": "' + b"a" * 100_000 + b'", "password": "x"}',
    ],
)
def test_the_token_endpoint_rejects_bad_bodies_with_the_json_error(client, personas, body):
    tokens = ApiToken.objects.count()
    response = client.generic("POST", "/api/v1/auth/token", body, content_type="application/json")
    assert response.status_code in (400, 401)
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    assert ApiToken.objects.count() == tokens
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.TOKEN_ISSUED).exists()


def test_an_oversized_request_is_refused(client_for, personas):
    big = "x" * (6 * 1024 * 1024)
    response = client_for(personas.caseworker_a).post(
        reverse("accounts:preferences"), {"language": big}
    )
    assert response.status_code == 400
    assert User.objects.get(pk=personas.caseworker_a.pk).language == "en"

from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from haven.audit.models import AuditEvent
from haven.security.models import SignInFailure
from tests.security.helpers import current_code, enrol, password_step

pytestmark = pytest.mark.django_db


def _fail(client, username, times):
    for _ in range(times):
        response = password_step(client, username, "wrong-password")
        assert response.status_code == 200


def test_five_failures_lock_the_account_even_for_the_right_password(client, personas):
    _fail(client, "analyst-a", 5)
    response = password_step(client, "analyst-a")
    assert response.status_code == 200
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert client.get(reverse("web:home")).status_code == 302
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOCKED_OUT).exists()


def test_the_lock_lifts_when_the_failures_leave_the_window(client, personas):
    _fail(client, "analyst-a", 5)
    first = SignInFailure.objects.order_by("at").first()
    assert first is not None
    SignInFailure.objects.update(at=first.at - timedelta(minutes=16))
    assert password_step(client, "analyst-a").status_code == 302


def test_other_accounts_are_not_locked_by_one_account(personas):
    _fail(Client(REMOTE_ADDR="10.0.0.1"), "analyst-a", 5)
    assert password_step(Client(REMOTE_ADDR="10.0.0.2"), "analyst-a").status_code == 200
    response = password_step(Client(REMOTE_ADDR="10.0.0.1"), "sysadmin-nobody")
    assert "Too many" not in response.content.decode()


@override_settings(LOCKOUT_ADDRESS_FAILURES=20)
def test_twenty_failures_from_one_address_lock_that_address(personas):
    attacker = Client(REMOTE_ADDR="10.9.9.9")
    for i in range(20):
        password_step(attacker, f"guess-{i}", "wrong-password")
    response = password_step(attacker, "analyst-a")
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert password_step(Client(REMOTE_ADDR="10.1.1.1"), "analyst-a").status_code == 302


def test_the_attempted_names_are_not_stored(client, personas):
    _fail(client, "secret-name-typed", 1)
    keys = list(SignInFailure.objects.values_list("key", flat=True))
    assert keys and all("secret" not in key for key in keys)


def test_wrong_codes_count_towards_the_lock(client, personas):
    device = enrol(personas.supervisor_a)
    password_step(client, "supervisor-a")
    for _ in range(5):
        client.post(reverse("accounts:two_factor"), {"code": "000000"})
    response = client.post(reverse("accounts:two_factor"), {"code": current_code(device)})
    assert response.status_code == 200
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_the_api_answers_429_when_locked(client, personas):
    for _ in range(5):
        client.post(
            "/api/v1/auth/token",
            {"username": "analyst-a", "password": "nope"},
            content_type="application/json",
        )
    response = client.post(
        "/api/v1/auth/token",
        {"username": "analyst-a", "password": "persona-password-123"},
        content_type="application/json",
    )
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "locked"


def test_a_complete_sign_in_clears_the_account_counter(client, personas):
    _fail(client, "analyst-a", 4)
    assert password_step(client, "analyst-a").status_code == 302
    assert not SignInFailure.objects.filter(scope="account").exists()

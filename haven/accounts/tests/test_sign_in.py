import pytest
from django.urls import reverse

from haven.audit.models import AuditEvent
from haven.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2(personas):
    assert personas.caseworker_a.password.startswith("argon2")


def test_login_lands_on_the_home_page_and_is_audited(client, personas):
    # Password alone where the organisation has switched two-factor sign-in off.
    personas.org_a.two_factor_required = False
    personas.org_a.save(update_fields=["two_factor_required"])
    response = client.post(
        reverse("accounts:login"), {"username": "caseworker-a", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("web:home")
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.LOGIN, actor=personas.caseworker_a
    ).exists()


def test_failed_login_shows_a_clear_message_and_is_audited(client, personas):
    response = client.post(
        reverse("accounts:login"), {"username": "caseworker-a", "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    failed = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    # The attempted name is not kept: it could be a password typed in the wrong field.
    assert "caseworker-a" not in str(failed.detail) + failed.object_ref + failed.actor_username


def test_logout_needs_post_and_ends_the_session(client_for, personas):
    client = client_for(personas.caseworker_a)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("web:home")).status_code == 302


def test_pages_need_sign_in(client):
    for name in [
        "web:home",
        "directory:search",
        "accounts:preferences",
        "accounts:password_change",
    ]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_password_change(client_for, personas):
    client = client_for(personas.screener_a)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase-9",
            "new_password2": "a-new-long-passphrase-9",
        },
    )
    assert response.status_code == 302
    personas.screener_a.refresh_from_db()
    assert personas.screener_a.check_password("a-new-long-passphrase-9")


def test_password_change_rejects_a_weak_password_and_changes_nothing(client_for, personas):
    client = client_for(personas.screener_a)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"},
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    personas.screener_a.refresh_from_db()
    assert personas.screener_a.check_password(PASSWORD)

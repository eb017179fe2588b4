import pytest
from django.urls import reverse

from haven.accounts.demo_seed import seed_demo_world
from haven.accounts.models import Organisation
from haven.audit.models import AuditEvent
from haven.security import two_factor
from haven.security.models import RecoveryCode, TwoFactorDevice
from haven.testing.personas import PASSWORD
from tests.security.helpers import current_code, enrol, password_step

pytestmark = pytest.mark.django_db


def _signed_in(client) -> bool:
    return client.get(reverse("web:home")).status_code == 200


def test_two_factor_is_required_by_default():
    assert Organisation._meta.get_field("two_factor_required").default is True


def test_the_demo_world_signs_in_with_a_password_alone():
    seed_demo_world("demo-password-123")
    assert not Organisation.objects.filter(two_factor_required=True).exists()


def test_a_password_alone_does_not_sign_in_a_case_worker(client, personas):
    response = password_step(client, "caseworker-a")
    assert response.status_code == 302
    assert response.url == reverse("accounts:two_factor_enrol")
    assert not _signed_in(client)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN).exists()


def test_roles_without_personal_data_sign_in_with_a_password(client, personas):
    response = password_step(client, "analyst-a")
    assert response.url == reverse("web:home")
    assert _signed_in(client)


def test_enrolment_shows_the_secret_then_signs_in_and_shows_recovery_codes(client, personas):
    password_step(client, "caseworker-a")
    page = client.get(reverse("accounts:two_factor_enrol")).content.decode()
    device = TwoFactorDevice.objects.get(user=personas.caseworker_a)
    assert device.confirmed_at is None
    assert device.secret[:4] in page
    assert "otpauth://totp/Haven%3Acaseworker-a?secret=" in page
    # The secret is sealed in the database.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM security_twofactordevice")
        assert cursor.fetchone()[0].startswith("hv1:")
    wrong = client.post(reverse("accounts:two_factor_enrol"), {"code": "000000"})
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    response = client.post(reverse("accounts:two_factor_enrol"), {"code": current_code(device)})
    assert response.url == reverse("accounts:recovery_codes")
    codes_page = client.get(response.url).content.decode()
    assert codes_page.count("<li><code>") == two_factor.RECOVERY_CODE_COUNT
    # Shown once only, and stored only as hashes.
    assert "<li><code>" not in client.get(response.url).content.decode()
    stored = list(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert len(stored) == two_factor.RECOVERY_CODE_COUNT
    assert all(len(h) == 64 for h in stored)
    assert _signed_in(client)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.OTP_ENROLLED).exists()


def test_verification_step_with_a_code(client, personas):
    device = enrol(personas.supervisor_a)
    response = password_step(client, "supervisor-a")
    assert response.url == reverse("accounts:two_factor")
    assert not _signed_in(client)
    bad = client.post(reverse("accounts:two_factor"), {"code": "123456"})
    assert bad.status_code == 200 and "not right" in bad.content.decode()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.OTP_FAILED).count() == 1
    ok = client.post(reverse("accounts:two_factor"), {"code": current_code(device)})
    assert ok.status_code == 302
    assert _signed_in(client)
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.LOGIN, actor=personas.supervisor_a
    ).exists()


def test_a_code_cannot_be_replayed(personas):
    device = enrol(personas.supervisor_a)
    code = current_code(device)
    assert two_factor.verify_second_factor(personas.supervisor_a, code)
    assert not two_factor.verify_second_factor(personas.supervisor_a, code)


def test_a_recovery_code_works_once(client, personas):
    enrol(personas.investigator_a)
    codes = two_factor.new_recovery_codes(personas.investigator_a)
    password_step(client, "investigator-a")
    assert client.post(reverse("accounts:two_factor"), {"code": codes[0]}).status_code == 302
    assert not two_factor.verify_second_factor(personas.investigator_a, codes[0])
    assert two_factor.verify_second_factor(personas.investigator_a, codes[1].upper())


def test_the_code_step_needs_the_password_step_first(client, personas):
    enrol(personas.supervisor_a)
    response = client.get(reverse("accounts:two_factor"))
    assert response.url == reverse("accounts:login")


def test_switching_it_off_per_organisation(client, personas):
    personas.org_a.two_factor_required = False
    personas.org_a.save()
    assert password_step(client, "caseworker-a").url == reverse("web:home")


def test_the_admin_sign_in_goes_through_the_two_factor_flow(client, personas):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    post = client.post("/admin/login/", {"username": "sysadmin", "password": PASSWORD})
    assert post.status_code == 302 and post.url.startswith(reverse("accounts:login"))
    assert client.get("/admin/").status_code == 302


def _token(client, **body):
    return client.post("/api/v1/auth/token", body, content_type="application/json")


def test_the_api_token_needs_a_code_where_two_factor_is_on(client, personas):
    device = enrol(personas.caseworker_a)
    missing = _token(client, username="caseworker-a", password=PASSWORD)
    assert missing.status_code == 400
    assert missing.json()["error"]["code"] == "otp_required"
    assert "otp" in missing.json()["error"]["fields"]
    wrong = _token(client, username="caseworker-a", password=PASSWORD, otp="000000")
    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "invalid_otp"
    ok = _token(client, username="caseworker-a", password=PASSWORD, otp=current_code(device))
    assert ok.status_code == 200 and ok.json()["token"]


def test_the_api_refuses_a_token_before_enrolment(client, personas):
    response = _token(client, username="caseworker-a", password=PASSWORD, otp="123456")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "two_factor_not_set_up"


def test_an_admin_can_reset_a_lost_second_factor(client_for, personas):
    enrol(personas.caseworker_a)
    two_factor.new_recovery_codes(personas.caseworker_a)
    response = client_for(personas.admin).post(
        "/admin/accounts/user/",
        {"action": "reset_two_factor", "_selected_action": [personas.caseworker_a.pk]},
    )
    assert response.status_code == 302
    assert not TwoFactorDevice.objects.filter(user=personas.caseworker_a).exists()
    assert not RecoveryCode.objects.filter(user=personas.caseworker_a).exists()
    assert AuditEvent.objects.filter(
        object_ref=f"user:{personas.caseworker_a.pk}", detail__what="two_factor_reset"
    ).exists()

import time

import pytest
from django.test import Client
from django.urls import reverse

from haven.accounts.models import ApiToken
from haven.audit.models import AuditEvent
from haven.security.sessions import LAST_SEEN

pytestmark = pytest.mark.django_db


def test_a_session_ends_after_inactivity(client_for, personas, settings):
    settings.SESSION_IDLE_SECONDS = 600
    client = client_for(personas.caseworker_a)
    assert client.get(reverse("web:home")).status_code == 200
    session = client.session
    session[LAST_SEEN] = time.time() - 601
    session.save()
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert client.get(reverse("web:home")).status_code == 302


def test_an_active_session_stays(client_for, personas, settings):
    settings.SESSION_IDLE_SECONDS = 600
    client = client_for(personas.caseworker_a)
    session = client.session
    session[LAST_SEEN] = time.time() - 500
    session.save()
    assert client.get(reverse("web:home")).status_code == 200


def test_sign_out_everywhere_ends_other_sessions_and_tokens(client_for, personas):
    laptop = client_for(personas.caseworker_a)
    phone = client_for(personas.caseworker_a)
    _token, raw = ApiToken.objects.issue(personas.caseworker_a)
    assert phone.get(reverse("web:home")).status_code == 200
    assert laptop.get(reverse("accounts:sign_out_everywhere")).status_code == 200
    response = laptop.post(reverse("accounts:sign_out_everywhere"))
    assert response.status_code == 302
    assert phone.get(reverse("web:home")).status_code == 302
    assert laptop.get(reverse("web:home")).status_code == 302
    api = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.status_code == 401
    assert not ApiToken.objects.filter(user=personas.caseworker_a).exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_OUT_ALL).count() == 1
    # Other people's sessions are untouched.
    other = client_for(personas.caseworker_b)
    assert other.get(reverse("web:home")).status_code == 200

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_shows_each_role_its_own_next_steps(client_for, personas):
    analyst = client_for(personas.analyst_a).get(reverse("web:home")).content.decode()
    admin = client_for(personas.admin).get(reverse("web:home")).content.decode()
    assert "Find a partner" in analyst
    assert "Administration" not in analyst
    assert "Administration" in admin


def test_security_headers(client_for, personas):
    response = client_for(personas.caseworker_a).get(reverse("web:home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert len(response["X-Request-ID"]) == 32


def test_pages_have_no_inline_scripts(client_for, personas):
    html = client_for(personas.caseworker_a).get(reverse("web:home")).content.decode()
    assert "<script>" not in html
    assert "onclick=" not in html and "onchange=" not in html


def test_html_404_does_not_echo_the_path(client_for, personas):
    response = client_for(personas.caseworker_a).get("/no-such-page/Zhang-Xiaoli/")
    assert response.status_code == 404
    assert "Zhang-Xiaoli" not in response.content.decode()


def test_forms_need_csrf(personas):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "caseworker-a", "password": "x"})
    assert response.status_code == 403


def test_dates_are_shown_in_the_users_time_zone(client_for, personas):
    personas.caseworker_b.time_zone = "Asia/Shanghai"
    personas.caseworker_b.save()
    html = client_for(personas.caseworker_b).get(reverse("web:home")).content.decode()
    assert "(Asia/Shanghai)" in html

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_switching_language_is_remembered_on_the_account(client_for, personas):
    client = client_for(personas.caseworker_a)
    response = client.post(
        reverse("accounts:switch_language"), {"language": "zh-hans", "next": "/directory/"}
    )
    assert response.status_code == 302
    assert response.url == "/directory/"
    personas.caseworker_a.refresh_from_db()
    assert personas.caseworker_a.language == "zh-hans"
    page = client.get(reverse("web:home")).content.decode()
    assert '<html lang="zh-hans"' in page
    with translation.override("zh-hans"):
        translated = translation.gettext("What to do next")
    assert translated != "What to do next"
    assert translated in page


def test_anonymous_visitors_switch_with_a_cookie(client):
    client.post(reverse("accounts:switch_language"), {"language": "el", "next": "/"})
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="el"' in page


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/"])
def test_switcher_never_redirects_off_site(client, target):
    response = client.post(reverse("accounts:switch_language"), {"language": "es", "next": target})
    assert response.url == reverse("web:home")


def test_unknown_language_is_refused(client_for, personas):
    client = client_for(personas.caseworker_a)
    response = client.post(reverse("accounts:switch_language"), {"language": "tlh", "next": "/"})
    assert response.status_code == 400
    personas.caseworker_a.refresh_from_db()
    assert personas.caseworker_a.language == "en"


def test_preferences_set_language_and_time_zone(client_for, personas):
    client = client_for(personas.caseworker_b)
    response = client.post(
        reverse("accounts:preferences"), {"language": "nl", "time_zone": "Asia/Shanghai"}
    )
    assert response.status_code == 302
    personas.caseworker_b.refresh_from_db()
    assert (personas.caseworker_b.language, personas.caseworker_b.time_zone) == (
        "nl",
        "Asia/Shanghai",
    )


def test_preferences_reject_an_unknown_time_zone(client_for, personas):
    client = client_for(personas.caseworker_b)
    response = client.post(
        reverse("accounts:preferences"), {"language": "nl", "time_zone": "Mars/Olympus"}
    )
    assert response.status_code == 200
    personas.caseworker_b.refresh_from_db()
    assert personas.caseworker_b.time_zone == "UTC"
    assert personas.caseworker_b.language == "en"

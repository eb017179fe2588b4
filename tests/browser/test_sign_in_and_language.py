import re

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from haven.accounts.demo_seed import seed_demo_world

DEMO_PASSWORD = "browser-demo-password"


@pytest.fixture
def demo_world(transactional_db):
    seed_demo_world(DEMO_PASSWORD)


def _sign_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.locator("#login-submit").click()


def test_sign_in_switch_to_chinese_and_sign_out(page: Page, live_server, demo_world):
    _sign_in(page, live_server.url, "es-ngo-caseworker", DEMO_PASSWORD)
    # The demo case worker in Madrid works in Spanish.
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.locator("#language-select").select_option("zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    with translation.override("zh-hans"):
        next_heading = translation.gettext("What to do next")
        sign_out = translation.gettext("Sign out")
    expect(page.get_by_role("heading", name=next_heading)).to_be_visible()
    expect(page.locator(".who")).to_contain_text("es-ngo-caseworker")
    page.screenshot(path="test-results/home-zh-hans.png", full_page=True)
    page.get_by_role("button", name=sign_out).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/"))


def test_failed_sign_in_shows_a_clear_message(page: Page, live_server, demo_world):
    _sign_in(page, live_server.url, "es-ngo-caseworker", "not-the-password")
    error = page.locator("#login-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("correct username and password")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_directory_filters_live_with_htmx(page: Page, live_server, demo_world):
    _sign_in(page, live_server.url, "cn-io-analyst", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/directory/")
    expect(page.locator("#results tbody tr")).to_have_count(9)
    page.get_by_label("Country").select_option("CY")
    expect(page.locator("#results tbody tr")).to_have_count(2)
    expect(page).to_have_url(re.compile(r"country=CY"))

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from haven.accounts.demo_seed import seed_demo_world
from haven.accounts.models import Organisation
from haven.cases.demo_seed import seed_demo_cases
from haven.stats.demo_seed import seed_demo_activity

PASSWORD = "browser-demo-password"


@pytest.fixture
def demo_world(transactional_db):
    seed_demo_world(PASSWORD)
    Organisation.objects.update(two_factor_required=False)
    seed_demo_cases()
    seed_demo_activity()


def test_the_demo_dashboards_show_every_chart_in_five_languages(
    page: Page, live_server, demo_world
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill("cn-io-analyst")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-submit").click()
    for language in ["en", "zh-hans", "es", "el", "nl"]:
        page.goto(f"{live_server.url}/stats/")
        page.locator("#language-select").select_option(language)
        expect(page.locator("html")).to_have_attribute("lang", language)
        with translation.override(language):
            title = translation.gettext("Statistics")
            no_data = translation.gettext("No data")
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        charts = page.locator("section.chart")
        expect(charts).to_have_count(9)
        for index in range(9):
            chart = charts.nth(index)
            expect(chart.locator("p.muted", has_text=no_data)).to_have_count(0)
        expect(page.locator("svg.world-map")).to_be_visible()
        page.screenshot(path=f"test-results/stats-{language}.png", full_page=True)

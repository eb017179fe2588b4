import re

import pytest
from playwright.sync_api import Page, expect

from haven.accounts.demo_seed import seed_demo_world
from haven.screening.rules import default_catalogue

PASSWORD = "browser-demo-password"


@pytest.fixture
def demo_world(transactional_db):
    seed_demo_world(PASSWORD)


def test_screening_in_chinese_with_a_vietnamese_interviewee(page: Page, live_server, demo_world):
    catalogue = default_catalogue()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill("cn-police-screener")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-submit").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    page.goto(f"{live_server.url}/screening/start/")
    page.locator("#id_interview_language").select_option("zh-hans")
    page.locator("#id_interviewee_language").select_option("vi")
    page.locator("#id_interpreter_used").check()
    page.locator("#id_age").fill("19")
    page.locator("#id_exploitation").select_option("labour")
    page.locator("#start-screening").click()
    expect(page).to_have_url(re.compile(r"/screening/[0-9a-f-]{36}/$"))

    # Each question is shown in Chinese and, beside it, in Vietnamese.
    first = catalogue.questions[0]
    expect(page.locator(f"#q-{first.id} .ask[lang=zh-hans]")).to_have_text(first.texts["zh-hans"])
    expect(page.locator(f"#q-{first.id} .ask[lang=vi]")).to_have_text(first.texts["vi"])

    for item in ["DR-1", "DR-2", "EX-1", "EX-2", "CD-1", "CD-3"]:
        page.locator(f"input[name='answer-{item}'][value='yes']").check()
    live = page.locator("#live-outcome")
    expect(live).to_have_text(catalogue.text("label.outcome.trafficking", "zh-hans"))
    expect(page.locator("#progress")).to_have_attribute("value", "6")

    # Answers were saved as we went: a reload keeps them.
    page.reload()
    expect(page.locator("input[name='answer-CD-3'][value='yes']")).to_be_checked()

    page.locator("#finish-screening").click()
    expect(page).to_have_url(re.compile(r"/result/$"))
    expect(page.locator("#outcome")).to_contain_text(
        catalogue.text("label.outcome.trafficking", "zh-hans")
    )
    page.screenshot(path="test-results/screening-result-zh-hans.png", full_page=True)

"""A trainee practises one case study in Spanish and sees the score; the workshop's trainer
watches the progress table update live."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from haven.accounts.models import Organisation
from haven.accounts.roles import Role
from haven.screening.rules import default_catalogue
from haven.testing.personas import PASSWORD, make_user
from haven.training.library import file_library
from haven.training.models import Workshop

SLUG = "01-almeria-greenhouses"


@pytest.fixture
def workshop(transactional_db) -> Workshop:
    org_es = Organisation.objects.create(
        name="Fundación Training ES", country="ES", kind=Organisation.Kind.NGO, languages=["es"]
    )
    org_gr = Organisation.objects.create(
        name="Training Shelter GR", country="GR", kind=Organisation.Kind.SHELTER, languages=["el"]
    )
    trainer = make_user("browser-trainer", org_es, Role.TRAINER, language="en")
    trainee = make_user("browser-trainee", org_es, Role.TRAINEE, language="es")
    other = make_user("browser-trainee-gr", org_gr, Role.TRAINEE, language="el")
    workshop = Workshop.objects.create(
        organisation=org_es,
        trainer=trainer,
        title="Taller de identificación",
        date="2026-12-03",
        place="Almería",
        language="es",
        case_studies=[SLUG],
    )
    workshop.participants.set([trainee, other])
    return workshop


def _sign_in(page: Page, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-submit").click()


def test_a_trainee_practises_in_spanish_and_sees_the_score(
    page: Page, browser: Browser, live_server, workshop: Workshop
) -> None:
    catalogue = default_catalogue()
    study = file_library()[SLUG]

    # The trainer watches the workshop's live progress in another browser.
    trainer_context = browser.new_context(locale="en-GB")
    trainer_page = trainer_context.new_page()
    trainer_page.set_default_timeout(15_000)
    _sign_in(trainer_page, live_server.url, "browser-trainer")
    trainer_page.goto(f"{live_server.url}/training/workshops/{workshop.pk}/")
    expect(trainer_page.locator("#progress-table")).to_contain_text("browser-trainee-gr")

    _sign_in(page, live_server.url, "browser-trainee")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.goto(f"{live_server.url}/training/workshops/{workshop.pk}/")
    page.locator("#assigned a", has_text=study.title["es"]).click()
    expect(page.locator("#story")).to_have_text(study.story["es"])
    # The transcript: what Kwame said in English, with the Spanish beside it.
    first = study.transcript[0]
    expect(page.locator(".transcript")).to_contain_text(first.text)
    expect(page.locator(".transcript")).to_contain_text(first.translations["es"])

    page.locator("#practise").click()
    page.locator("#id_age").fill("29")
    page.locator("#id_exploitation").select_option("labour")
    page.locator("#start-practice").click()
    expect(page).to_have_url(re.compile(r"/training/attempt/[0-9a-f-]{36}/$"))

    # The same interview layout: questions in Spanish and in the interviewee's English.
    question = catalogue.questions[0]
    expect(page.locator(f"#q-{question.id} .ask[lang=es]")).to_have_text(question.texts["es"])
    expect(page.locator(f"#q-{question.id} .ask[lang=en]")).to_have_text(question.texts["en"])

    for item, answer in study.engine_input["answers"].items():
        page.locator(f"input[name='answer-{item}'][value='{answer}']").check()
    expect(page.locator("#live-outcome")).to_have_text(
        catalogue.text("label.outcome.trafficking", "es")
    )
    for step in study.key.next_steps:
        page.locator(f"#step-{step}").check()
    page.screenshot(path="test-results/training-attempt-es.png")
    page.locator("#finish-practice").click()

    expect(page).to_have_url(re.compile(r"/feedback/$"))
    expect(page.locator("#score")).to_contain_text("100 / 100")
    expect(page.locator("#learning-points")).to_contain_text(
        study.key.learning_points[0]["es"].split(".")[0]
    )
    page.screenshot(path="test-results/training-feedback-es.png", full_page=True)

    # Polling brings the new score to the trainer without a reload.
    expect(trainer_page.locator("#progress-table")).to_contain_text("100 / 100", timeout=25_000)
    trainer_page.screenshot(path="test-results/training-workshop-trainer.png", full_page=True)
    trainer_context.close()

"""The whole case path in a real browser: first contact to closure, with a decision by the
competent authority, consent, needs, services, a referral accepted by another organisation
that sees only what was shared, and a transfer package imported into that organisation."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from haven.accounts.models import Organisation
from haven.accounts.roles import Role
from haven.cases.models import Case
from haven.referrals.transfer import generate_key_pair
from haven.testing.personas import make_personas, make_user
from tests.browser.helpers import signed_in


@pytest.fixture
def world(transactional_db):
    personas = make_personas()
    # Like the demo, these organisations sign in with a password alone (when the two-factor
    # setting exists at all); two-factor sign-in has its own tests.
    if "two_factor_required" in {f.name for f in Organisation._meta.get_fields()}:
        Organisation.objects.update(two_factor_required=False)
    generate_key_pair(personas.org_a, actor=make_user("orgadmin-a", personas.org_a, Role.ORG_ADMIN))
    generate_key_pair(personas.org_b, actor=make_user("orgadmin-b", personas.org_b, Role.ORG_ADMIN))
    return personas


def test_case_path_from_first_contact_to_closure(browser: Browser, live_server, world, tmp_path):
    base = live_server.url
    worker = signed_in(browser, base, "caseworker-a")

    # First contact: open the case.
    worker.goto(f"{base}/cases/")
    worker.locator("#new-case").click()
    form = worker.locator("#case-form")
    form.get_by_label("Family name (Latin script)").fill("Nguyen")
    form.get_by_label("Given name (Latin script)").fill("Thi Lan")
    form.get_by_label("Name in original script").fill("Nguyễn Thị Lan")
    form.get_by_label("Citizenships").select_option("VN")
    form.get_by_label("First contact").select_option("labour_inspection")
    form.get_by_label("Forced labour").check()
    form.get_by_label("Country of origin", exact=True).select_option("VN")
    form.get_by_label("Left the country of origin on").fill("2025-02-14")
    form.get_by_label("Country of destination", exact=True).select_option("ES")
    form.get_by_label("Arrived in the country of destination on").fill("2025-03-02")
    form.locator("#create-case").click()
    expect(worker.locator("#case-stage")).to_have_text("First contact")
    reference = worker.locator("#case-reference").inner_text()
    assert re.fullmatch(r"HVN-\d{4}-\d{6}", reference)
    assert reference in worker.url  # the URL carries the reference, never a name

    # Screening, then referral for identification.
    worker.locator("#action-start_screening").click()
    expect(worker.locator("#case-stage")).to_have_text("Screening")
    worker.locator("#action-refer_for_identification").click()
    expect(worker.locator("#case-stage")).to_have_text("Referred for identification")

    # The competent authority takes a positive reasonable-grounds decision.
    supervisor = signed_in(browser, base, "supervisor-a")
    supervisor.goto(f"{base}/cases/decisions/")
    supervisor.get_by_role("link", name=reference).click()
    decision = supervisor.locator("#decision-form")
    decision.get_by_label("Outcome").select_option("positive")
    decision.get_by_label("Reasons").fill("Wages withheld, passport taken by the employer.")
    decision.locator("#record-decision").click()
    expect(supervisor.locator("#case-stage")).to_have_text("Recovery and reflection")
    ends = timezone.localdate() + datetime.timedelta(days=90)  # Spain: 90 days
    assert Case.objects.get(reference=reference).reflection_ends == ends
    expect(supervisor.locator("#reflection-days")).to_contain_text("90 days left")

    # Consent (for the referral to B and for the transfer to B), needs and services.
    worker.reload()
    for purpose in ["referral", "cross_border"]:
        worker.locator("#consents summary").click()
        consent = worker.locator("#consent-form")
        consent.get_by_label("Purpose").select_option(purpose)
        consent.get_by_label("Named organisation").select_option(label="Organisation B (China)")
        consent.get_by_label("Explained in language").select_option("vi")
        consent.locator("#save-consent").click()
        expect(worker.locator(".message.success")).to_contain_text("consent was recorded")
    worker.locator("#needs summary").click()
    need = worker.locator("#need-form")
    need.get_by_label("Vulnerability level").select_option("household")
    need.get_by_label("Risk", exact=True).select_option("high")
    need.get_by_label("Risk factors").fill("Family owes the recruiter.")
    need.locator("#save-need").click()
    worker.locator("#services summary").click()
    service = worker.locator("#service-form")
    service.get_by_label("Service", exact=True).select_option("accommodation")
    service.get_by_label("Provider organisation").select_option(label="Organisation A (Spain)")
    service.locator("#save-service").click()
    expect(worker.locator("#services table")).to_contain_text("Safe accommodation")
    expect(worker.locator("#needs")).to_contain_text("Family owes the recruiter.")

    # Referral to organisation B, sharing the given name and citizenship only.
    worker.locator("#new-referral").click()
    referral = worker.locator("#referral-form")
    referral.get_by_label("Receiving organisation").select_option(label="Organisation B (China)")
    referral.get_by_label("Purpose").select_option("assistance")
    referral.get_by_label("Consent it rests on").select_option(index=1)
    referral.get_by_label("Given name").check()
    referral.get_by_label("Citizenships").check()
    referral.locator("#send-referral").click()
    expect(worker.locator("#referral-status")).to_have_text("Waiting for an answer")

    receiver = signed_in(browser, base, "caseworker-b")
    receiver.goto(f"{base}{Case.objects.get(reference=reference).get_absolute_url()}")
    expect(receiver.locator("h1")).not_to_have_text(reference)  # 404 before acceptance
    receiver.goto(f"{base}/referrals/")
    receiver.locator("#received").get_by_role("link", name=reference).click()
    expect(receiver.locator("body")).not_to_contain_text("Thi Lan")
    receiver.locator("#accept-referral").click()
    shared = receiver.locator("#shared-data")
    expect(shared).to_contain_text("Thi Lan")
    expect(shared).to_contain_text("Vietnam")
    expect(receiver.locator("body")).not_to_contain_text("Nguyen")
    expect(receiver.locator("body")).not_to_contain_text("Nguyễn Thị Lan")
    worker.goto(f"{base}/referrals/")
    expect(worker.locator("#sent")).to_contain_text("Accepted")

    # Cross-border transfer package, imported by organisation B.
    worker.goto(f"{base}/cases/{reference}/")
    worker.locator("#new-transfer").click()
    transfer = worker.locator("#transfer-form")
    transfer.get_by_label("Receiving organisation").select_option(label="Organisation B (China)")
    transfer.get_by_label("Consent it rests on").select_option(index=1)
    for field in ["Family name", "Given name", "Citizenships", "Exploitation types", "Route"]:
        transfer.get_by_label(field, exact=True).check()
    with worker.expect_download() as download:
        transfer.locator("#make-package").click()
    package = tmp_path / "package.haven.json"
    download.value.save_as(package)
    assert "Nguyen" not in package.read_text()  # encrypted for B
    receiver.goto(f"{base}/referrals/transfers/import/")
    receiver.get_by_label("Transfer package file").set_input_files(str(package))
    receiver.locator("#import-package").click()
    expect(receiver.locator("body")).to_contain_text(f"Transferred from {reference}")
    expect(receiver.locator("#person-name")).to_contain_text("Thi Lan Nguyen")
    imported = receiver.locator("#case-reference").inner_text()
    assert imported != reference
    assert Case.objects.get(reference=imported).organisation == world.org_b

    # Closure.
    worker.goto(f"{base}/cases/{reference}/")
    worker.locator("#outcome summary", has_text="Close the case").click()
    close = worker.locator("#close-form")
    close.get_by_label("Reason for closing").select_option("transferred")
    close.locator("#close-case").click()
    expect(worker.locator("#case-stage")).to_have_text("Closed")
    worker.screenshot(path="test-results/case-closed.png", full_page=True)

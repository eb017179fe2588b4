"""A cross-border transfer between two separate Haven installations, in a real browser.

Madrid is the test server (the test database); Nanjing is a second installation in its own
process with its own SQLite database and key ring. They share only files: key cards, whose
fingerprints the admins compare out of band, and the package."""

import json

import pytest
from playwright.sync_api import Browser, expect

from haven.accounts.models import Organisation
from haven.accounts.roles import Role
from haven.cases import services
from haven.cases.tests.conftest import case_input
from haven.referrals.keycards import spoken
from haven.referrals.transfer import generate_key_pair
from haven.testing.installations import Installation
from haven.testing.personas import make_personas, make_user
from tests.browser.helpers import signed_in

NANJING = "Nanjing Assistance Centre"


@pytest.fixture
def nanjing(tmp_path):
    inst = Installation(tmp_path / "nanjing")
    inst.ok("migrate", "--no-input", "-v", "0")
    inst.python(
        "from haven.referrals.tests.instance_fixtures import make_organisation as m; "
        f"m({NANJING!r}, 'CN', 'cn', two_factor=False)"
    )
    inst.ok("transfer", "keygen", "--as", "cn-admin")
    inst.ok("transfer", "card", "--as", "cn-admin", "-o", str(tmp_path / "nanjing.card"))
    yield inst
    inst.stop()


@pytest.fixture
def madrid(transactional_db):
    personas = make_personas()
    Organisation.objects.update(two_factor_required=False)
    admin = make_user("orgadmin-a", personas.org_a, Role.ORG_ADMIN)
    generate_key_pair(personas.org_a, actor=admin)
    case = services.create_case(case_input(), actor=personas.caseworker_a)
    return personas, case


def test_a_package_crosses_to_another_installation(
    browser: Browser, live_server, madrid, nanjing, tmp_path
):
    _personas, case = madrid
    base = live_server.url
    nanjing_card = tmp_path / "nanjing.card"
    fingerprint = json.loads(nanjing_card.read_text())["fingerprint"]

    # Madrid's admin hands out Madrid's card and registers Nanjing's, typing the fingerprint
    # that Nanjing's admin reads out on the telephone.
    admin = signed_in(browser, base, "orgadmin-a", 20_000)
    admin.goto(f"{base}/referrals/keys/")
    with admin.expect_download() as card_download:
        admin.locator("#download-card").click()
    madrid_card = tmp_path / "madrid.card"
    card_download.value.save_as(madrid_card)
    register = admin.locator("#register-card")
    register.get_by_label("Partner's key card").set_input_files(str(nanjing_card))
    register.get_by_label("Fingerprint, as the partner's admin read it to you").fill(
        spoken(fingerprint)
    )
    register.get_by_label("Kind of organisation (for a new one)").select_option("shelter")
    register.get_by_role("button", name="Register the key").click()
    expect(admin.locator(".message.success")).to_contain_text(NANJING)

    # Nanjing registers Madrid's card on its side.
    madrid_fingerprint = json.loads(madrid_card.read_text())["fingerprint"]
    nanjing.ok(
        "transfer", "register-card", str(madrid_card), "--as", "cn-admin",
        "--confirm", madrid_fingerprint[:16],
    )  # fmt: skip

    # Madrid's case worker records the person's consent and exports the package.
    worker = signed_in(browser, base, "caseworker-a", 20_000)
    worker.goto(f"{base}{case.get_absolute_url()}")
    worker.locator("#consents summary").click()
    consent = worker.locator("#consent-form")
    consent.get_by_label("Purpose").select_option("cross_border")
    consent.get_by_label("Named organisation").select_option(label=NANJING)
    consent.get_by_label("Explained in language").select_option("es")
    consent.locator("#save-consent").click()
    expect(worker.locator(".message.success")).to_contain_text("consent was recorded")
    worker.locator("#new-transfer").click()
    transfer = worker.locator("#transfer-form")
    transfer.get_by_label("Receiving organisation").select_option(label=NANJING)
    transfer.get_by_label("Consent it rests on").select_option(index=1)
    for field in ["Family name", "Given name", "Citizenships", "Route"]:
        transfer.get_by_label(field, exact=True).check()
    with worker.expect_download() as download:
        transfer.locator("#make-package").click()
    package = tmp_path / "package.haven.json"
    download.value.save_as(package)
    assert "García" not in package.read_text()  # encrypted for Nanjing

    # Nanjing's case worker imports it on the other installation.
    nanjing_url = nanjing.serve()
    receiver = signed_in(browser, nanjing_url, "cn-worker", 20_000)
    receiver.goto(f"{nanjing_url}/referrals/transfers/import/")
    receiver.get_by_label("Transfer package file").set_input_files(str(package))
    receiver.locator("#import-package").click()
    expect(receiver.locator("body")).to_contain_text(f"Transferred from {case.reference}")
    expect(receiver.locator("#person-name")).to_contain_text("María García López")
    assert receiver.locator("#case-reference").inner_text().startswith("HVN-")
    # The contact number was not shared: it did not travel.
    expect(receiver.locator("body")).not_to_contain_text("+34 600")
    receiver.screenshot(path="test-results/transfer-imported-second-installation.png")

"""A transfer between two separate Haven installations: each has its own SQLite database,
key ring and process, and they share nothing but the files an admin would send: key cards
(whose fingerprints are compared out of band) and the package."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from haven.testing.installations import Installation

SPAIN, CHINA = "Madrid Support Centre", "Nanjing Assistance Centre"


def _refusals_register_nothing(madrid: Installation, tmp: Path) -> None:
    """A wrongly read fingerprint, a changed card, a card for a local organisation or one
    registered by a non-admin: each refused, and Madrid still does not know Nanjing."""
    cn_card = tmp / "cn.card"
    wrong = madrid.run(
        "transfer", "register-card", str(cn_card), "--as", "es-admin", "--confirm", "0" * 16
    )
    assert wrong.returncode == 2 and "does not match the card" in wrong.stderr
    card = json.loads(cn_card.read_text())
    forged = tmp / "forged.card"
    forged.write_text(json.dumps({**card, "organisation": "Someone Else"}))
    result = madrid.run(
        "transfer", "register-card", str(forged), "--as", "es-admin",
        "--confirm", card["fingerprint"][:16],
    )  # fmt: skip
    assert result.returncode == 2 and "changed after it was made" in result.stderr
    hijack = madrid.run(
        "transfer", "register-card", str(cn_card), "--as", "es-admin",
        "--confirm", card["fingerprint"][:16], "--organisation", SPAIN,
    )  # fmt: skip
    assert hijack.returncode == 2 and "works on this Haven installation" in hijack.stderr
    worker = madrid.run(
        "transfer", "register-card", str(cn_card), "--as", "es-worker",
        "--confirm", card["fingerprint"][:16],
    )  # fmt: skip
    assert worker.returncode == 2 and "organisation admin" in worker.stderr
    assert "Nanjing" not in madrid.ok("transfer", "keys", "--as", "es-admin")


def _fingerprint(card: Path) -> str:
    return str(json.loads(card.read_text())["fingerprint"])


@pytest.fixture
def two_installations(tmp_path):
    # Migrating takes a while; both start from a copy of one empty, migrated data directory
    # (no keys, no rows) and get their own key rings.
    empty = Installation(tmp_path / "empty")
    empty.ok("migrate", "--no-input", "-v", "0")
    madrid = Installation(tmp_path / "madrid", template=empty.root)
    nanjing = Installation(tmp_path / "nanjing", template=empty.root)
    setup = "from haven.referrals.tests.instance_fixtures import make_organisation as m; "
    for inst, name, country, prefix in (
        (madrid, SPAIN, "ES", "es"),
        (nanjing, CHINA, "CN", "cn"),
    ):
        inst.python(setup + f"m({name!r}, {country!r}, {prefix!r})")
        inst.ok("transfer", "keygen", "--as", f"{prefix}-admin")
        inst.ok(
            "transfer", "card", "--as", f"{prefix}-admin", "-o", str(tmp_path / f"{prefix}.card")
        )
    return madrid, nanjing, tmp_path


def test_a_package_crosses_between_two_installations(two_installations):
    madrid, nanjing, tmp = two_installations
    es_card, cn_card = tmp / "es.card", tmp / "cn.card"
    package = tmp / "case.haven.json"
    _refusals_register_nothing(madrid, tmp)

    madrid.ok(
        "transfer", "register-card", str(cn_card), "--as", "es-admin",
        "--confirm", _fingerprint(cn_card)[:16], "--kind", "shelter",
    )  # fmt: skip
    nanjing.ok(
        "transfer", "register-card", str(es_card), "--as", "cn-admin",
        "--confirm", _fingerprint(es_card)[:16],
    )  # fmt: skip

    reference = madrid.python(
        "from haven.referrals.tests.instance_fixtures import make_returning_case as m; "
        f"m('es-worker', {CHINA!r})"
    ).strip()
    assert reference.startswith("HVN-")
    madrid.ok(
        "transfer", "export", reference, "--as", "es-worker", "--to", CHINA,
        "--fields", "family_name,given_name,name_original,date_of_birth,route", "-o", str(package),
    )  # fmt: skip

    # A changed byte in the ciphertext: refused, nothing imported.
    doc = json.loads(package.read_text())
    cipher = bytearray(doc["ciphertext"], "ascii")
    cipher[10] = ord("A") if cipher[10] != ord("A") else ord("B")
    tampered = tmp / "tampered.haven.json"
    tampered.write_text(json.dumps({**doc, "ciphertext": cipher.decode()}))
    refused = nanjing.run("transfer", "import", str(tampered), "--as", "cn-worker")
    assert refused.returncode == 2 and "changed after it was signed" in refused.stderr

    count = "from haven.cases.models import Case; print(Case.objects.count())"
    assert nanjing.python(count).strip() == "0"

    imported = nanjing.ok("transfer", "import", str(package), "--as", "cn-worker")
    assert f"from {reference}" in imported and SPAIN in imported
    shown = nanjing.python(
        "from haven.cases.models import Case; c = Case.objects.get(); p = c.person; "
        "print(c.transferred_from_reference, p.family_name, p.given_name, p.name_original, "
        "p.date_of_birth, c.organisation.name, sep='|')"
    ).strip()
    assert shown == f"{reference}|ZHANG|XIAOLI|张小丽|1999-03-12|{CHINA}"
    # Fields that were not shared did not travel.
    contact = nanjing.python(
        "from haven.cases.models import Case; c = Case.objects.get(); "
        "print(repr(c.person.contact), c.exploitation_types)"
    ).strip()
    assert contact == "'' []"

    # The same package cannot be opened by the installation that sent it.
    back = madrid.run("transfer", "import", str(package), "--as", "es-worker")
    assert back.returncode == 2 and "addressed to another organisation" in back.stderr

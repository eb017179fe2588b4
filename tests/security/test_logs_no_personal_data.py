"""A full demo run, with the root logger at DEBUG: no name, contact or document number of any
seeded person appears in the logs. (Removing the INFO floor on django.template or
django.db.backends in settings.LOGGING makes this fail: both print user input at DEBUG.)"""

import logging
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from tests.security.crawl import (
    PERSONA_NAMES,
    api_operations,
    clients,
    concrete_url,
    url_patterns,
    visit_api,
)
from tests.security.world import SEEDED, build_world

pytestmark = pytest.mark.django_db


def _personal_values() -> set[str]:
    values = set(SEEDED.values())
    try:
        from haven.cases.models import IdentityDocument, Person
    except ImportError:
        return values
    for person in Person.objects.all():
        # Whole names, and each part long enough not to be an everyday word or a place name
        # ("Tran" is in "Transfer", "Hong" in "Asia/Hong_Kong").
        latin = f"{person.given_name} {person.family_name}".strip()
        parts = [person.family_name, person.given_name, person.name_original, person.contact]
        for text in [latin, *parts, *(person.aliases or [])]:
            if text and (len(text) >= 6 or " " in text):
                values.add(text)
    for document in IdentityDocument.objects.all():
        values.add(document.number)
    return values


def test_logs_of_a_full_demo_run_hold_no_personal_data(personas, caplog):
    # Other tests in the same process (Dask's cluster, for one) may have reconfigured logging;
    # this test is about what Haven writes when its logging is on, so switch it back on.
    logging.disable(logging.NOTSET)
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if isinstance(logger, logging.Logger) and name.split(".")[0] in ("django", "haven"):
            logger.disabled = False
            logger.propagate = True
    caplog.set_level(logging.DEBUG)  # the root logger: every record that Haven lets through
    logging.getLogger("haven.security").warning("log capture probe")
    connection.force_debug_cursor = True  # SQL too, if the logging settings let it through
    try:
        call_command("seed_demo", password="demo-password-for-tests")
        world = build_world(personas)
        # Sign in through the real form as several demo users, and look around.
        from haven.accounts.models import User

        demo_users = list(User.objects.exclude(pk__in=[u.pk for u in personas.all().values()]))
        assert len(demo_users) >= 5
        for user in demo_users[:8]:
            client = Client()
            response = client.post(
                "/accounts/login/",
                {"username": user.username, "password": "demo-password-for-tests"},
            )
            assert response.status_code == 302
            for path in ("/", "/cases/", "/referrals/", "/screening/", "/directory/", "/stats/"):
                client.get(path)
            try:
                from haven.cases.models import Case

                for case in Case.objects.filter(organisation=user.organisation)[:3]:
                    client.get(f"/cases/{case.reference}/")
                    client.get(f"/api/v1/cases/{case.reference}")
            except ImportError:
                pass
        # Every route and API operation, as every persona.
        made = clients(personas)
        for route in url_patterns():
            url = concrete_url(route, world)
            for persona in PERSONA_NAMES:
                made[persona].get(url)
                made[persona].get(url, {"q": SEEDED["family_name"]})
        for operation in api_operations():
            for persona in PERSONA_NAMES:
                visit_api(made[persona], operation, world)
        # Failed sign-ins with a name typed in the username field.
        Client().post("/accounts/login/", {"username": SEEDED["given_name"], "password": "x"})
    finally:
        connection.force_debug_cursor = False
    values = _personal_values()
    assert len(values) > 20
    # The capture was on for Haven's loggers (a record sent through them arrived).
    assert any(r.getMessage() == "log capture probe" for r in caplog.records)
    patterns = {v: re.compile(r"(?<!\w)" + re.escape(v) + r"(?!\w)") for v in values}
    found = []
    for record in caplog.records:
        text = record.getMessage() + (caplog.handler.format(record) if record.exc_info else "")
        for value, pattern in patterns.items():
            match = pattern.search(text)
            if match:
                start = max(0, match.start() - 80)
                found.append(f"{record.name}: {value!r} in …{text[start : match.end() + 40]}…")
    assert found == [], "personal data in the logs:\n" + "\n".join(found[:20])

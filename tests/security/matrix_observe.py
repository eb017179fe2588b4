"""Prints the observed status of every route and API operation for every persona, in the
format of tests/security/matrix.py, to help write rows for new URLs (then review them!):

    .venv/bin/pytest -q -s tests/security/matrix_observe.py

A drafting helper, not a test: its name does not match test_*.py, so the suite never collects
it; it runs only when named explicitly.
"""

from collections import Counter

import pytest

from tests.security.crawl import (
    PERSONA_NAMES,
    api_operations,
    clients,
    concrete_url,
    url_patterns,
    visit_api,
    visit_page,
)
from tests.security.world import build_world

pytestmark = [pytest.mark.django_db]


def _row(key, statuses):
    default, _n = Counter(statuses.values()).most_common(1)[0]
    extra = ", ".join(f"{name}={code}" for name, code in statuses.items() if code != default)
    return f"    {key!r}: E({default}{', ' if extra else ''}{extra}),"


def test_observe(personas):
    world = build_world(personas)
    print("\n# world problems:", world.problems)
    made = clients(personas)
    print("PAGES = {")
    for route in url_patterns():
        url = concrete_url(route, world)
        print(_row(route, {n: visit_page(made[n], url).status for n in PERSONA_NAMES}))
    print("}\nAPI = {")
    for op in api_operations():
        print(_row(op, {n: visit_api(made[n], op, world).status for n in PERSONA_NAMES}))
    print("}")

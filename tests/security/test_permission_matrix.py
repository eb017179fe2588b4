"""Every route and every API operation, as every persona, against tests/security/matrix.py."""

import re

import pytest

from haven.accounts.roles import PERSONAL_DATA_ROLES
from tests.security import matrix
from tests.security.crawl import (
    PERSONA_NAMES,
    api_operations,
    clients,
    concrete_url,
    url_patterns,
    visit_api,
    visit_page,
)
from tests.security.world import SEEDED, build_world

pytestmark = pytest.mark.django_db


def test_every_route_has_a_row():
    routes = set(url_patterns())
    missing = sorted(routes - set(matrix.PAGES))
    stale = sorted(set(matrix.PAGES) - routes)
    assert not missing, f"add these routes to tests/security/matrix.py PAGES: {missing}"
    assert not stale, f"these rows name no route any more: {stale}"


def test_every_api_operation_has_a_row():
    operations = set(api_operations())
    missing = sorted(operations - set(matrix.API))
    stale = sorted(set(matrix.API) - operations)
    assert not missing, f"add these operations to tests/security/matrix.py API: {missing}"
    assert not stale, f"these rows name no operation any more: {stale}"


def test_the_table_gives_nobody_outside_the_policy_a_page_of_the_person():
    """A read of one case or referral (a route with a reference or id) answers 200 only to
    personal-data roles."""
    for key, expected in {**matrix.PAGES, **matrix.API}.items():
        if not re.search(r"[<{][^>}]*(reference|referral_id|screening_id)[>}]", key):
            continue
        for persona in matrix.NEVER_SEE_PERSONAL_DATA:
            assert expected[persona] != 200, (key, persona)


def test_personas_hold_the_roles_the_table_assumes(personas):
    for name in matrix.SEES_THE_PERSON:
        user = getattr(personas, name)
        assert user.roles & PERSONAL_DATA_ROLES and user.organisation == personas.org_a
    for name in matrix.NEVER_SEE_PERSONAL_DATA - {"anonymous"}:
        assert not getattr(personas, name).roles & PERSONAL_DATA_ROLES


def _seeded_in(body: bytes) -> list[str]:
    text = body.decode("utf-8", errors="replace")
    return [value for value in SEEDED.values() if value in text]


def test_the_matrix(personas):
    world = build_world(personas)
    assert not world.problems, world.problems
    made = clients(personas)
    wrong: list[str] = []
    leaks: list[str] = []
    for route in url_patterns():
        url = concrete_url(route, world)
        for persona in PERSONA_NAMES:
            seen = visit_page(made[persona], url)
            if seen.status != matrix.PAGES[route][persona]:
                wrong.append(
                    f"{route} as {persona}: {seen.status}, table says {matrix.PAGES[route][persona]}"
                )
            if persona not in matrix.SEES_THE_PERSON and _seeded_in(seen.body):
                leaks.append(f"{route} as {persona}: {_seeded_in(seen.body)}")
    for operation in api_operations():
        for persona in PERSONA_NAMES:
            seen = visit_api(made[persona], operation, world)
            if seen.status != matrix.API[operation][persona]:
                wrong.append(
                    f"{operation} as {persona}: {seen.status}, table says {matrix.API[operation][persona]}"
                )
            if persona not in matrix.SEES_THE_PERSON and _seeded_in(seen.body):
                leaks.append(f"{operation} as {persona}: {_seeded_in(seen.body)}")
    assert not leaks, "personal data reached someone outside the policy:\n" + "\n".join(leaks)
    assert not wrong, "answers differ from the table:\n" + "\n".join(wrong)


def test_the_people_who_may_see_the_person_do_see_them(personas, client_for):
    """Guards the leak check above: the seeded values really are on the case page."""
    world = build_world(personas)
    response = client_for(personas.caseworker_a).get(concrete_url("cases/<str:reference>/", world))
    assert response.status_code == 200
    assert _seeded_in(response.content)

"""Walk every URL pattern and every API operation, as every persona."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from haven.testing.personas import Personas
from tests.security.world import MISSING_ID, World

ANONYMOUS = "anonymous"
PERSONA_NAMES = (
    ANONYMOUS,
    "caseworker_a",
    "caseworker_b",
    "screener_a",
    "supervisor_a",
    "investigator_a",
    "analyst_a",
    "admin",
)


def url_patterns() -> list[str]:
    """Every route, written as Django shows it: "cases/<str:reference>/"."""

    def walk(patterns: list[Any], prefix: str) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    routes = list(walk(get_resolver().url_patterns, ""))
    return sorted(set(routes))


def api_operations() -> list[str]:
    from haven.api.urls import api

    schema = api.get_openapi_schema()
    return sorted(
        f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops
    )


# Routes whose text is a regular expression, or that need a value chosen by hand.
URL_OVERRIDES = {
    "admin/^(?P<app_label>auth|accounts|directory)/$": "/admin/accounts/",
    "admin/(?P<url>.*)$": "/admin/no-such-page/",
}


def _admin_object_id(route: str) -> str:
    from django.apps import apps

    match = re.match(r"admin/(\w+)/(\w+)/", route)
    if not match:
        return str(MISSING_ID)
    try:
        model = apps.get_model(match.group(1), match.group(2))
    except LookupError:
        return str(MISSING_ID)
    first = model._default_manager.order_by("pk").first()
    return str(first.pk) if first else str(MISSING_ID)


def concrete_url(route: str, world: World) -> str:
    if route in URL_OVERRIDES:
        return URL_OVERRIDES[route]
    values = {
        "reference": world.case_reference,
        "job_id": world.export_job_id,
        "consent_id": world.consent_id,
        "service_id": world.service_id,
        "referral_id": world.referral_id,
        "screening_id": world.screening_id,
        "action": "start-screening",
        "object_ref": f"user:{world.personas.caseworker_a.pk}",
        "content_type_id": "1",
        "id": str(world.personas.caseworker_a.pk),
    }

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "object_id":
            return _admin_object_id(route)
        return str(values.get(name, MISSING_ID))

    return "/" + re.sub(r"[<{](?:\w+:)?(\w+)[>}]", fill, route)


def clients(personas: Personas) -> dict[str, Client]:
    made = {ANONYMOUS: Client()}
    for name in PERSONA_NAMES[1:]:
        client = Client()
        client.force_login(getattr(personas, name))
        made[name] = client
    return made


@dataclass(frozen=True)
class Seen:
    status: int
    content_type: str
    body: bytes


def visit_page(client: Client, url: str) -> Seen:
    response = client.get(url)
    return Seen(response.status_code, response.get("Content-Type", ""), response.content)


def visit_api(client: Client, operation: str, world: World) -> Seen:
    method, path = operation.split(" ", 1)
    url = concrete_url(path.lstrip("/"), world)
    if method == "GET":
        response = client.get(url)
    else:
        response = client.generic(method, url, b"{}", content_type="application/json")
    return Seen(response.status_code, response.get("Content-Type", ""), response.content)

"""Fixtures shared by every app's tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from haven.lib.translations import compile_catalogues
from haven.testing.personas import Personas, make_personas


def pytest_sessionstart(session: pytest.Session) -> None:
    # The .mo files are build products: make sure the tests see the current catalogues.
    compile_catalogues(Path(settings.LOCALE_PATHS[0]))


@pytest.fixture
def personas(db: None) -> Personas:
    return make_personas()


@pytest.fixture
def client_for():
    """A signed-in test client for a persona: client_for(personas.caseworker_a)."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make

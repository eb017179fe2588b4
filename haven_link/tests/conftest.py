from __future__ import annotations

import pytest

from haven_link import LinkageSecret, default_schema
from haven_link._schema import Schema


@pytest.fixture(scope="session")
def schema() -> Schema:
    return default_schema()


@pytest.fixture(scope="session")
def secret() -> LinkageSecret:
    return LinkageSecret(b"shared-between-two-agencies-only")


@pytest.fixture(scope="session")
def other_secret() -> LinkageSecret:
    return LinkageSecret(b"a-completely-different-secret!!")

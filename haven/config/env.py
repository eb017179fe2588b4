"""Typed readers for settings that come from the environment.

Every helper fails loudly with ConfigError, whose message is one line that names the variable,
so that a bad deployment stops at start-up instead of misbehaving later.
"""

from __future__ import annotations

import os
import zoneinfo
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit


class ConfigError(Exception):
    """A setting in the environment is missing or malformed."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str, environ: Mapping[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    return environ.get(name, default)


def env_bool(name: str, default: bool, environ: Mapping[str, str] | None = None) -> bool:
    environ = os.environ if environ is None else environ
    if name not in environ:
        return default
    value = environ[name].strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false, not {environ[name]!r}")


def env_int(
    name: str, default: int, *, minimum: int = 0, environ: Mapping[str, str] | None = None
) -> int:
    environ = os.environ if environ is None else environ
    if name not in environ:
        return default
    try:
        value = int(environ[name])
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {environ[name]!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {value}")
    return value


def env_list(
    name: str, default: Sequence[str], environ: Mapping[str, str] | None = None
) -> list[str]:
    environ = os.environ if environ is None else environ
    if name not in environ:
        return list(default)
    return [item.strip() for item in environ[name].split(",") if item.strip()]


def env_choice(
    name: str, default: str, choices: Sequence[str], environ: Mapping[str, str] | None = None
) -> str:
    value = env_str(name, default, environ)
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def env_time_zone(name: str, default: str, environ: Mapping[str, str] | None = None) -> str:
    value = env_str(name, default, environ)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{name} is not a known time zone: {value!r}") from None
    return value


def database_from_url(url: str, *, name: str = "DATABASE_URL") -> dict[str, Any]:
    """Turn `sqlite:///path` or `postgres://user:pass@host:port/db` into a DATABASES entry."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ConfigError(f"{name} is malformed: {exc}") from None
    if parts.scheme == "sqlite":
        # sqlite:////abs/file is an absolute path, sqlite:///rel/file a relative one.
        path = unquote(parts.path)[1:]
        if parts.netloc or not path or path == "/":
            raise ConfigError(f"{name} must look like sqlite:////absolute/path.sqlite3")
        return sqlite_database(Path(path))
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        database = unquote(parts.path.lstrip("/"))
        if not parts.hostname or not database:
            raise ConfigError(f"{name} must look like postgres://user:password@host:5432/database")
        options = dict(parse_qsl(parts.query))
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": database,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname,
            "PORT": str(port or 5432),
            "OPTIONS": options,
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "TEST": {"NAME": f"test_{database}"},
        }
    raise ConfigError(f"{name} has an unsupported scheme {parts.scheme!r}: use sqlite or postgres")


def sqlite_database(path: Path) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            # WAL lets readers proceed while one writer commits; IMMEDIATE takes the write lock
            # at BEGIN so that concurrent writers wait instead of failing half-way.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }

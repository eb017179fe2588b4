import os
import subprocess
import sys

import pytest

from haven.config.env import (
    ConfigError,
    database_from_url,
    env_bool,
    env_choice,
    env_int,
    env_time_zone,
)


def test_booleans_are_strict():
    assert env_bool("X", False, {"X": "yes"}) is True
    assert env_bool("X", True, {"X": "off"}) is False
    assert env_bool("X", True, {}) is True
    with pytest.raises(ConfigError, match="X must be true or false"):
        env_bool("X", False, {"X": "maybe"})


def test_integers_have_a_minimum():
    assert env_int("N", 5, environ={"N": "7"}) == 7
    with pytest.raises(ConfigError, match="whole number"):
        env_int("N", 5, environ={"N": "seven"})
    with pytest.raises(ConfigError, match="at least 0"):
        env_int("N", 5, environ={"N": "-1"})


def test_choices_and_time_zones():
    assert env_choice("L", "en", ["en", "es"], {"L": "es"}) == "es"
    with pytest.raises(ConfigError, match="must be one of en, es"):
        env_choice("L", "en", ["en", "es"], {"L": "xx"})
    assert env_time_zone("T", "UTC", {"T": "Asia/Shanghai"}) == "Asia/Shanghai"
    with pytest.raises(ConfigError, match="not a known time zone"):
        env_time_zone("T", "UTC", {"T": "Mars/Olympus"})


def test_postgres_url_is_parsed():
    db = database_from_url("postgres://haven:s%40cret@db.example:6543/haven?sslmode=require")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "haven",
        "s@cret",
        "db.example",
        "6543",
        "haven",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_sqlite_url_uses_wal():
    db = database_from_url("sqlite:////tmp/haven.sqlite3")
    assert db["NAME"] == "/tmp/haven.sqlite3"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]


@pytest.mark.parametrize(
    "url",
    ["mysql://x@y/z", "postgres://host-only", "postgres://h:notaport/db", "sqlite://", "nonsense"],
)
def test_malformed_database_urls_are_refused(url):
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        database_from_url(url)


def _haven(env_changes, *args):
    env = {**os.environ, **env_changes}
    return subprocess.run(
        [sys.executable, "-m", "haven.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DATABASE_URL": "postgres://nowhere"}, "DATABASE_URL must look like"),
        ({"HAVEN_LANGUAGE_CODE": "klingon"}, "HAVEN_LANGUAGE_CODE must be one of"),
        ({"HAVEN_SECRET_KEY": "", "HAVEN_DEBUG": "false"}, "HAVEN_SECRET_KEY"),
        ({"HAVEN_SECRET_KEY": "short", "HAVEN_DEBUG": "false"}, "at least 32 characters"),
    ],
)
def test_bad_configuration_stops_start_up_with_one_line(env, expected):
    result = _haven(env, "check")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("haven: configuration error:")
    assert expected in lines[0]
    assert "Traceback" not in result.stderr


def test_production_refuses_the_development_key():
    result = _haven(
        {
            "HAVEN_DEBUG": "false",
            "HAVEN_SECRET_KEY": "haven-development-key-never-use-in-production",
        },
        "check",
    )
    assert result.returncode == 2
    assert "HAVEN_SECRET_KEY" in result.stderr

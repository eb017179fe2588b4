"""`haven check --deploy` with production settings reports nothing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path, **extra):
    """Production settings: debug off, a real secret key, TLS-only cookies, HSTS, redirect."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HAVEN_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    env.update(
        HAVEN_DATA_DIR=str(tmp_path),
        HAVEN_SECRET_KEY="production-like-" + "k7Qz9xV2mN4pR8tY1wE6uI3oP5aS0dF" * 2,
        HAVEN_SECURE_COOKIES="true",
        HAVEN_HSTS_SECONDS="31536000",
        HAVEN_SSL_REDIRECT="true",
        HAVEN_ALLOWED_HOSTS="haven.example.org",
        HAVEN_PLAIN_STATIC="true",  # no collectstatic in a test: static files from the apps
        HAVEN_ENCRYPTION_KEYS=os.environ["HAVEN_ENCRYPTION_KEYS"],
        HAVEN_INDEX_KEY=os.environ["HAVEN_INDEX_KEY"],
    )
    env.update(extra)
    return env


def _run(tmp_path, **extra):
    env = _env(tmp_path, **extra)
    return subprocess.run(
        [sys.executable, "-m", "haven.cli", "check", "--deploy", "--fail-level", "DEBUG"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_silent_with_production_settings(tmp_path):
    result = _run(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "warning"),
    [("HAVEN_SECURE_COOKIES", "security.W012"), ("HAVEN_HSTS_SECONDS", "security.W004")],
)
def test_check_deploy_notices_a_missing_protection(tmp_path, variable, warning):
    result = _run(tmp_path, **{variable: "false" if variable.endswith("COOKIES") else "0"})
    assert result.returncode != 0
    assert warning in result.stdout + result.stderr


def test_production_responses_carry_hsts_and_secure_cookies(tmp_path):
    code = (
        "from django.test import Client;"
        "c = Client(HTTP_HOST='haven.example.org', **{'wsgi.url_scheme': 'https'});"
        "r = c.get('/accounts/login/', secure=True);"
        "print(r.status_code, r.get('Strict-Transport-Security'), r.cookies['csrftoken']['secure']);"
        "r2 = Client(HTTP_HOST='haven.example.org').get('/accounts/login/');"
        "print(r2.status_code, r2.get('Location'))"
    )
    env = _env(tmp_path, DJANGO_SETTINGS_MODULE="haven.config.settings")
    subprocess.run(
        [sys.executable, "-m", "haven.cli", "migrate", "-v0"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=180,
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup();" + code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.splitlines()
    assert first.startswith("200 max-age=31536000; includeSubDomains; preload True")
    assert second.startswith("301 https://haven.example.org/accounts/login/")

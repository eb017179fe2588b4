"""Writes interrupted by kill -9 of the server leave the whole change or none of it.

gunicorn serves Haven on a free port, against SQLite and against PostgreSQL (a dedicated
database, haven_faults_<pid>). Threads keep issuing API tokens (a token row and its audit row, in one
transaction) while the server is killed with SIGKILL at a random moment, 20 times: mostly its
workers (which do the writes; the master forks new ones), every fifth time the whole process
group, master included, and the server is started again. Afterwards the audit chain verifies,
and every token has exactly its one audit row."""

import os
import random
import threading
import time

import psycopg
import pytest

from tests.security.faults import (
    env_for,
    free_port,
    haven,
    kill_hard,
    kill_workers,
    post_json,
    start_server,
    wait_ready,
)

KILLS = 20
CHECK = """
from haven.accounts.models import ApiToken
from haven.audit.models import AuditEvent
tokens = set(ApiToken.objects.values_list("pk", flat=True))
audited = [e.detail.get("token") for e in AuditEvent.objects.filter(action="token_issued")]
print(len(tokens), len(audited), len(set(audited)), tokens == set(audited))
"""
SETUP = """
from haven.accounts.models import Organisation, RoleGrant, User
org = Organisation.objects.create(name="Faults", country="ES", kind="ngo", two_factor_required=False)
user = User.objects.create_user("writer", password="writer-password-123", organisation=org)
RoleGrant.objects.create(user=user, role="caseworker")
"""


def _hammer(url: str, stop: threading.Event, answers: list[int]) -> None:
    while not stop.is_set():
        try:
            answers.append(
                post_json(url, {"username": "writer", "password": "writer-password-123"}, 20)
            )
        except OSError:
            time.sleep(0.02)  # the server is down: try again until told to stop


def _run_faults(env) -> None:
    haven(env, "migrate", "--noinput", "-v0")
    haven(env, "shell", "-c", SETUP)
    rng = random.Random(20261129)
    answers: list[int] = []
    server = None
    stop = threading.Event()
    threads: list[threading.Thread] = []
    killed_workers = 0
    for round_ in range(KILLS):
        if server is None:
            port = free_port()
            server = start_server(env, port)
            stop = threading.Event()
            url = f"http://127.0.0.1:{port}/api/v1/auth/token"
            threads = [
                threading.Thread(target=_hammer, args=(url, stop, answers)) for _ in range(6)
            ]
            for thread in threads:
                thread.start()
        time.sleep(rng.uniform(0.2, 1.2))
        if round_ % 5 == 4:
            kill_hard(server)
            server = None
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
        else:
            killed_workers += kill_workers(server)
            wait_ready(server, port)
    if server is not None:
        kill_hard(server)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert killed_workers >= KILLS
    assert answers.count(200) > KILLS, "the server never wrote anything: the test proves nothing"
    assert 500 not in answers
    verified = haven(env, "audit", "verify")
    assert "audit chain intact" in verified.stdout
    last_line = haven(env, "shell", "-c", CHECK).stdout.strip().splitlines()[-1]
    tokens, audited, distinct, same = last_line.split()
    assert same == "True", f"{tokens} tokens, {audited} audit rows ({distinct} distinct)"
    assert audited == distinct


def test_kill_9_on_sqlite_loses_nothing_half_written(tmp_path):
    _run_faults(env_for(tmp_path))


def test_kill_9_on_postgresql_loses_nothing_half_written(tmp_path):
    admin = "postgres://postgres@127.0.0.1:5432/postgres"
    name = f"haven_faults_{os.getpid()}"  # one per test process: runs may overlap
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}")
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is not reachable on 127.0.0.1:5432: {exc}")
    try:
        _run_faults(env_for(tmp_path, f"postgres://postgres@127.0.0.1:5432/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

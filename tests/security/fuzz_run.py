"""`make fuzz`: schemathesis against Haven's API, from its OpenAPI schema.

A throw-away data directory with the demo world, gunicorn on a free localhost port, a bearer
token of a demo case worker; schemathesis (from its own venv, var/fuzz-venv) sends a fixed budget
of generated requests per operation and checks that none gets a server error and that every
response matches the schema. Prints what it tried and what failed; the exit status is
schemathesis's.

    python tests/security/fuzz_run.py --st var/fuzz-venv/bin/st [--max-examples 30] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from haven.lib.crypto import new_key  # noqa: E402
from tests.security.faults import free_port, haven, kill_hard, start_server  # noqa: E402

DEMO_USER = "es-ngo-caseworker"
PASSWORD = "fuzz-demo-password"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--st", required=True, help="the schemathesis command")
    parser.add_argument("--max-examples", type=int, default=30)
    parser.add_argument("--seed", type=int, default=20261129)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="haven-fuzz-"))
    (data_dir / "static").mkdir()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        HAVEN_DATA_DIR=str(data_dir),
        HAVEN_SECRET_KEY=new_key() + new_key(),
        HAVEN_ENCRYPTION_KEYS=f"fuzz:{new_key()}",
        HAVEN_INDEX_KEY=new_key(),
        HAVEN_SECURE_COOKIES="false",
        HAVEN_PLAIN_STATIC="true",
        HAVEN_LOG_LEVEL="WARNING",
        # Every generated token request with a wrong password counts as a failure from
        # 127.0.0.1: the address lock-out would end the run early.
        HAVEN_LOCKOUT_ADDRESS_FAILURES="1000000",
        HAVEN_LOCKOUT_ACCOUNT_FAILURES="1000000",
    )
    print(f"fuzz: data in {data_dir}; migrating and seeding the demo world", flush=True)
    haven(env, "migrate", "--noinput", "-v0")
    haven(env, "seed-demo", "--password", PASSWORD)
    port = free_port()
    server = start_server(env, port)
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        request = urllib.request.Request(  # noqa: S310  (localhost, built here)
            f"{base}/auth/token",
            data=json.dumps({"username": DEMO_USER, "password": PASSWORD}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            token = json.load(response)["token"]
        report = data_dir / "report.json"
        command = [
            args.st,
            "run",
            f"{base}/openapi.json",
            "--url",
            # The schema's paths carry the /api/v1 prefix themselves.
            f"http://127.0.0.1:{port}",
            "--header",
            f"Authorization: Bearer {token}",
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,"
            "response_schema_conformance",
            "--max-examples",
            str(args.max_examples),
            "--seed",
            str(args.seed),
            "--workers",
            "1",
            "--generation-allow-x00",
            "false",
            "--report-ndjson-path",
            str(report),
            "--report",
            "ndjson",
        ]
        print(
            "fuzz: "
            + " ".join(c if "Bearer" not in c else "Authorization: Bearer …" for c in command),
            flush=True,
        )
        result = subprocess.run(command, cwd=ROOT, check=False)
        print(f"fuzz: schemathesis exit status {result.returncode}; events in {report}")
        return result.returncode
    finally:
        kill_hard(server)


if __name__ == "__main__":
    sys.exit(main())

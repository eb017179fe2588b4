"""Helpers to run Haven under gunicorn in a child process, and to kill it hard."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def env_for(data_dir: Path, database_url: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["HAVEN_DATA_DIR"] = str(data_dir)
    env["HAVEN_LOG_LEVEL"] = "WARNING"
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def haven(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "haven.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=check,
    )


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            GUNICORN,
            "haven.config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--timeout",
            "60",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: kill -9 reaches every worker
    )
    try:
        wait_ready(process, port)
    except RuntimeError:
        kill_hard(process)
        raise
    return process


def wait_ready(process: subprocess.Popen[bytes], port: int) -> None:
    """Ready when a worker answers, not merely when the port is open."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=30)
            return
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited")
        time.sleep(0.1)
    raise RuntimeError("gunicorn did not answer")


def kill_hard(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (name) state ppid ...": the name may hold spaces, so split after the ")".
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def kill_workers(process: subprocess.Popen[bytes]) -> int:
    """SIGKILL every worker (they do the writes); the master starts new ones."""
    workers = children(process.pid)
    for pid in workers:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return len(workers)


def post_json(url: str, body: dict[str, object], timeout: float = 10) -> int:
    request = urllib.request.Request(  # noqa: S310  (an http:// URL built by the test)
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)

"""A separate Haven installation for tests: its own data directory, SQLite database, key ring
and processes, driven through the `haven` command (and, if asked, serving HTTP)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from haven.lib.crypto import new_key


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Installation:
    def __init__(self, root: Path, template: Path | None = None) -> None:
        if template is None:
            root.mkdir()
            (root / "static").mkdir()
        else:
            shutil.copytree(template, root)
        self.root = root
        self.server: subprocess.Popen[bytes] | None = None
        # Only what an installation reads: nothing inherited from the test run's settings.
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("HAVEN_", "DATABASE"))}
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.env.update(
            HAVEN_DEBUG="true",
            HAVEN_DATA_DIR=str(root),
            HAVEN_ENCRYPTION_KEYS=f"k1:{new_key()}",
            HAVEN_INDEX_KEY=new_key(),
            HAVEN_FAST_HASHING_FOR_TESTS="true",
            HAVEN_PLAIN_STATIC="true",
            HAVEN_LOG_LEVEL="WARNING",
        )

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "haven.cli", *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )

    def ok(self, *args: str) -> str:
        result = self.run(*args)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def python(self, code: str) -> str:
        return self.ok("shell", "--no-imports", "-c", code)

    def serve(self) -> str:
        """Start the installation's web server; returns its base URL."""
        port = free_port()
        self.server = subprocess.Popen(
            [sys.executable, "-m", "haven.cli", "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/accounts/login/", timeout=2):  # noqa: S310
                    return url
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("the second installation did not start serving within 60 s")

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=20)
            self.server = None

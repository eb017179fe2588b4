"""Loaded with `-p` before pytest-django configures Django: test runs use production-like
settings (HAVEN_DEBUG off) with a key that exists only for tests, and a data directory of
their own so that they never touch the demo's database in var/."""

import os
import tempfile
from pathlib import Path

from haven.lib.crypto import new_key

_data_dir = Path(tempfile.mkdtemp(prefix="haven-tests-"))
(_data_dir / "static").mkdir()

os.environ.setdefault("HAVEN_SECRET_KEY", "tests-only-secret-key-0123456789abcdef0123456789")
os.environ.setdefault("HAVEN_SECURE_COOKIES", "false")
os.environ.setdefault("HAVEN_PLAIN_STATIC", "true")
os.environ["HAVEN_DATA_DIR"] = str(_data_dir)
# Fresh keys for every run: nothing a test writes can be read with a key from the repository.
os.environ.setdefault("HAVEN_ENCRYPTION_KEYS", f"test1:{new_key()}")
os.environ.setdefault("HAVEN_INDEX_KEY", new_key())
os.environ.setdefault("HAVEN_FAST_HASHING_FOR_TESTS", "true")

"""Keys derived from the secret shared by the two partners.

The secret never leaves the partners: each field gets its own HKDF-SHA256 key, and the
encodings carry only a fingerprint (an HMAC of a constant) so that files made with
different secrets are recognised and refused rather than silently compared.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ._errors import InputError

MIN_SECRET_BYTES = 16
_SALT = b"haven-link/v1"


@dataclass(frozen=True, slots=True)
class LinkageSecret:
    """A shared secret; ``repr`` never shows it."""

    value: bytes

    def __post_init__(self) -> None:
        if len(self.value) < MIN_SECRET_BYTES:
            raise InputError(f"secret must have at least {MIN_SECRET_BYTES} bytes")

    def __repr__(self) -> str:
        return "LinkageSecret(<hidden>)"

    @classmethod
    def from_file(cls, path: str | Path) -> LinkageSecret:
        try:
            raw = Path(path).read_bytes().strip()
        except OSError as exc:
            raise InputError(f"cannot read secret file {path}: {exc.strerror}") from exc
        return cls(raw)

    def derive(self, purpose: str, size: int = 32) -> bytes:
        return HKDF(
            algorithm=hashes.SHA256(), length=size, salt=_SALT, info=purpose.encode()
        ).derive(self.value)

    def fingerprint(self) -> str:
        key = self.derive("fingerprint")
        return hmac.new(key, b"haven-link key check", hashlib.sha256).hexdigest()[:32]

"""Encryption of personal data at rest, and blind indexes for exact-match search.

Values are sealed with AES-256-GCM under the active key of a key ring; older keys stay in the
ring so that data written before a rotation can still be read (`haven keys rotate` re-seals it).
A sealed value reads `hv1:<key id>:<base64 nonce+ciphertext>`; the associated data names the
field it belongs to, so a ciphertext copied into another column does not decrypt.

Blind indexes are HMAC-SHA256 of a normalised value under a separate key: equal inputs give
equal indexes, and nothing about the value can be read back from one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "hv1"
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class CryptoKeyError(Exception):
    """A key is missing, malformed, or cannot open a value."""


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def new_key() -> str:
    return _b64encode(os.urandom(32))


@dataclass(frozen=True)
class KeyRing:
    keys: tuple[tuple[str, bytes], ...]  # (id, 32-byte key), the first is active
    index_key: bytes

    @classmethod
    def parse(cls, keys_text: str, index_key_text: str) -> KeyRing:
        keys: list[tuple[str, bytes]] = []
        for item in re.split(r"[,\n]", keys_text):
            item = item.strip()
            if not item or item.startswith("#"):
                continue
            key_id, _, encoded = item.partition(":")
            if not _KEY_ID.match(key_id) or not encoded:
                raise CryptoKeyError("encryption keys must be written as id:base64key")
            try:
                raw = _b64decode(encoded)
            except ValueError:
                raise CryptoKeyError(f"encryption key {key_id} is not valid base64") from None
            if len(raw) != 32:
                raise CryptoKeyError(f"encryption key {key_id} must be 32 bytes")
            keys.append((key_id, raw))
        if not keys:
            raise CryptoKeyError("no encryption key is configured")
        if len({key_id for key_id, _ in keys}) != len(keys):
            raise CryptoKeyError("two encryption keys share an id")
        try:
            index_key = _b64decode(index_key_text.strip())
        except ValueError:
            raise CryptoKeyError("the blind index key is not valid base64") from None
        if len(index_key) < 32:
            raise CryptoKeyError("the blind index key must be at least 32 bytes")
        return cls(tuple(keys), index_key)

    @property
    def active_id(self) -> str:
        return self.keys[0][0]

    def _key(self, key_id: str) -> bytes:
        for candidate, raw in self.keys:
            if candidate == key_id:
                return raw
        raise CryptoKeyError(f"encryption key {key_id} is not in the key ring")

    def seal(self, plaintext: str, context: str) -> str:
        nonce = os.urandom(12)
        sealed = AESGCM(self.keys[0][1]).encrypt(nonce, plaintext.encode(), context.encode())
        return f"{PREFIX}:{self.active_id}:{_b64encode(nonce + sealed)}"

    def open(self, token: str, context: str) -> str:
        prefix, key_id, body = _split(token)
        if prefix != PREFIX:
            raise CryptoKeyError("not a sealed value")
        data = _b64decode(body)
        try:
            plain = AESGCM(self._key(key_id)).decrypt(data[:12], data[12:], context.encode())
        except InvalidTag:
            raise CryptoKeyError(
                "a sealed value failed authentication (wrong key or tampered)"
            ) from None
        return plain.decode()

    def key_id_of(self, token: str) -> str:
        return _split(token)[1]

    def blind_index(self, value: str, purpose: str) -> str:
        normalised = normalise_for_index(value)
        mac = hmac.new(self.index_key, f"{purpose}\x00{normalised}".encode(), hashlib.sha256)
        return mac.hexdigest()


def _split(token: str) -> tuple[str, str, str]:
    parts = token.split(":", 2)
    if len(parts) != 3:
        raise CryptoKeyError("not a sealed value")
    return parts[0], parts[1], parts[2]


def normalise_for_index(value: str) -> str:
    """Case, accents, width and spacing do not matter for an exact-match search."""
    text = unicodedata.normalize("NFKD", value.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[\s\-_.,'’·]+", "", text)


def _read(env_name: str, file_env_name: str, default_file: str) -> str:
    if os.environ.get(env_name):
        return os.environ[env_name]
    path = os.environ.get(file_env_name) or default_file
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError:
        raise CryptoKeyError(
            f"{env_name} is not set and {path} cannot be read: run `haven keys init`"
        ) from None


@lru_cache(maxsize=1)
def key_ring() -> KeyRing:
    from django.conf import settings

    data_dir = str(settings.DATA_DIR)
    keys = _read(
        "HAVEN_ENCRYPTION_KEYS", "HAVEN_ENCRYPTION_KEYS_FILE", f"{data_dir}/encryption.keys"
    )
    index = _read("HAVEN_INDEX_KEY", "HAVEN_INDEX_KEY_FILE", f"{data_dir}/index.key")
    return KeyRing.parse(keys, index)

"""Time-based one-time codes (RFC 6238) and single-use recovery codes.

TOTP comes from `cryptography` (already a dependency for the key ring): 6 digits, SHA-1 and
30-second steps, which is what every authenticator app reads from an otpauth:// URI. One step
of clock drift either way is accepted, and each step only once.
"""

from __future__ import annotations

import base64
import hmac
import os
import secrets
import time
from urllib.parse import quote, urlencode

from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor import InvalidToken
from cryptography.hazmat.primitives.twofactor.totp import TOTP
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from haven.accounts.models import User
from haven.security.models import RecoveryCode, TwoFactorDevice

DIGITS = 6
STEP = 30
ISSUER = "Haven"
RECOVERY_CODE_COUNT = 10


def new_secret() -> str:
    return base64.b32encode(os.urandom(20)).decode().rstrip("=")


def _key(secret: str) -> bytes:
    return base64.b32decode(secret + "=" * (-len(secret) % 8))


def _totp(secret: str) -> TOTP:
    return TOTP(_key(secret), DIGITS, SHA1(), STEP, enforce_key_length=False)  # noqa: S303


def code_at(secret: str, when: float) -> str:
    return _totp(secret).generate(int(when)).decode()


def provisioning_uri(secret: str, account: str) -> str:
    label = quote(f"{ISSUER}:{account}")
    query = urlencode({"secret": secret, "issuer": ISSUER, "digits": DIGITS, "period": STEP})
    return f"otpauth://totp/{label}?{query}"


def _matching_step(secret: str, code: str, now: float) -> int | None:
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdigit():
        return None
    totp = _totp(secret)
    current = int(now) // STEP
    for step in (current, current - 1, current + 1):
        try:
            totp.verify(code.encode(), step * STEP)
        except InvalidToken:
            continue
        return step
    return None


def device_for(user: User) -> TwoFactorDevice | None:
    return TwoFactorDevice.objects.filter(user=user).first()


def has_confirmed_device(user: User) -> bool:
    return TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def start_enrolment(user: User) -> TwoFactorDevice:
    """An unconfirmed authenticator, created once and shown until a code confirms it."""
    device, _created = TwoFactorDevice.objects.get_or_create(
        user=user, defaults={"secret": new_secret()}
    )
    return device


def check_code(device: TwoFactorDevice, code: str, *, now: float | None = None) -> bool:
    """True once per time step for a right code; a replayed code is refused."""
    step = _matching_step(device.secret, code, time.time() if now is None else now)
    if step is None:
        return False
    with transaction.atomic():
        updated = TwoFactorDevice.objects.filter(pk=device.pk, last_step__lt=step).update(
            last_step=step
        )
    return updated == 1


def confirm_enrolment(device: TwoFactorDevice, code: str) -> bool:
    if not check_code(device, code):
        return False
    TwoFactorDevice.objects.filter(pk=device.pk).update(confirmed_at=timezone.now())
    return True


def _hash_recovery(code: str) -> str:
    normalised = "".join(code.split()).replace("-", "").lower()
    return salted_hmac("haven.security.recovery", normalised, algorithm="sha256").hexdigest()


def new_recovery_codes(user: User) -> list[str]:
    """Replaces any earlier codes; the plain codes are shown once and never stored."""
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(user=user, code_hash=_hash_recovery(code)) for code in codes
        )
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    wanted = _hash_recovery(code)
    for candidate in RecoveryCode.objects.filter(user=user, used_at__isnull=True):
        if hmac.compare_digest(candidate.code_hash, wanted):
            return (
                RecoveryCode.objects.filter(pk=candidate.pk, used_at__isnull=True).update(
                    used_at=timezone.now()
                )
                == 1
            )
    return False


def verify_second_factor(user: User, code: str) -> bool:
    """A code from the confirmed authenticator, or an unused recovery code."""
    device = TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    if device is not None and check_code(device, code):
        return True
    return use_recovery_code(user, code)

"""The registrations for objects this part of Haven owns: user accounts."""

from __future__ import annotations

from django.db import transaction

from haven.accounts.models import ApiToken, Organisation, User
from haven.security.erasure import register_erasable
from haven.security.models import RecoveryCode, TwoFactorDevice
from haven.security.policy import register_owner


def _user_owner(rest: str) -> Organisation | None:
    if not rest.isdigit():
        return None
    user = User.objects.filter(pk=int(rest)).select_related("organisation").first()
    return user.organisation if user else None


def erase_user(rest: str) -> bool:
    """A staff member's own personal data: the account stays (audit rows point at it), but
    names and e-mail are removed and it can no longer sign in."""
    if not rest.isdigit():
        return False
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=int(rest)).first()
        if user is None:
            return False
        user.username = f"erased-{user.pk}"
        user.first_name = ""
        user.last_name = ""
        user.email = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        ApiToken.objects.filter(user=user).delete()
        TwoFactorDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
    return True


def register() -> None:
    register_owner("user", _user_owner)
    register_erasable("user", erase_user)

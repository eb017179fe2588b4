"""How screening reaches case management without importing it.

The cases app registers a handler at start-up; screening calls it when the screener refers a
person for identification, and announces completed screenings (so that a non-punishment flag
reaches the case owner at once).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.dispatch import Signal

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.screening.models import Screening

# Sent with screening= and assessment= (a haven.screening.rules.Assessment) inside the
# transaction that completes a screening.
screening_completed = Signal()

# (screening, actor, person details from the referral form) -> case reference
ReferralHandler = Callable[["Screening", "User", dict[str, Any]], str]
_referral_handler: list[ReferralHandler] = []


class ReferralRefusedError(Exception):
    """Raised by a handler when case management refuses; the message is for the user."""


def register_referral_handler(handler: ReferralHandler) -> None:
    _referral_handler[:] = [handler]


def referral_handler() -> ReferralHandler | None:
    return _referral_handler[0] if _referral_handler else None

"""Notifications: a message key and parameters (references and dates, never names),
translated when the recipient reads them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import User
from haven.accounts.roles import Role
from haven.cases.models import Notification

MESSAGES: dict[str, Promise] = {
    "case_assigned": _("Case %(reference)s was assigned to you."),
    "referred_for_identification": _(
        "Case %(reference)s was referred for identification; a reasonable-grounds decision is "
        "due by %(due)s."
    ),
    "decision_recorded": _("A %(kind)s decision (%(outcome)s) was recorded on case %(reference)s."),
    "reflection_started": _(
        "The recovery and reflection period of case %(reference)s runs until %(ends)s."
    ),
    "stage_changed": _("Case %(reference)s moved to the stage: %(stage)s."),
    "consent_withdrawn": _("A consent on case %(reference)s was withdrawn."),
    "referral_received": _(
        "Your organisation received a referral of case %(reference)s; please answer by %(due)s."
    ),
    "referral_accepted": _("Your referral of case %(reference)s was accepted."),
    "referral_declined": _("Your referral of case %(reference)s was declined."),
    "transfer_imported": _("A transfer package was imported as case %(reference)s."),
    "export_ready": _("Your export %(job)s is ready to download."),
    "non_punishment": _(
        "Case %(reference)s: the person was met in custody or detention and screened as a "
        "presumed victim. They must not be punished for acts they were compelled to commit."
    ),
}

# Parameters whose values are choice keys, translated with their label when shown.
_CHOICE_PARAMS = {"kind", "outcome", "stage"}


def render_message(key: str, params: dict[str, Any]) -> str:
    from haven.cases.choices import DecisionKind, Outcome, Stage

    template = MESSAGES.get(key)
    if template is None:
        return key
    labels: dict[str, Any] = {}
    for name, value in params.items():
        if name in _CHOICE_PARAMS:
            for choices in (DecisionKind, Outcome, Stage):
                if value in choices.values:
                    value = str(choices(value).label)
                    break
        labels[name] = value
    try:
        return str(template) % labels
    except (KeyError, TypeError, ValueError):
        return str(template)


def notify(recipients: Iterable[User | None], reference: str, key: str, **params: Any) -> None:
    assert key in MESSAGES, key
    seen: set[int] = set()
    rows = []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                recipient=user,
                case_reference=reference,
                message_key=key,
                params={"reference": reference, **params},
            )
        )
    Notification.objects.bulk_create(rows)


def organisation_users(organisation_id: int, *roles: Role) -> list[User]:
    return list(
        User.objects.filter(
            organisation_id=organisation_id, is_active=True, role_grants__role__in=roles
        ).distinct()
    )

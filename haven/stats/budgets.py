"""Who may set a dataset's privacy budget, and the one service function that changes it.

An organisation admin or a supervisor sets the budget of their own organisation's dataset (of
the network's, for those of an international organisation). Raising epsilon or delta needs a
reason; no total may go below what the dataset's releases have already spent. The change, its
``BudgetChange`` row and the audit event are written in one transaction, under the same row
lock that serialises releases, so a release and a change never interleave.
"""

from __future__ import annotations

import math
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from haven.accounts.models import Organisation, User
from haven.accounts.roles import Role
from haven.audit.models import AuditEvent
from haven.audit.services import record_event
from haven.security.policy import require
from haven.stats.models import BudgetChange
from haven.stats.releases import dataset_of, ledger_for, lock_budget

BUDGET_ROLES = (Role.ORG_ADMIN, Role.SUPERVISOR)
# A total may equal what was spent up to float rounding (the ledger's own slack).
_SLACK = 1e-9


class BudgetPolicy:
    """``stats.budget.view`` / ``stats.budget.change`` on a dataset name."""

    def allows(self, user: Any, permission: str, obj: str | None = None) -> bool:
        if permission not in ("stats.budget.view", "stats.budget.change") or obj is None:
            return False
        if not (user.is_active and user.has_role(*BUDGET_ROLES)):
            return False
        return bool(obj == dataset_of(user))


BUDGET_POLICY = BudgetPolicy()


def object_ref(dataset: str) -> str:
    return f"privacy-budget:{dataset}"


def dataset_owner(dataset: str) -> Organisation | None:
    """The organisation a dataset belongs to (for the owner registry): its organisation, or
    for the network's dataset the international organisation holding it."""
    if dataset == "network":
        kind = Organisation.Kind.INTERNATIONAL
        return Organisation.objects.filter(kind=kind).order_by("pk").first()
    prefix, _sep, pk = dataset.partition("-")
    if prefix != "organisation" or not pk.isdigit():
        return None
    return Organisation.objects.filter(pk=int(pk)).first()


def may_set_budget(user: User) -> bool:
    return BUDGET_POLICY.allows(user, "stats.budget.change", dataset_of(user))


def require_budget(user: Any, permission: str) -> str:
    """The user's dataset, if they may ``permission`` it; otherwise refused and audited."""
    dataset = dataset_of(user) if getattr(user, "is_authenticated", False) else None
    require(user, permission, dataset, policy=BUDGET_POLICY, object_ref=object_ref(dataset or ""))
    assert dataset is not None
    return dataset


class BudgetChangeRefusedError(Exception):
    """The change breaks a rule; ``errors`` maps a form field ("" for the whole form) to why."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _valid_totals(epsilon: float, delta: float) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not (math.isfinite(epsilon) and epsilon > 0):
        errors["epsilon"] = _("The total epsilon must be a positive number.")
    if not (math.isfinite(delta) and 0 <= delta < 1):
        errors["delta"] = _("The total delta must be at least 0 and below 1.")
    return errors


def set_budget(*, actor: User, epsilon: float, delta: float, reason: str) -> BudgetChange:
    """Set the actor's dataset's total (epsilon, delta), or raise
    :class:`BudgetChangeRefusedError` and change nothing."""
    dataset = require_budget(actor, "stats.budget.change")  # audited refusal, not rolled back
    reason = reason.strip()
    errors = _valid_totals(epsilon, delta)
    if errors:
        raise BudgetChangeRefusedError(errors)
    with transaction.atomic():
        budget = lock_budget(dataset)
        ledger = ledger_for(dataset, budget)
        if epsilon * (1 + _SLACK) < ledger.spent_epsilon:
            errors["epsilon"] = _(
                "The total epsilon cannot be set below what releases have already spent "
                "(%(spent)s)."
            ) % {"spent": f"{ledger.spent_epsilon:g}"}
        if delta * (1 + _SLACK) < ledger.spent_delta:
            errors["delta"] = _(
                "The total delta cannot be set below what releases have already spent (%(spent)s)."
            ) % {"spent": f"{ledger.spent_delta:g}"}
        raised = epsilon > budget.epsilon or delta > budget.delta
        if raised and not reason:
            errors["reason"] = _("Give the reason for raising the budget.")
        if not errors and epsilon == budget.epsilon and delta == budget.delta:
            errors[""] = _("The budget is unchanged.")
        if errors:
            raise BudgetChangeRefusedError(errors)
        change = BudgetChange.objects.create(
            dataset=dataset,
            epsilon_before=budget.epsilon,
            epsilon_after=epsilon,
            delta_before=budget.delta,
            delta_after=delta,
            reason=reason,
            changed_by=actor,
        )
        budget.epsilon, budget.delta = epsilon, delta
        budget.save(update_fields=["epsilon", "delta"])
        record_event(
            AuditEvent.Action.UPDATE,
            actor=actor,
            object_ref=object_ref(dataset),
            detail={
                "epsilon": [change.epsilon_before, epsilon],
                "delta": [change.delta_before, delta],
                "raised": raised,
                "reason": reason,
                "change": change.pk,
            },
        )
    return change

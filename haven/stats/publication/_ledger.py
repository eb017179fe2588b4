"""The privacy budget ledger of one dataset: pure logic, persisted by the Django side.

Releases compose sequentially (basic composition): the epsilons of all spends add up, and so
do the deltas. A ledger is append-only; :meth:`BudgetLedger.from_rows` rebuilds one from the
stored ``(epsilon, delta, label, at)`` rows, in any order (they are sorted by time).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from ._errors import BudgetExceededError, InvalidSpecError

# Sums of floats such as 10 x 0.1 must not be refused for rounding: a spend may exceed the
# budget by this relative slack at most (far below anything that matters for privacy).
_SLACK = 1e-9


def _check_epsilon(epsilon: float) -> float:
    if not (isinstance(epsilon, (int, float)) and math.isfinite(epsilon) and epsilon > 0):
        raise InvalidSpecError(f"epsilon must be a positive finite number, not {epsilon!r}")
    return float(epsilon)


def _check_delta(delta: float) -> float:
    if not (isinstance(delta, (int, float)) and 0 <= delta < 1):
        raise InvalidSpecError(f"delta must be in [0, 1), not {delta!r}")
    return float(delta)


@dataclass(frozen=True, slots=True)
class BudgetSpend:
    """One release's spend: what the Django side stores."""

    epsilon: float
    delta: float
    label: str
    at: datetime

    def __post_init__(self) -> None:
        _check_epsilon(self.epsilon)
        _check_delta(self.delta)
        if self.at.tzinfo is None:
            raise InvalidSpecError("a spend's time must be timezone-aware")


class BudgetLedger:
    """The spends against one dataset's total (epsilon, delta) budget."""

    def __init__(
        self,
        dataset: str,
        *,
        epsilon_budget: float,
        delta_budget: float = 0.0,
        spends: Iterable[BudgetSpend] = (),
    ) -> None:
        self.dataset = dataset
        self.epsilon_budget = _check_epsilon(epsilon_budget)
        self.delta_budget = _check_delta(delta_budget)
        # Past spends are history: they are kept even if they exceed today's budget.
        self._spends: list[BudgetSpend] = sorted(spends, key=lambda s: s.at)

    @classmethod
    def from_rows(
        cls,
        dataset: str,
        rows: Iterable[tuple[float, float, str, datetime]],
        *,
        epsilon_budget: float,
        delta_budget: float = 0.0,
    ) -> BudgetLedger:
        """Rebuild a ledger from stored ``(epsilon, delta, label, at)`` rows."""
        spends = [BudgetSpend(float(e), float(d), str(label), at) for e, d, label, at in rows]
        return cls(dataset, epsilon_budget=epsilon_budget, delta_budget=delta_budget, spends=spends)

    @property
    def entries(self) -> tuple[BudgetSpend, ...]:
        return tuple(self._spends)

    @property
    def spent_epsilon(self) -> float:
        return math.fsum(s.epsilon for s in self._spends)

    @property
    def spent_delta(self) -> float:
        return math.fsum(s.delta for s in self._spends)

    @property
    def remaining_epsilon(self) -> float:
        return max(0.0, self.epsilon_budget - self.spent_epsilon)

    @property
    def remaining_delta(self) -> float:
        return max(0.0, self.delta_budget - self.spent_delta)

    def _refusal(self, epsilon: float, delta: float) -> str | None:
        epsilon, delta = _check_epsilon(epsilon), _check_delta(delta)
        eps_after = self.spent_epsilon + epsilon
        delta_after = self.spent_delta + delta
        if eps_after > self.epsilon_budget * (1 + _SLACK):
            return (
                f"dataset {self.dataset!r}: a release with epsilon {epsilon:g} would bring the "
                f"total to {eps_after:g}, over the budget of {self.epsilon_budget:g} "
                f"({self.remaining_epsilon:g} left)"
            )
        if delta > 0 and delta_after > self.delta_budget * (1 + _SLACK):
            return (
                f"dataset {self.dataset!r}: a release with delta {delta:g} would bring the "
                f"total to {delta_after:g}, over the budget of {self.delta_budget:g} "
                f"({self.remaining_delta:g} left)"
            )
        return None

    def can_spend(self, epsilon: float, delta: float = 0.0) -> bool:
        """Whether a release of (epsilon, delta) fits in what is left."""
        return self._refusal(epsilon, delta) is None

    def spend(
        self, epsilon: float, delta: float = 0.0, *, label: str, at: datetime | None = None
    ) -> BudgetSpend:
        """Record a spend, or raise :class:`BudgetExceededError` and record nothing."""
        refusal = self._refusal(epsilon, delta)
        if refusal is not None:
            raise BudgetExceededError(refusal)
        entry = BudgetSpend(float(epsilon), float(delta), label, at or datetime.now(UTC))
        self._spends.append(entry)
        return entry

    def __repr__(self) -> str:
        return (
            f"BudgetLedger({self.dataset!r}, spent epsilon {self.spent_epsilon:g} of "
            f"{self.epsilon_budget:g}, delta {self.spent_delta:g} of {self.delta_budget:g})"
        )

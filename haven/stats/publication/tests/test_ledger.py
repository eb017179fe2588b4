from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from haven.stats.publication import (
    BudgetExceededError,
    BudgetLedger,
    InvalidSpecError,
    TableSpec,
    compute_release,
    synthetic_cases,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_refuses_a_release_over_the_budget_and_records_nothing() -> None:
    ledger = BudgetLedger("network-2026", epsilon_budget=1.0)
    ledger.spend(0.6, label="first", at=T0)
    assert ledger.can_spend(0.4)
    assert not ledger.can_spend(0.5)
    with pytest.raises(BudgetExceededError, match=r"over the budget of 1 \(0.4 left\)"):
        ledger.spend(0.5, label="second")
    assert [s.label for s in ledger.entries] == ["first"]
    assert ledger.spent_epsilon == pytest.approx(0.6)


def test_many_small_spends_add_up_exactly_to_the_budget() -> None:
    ledger = BudgetLedger("d", epsilon_budget=1.0)
    for i in range(10):
        ledger.spend(0.1, label=f"r{i}", at=T0 + timedelta(days=i))
    assert ledger.remaining_epsilon == pytest.approx(0.0, abs=1e-12)
    assert not ledger.can_spend(1e-6)


def test_delta_has_its_own_budget() -> None:
    ledger = BudgetLedger("d", epsilon_budget=10.0, delta_budget=1e-6)
    ledger.spend(1.0, 6e-7, label="a", at=T0)
    with pytest.raises(BudgetExceededError, match="delta"):
        ledger.spend(1.0, 6e-7, label="b", at=T0)
    ledger.spend(1.0, 4e-7, label="c", at=T0)


def test_rebuilt_from_stored_rows_in_any_order() -> None:
    rows = [(0.5, 0.0, "second", T0 + timedelta(days=1)), (0.25, 0.0, "first", T0)]
    ledger = BudgetLedger.from_rows("d", rows, epsilon_budget=1.0)
    assert [s.label for s in ledger.entries] == ["first", "second"]
    assert ledger.remaining_epsilon == pytest.approx(0.25)
    assert not ledger.can_spend(0.3)


def test_history_over_a_lowered_budget_is_kept_but_blocks_new_spends() -> None:
    ledger = BudgetLedger.from_rows("d", [(2.0, 0.0, "old", T0)], epsilon_budget=1.0)
    assert ledger.spent_epsilon == 2.0
    assert ledger.remaining_epsilon == 0.0
    assert not ledger.can_spend(0.01)


@pytest.mark.parametrize("epsilon", [0.0, -1.0, float("inf"), float("nan")])
def test_bad_epsilon_is_refused(epsilon: float) -> None:
    ledger = BudgetLedger("d", epsilon_budget=1.0)
    with pytest.raises(InvalidSpecError):
        ledger.spend(epsilon, label="x")


def test_naive_datetimes_are_refused() -> None:
    ledger = BudgetLedger("d", epsilon_budget=1.0)
    with pytest.raises(InvalidSpecError, match="timezone"):
        ledger.spend(0.1, label="x", at=datetime(2026, 1, 1))  # noqa: DTZ001


def test_compute_release_books_the_spend_and_refuses_when_over() -> None:
    records = synthetic_cases(200, seed=3)
    ledger = BudgetLedger("d", epsilon_budget=1.0)
    release = compute_release(
        records,
        [TableSpec(("sex",))],
        epsilon=0.75,
        years=range(2015, 2026),
        ledger=ledger,
        label="Q1",
    )
    assert release.epsilon == 0.75
    assert [(s.epsilon, s.label) for s in ledger.entries] == [(0.75, "Q1")]
    with pytest.raises(BudgetExceededError):
        compute_release(
            records, [TableSpec(("sex",))], epsilon=0.5, years=range(2015, 2026), ledger=ledger
        )
    assert len(ledger.entries) == 1

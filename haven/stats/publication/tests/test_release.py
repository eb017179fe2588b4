"""Differential privacy through OpenDP.

OpenDP draws its noise from a secure source and cannot be seeded, so the statistical tests use
many draws and tolerances of several standard deviations: 200 runs x 50 cells = 10,000 draws;
the coverage of a 95 % interval has a standard error of 0.0022 there, and the tests accept
anything above 0.94 (4.5 standard errors below 0.95: a false failure about once in 300,000
runs). Where the exact coverage can be computed (discrete Laplace), it is compared too.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from typing import Any, cast

import numpy as np
import opendp.prelude as dp
import pytest

from haven.stats.htcds import ISO_COUNTRIES
from haven.stats.publication import (
    CaseRecord,
    InvalidSpecError,
    TableSpec,
    compute_release,
    default_delta,
    default_tables,
    laplace_measurement,
    noisy_open_table,
    noisy_table,
    prepare,
    synthetic_cases,
    threshold_measurement,
)

dp.enable_features("contrib")

RUNS = 200
YEARS = range(2015, 2026)


def _exact_discrete_laplace_coverage(scale: float, margin: int) -> float:
    r = math.exp(-1 / scale)
    return 1 - 2 * r ** (margin + 1) / (1 + r)


def test_laplace_noise_is_applied_and_the_interval_covers_at_the_stated_rate() -> None:
    exact = [0, 1, 2, 5, 10, 20, 50, 100, 1000, 5000] * 5
    draws: list[int] = []
    covered = 0
    margins = set()
    for _ in range(RUNS):
        counts, intervals, scale, margin = noisy_table(exact, sensitivity=1, epsilon=0.5)
        margins.add(margin)
        assert all(c >= 0 for c in counts)  # clamped
        covered += sum(lo <= t <= hi for t, (lo, hi) in zip(exact, intervals, strict=True))
        draws += [c - t for c, t in zip(counts, exact, strict=True) if t >= 1000]
    assert scale == pytest.approx(2.0)
    (margin,) = margins
    coverage = covered / (RUNS * len(exact))
    expected = _exact_discrete_laplace_coverage(2.0, margin)
    assert expected >= 0.95
    assert 0.94 <= coverage <= 0.99
    assert abs(coverage - expected) < 5 * math.sqrt(expected * (1 - expected) / (RUNS * len(exact)))
    # Really noised: the unclamped errors look like discrete Laplace(2): mean 0, variance ~ 8.
    assert sum(d == 0 for d in draws) / len(draws) < 0.35
    assert abs(statistics.fmean(draws)) < 0.3
    assert 6.0 < statistics.pvariance(draws) < 10.5


def test_gaussian_noise_covers_at_the_stated_rate() -> None:
    exact = [0, 3, 30, 300, 3000] * 10
    covered = 0
    errors: list[int] = []
    for _ in range(RUNS):
        counts, intervals, scale, _margin = noisy_table(
            exact, sensitivity=3, epsilon=1.0, delta=1e-6, mechanism="gaussian"
        )
        covered += sum(lo <= t <= hi for t, (lo, hi) in zip(exact, intervals, strict=True))
        errors += [c - t for c, t in zip(counts, exact, strict=True) if t == 3000]
    coverage = covered / (RUNS * len(exact))
    assert 0.94 <= coverage <= 0.995
    assert sum(e == 0 for e in errors) / len(errors) < 0.2
    assert statistics.pstdev(errors) == pytest.approx(scale, rel=0.15)


def test_scale_and_margin_are_certified_by_opendp() -> None:
    records = synthetic_cases(500, seed=1)
    tables = [*default_tables(), TableSpec(("exploitation_type", "means_of_control"), weight=2)]
    release = compute_release(records, tables, epsilon=1.0, years=YEARS)
    assert math.fsum(t.epsilon for t in release.tables) <= 1.0
    assert release.tables[-1].epsilon == pytest.approx(2 * release.tables[0].epsilon)
    for table in release.tables:
        assert laplace_measurement(table.scale).map(table.sensitivity) <= table.epsilon
        assert table.margin == math.floor(
            dp.discrete_laplacian_scale_to_accuracy(table.scale, 0.05)
        )
        for cell in table.cells:
            assert cell.lower <= max(cell.count, cell.lower) <= cell.upper


def test_gaussian_release_certifies_epsilon_and_delta() -> None:
    records = synthetic_cases(300, seed=2)
    release = compute_release(
        records,
        [TableSpec(("sex",)), TableSpec(("means_of_control",))],
        epsilon=1.0,
        delta=1e-6,
        mechanism="gaussian",
        years=YEARS,
    )
    from haven.stats.publication import gaussian_measurement

    for table in release.tables:
        eps, delta = gaussian_measurement(table.scale, table.delta).map(
            math.sqrt(table.sensitivity)
        )
        assert eps <= table.epsilon + 1e-12
        assert delta == table.delta == pytest.approx(5e-7)


def test_domains_are_public_a_rare_country_changes_no_keys() -> None:
    base = [CaseRecord(2020, citizenship="VN", country_of_exploitation="GB")] * 30
    rare = [*base, CaseRecord(2020, citizenship="TV", country_of_exploitation="TV")]
    specs = [TableSpec(("citizenship",)), TableSpec(("country_of_exploitation", "sex"))]
    a = compute_release(base, specs, epsilon=1.0, years=YEARS)
    b = compute_release(rare, specs, epsilon=1.0, years=YEARS)
    for ta, tb in zip(a.tables, b.tables, strict=True):
        assert [c.key for c in ta.cells] == [c.key for c in tb.cells]
    assert len(a.tables[0].cells) == len(ISO_COUNTRIES) + 1


def test_records_outside_the_public_years_are_not_counted() -> None:
    records = [CaseRecord(2014), CaseRecord(2016), CaseRecord(2016)]
    prepared = prepare(records, years=[2015, 2016])
    assert prepared.excluded == 1
    assert prepared.counts(TableSpec(("year",))).tolist() == [0, 2]


def test_counts_match_opendp_count_by_categories() -> None:
    records = synthetic_cases(400, seed=4)
    prepared = prepare(records, years=YEARS)
    for dim in ("sex", "age_band", "citizenship", "route"):
        categories = prepared.categories(dim)
        values = [categories[i] for i in prepared._codes[dim].tolist()]
        count = dp.t.make_count_by_categories(
            dp.vector_domain(dp.atom_domain(T=str)),
            dp.symmetric_distance(),
            categories=list(categories),
            null_category=False,
        )
        assert count(values) == prepared.counts(TableSpec((dim,))).tolist()
        assert cast(Any, count).map(1) == 1  # the sensitivity handed to the Laplace measurement


def test_contribution_bounding_limits_each_person() -> None:
    many = frozenset(["threats", "debt bondage", "takes earnings", "physical abuse", "other"])
    records = [CaseRecord(2020, means_of_control=many) for _ in range(50)]
    prepared = prepare(records, years=YEARS, bounds={"means_of_control": 2}, seed=0)
    assert prepared.truncated["means_of_control"] == 50
    counts = prepared.counts(TableSpec(("means_of_control",)))
    assert counts.sum() == 100
    assert prepared.sensitivity(TableSpec(("means_of_control",))) == 2
    assert prepared.sensitivity(TableSpec(("exploitation_type", "means_of_control"))) == 4
    assert prepared.sensitivity(TableSpec(("sex", "means_of_control"))) == 2
    # Truncation keeps values at random, not always the first ones.
    assert np.count_nonzero(counts) == 5


@pytest.mark.parametrize(
    "spec",
    [
        ("means_of_control",),
        ("sex", "means_of_control"),
        ("exploitation_type", "means_of_control"),
        ("year", "route"),
        ("citizenship",),
    ],
)
def test_one_person_moves_the_count_vector_by_at_most_the_sensitivity(
    spec: tuple[str, ...],
) -> None:
    records = synthetic_cases(300, seed=5)
    extra = CaseRecord(
        2020,
        exploitation_types=frozenset(["forced labour", "forced begging", "other"]),
        means_of_control=frozenset(["threats", "debt bondage", "takes earnings", "other"]),
        citizenship="MM",
        country_of_exploitation="TH",
        origin="MM",
        destination="TH",
    )
    table = TableSpec(spec)
    without = prepare(records, years=YEARS, seed=9)
    with_one = prepare([*records, extra], years=YEARS, seed=9)
    change = np.abs(with_one.counts(table) - without.counts(table)).sum()
    assert 1 <= change <= without.sensitivity(table)


def test_release_requests_are_validated() -> None:
    records = synthetic_cases(50, seed=6)
    with pytest.raises(InvalidSpecError):
        compute_release(records, [TableSpec(("sex",))], epsilon=1.0)  # no years
    with pytest.raises(InvalidSpecError):
        compute_release(
            records, [TableSpec(("sex",))], epsilon=1.0, years=YEARS, mechanism="gaussian"
        )
    with pytest.raises(InvalidSpecError):
        compute_release(records, [TableSpec(("sex",))], epsilon=1.0, delta=1e-6, years=YEARS)
    with pytest.raises(InvalidSpecError):
        compute_release(records, [], epsilon=1.0, years=YEARS)
    with pytest.raises(InvalidSpecError):
        TableSpec(("sex", "sex"))
    with pytest.raises(InvalidSpecError):
        TableSpec(("sex", "year", "route"))
    with pytest.raises(InvalidSpecError):
        TableSpec(("religion",))


def _routes(counts: dict[tuple[str, str], int]) -> list[CaseRecord]:
    return [
        CaseRecord(2020, origin=origin, destination=destination)
        for (origin, destination), n in counts.items()
        for _ in range(n)
    ]


def test_country_routes_only_count_keys_present_with_both_ends_known() -> None:
    records = [
        *_routes({("MM", "CN"): 3, ("CN", "ES"): 2}),
        CaseRecord(2020, origin="MM"),
        CaseRecord(2020, destination="CN"),
    ]
    prepared = prepare(records, years=YEARS)
    spec = TableSpec(("route_country",))
    assert prepared.open_counts(spec) == {"MM → CN": 3, "CN → ES": 2}
    assert prepared.sensitivity(spec) == 1
    with pytest.raises(InvalidSpecError):
        prepared.categories("route_country")


def test_country_route_noise_is_applied_and_rare_routes_are_suppressed() -> None:
    exact = {"MM → CN": 1000, "CN → ES": 400, "VN → GB": 2, "KH → TH": 1}
    errors: list[int] = []
    covered = 0
    seen: Counter[str] = Counter()
    thresholds = set()
    # More runs than elsewhere: the bounds below sit five or more standard errors out, so
    # the test fails for a real fault, not by chance.
    runs = 1000
    for _ in range(runs):
        noisy, scale, margin, threshold = noisy_open_table(exact, epsilon=0.5, delta=1e-6)
        thresholds.add(threshold)
        seen.update(noisy.keys())
        assert all(count >= threshold for count in noisy.values())
        errors.append(noisy["MM → CN"] - 1000)
        covered += abs(noisy["CN → ES"] - 400) <= margin
    (threshold,) = thresholds
    assert scale == pytest.approx(2.0)
    # The threshold is what OpenDP certifies for (0.5, 1e-6), and no lower one would be.
    assert threshold_measurement(scale, threshold).map((1, 1, 1)) <= (0.5, 1e-6)
    assert threshold_measurement(scale, threshold - 1).map((1, 1, 1))[1] > 1e-6
    assert threshold > 2 * margin  # a route with a handful of cases cannot get through
    # Keys absent from the data never appear. Routes with one or two people are suppressed:
    # unthresholded they would show in nearly every run; the threshold lets one through
    # only with a tiny probability, so allow at most 1 run in 100 (seen here: 1 in 1,000).
    assert set(seen) <= set(exact)
    assert seen["MM → CN"] == seen["CN → ES"] == runs
    assert seen["VN → GB"] + seen["KH → TH"] <= runs // 100
    # Really noised: discrete Laplace(2) errors, mean 0, variance ~ 8.
    assert sum(e == 0 for e in errors) / len(errors) < 0.35
    assert abs(statistics.fmean(errors)) < 0.6
    assert 5.0 < statistics.pvariance(errors) < 11.5
    assert covered / runs >= 0.9


def test_a_release_with_country_routes_spends_delta_and_shows_the_threshold() -> None:
    records = [*synthetic_cases(900, seed=3), *_routes({("VN", "ES"): 1})]
    tables = [TableSpec(("sex",)), TableSpec(("route_country",))]
    release = compute_release(records, tables, epsilon=1.0, years=YEARS)
    assert (
        release.delta
        == pytest.approx(default_delta(901))
        == pytest.approx(1 / (1e3 * math.log(1e3)))
    )
    sex, routes = release.tables
    assert sex.delta == 0.0 and sex.threshold is None
    assert routes.mechanism == "laplace-threshold" and routes.delta == pytest.approx(release.delta)
    assert routes.threshold is not None and routes.threshold > 1
    assert ("VN → ES",) not in routes.as_dict()
    assert all(c.count >= routes.threshold for c in routes.cells)
    assert all(c.lower <= c.count <= c.upper for c in routes.cells)
    eps, delta = threshold_measurement(routes.scale, routes.threshold).map((1, 1, 1))
    assert eps <= routes.epsilon and delta <= routes.delta
    # The Gaussian mechanism splits delta over every table, the route table included.
    mixed = compute_release(
        records, tables, epsilon=1.0, delta=1e-6, mechanism="gaussian", years=YEARS
    )
    assert [t.delta for t in mixed.tables] == pytest.approx([5e-7, 5e-7])


def test_country_route_requests_are_validated() -> None:
    records = synthetic_cases(50, seed=6)
    routes = [TableSpec(("route_country",))]
    with pytest.raises(InvalidSpecError, match="needs a delta"):
        compute_release(records, routes, epsilon=1.0, delta=0.0, years=YEARS)
    with pytest.raises(InvalidSpecError, match="one dimension"):
        TableSpec(("year", "route_country"))
    with pytest.raises(InvalidSpecError):
        default_delta(-1)
    assert default_delta(0) == default_delta(10) == pytest.approx(1 / (10 * math.log(10)))


def test_the_ledger_refuses_a_country_route_release_over_the_delta_budget() -> None:
    from haven.stats.publication import BudgetExceededError, BudgetLedger

    records = synthetic_cases(200, seed=7)
    routes = [TableSpec(("route_country",))]
    ledger = BudgetLedger("d", epsilon_budget=10.0, delta_budget=1e-6)
    with pytest.raises(BudgetExceededError, match="delta"):
        compute_release(records, routes, epsilon=1.0, delta=2e-6, years=YEARS, ledger=ledger)
    assert ledger.entries == ()
    # The default delta (1/(n ln n) = 1.4e-3 here) is capped at a tenth of what is left.
    capped = compute_release(records, routes, epsilon=0.1, years=YEARS, ledger=ledger)
    assert capped.delta == pytest.approx(1e-7)
    compute_release(records, routes, epsilon=1.0, delta=6e-7, years=YEARS, ledger=ledger)
    with pytest.raises(BudgetExceededError, match="delta"):
        compute_release(records, routes, epsilon=1.0, delta=6e-7, years=YEARS, ledger=ledger)
    assert len(ledger.entries) == 2 and ledger.spent_delta == pytest.approx(7e-7)
    tight = BudgetLedger("e", epsilon_budget=0.5, delta_budget=1e-3)
    with pytest.raises(BudgetExceededError, match="epsilon"):
        compute_release(records, routes, epsilon=1.0, years=YEARS, ledger=tight)
    assert tight.entries == ()

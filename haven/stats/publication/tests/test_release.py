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
    default_tables,
    laplace_measurement,
    noisy_table,
    prepare,
    synthetic_cases,
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

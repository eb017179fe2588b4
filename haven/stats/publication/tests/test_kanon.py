from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haven.stats.htcds import (
    AGE_BANDS,
    EXPLOITATION_TYPES,
    GENDERS,
    METHODS_OF_CONTROL,
    HtcdsRow,
    HtcdsValue,
    read_csv,
    write_csv,
)
from haven.stats.publication import (
    DEFAULT_EXPORT_COLUMNS,
    CaseRecord,
    InvalidSpecError,
    htcds_row,
    k_anonymise,
    synthetic_cases,
)

COUNTRIES = ["VN", "CN", "TH", "MM", "KH", "LA", "GB", "IT", "NG", "RO", "TV", "AQ"]

records_strategy = st.builds(
    CaseRecord,
    year=st.integers(2010, 2026),
    sex=st.sampled_from(GENDERS),
    age_band=st.none() | st.sampled_from(AGE_BANDS),
    citizenship=st.none() | st.sampled_from(COUNTRIES),
    country_of_exploitation=st.none() | st.sampled_from(COUNTRIES),
    exploitation_types=st.frozensets(st.sampled_from(EXPLOITATION_TYPES), max_size=3),
    means_of_control=st.frozensets(st.sampled_from(METHODS_OF_CONTROL), max_size=4),
    origin=st.none() | st.sampled_from(COUNTRIES),
    destination=st.none() | st.sampled_from(COUNTRIES),
)


def _combos(rows: Sequence[HtcdsRow], columns: Sequence[str]) -> Counter[tuple[HtcdsValue, ...]]:
    return Counter(tuple(row[c] for c in columns) for row in rows)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    records=st.lists(records_strategy, max_size=250),
    k=st.integers(1, 15),
    max_suppression=st.sampled_from([0.0, 0.01, 0.05, 0.2]),
    columns=st.lists(st.sampled_from(DEFAULT_EXPORT_COLUMNS), min_size=1, unique=True),
)
def test_no_combination_of_published_values_has_fewer_than_k_rows(
    records: list[CaseRecord], k: int, max_suppression: float, columns: list[str]
) -> None:
    export = k_anonymise(records, k=k, columns=columns, max_suppression=max_suppression)
    combos = _combos(export.rows, columns)
    assert all(size >= k for size in combos.values())
    report = export.report
    assert report.rows_published + report.rows_suppressed == len(records)
    assert report.rows_published == len(export.rows)
    assert report.equivalence_classes == len(combos)
    if len(records) >= k:
        assert report.rows_suppressed <= max_suppression * len(records)
    else:
        assert export.rows == []
    # Every published row is valid HTCDS (with generalised values) and survives a round trip.
    buffer = io.StringIO()
    write_csv(export.rows, buffer, columns=columns, allow_generalised=True)
    buffer.seek(0)
    result = read_csv(buffer, allow_generalised=True)
    assert result.rejections == []
    assert result.rows == export.rows


def test_skewed_data_keeps_detail_where_groups_are_large() -> None:
    records = synthetic_cases(5000, seed=11)
    export = k_anonymise(records, k=11, max_suppression=0.05)
    assert export.report.suppression_rate <= 0.05
    assert min(_combos(export.rows, export.columns).values()) >= 11
    kept = [c for c, level in export.report.levels.items() if level != "withheld"]
    assert len(kept) >= 4, export.report.levels
    assert export.report.levels["cas_YearOfRegistration"] in ("exact", "5-year period")


def test_a_lone_rare_person_never_appears() -> None:
    common = [CaseRecord(2020, "feminine", "18-20", "VN", "GB", origin="VN")] * 20
    rare = CaseRecord(2020, "masculine", "48+", "TV", "IS", origin="TV")
    export = k_anonymise([*common, rare], k=11, max_suppression=0.1)
    assert export.report.rows_suppressed == 1
    assert all(row["prs_Nationality"] == ("VN",) for row in export.rows)
    assert export.report.levels["prs_Nationality"] == "exact"


def test_fewer_than_k_people_publish_nothing() -> None:
    export = k_anonymise([CaseRecord(2020)] * 5, k=11)
    assert export.rows == []
    assert export.report.suppression_rate == 1.0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"k": 0},
        {"k": True},
        {"max_suppression": 1.5},
        {"columns": ["prs_Gender", "prs_Gender"]},
        {"columns": ["con_Consent"]},
    ],
)
def test_bad_requests(kwargs: dict[str, Any]) -> None:
    with pytest.raises(InvalidSpecError):
        k_anonymise([CaseRecord(2020)], **kwargs)


def test_htcds_row_of_a_record_is_valid_htcds() -> None:
    record = CaseRecord(
        2021,
        "masculine",
        "9-17",
        "VN",
        "GB",
        frozenset(["forced criminality", "forced labour"]),
        frozenset(["debt bondage", "withholds documents"]),
        origin="VN",
        destination="GB",
    )
    row = htcds_row(record)
    assert row["vic_TypeOfExploitation"] == ("forced labour", "forced criminality")
    assert row["hte_Country_Exploitation"] == "GB"
    buffer = io.StringIO()
    write_csv([row], buffer, columns=DEFAULT_EXPORT_COLUMNS)
    buffer.seek(0)
    assert read_csv(buffer).rows == [row]

from __future__ import annotations

from typing import Any

import pytest

from haven.stats.publication import CaseRecord, InvalidRecordError, age_band_for


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (0, "0-8"),
        (8, "0-8"),
        (9, "9-17"),
        (17, "9-17"),
        (18, "18-20"),
        (29, "27-29"),
        (30, "30-38"),
        (47, "39-47"),
        (48, "48+"),
        (90, "48+"),
        (None, None),
    ],
)
def test_age_bands(age: int | None, band: str | None) -> None:
    assert age_band_for(age) == band


def test_negative_age_is_refused() -> None:
    with pytest.raises(InvalidRecordError):
        age_band_for(-1)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"sex": "female"},
        {"age_band": "18-25"},
        {"citizenship": "XX"},
        {"country_of_exploitation": "vn"},
        {"means_of_control": ["beating"]},
        {"exploitation_types": "forced labour"},
        {"year": 1800},
    ],
)
def test_values_outside_the_public_lists_are_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(InvalidRecordError):
        CaseRecord(**{"year": 2020, **kwargs})


def test_collections_become_frozensets_and_route() -> None:
    record = CaseRecord(
        2020,
        means_of_control=["threats", "debt bondage"],  # type: ignore[arg-type]
        origin="VN",
        destination="GB",
    )
    assert record.means_of_control == frozenset({"threats", "debt bondage"})
    assert record.route == ("VN", "GB")
    assert CaseRecord(2020, origin="VN").route is None

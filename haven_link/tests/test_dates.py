from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haven_link import DateOfBirth, InputError, date_from_age, parse_date
from haven_link._dates import date_agreement, date_features, parse_full_dates


def test_formats() -> None:
    assert parse_date("1990-03-12") == DateOfBirth(1990, 3, 12)
    assert parse_date("1990") == DateOfBirth(1990)
    assert parse_date("") == DateOfBirth()
    assert parse_date("12/03/1990") == DateOfBirth(1990, 3, 12)
    assert parse_date("19900312") == DateOfBirth(1990, 3, 12)
    assert parse_date("~1990") == DateOfBirth(1990, estimated=True)
    assert parse_date("ca. 1990") == DateOfBirth(1990, estimated=True)
    assert date_from_age(30, 2020) == DateOfBirth(1990, estimated=True)


@pytest.mark.parametrize("bad", ["1990-13-01", "next year", "1700", "1990-02-40"])
def test_bad_dates(bad: str) -> None:
    with pytest.raises(InputError):
        parse_date(bad)


def _shared(x: str, y: str) -> int:
    fa, fb = date_features(parse_date(x)), date_features(parse_date(y))
    return sum(len(set(fa.get(k, [])) & set(fb.get(k, []))) for k in fa)


def test_features_tolerate_errors() -> None:
    exact = _shared("1990-03-12", "1990-03-12")
    assert _shared("1990-03-12", "1990-12-03") >= exact - 4  # day/month swap
    assert _shared("1990-03-12", "1909-03-12") >= exact - 3  # transposed year digits
    assert _shared("1990-03-12", "1990") == 3  # year only: year, decade, year digits
    assert _shared("1990-03-12", "1971-08-25") == 0


def test_agreement_levels() -> None:
    d = parse_date
    assert date_agreement(d("1990-03-12"), d("1990-03-12")) == 3
    assert date_agreement(d("1990-03-12"), d("1990-12-03")) == 2
    assert date_agreement(d("1990-03-12"), d("1909-03-12")) == 2
    assert date_agreement(d("1990-03-12"), d("1990")) == 1
    assert date_agreement(d("1990-03-12"), d("~1991")) == 1
    assert date_agreement(d("1990-03-12"), d("1975-01-01")) == 0
    assert date_agreement(d("1990-03-12"), d("")) == -1


_DATE_TEXT = st.one_of(
    st.text(alphabet="0123456789-/ ~?٣", max_size=12),
    st.builds(
        lambda y, m, d, dash, pad: (
            pad + (f"{y:04d}-{m:02d}-{d:02d}" if dash else f"{y:04d}{m:02d}{d:02d}") + pad
        ),
        st.integers(1800, 2150),
        st.integers(0, 13),
        st.integers(0, 33),
        st.booleans(),
        st.sampled_from(["", " ", "\t"]),
    ),
)


@given(texts=st.lists(_DATE_TEXT, max_size=30))
def test_full_dates_at_once_as_parse_date_reads_them(texts) -> None:
    ok, year, month, day = parse_full_dates(texts)
    for i, text in enumerate(texts):
        if ok[i]:
            assert parse_date(text) == DateOfBirth(int(year[i]), int(month[i]), int(day[i]))
        elif re.fullmatch(r"\d{8}|\d{4}-\d{2}-\d{2}", text.strip(), re.ASCII):
            with pytest.raises(InputError):  # out of range: the only reason to leave one
                parse_date(text)

"""Reporting periods: parsing, the period before, the same period a year earlier."""

from __future__ import annotations

import datetime as dt

import pytest

from mhtool.errors import UsageError
from mhtool.periods import Period, buckets, parse_period, period_from_options, quarters_up_to

D = dt.date


@pytest.mark.parametrize(
    "text, kind, start, end",
    [
        ("2026Q1", "quarter", D(2026, 1, 1), D(2026, 3, 31)),
        ("2026q3", "quarter", D(2026, 7, 1), D(2026, 9, 30)),
        ("2026-Q4", "quarter", D(2026, 10, 1), D(2026, 12, 31)),
        ("2026", "year", D(2026, 1, 1), D(2026, 12, 31)),
        ("2024-02", "month", D(2024, 2, 1), D(2024, 2, 29)),
        ("2026-7", "month", D(2026, 7, 1), D(2026, 7, 31)),
        ("2026-W48", "week", D(2026, 11, 23), D(2026, 11, 29)),
        ("2026-W01", "week", D(2025, 12, 29), D(2026, 1, 4)),
        ("2026-W53", "week", D(2026, 12, 28), D(2027, 1, 3)),
    ],
)
def test_parse_period(text, kind, start, end):
    assert parse_period(text) == Period(kind, start, end)


@pytest.mark.parametrize("text", ["2026Q0", "2026Q5", "2026-13", "2025-W53", "26Q3", "Q3 2026", "", "2026-07-01"])
def test_bad_periods(text):
    with pytest.raises(UsageError):
        parse_period(text)


@pytest.mark.parametrize(
    "text, previous, year_before",
    [
        ("2026Q1", "2025Q4", "2025Q1"),
        ("2026Q3", "2026Q2", "2025Q3"),
        ("2026", "2025", "2025"),
        ("2026-01", "2025-12", "2025-01"),
        ("2026-03", "2026-02", "2025-03"),
        ("2026-W01", "2025-W52", "2025-W01"),
        ("2026-W53", "2026-W52", "2025-W52"),  # 2025 has no week 53
        ("2027-W01", "2026-W53", "2026-W01"),
    ],
)
def test_previous_and_year_before(text, previous, year_before):
    period = parse_period(text)
    assert period.previous().label == previous
    assert period.year_before().label == year_before


def test_range_previous_has_the_same_length():
    period = Period("range", D(2026, 3, 1), D(2026, 3, 10))
    assert period.previous() == Period("range", D(2026, 2, 19), D(2026, 2, 28))
    assert period.year_before() == Period("range", D(2025, 3, 1), D(2025, 3, 10))


def test_range_year_before_from_leap_day():
    assert Period("range", D(2024, 2, 29), D(2024, 3, 1)).year_before() == Period(
        "range", D(2023, 2, 28), D(2023, 3, 1)
    )


def test_period_from_options():
    assert period_from_options(None, None, None) is None
    assert period_from_options(None, "1-7-2026", "30-9-2026") == Period("range", D(2026, 7, 1), D(2026, 9, 30))
    assert period_from_options(None, None, "31-12-2025").start == D(1900, 1, 1)
    with pytest.raises(UsageError):
        period_from_options("2026", "1-1-2026", None)


def test_quarters_up_to():
    assert [p.label for p in quarters_up_to(parse_period("2026Q1"), 4)] == ["2025Q2", "2025Q3", "2025Q4", "2026Q1"]


def test_buckets():
    assert buckets("month", D(2026, 11, 15), D(2027, 2, 1)) == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert buckets("quarter", D(2025, 12, 31), D(2026, 1, 1)) == ["2025Q4", "2026Q1"]
    assert buckets("year", D(2026, 5, 1), D(2026, 6, 1)) == ["2026"]

"""Reporting periods: a quarter, year, month, ISO week or a date range.

A period is a pair of inclusive ISO dates plus the kind it was given as, so
that `--compare previous` can step back one quarter, month or week and
`--compare year` can take the same stretch a year earlier.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from mhtool.errors import UsageError

_QUARTER = re.compile(r"(\d{4})-?[Qq]([1-4])")
_YEAR = re.compile(r"\d{4}")
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_WEEK = re.compile(r"(\d{4})-?[Ww](\d{1,2})")
PERIOD_HELP = "2026Q3, 2026, 2026-07 or 2026-W48"


@dataclass(frozen=True)
class Period:
    kind: str  # 'quarter', 'year', 'month', 'week', 'range', 'since' or 'all'
    start: dt.date
    end: dt.date  # inclusive; date.max for 'since' and an open 'all'

    @property
    def label(self) -> str:
        s = self.start
        if self.kind == "quarter":
            return f"{s.year}Q{(s.month + 2) // 3}"
        if self.kind == "year":
            return str(s.year)
        if self.kind == "month":
            return f"{s.year}-{s.month:02d}"
        if self.kind == "week":
            year, week, _ = s.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == "since":
            return f"since {s.isoformat()}"
        return "alle gegevens" if self.kind == "all" else self.span

    @property
    def span(self) -> str:
        return f"{self.start.isoformat()} t/m {self.end.isoformat()}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        if self.kind == "range":
            return Period("range", self.start - dt.timedelta(days=self.days), self.start - dt.timedelta(days=1))
        if self.kind == "week":
            return week(self.start - dt.timedelta(days=7))
        return _of_kind(self.kind, self.start - dt.timedelta(days=1))

    def year_before(self) -> Period:
        """The same stretch one year earlier (the same ISO week for a week)."""
        if self.kind == "week":
            year, number, _ = self.start.isocalendar()
            return week(_iso_monday(year - 1, min(number, _weeks_in(year - 1))))
        if self.kind == "range":
            return Period("range", _minus_year(self.start), _minus_year(self.end))
        return _of_kind(self.kind, _minus_year(self.start))


def quarter(day: dt.date) -> Period:
    first = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return Period("quarter", first, _month_end(first.year, first.month + 2))


def year(day: dt.date) -> Period:
    return Period("year", dt.date(day.year, 1, 1), dt.date(day.year, 12, 31))


def month(day: dt.date) -> Period:
    return Period("month", day.replace(day=1), _month_end(day.year, day.month))


def week(day: dt.date) -> Period:
    monday = day - dt.timedelta(days=day.weekday())
    return Period("week", monday, monday + dt.timedelta(days=6))


def _of_kind(kind: str, day: dt.date) -> Period:
    return {"quarter": quarter, "year": year, "month": month, "week": week}[kind](day)


def _month_end(year_: int, month_: int) -> dt.date:
    following = dt.date(year_ + month_ // 12, month_ % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _minus_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _iso_monday(year_: int, number: int) -> dt.date:
    return dt.date.fromisocalendar(year_, number, 1)


def _weeks_in(year_: int) -> int:
    return dt.date(year_, 12, 28).isocalendar()[1]


def parse_period(text: str, option: str = "--period") -> Period:
    """`--period`: 2026Q3, 2026, 2026-07 or 2026-W48."""
    value = text.strip()
    try:
        if m := _QUARTER.fullmatch(value):
            return quarter(dt.date(int(m[1]), 3 * int(m[2]), 1))
        if _YEAR.fullmatch(value):
            return year(dt.date(int(value), 1, 1))
        if m := _WEEK.fullmatch(value):
            if not 1 <= int(m[2]) <= _weeks_in(int(m[1])):
                raise UsageError(f"{option} {text!r}: {m[1]} has no week {int(m[2])}")
            return week(_iso_monday(int(m[1]), int(m[2])))
        if m := _MONTH.fullmatch(value):
            return month(dt.date(int(m[1]), int(m[2]), 1))
    except ValueError:
        pass
    raise UsageError(f"{option} {text!r}: expected {PERIOD_HELP}")


def parse_week(text: str, option: str = "--week") -> Period:
    """An ISO week: 2026-W48."""
    if not _WEEK.fullmatch(text.strip()):
        raise UsageError(f"{option} {text!r}: expected YEAR-Wnn, e.g. 2026-W48")
    return parse_period(text, option)


def since(day: dt.date) -> Period:
    """From `day` on, with no end."""
    return Period("since", day, dt.date.max)


def everything() -> Period:
    return Period("all", dt.date.min, dt.date.max)


def parse_day(value: str, option: str) -> dt.date:
    from mhtool.parse.dates import option_day

    return option_day(value, option)


def period_from_options(
    period: Period | str | None, date_from: dt.date | str | None, date_to: dt.date | str | None
) -> Period | None:
    """The period the options ask for; None for all data.

    A range open at one end is closed by the other: `--from` alone runs to
    today, `--to` alone starts on 1 January 1900."""
    if period and (date_from or date_to):
        raise UsageError("use --period or --from/--to, not both")
    if period:
        return parse_period(period) if isinstance(period, str) else period
    if not date_from and not date_to:
        return None
    start = _day(date_from, "--from") if date_from else dt.date(1900, 1, 1)
    end = _day(date_to, "--to") if date_to else max(dt.date.today(), start)
    if end < start:
        raise UsageError("--to lies before --from")
    return Period("range", start, end)


def _day(value: dt.date | str, option: str) -> dt.date:
    return parse_day(value, option) if isinstance(value, str) else value


def quarters_up_to(last: Period, count: int) -> list[Period]:
    """`count` quarters ending with the quarter `last`, oldest first."""
    periods = [quarter(last.start)]
    while len(periods) < count:
        periods.insert(0, periods[0].previous())
    return periods


def buckets(field: str, start: dt.date, end: dt.date) -> list[str]:
    """Every month, quarter or year label from start to end, in order."""
    labels: list[str] = []
    step = {"month": month, "quarter": quarter, "year": year}[field]
    current = step(start)
    while current.start <= end:
        labels.append(current.label)
        current = step(current.end + dt.timedelta(days=1))
    return labels

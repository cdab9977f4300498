"""`mhtool stats`: counts of situations (or raw signals) by one or two fields.

The counting is one GROUP BY over `situations` (or `signals`); everything
after that works on a handful of groups in Python: Dutch labels, the zero
rows every municipality, type and period gets, rates and comparisons.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from mhtool import query
from mhtool.cases.lists import STATES
from mhtool.cases.lists import values as case_list
from mhtool.errors import UsageError
from mhtool.parse.categories import LABELS, TYPES
from mhtool.periods import Period, buckets
from mhtool.query import Filter
from mhtool.region.municipalities import OUTSIDE, TOTAL, UNKNOWN, Region
from mhtool.region.population import records_in, region_inhabitants
from mhtool.stats import FIELDS

AGE_BANDS = ("<18", "18-20", "21-25", "26-30", "31+")
TIME_FIELDS = ("month", "quarter", "year")
COUNT_TABLES = {"situations": "situations", "signals": "signals"}
COMPARE = ("previous", "year")
NOT_FORWARDED = "niet doorgezet"
# --status / --taken-up filter on the case's state; the view joins on the situation
_CASE_JOIN = {
    "situations": " LEFT JOIN case_states c ON c.situation_id = situations.id",
    "signals": " LEFT JOIN case_states c ON c.situation_id = signals.situation_id",
}
_WITH_CASES = query.Target(
    gemeente="gemeente", date="reported_on", type="type", source="source", status="coalesce(c.status, 'nieuw')"
)

# Group-by expressions; the only SQL text a caller's choice can select.
_SQL = {
    "gemeente": "gemeente",
    "type": "type",
    "source": "source",
    "place": "place",
    "month": "substr(reported_on, 1, 7)",
    "quarter": "substr(reported_on, 1, 4) || 'Q' || ((CAST(substr(reported_on, 6, 2) AS INTEGER) + 2) / 3)",
    "year": "substr(reported_on, 1, 4)",
    "victim_gender": "victim_gender",
    "victim_age": (
        "CASE WHEN victim_age IS NULL THEN NULL WHEN victim_age < 18 THEN '<18' "
        "WHEN victim_age < 21 THEN '18-20' WHEN victim_age < 26 THEN '21-25' "
        "WHEN victim_age < 31 THEN '26-30' ELSE '31+' END"
    ),
    "victim_nationality": "victim_nationality",
    # the case (c: the case_states view, joined only when asked for; no row is 'nieuw')
    "status": "coalesce(c.status, 'nieuw')",
    "forwarded_to": f"coalesce(c.forwarded_to, '{NOT_FORWARDED}')",
}
CASE_FIELDS = ("status", "forwarded_to")
assert set(_SQL) == set(FIELDS)


@dataclass
class Request:
    by: tuple[str, ...]
    period: Period | None = None  # None: all data
    count: str = "situations"  # or 'signals'
    per: int | None = None  # rate per this many inhabitants
    compare: str | None = None  # 'previous' or 'year'
    gemeente: str | None = None  # only this municipality (as the region names it)
    type: str | None = None  # only this type of exploitation (a code)
    status: tuple[str, ...] = ()  # only cases in these states (--status, --taken-up)

    def selection(self, period: Period) -> Filter:
        return Filter(gemeente=self.gemeente, type=self.type, period=period, status=self.status)

    def check(self) -> None:
        if not self.by:
            raise UsageError(f"--by is required (one or two of: {', '.join(FIELDS)})")
        if len(self.by) > 2:
            raise UsageError("at most two --by fields")
        for name in self.by:
            if name not in _SQL:
                raise UsageError(f"--by {name!r}: choose from {', '.join(FIELDS)}")
        if len(set(self.by)) != len(self.by):
            raise UsageError("the two --by fields must differ")
        if self.count not in COUNT_TABLES:
            raise UsageError(f"--count {self.count!r}: choose from {', '.join(COUNT_TABLES)}")
        if self.per is not None and self.per < 1:
            raise UsageError("--per must be a positive number, e.g. 10000")
        if self.compare is not None:
            if self.compare not in COMPARE:
                raise UsageError(f"--compare {self.compare!r}: choose from {', '.join(COMPARE)}")
            if self.period is None:
                raise UsageError("--compare needs --period or --from/--to")

    @property
    def rate_column(self) -> str:
        """The rate's column name; only asked for when `per` is set."""
        return f"per_{self.per}"


@dataclass
class Figures:
    request: Request
    period: Period  # the counted period (all data resolved to its dates)
    compared_with: Period | None
    domains: list[list[str]]  # the values of each --by field, in output order
    columns: list[str]
    rows: list[dict]
    total: dict = field(default_factory=dict)

    def with_total(self) -> list[dict]:
        return [*self.rows, self.total]


def display(name: str, value) -> str:
    """A stored value as it appears in the figures."""
    if value is None or str(value).strip() == "":
        return UNKNOWN
    text = str(value).strip()
    if name == "type":
        return LABELS.get(text, text)
    return UNKNOWN if text.casefold() == UNKNOWN else text


def count_groups(conn, by: tuple[str, ...], count: str, selection: Filter) -> Counter:
    """{(value, ...): count} of what `selection` selects, values as displayed."""
    expressions = ", ".join(_SQL[name] for name in by)
    positions = ", ".join(str(i + 1) for i in range(len(by)))
    cases = bool(selection.status) or any(name in CASE_FIELDS for name in by)
    where, params = query.where(selection, _WITH_CASES if cases else query.SITUATIONS)
    table = COUNT_TABLES[count] + (_CASE_JOIN[count] if cases else "")
    sql = f"SELECT {expressions}, count(*) FROM {table}{where} GROUP BY {positions}"
    counts: Counter = Counter()
    for *values, number in conn.execute(sql, params):
        counts[tuple(display(name, v) for name, v in zip(by, values))] += number
    return counts


def data_period(conn, count: str) -> Period:
    """All data as a period: from the first to the last report (today if none)."""
    first, last = conn.execute(f"SELECT min(reported_on), max(reported_on) FROM {COUNT_TABLES[count]}").fetchone()
    if first is None:
        today = dt.date.today()
        return Period("all", today, today)
    return Period("all", dt.date.fromisoformat(first[:10]), dt.date.fromisoformat(last[:10]))


def _fixed_values(name: str, period: Period, region: Region, request: Request) -> list[str]:
    """Values that appear even with a count of 0."""
    if name == "gemeente" and request.gemeente:
        return [request.gemeente]
    if name == "type" and request.type:
        return [LABELS[request.type]]
    if name == "gemeente":
        return list(records_in(region, period.start, period.end))
    if name == "type":
        return [LABELS[t] for t in TYPES]
    if name == "victim_age":
        return list(AGE_BANDS)
    if name == "status":
        return list(request.status or STATES)
    if name == "forwarded_to":
        return [*case_list("destinations"), NOT_FORWARDED]
    if name in TIME_FIELDS:
        return buckets(name, period.start, period.end)
    return []


def domain(name: str, period: Period, region: Region, observed: set[str], request: Request) -> list[str]:
    """Fixed values first (in their order), then other observed values
    alphabetically; 'buiten regio' and 'onbekend' last, only when observed."""
    fixed = _fixed_values(name, period, region, request)
    order = {value: i for i, value in enumerate(fixed)}
    values = set(fixed) | observed
    return sorted(
        values,
        key=lambda v: (v in (OUTSIDE, UNKNOWN), v == UNKNOWN, order.get(v, len(order)), v.casefold()),
    )


def _to_current_keys(request: Request, period: Period, other: Period):
    """Translate a key of the other (compared) period into this period's key.

    Months, quarters and years line up by position: with --compare year,
    2025-07 stands next to 2026-07; with --compare previous, the first month
    of 2026Q2 next to the first month of 2026Q3."""
    maps: list[dict[str, str] | None] = []
    for name in request.by:
        if name in TIME_FIELDS:
            mine, theirs = buckets(name, period.start, period.end), buckets(name, other.start, other.end)
            if len(mine) != len(theirs):
                raise UsageError(f"--compare: {period.label} and {other.label} do not have the same {name}s")
            maps.append(dict(zip(theirs, mine)))
        else:
            maps.append(None)

    def translate(key: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(m.get(v, v) if m else v for m, v in zip(maps, key))

    return translate


def _compared(conn, request: Request, period: Period) -> tuple[Period | None, Counter]:
    """The period to compare with and its counts, keyed like this period's."""
    if not request.compare:
        return None, Counter()
    other = period.previous() if request.compare == "previous" else period.year_before()
    translate = _to_current_keys(request, period, other)
    previous: Counter = Counter()
    for key, number in count_groups(conn, request.by, request.count, request.selection(other)).items():
        previous[translate(key)] += number
    return other, previous


def _rate(number: int, inhabitants: int | None, per: int) -> float | None:
    if not inhabitants:
        return None
    return round(number * per / inhabitants, 2)


def _change(row: dict, previous: int) -> None:
    row["previous"] = previous
    row["change"] = row["count"] - previous
    row["change_pct"] = round(100 * (row["count"] - previous) / previous, 1) if previous else None


def compute(db, request: Request, region: Region | None = None) -> Figures:
    """The figures for one request (see `mhtool stats --help`)."""
    from mhtool.region.municipalities import load_region

    request.check()
    conn = db.conn
    region = region or load_region(db)
    period = request.period or data_period(conn, request.count)
    counts = count_groups(conn, request.by, request.count, request.selection(period))

    compared_with, previous = _compared(conn, request, period)

    domains = [
        domain(name, period, region, {key[i] for key in (*counts, *previous)}, request)
        for i, name in enumerate(request.by)
    ]
    records = records_in(region, period.start, period.end)
    everyone: int | None = region_inhabitants(region, period.start, period.end)
    if request.gemeente:  # the rate of one municipality counts its inhabitants only
        record = records.get(request.gemeente)
        everyone = record.inhabitants if record else None
    columns = [*request.by, "count"]
    if request.per:
        columns.append(request.rate_column)
    if request.compare:
        columns += ["previous", "change", "change_pct"]

    rows = []
    for key in itertools.product(*domains):
        row: dict[str, Any] = dict(zip(request.by, key))
        row["count"] = counts.get(key, 0)
        if request.per:
            if "gemeente" in request.by:
                record = records.get(row["gemeente"])
                inhabitants = record.inhabitants if record else None
            else:
                inhabitants = everyone
            row[request.rate_column] = _rate(row["count"], inhabitants, request.per)
        if request.compare:
            _change(row, previous.get(key, 0))
        rows.append(row)

    total: dict[str, Any] = {name: None for name in request.by}
    total[request.by[0]] = TOTAL
    total["count"] = sum(counts.values())
    if request.per:
        total[request.rate_column] = _rate(total["count"], everyone, request.per)
    if request.compare:
        _change(total, sum(previous.values()))
    return Figures(request, period, compared_with, domains, columns, rows, total)


def check_pivot(request: Request) -> None:
    if len(request.by) != 2:
        raise UsageError("--pivot needs two --by fields")
    if request.per or request.compare:
        raise UsageError("--pivot shows counts only; leave out --per and --compare")


def pivot(figures: Figures, totals: bool) -> tuple[list[str], list[dict]]:
    """One row per value of the first field, one column per value of the second."""
    request = figures.request
    check_pivot(request)
    first, second = request.by
    values = figures.domains[1]
    columns = [first, *values] + ([TOTAL] if totals else [])
    wide: dict[str, dict] = {value: {first: value} for value in figures.domains[0]}
    for row in figures.rows:
        wide[row[first]][row[second]] = row["count"]
    rows = list(wide.values())
    if totals:
        for row in rows:
            row[TOTAL] = sum(row[v] for v in values)
        bottom = {first: TOTAL, **{v: sum(r[v] for r in rows) for v in values}}
        bottom[TOTAL] = sum(bottom[v] for v in values)
        rows.append(bottom)
    return columns, rows

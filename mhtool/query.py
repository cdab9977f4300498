"""One filter layer: every listing, export, score and figure builds its
WHERE clause here, so the same options always select the same records.

A `Filter` says what the user asked for, in resolved values (a municipality
as the region names it, a `Period`, a type code); a `Target` says how one
query names those fields. SQL text comes only from the targets below; every
value is a parameter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from mhtool.periods import Period


@dataclass(frozen=True)
class Filter:
    gemeente: str | None = None  # as the region names it, or 'onbekend' / 'buiten regio'
    period: Period | None = None  # inclusive dates
    type: str | None = None  # a type code (sexual, labour, ...)
    source: str | None = None
    site: str | None = None
    situation: int | None = None
    search: str | None = None  # text, or a phone number in any spelling
    status: tuple[str, ...] = ()  # case states


@dataclass(frozen=True)
class Target:
    """Column expressions of one query (None: that filter does not apply)."""

    gemeente: str | None = None
    date: str | None = None  # an ISO date or date-time column
    type: str | None = None
    source: str | None = None
    site: str | None = None
    situation: str | None = None
    status: str | None = None
    search: tuple[str, ...] = ()  # text columns matched with LIKE
    phone_search: str | None = None  # an EXISTS over phone numbers, with one '?' per entry of phone_params
    phone_params: int = 0


SIGNALS = Target(
    gemeente="s.gemeente",
    date="s.reported_on",
    type="s.type",
    source="s.source",
    situation="s.situation_id",
    search=("s.text", "s.persons", "s.address", "s.ref", "s.place"),
    phone_search="EXISTS (SELECT 1 FROM signal_phones p WHERE p.signal_id = s.id "
    "AND (p.e164 LIKE ? ESCAPE '\\' OR p.raw LIKE ? ESCAPE '\\'))",
    phone_params=2,
)
ADS = Target(
    gemeente="o.gemeente",
    date="a.last_seen",
    site="a.site",
    search=("o.text", "o.name", "o.phone", "a.ad_id"),
    phone_search="EXISTS (SELECT 1 FROM ad_phones p JOIN ad_observations x ON x.id = p.observation "
    "WHERE x.ad = a.id AND p.e164 LIKE ? ESCAPE '\\')",
    phone_params=1,
)
SITUATIONS = Target(gemeente="gemeente", date="reported_on", type="type", source="source")
# Cases: situations (sit) with their state (c, the case_states view; no row is 'nieuw').
CASES = Target(
    gemeente="sit.gemeente",
    date="sit.reported_on",
    type="sit.type",
    source="sit.source",
    situation="sit.id",
    status="coalesce(c.status, 'nieuw')",
)


def like_contains(text: str) -> str:
    """A LIKE pattern (with ESCAPE '\\') that matches `text` literally anywhere."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


@dataclass
class _Where:
    clauses: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, clause: str, *params: Any) -> None:
        self.clauses.append(clause)
        self.params.extend(params)


def date_bounds(period: Period) -> tuple[str | None, str | None]:
    """(first day, day after the last) as ISO text; None where open. Comparing
    `column >= start AND column < after_end` works for dates and date-times
    alike and lets SQLite use an index on the column."""
    start = None if period.start == dt.date.min else period.start.isoformat()
    after = (
        None if period.end >= dt.date.max - dt.timedelta(days=1) else (period.end + dt.timedelta(days=1)).isoformat()
    )
    return start, after


def where(f: Filter, target: Target) -> tuple[str, list[Any]]:
    """' WHERE ...' (or '') and its parameters."""
    found = _Where()
    for value, column in (
        (f.gemeente, target.gemeente),
        (f.type, target.type),
        (f.source, target.source),
        (f.site, target.site),
        (f.situation, target.situation),
    ):
        if value is not None and column:
            found.add(f"{column} = ?", value)
    if f.status and target.status:
        found.add(f"{target.status} IN ({', '.join('?' for _ in f.status)})", *f.status)
    if f.period is not None and target.date:
        start, after = date_bounds(f.period)
        if start:
            found.add(f"{target.date} >= ?", start)
        if after:
            found.add(f"{target.date} < ?", after)
    if f.search and target.search:
        _search(found, f.search, target)
    sql = (" WHERE " + " AND ".join(found.clauses)) if found.clauses else ""
    return sql, found.params


def _search(found: _Where, text: str, target: Target) -> None:
    from mhtool.parse.phones import normalise_phone

    like = like_contains(normalise_phone(text) or text)
    parts = [f"{column} LIKE ? ESCAPE '\\'" for column in target.search]
    params = [like] * len(target.search)
    if target.phone_search:
        parts.append(target.phone_search)
        params += [like] * target.phone_params
    found.add("(" + " OR ".join(parts) + ")", *params)

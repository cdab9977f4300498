"""Which municipalities a period covers, and their inhabitants.

Municipality records carry validity dates (Wijdemeren merges into Hilversum
on 2027-01-01), so "the region" depends on the period: every municipality in
force on at least one of its days takes part, each with the inhabitants of
its latest record in force in the period.
"""

from __future__ import annotations

import datetime as dt

from mhtool.region.municipalities import Municipality, Region


def _overlaps(m: Municipality, start: dt.date, end: dt.date) -> bool:
    return (not m.valid_from or m.valid_from <= end.isoformat()) and (not m.valid_to or m.valid_to >= start.isoformat())


def records_in(region: Region, start: dt.date, end: dt.date) -> dict[str, Municipality]:
    """Municipality name -> its latest record in force during start..end."""
    latest: dict[str, Municipality] = {}
    for record in region.municipalities:
        if not _overlaps(record, start, end):
            continue
        known = latest.get(record.gemeente)
        if known is None or (record.valid_from or "") > (known.valid_from or ""):
            latest[record.gemeente] = record
    return dict(sorted(latest.items()))


def region_inhabitants(region: Region, start: dt.date, end: dt.date) -> int:
    """Inhabitants of the region as it is on the period's last day.

    Summing every record in the period would count Wijdemeren twice in a
    period that spans the merger (once itself, once inside Hilversum)."""
    on_end = region.in_force(end.isoformat())
    if on_end:
        return sum(m.inhabitants for m in on_end)
    return sum(m.inhabitants for m in records_in(region, start, end).values())

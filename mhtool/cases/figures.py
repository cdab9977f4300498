"""The follow-up section of the quarterly report: what happened to the cases
in a period, as plain tables with Dutch column names (the report writes
them; see mhtool/stats/report.py).

- cases taken up (a case's first event past 'nieuw' in the period), by municipality;
- forwarded by destination (cases forwarded in the period; a case forwarded
  twice to one destination counts once there);
- closed by reason (cases whose closing in the period still stands at its end);
- every case by its state at the end of the period, and how many of the
  open ones were past their follow-up date then;
- risky ads handed to each municipality in the period, and what it reported
  back (the latest outcome per ad).
"""

from __future__ import annotations

from dataclasses import dataclass

from mhtool.cases.lists import OPEN_STATES, STATES, values
from mhtool.periods import Period
from mhtool.region.municipalities import TOTAL, load_region
from mhtool.region.population import records_in

CASES = "casussen"


@dataclass
class FollowUpTable:
    """One table; the same fields as the report's Section."""

    title: str
    sheet: str  # at most 31 characters
    columns: list[str]
    rows: list[dict]
    note: str | None = None


def follow_up_tables(db, period: Period) -> list[FollowUpTable]:
    start, end = period.start.isoformat(), period.end.isoformat()
    return [
        _taken_up(db, period, start, end),
        _forwarded(db.conn, start, end),
        _closed(db.conn, start, end),
        _at_end(db.conn, end),
        _ads_handed_over(db, period, start, end),
    ]


def _with_total(rows: list[dict], first: str, counted: list[str]) -> list[dict]:
    return [*rows, {first: TOTAL, **{c: sum(r[c] for r in rows) for c in counted}}]


def _taken_up(db, period: Period, start: str, end: str) -> FollowUpTable:
    counts = dict(
        db.conn.execute(
            "SELECT sit.gemeente, count(*) FROM case_states c JOIN situations sit ON sit.id = c.situation_id "
            "WHERE c.taken_up_on BETWEEN ? AND ? GROUP BY sit.gemeente",
            (start, end),
        )
    )
    names = [*records_in(load_region(db), period.start, period.end)]
    names += sorted(set(counts) - set(names))
    rows = [{"gemeente": name, "opgepakt": counts.get(name, 0)} for name in names]
    return FollowUpTable(
        "Casussen opgepakt",
        "Opgepakt",
        ["gemeente", "opgepakt"],
        _with_total(rows, "gemeente", ["opgepakt"]),
        "Een casus is opgepakt zodra de ketenregisseur er voor het eerst iets mee deed.",
    )


def _forwarded(conn, start: str, end: str) -> FollowUpTable:
    counts = dict(
        conn.execute(
            "SELECT e.destination, count(DISTINCT s.situation_id) FROM case_events e JOIN signals s ON s.id = e.signal_id "
            "WHERE e.kind = 'doorgezet' AND e.happened_on BETWEEN ? AND ? GROUP BY e.destination",
            (start, end),
        )
    )
    names = [*values("destinations"), *sorted(set(counts) - set(values("destinations")))]
    rows = [{"bestemming": name, CASES: counts.get(name, 0)} for name in names]
    return FollowUpTable(
        "Doorgezet per bestemming",
        "Doorgezet",
        ["bestemming", CASES],
        _with_total(rows, "bestemming", [CASES]),
        "Een casus die naar twee bestemmingen ging, telt bij beide.",
    )


# Each case's latest event on or before a day: its state on that day.
_STATE_ON = (
    "SELECT situation_id, status, reason, follow_up, happened_on FROM ("
    " SELECT s.situation_id, e.status, e.reason, e.follow_up, e.happened_on,"
    " row_number() OVER (PARTITION BY s.situation_id ORDER BY e.id DESC) AS rank"
    " FROM case_events e JOIN signals s ON s.id = e.signal_id WHERE e.happened_on <= ?) WHERE rank = 1"
)


def _closed(conn, start: str, end: str) -> FollowUpTable:
    counts = dict(
        conn.execute(
            f"SELECT reason, count(*) FROM ({_STATE_ON}) WHERE status = 'afgesloten' AND happened_on >= ? "
            "GROUP BY reason",
            (end, start),
        )
    )
    names = [*values("closing_reasons"), *sorted(set(counts) - set(values("closing_reasons")))]
    rows = [{"reden": name, CASES: counts.get(name, 0)} for name in names]
    return FollowUpTable("Afgesloten per reden", "Afgesloten", ["reden", CASES], _with_total(rows, "reden", [CASES]))


def _at_end(conn, end: str) -> FollowUpTable:
    found = {state: [0, 0] for state in STATES}
    sql = (
        f"SELECT coalesce(c.status, 'nieuw'), c.follow_up FROM situations sit "
        f"LEFT JOIN ({_STATE_ON}) c ON c.situation_id = sit.id WHERE substr(sit.reported_on, 1, 10) <= ?"
    )
    for status, follow_up in conn.execute(sql, (end, end)):
        found[status][0] += 1
        if status in OPEN_STATES and follow_up and follow_up < end:
            found[status][1] += 1
    rows = [{"status": state, CASES: n, "over tijd": late} for state, (n, late) in found.items()]
    return FollowUpTable(
        "Casussen aan het eind van de periode",
        "Stand",
        ["status", CASES, "over tijd"],
        _with_total(rows, "status", [CASES, "over tijd"]),
        "Over tijd: open, en de datum om op te volgen was voorbij.",
    )


def _ads_handed_over(db, period: Period, start: str, end: str) -> FollowUpTable:
    conn = db.conn
    handed = dict(
        conn.execute(
            "SELECT gemeente, count(DISTINCT ad) FROM ad_handovers WHERE substr(handed_at, 1, 10) BETWEEN ? AND ? "
            "GROUP BY gemeente",
            (start, end),
        )
    )
    outcomes = list(values("ad_outcomes"))
    reported: dict[tuple[str, str], int] = {}
    for gemeente, outcome, number in conn.execute(
        "SELECT f.gemeente, f.outcome, count(*) FROM ad_feedback f WHERE f.given_on BETWEEN ? AND ? "
        "AND f.id = (SELECT max(x.id) FROM ad_feedback x WHERE x.ad = f.ad AND x.given_on BETWEEN ? AND ?) "
        "GROUP BY 1, 2",
        (start, end, start, end),
    ):
        reported[(gemeente, outcome)] = number
        if outcome not in outcomes:
            outcomes.append(outcome)
    names = [*records_in(load_region(db), period.start, period.end)]
    names += sorted({g for g in handed if g not in names} | {g for g, _ in reported if g and g not in names})
    rows = [
        {
            "gemeente": name,
            "overgedragen": handed.get(name, 0),
            **{outcome: reported.get((name, outcome), 0) for outcome in outcomes},
        }
        for name in names
    ]
    counted = ["overgedragen", *outcomes]
    return FollowUpTable(
        "Risicovolle advertenties overgedragen",
        "Advertenties",
        ["gemeente", *counted],
        _with_total(rows, "gemeente", counted),
        "Per gemeente: advertenties overgedragen in de periode, en de laatste terugkoppeling.",
    )

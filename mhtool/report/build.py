"""Build the quarterly and yearly report once, as data (`model.Report`).

Sections as the region's progress report has them: situations by type and
by municipality (share, rate per 10,000 inhabitants), the trend by quarter,
sources, victim data and, once ads are scored, the ads per week. Sections
from other areas (follow-up of cases) come from `SECTION_PROVIDERS`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from mhtool import __version__
from mhtool.errors import UsageError
from mhtool.periods import Period, parse_period, quarter, quarters_up_to, week
from mhtool.region.municipalities import TOTAL, Region
from mhtool.region.population import records_in, region_inhabitants
from mhtool.report.model import COUNT, RATE, SHARE, TEXT, Chart, Report, Section, Table
from mhtool.stats.figures import Figures, Request, compute, pivot

PER = 10_000
RATE_NAME = "per 10.000 inwoners"
AMOUNT = "aantal"
MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)

# Extra sections: each provider gets (db, period, region) and returns a list
# of sections (empty when it has nothing, e.g. no case data). The follow-up
# section of cases registers here; the report does not import it.
SectionProvider = Callable[[object, Period, Region], list[Section]]
SECTION_PROVIDERS: list[SectionProvider] = []


def parse_quarter(text: str) -> Period:
    period = parse_period(text)
    if period.kind != "quarter":
        raise UsageError(f"{text!r} is not a quarter; write e.g. 2026Q3")
    return period


def parse_year(text: str) -> Period:
    period = parse_period(text)
    if period.kind != "year":
        raise UsageError(f"{text!r} is not a year; write e.g. 2026")
    return period


def dutch_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def dutch_int(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _share_table(figures: Figures, heading: str, rate: bool) -> Table:
    """Count, share and (when asked) rate per value, total last."""
    name = figures.request.by[0]
    whole = figures.total["count"]
    rows = []
    for row in figures.with_total():
        out = {heading: row[name], AMOUNT: row["count"], "aandeel %": _share(row["count"], whole)}
        if rate:
            out[RATE_NAME] = row[figures.request.rate_column]
        rows.append(out)
    columns = [heading, AMOUNT, "aandeel %", *([RATE_NAME] if rate else [])]
    kinds = {heading: TEXT, AMOUNT: COUNT, "aandeel %": SHARE, RATE_NAME: RATE}
    return Table(columns, {c: kinds[c] for c in columns}, rows)


def _trend(db, period: Period) -> Section:
    quarters = quarters_up_to(quarter(period.end) if period.kind == "year" else period, 4)
    span = Period("range", quarters[0].start, quarters[-1].end)
    columns, rows = pivot(compute(db, Request(("quarter", "type"), span)), totals=True)
    rows = rows[:-1]  # a sum over four quarters says nothing here
    for row in rows:
        row["kwartaal"] = row.pop("quarter")
    columns = ["kwartaal", *columns[1:]]
    kinds = {c: COUNT for c in columns} | {"kwartaal": TEXT}
    title = "Trend: de vier kwartalen van het jaar" if period.kind == "year" else "Trend: de laatste vier kwartalen"
    table = Table(columns, kinds, rows, total_row=False, total_column=TOTAL)
    types = [c for c in columns[1:] if c != TOTAL]
    return Section(
        "trend",
        title,
        "Trend",
        table,
        "Situaties per kwartaal naar type uitbuiting.",
        Chart("line", "kwartaal", types, "Situaties per kwartaal naar type"),
    )


def _sources(db, period: Period) -> Section:
    situations = compute(db, Request(("source",), period))
    signals = compute(db, Request(("source",), period, count="signals"))
    by_signal = {row["source"]: row["count"] for row in signals.rows}
    names = [*situations.domains[0], *(n for n in signals.domains[0] if n not in situations.domains[0])]
    by_situation = {row["source"]: row["count"] for row in situations.rows}
    rows = [{"bron": n, "situaties": by_situation.get(n, 0), "signalen": by_signal.get(n, 0)} for n in names]
    rows.append({"bron": TOTAL, "situaties": situations.total["count"], "signalen": signals.total["count"]})
    table = Table(["bron", "situaties", "signalen"], {"bron": TEXT, "situaties": COUNT, "signalen": COUNT}, rows)
    return Section(
        "sources",
        "Bronnen",
        "Bronnen",
        table,
        "Een situatie telt bij de bron die haar als eerste meldde; "
        "signalen zijn alle meldingen, ook die over dezelfde situatie.",
        Chart("bar", "bron", ["situaties", "signalen"], "Situaties en signalen per bron"),
    )


def period_weeks(period: Period) -> list[Period]:
    """The ISO weeks that belong to the period (their Thursday lies in it)."""
    weeks = []
    current = week(period.start)
    while current.start <= period.end:
        if period.start <= current.start + dt.timedelta(days=3) <= period.end:
            weeks.append(current)
        current = week(current.end + dt.timedelta(days=1))
    return weeks


def _ad_weeks(db, period: Period) -> list[tuple[str, int, int, str]]:
    """(week, scored, risky, rules versions) per week: the latest score of each ad in a week."""
    labels = [w.label for w in period_weeks(period)]
    marks = ", ".join("?" for _ in labels)
    return db.conn.execute(
        f"""
        WITH latest AS (
            SELECT period, risky, rules_version,
                   row_number() OVER (PARTITION BY period, ad ORDER BY run DESC) AS n
            FROM ad_score_list WHERE period IN ({marks})
        )
        SELECT period, count(*), sum(risky), group_concat(DISTINCT rules_version)
        FROM latest WHERE n = 1 GROUP BY period ORDER BY period
        """,
        labels,
    ).fetchall()


def _ads(found) -> Section | None:
    if not found:
        return None
    rows = [{"week": w, "beoordeeld": n, "risicovol": r, "risicovol %": _share(r, n)} for w, n, r, _ in found]
    scored, risky = sum(r["beoordeeld"] for r in rows), sum(r["risicovol"] for r in rows)
    rows.append({"week": TOTAL, "beoordeeld": scored, "risicovol": risky, "risicovol %": _share(risky, scored)})
    kinds = {"week": TEXT, "beoordeeld": COUNT, "risicovol": COUNT, "risicovol %": SHARE}
    # Counts of ads, not of people: not suppressed with --publish.
    table = Table(list(kinds), kinds, rows, protect=False)
    return Section(
        "ads",
        "Seksadvertenties per week",
        "Advertenties",
        table,
        "Advertenties beoordeeld met `mhtool ads score`; de laatste score per advertentie per week.",
        Chart("bar", "week", ["beoordeeld", "risicovol"], "Beoordeelde en risicovolle advertenties"),
    )


VICTIMS = (
    ("victim_gender", "geslacht", "Slachtoffers: geslacht", "Slachtoffers geslacht"),
    ("victim_age", "leeftijd", "Slachtoffers: leeftijd", "Slachtoffers leeftijd"),
    ("victim_nationality", "nationaliteit", "Slachtoffers: nationaliteit", "Slachtoffers nationaliteit"),
)


def _sections(db, period: Period, region: Region, by_type: Figures) -> list[Section]:
    by_gemeente = compute(db, Request(("gemeente",), period, per=PER), region)
    sections = [
        Section(
            "type",
            "Situaties naar type uitbuiting",
            "Naar type",
            _share_table(by_type, "type", True),
            chart=Chart("bar", "type", [AMOUNT], "Situaties naar type uitbuiting"),
        ),
        Section(
            "gemeente",
            "Situaties naar gemeente",
            "Naar gemeente",
            _share_table(by_gemeente, "gemeente", True),
            "Elke gemeente van de regio staat erin, ook zonder situaties.",
            Chart("bar", "gemeente", [AMOUNT], "Situaties naar gemeente"),
        ),
        _trend(db, period),
        _sources(db, period),
    ]
    # Victim data is counted for the whole region only, never per municipality.
    for name, heading, title, sheet in VICTIMS:
        figures = compute(db, Request((name,), period), region)
        sections.append(
            Section(
                name,
                title,
                sheet,
                _share_table(figures, heading, False),
                "Per situatie de gegevens uit de eerste melding die ze noemt.",
                Chart("bar", heading, [AMOUNT], title),
            )
        )
    return sections


def _facts(db, period: Period, region: Region, situations: int, ad_weeks) -> list[tuple[str, str]]:
    from mhtool.ads.rules import load_rules

    in_force = records_in(region, period.start, period.end)
    dates = sorted({m.inhabitants_on for m in in_force.values() if m.inhabitants_on})
    signals = compute(db, Request(("type",), period, count="signals"), region).total["count"]
    versions = sorted({v for *_, found in ad_weeks for v in (found or "").split(",") if v})
    rules = ", ".join(versions) if versions else f"{load_rules(None).version} (geen advertenties beoordeeld)"
    return [
        ("Periode", f"{dutch_date(period.start)} tot en met {dutch_date(period.end)}"),
        ("Regio", ", ".join(in_force)),
        ("Situaties", f"{situations} (uit {signals} signalen; meldingen over dezelfde situatie tellen één keer)"),
        (
            "Inwoners van de regio",
            f"{dutch_int(region_inhabitants(region, period.start, period.end))}"
            f" (peildatum {', '.join(dates) or 'onbekend'})",
        ),
        ("Regels advertenties", rules),
        ("Gemaakt op", f"{dt.date.today().isoformat()} met mhtool {__version__}"),
    ]


def build(db, period: Period, providers: list[SectionProvider] | None = None) -> Report:
    from mhtool.region.municipalities import load_region

    region = load_region(db)
    by_type = compute(db, Request(("type",), period, per=PER), region)
    ad_weeks = _ad_weeks(db, period)
    name = "Jaarrapportage" if period.kind == "year" else "Voortgangsrapportage"
    report = Report(
        f"{name} mensenhandel {period.label}", period, _facts(db, period, region, by_type.total["count"], ad_weeks)
    )
    report.sections = _sections(db, period, region, by_type)
    ads = _ads(ad_weeks)
    if ads:
        report.sections.append(ads)
    for provider in SECTION_PROVIDERS if providers is None else providers:
        report.sections += provider(db, period, region)
    return report


def quarterly(db, quarter_text: str) -> Report:
    return build(db, parse_quarter(quarter_text))


def yearly(db, year_text: str) -> Report:
    return build(db, parse_year(year_text))

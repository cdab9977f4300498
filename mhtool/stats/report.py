"""`mhtool report quarterly`: the quarter's progress report for the municipalities.

A report is a title, a few lines of introduction and a list of tables; it is
written as Markdown, or as an Excel workbook with one sheet per table.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from mhtool import __version__
from mhtool.errors import UsageError
from mhtool.periods import Period, parse_period, quarters_up_to, week
from mhtool.region.municipalities import TOTAL
from mhtool.region.population import region_inhabitants
from mhtool.stats.figures import Figures, Request, compute, pivot

PER = 10_000
RATE = "per 10.000 inwoners"
COUNT = "aantal"
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december")


@dataclass
class Section:
    title: str          # Markdown heading
    sheet: str          # Excel sheet name (at most 31 characters)
    columns: list[str]
    rows: list[dict]
    note: str | None = None


@dataclass
class Report:
    title: str
    intro: list[str]
    sections: list[Section] = field(default_factory=list)


def parse_quarter(text: str) -> Period:
    period = parse_period(text)
    if period.kind != "quarter":
        raise UsageError(f"{text!r} is not a quarter; write e.g. 2026Q3")
    return period


def _dutch_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _share_rows(figures: Figures, heading: str) -> list[dict]:
    """Count, share and (when asked) rate per value, total last, with the
    report's Dutch column names."""
    name = figures.request.by[0]
    rate = figures.request.rate_column if figures.request.per else None
    whole = figures.total["count"]
    rows = []
    for row in figures.with_total():
        out = {heading: row[name], COUNT: row["count"], "aandeel %": _share(row["count"], whole)}
        if rate:
            out[RATE] = row[rate]
        rows.append(out)
    return rows


def _trend(db, period: Period) -> Section:
    quarters = quarters_up_to(period, 4)
    span = Period("range", quarters[0].start, quarters[-1].end)
    figures = compute(db, Request(("quarter", "type"), span))
    columns, rows = pivot(figures, totals=True)
    rows = rows[:-1]  # a sum over four quarters says nothing here
    for row in rows:
        row["kwartaal"] = row.pop("quarter")
    return Section("Trend: de laatste vier kwartalen", "Trend", ["kwartaal", *columns[1:]], rows,
                   "Situaties per kwartaal naar type uitbuiting.")


def _sources(db, period: Period) -> Section:
    situations = compute(db, Request(("source",), period))
    signals = compute(db, Request(("source",), period, count="signals"))
    by_signal = {row["source"]: row["count"] for row in signals.rows}
    names = [*situations.domains[0], *(n for n in signals.domains[0] if n not in situations.domains[0])]
    by_situation = {row["source"]: row["count"] for row in situations.rows}
    rows = [{"bron": n, "situaties": by_situation.get(n, 0), "signalen": by_signal.get(n, 0)} for n in names]
    rows.append({"bron": TOTAL, "situaties": situations.total["count"], "signalen": signals.total["count"]})
    return Section("Bronnen", "Bronnen", ["bron", "situaties", "signalen"], rows,
                   "Een situatie telt bij de bron die haar als eerste meldde; "
                   "signalen zijn alle meldingen, ook die over dezelfde situatie.")


def quarter_weeks(period: Period) -> list[Period]:
    """The ISO weeks that belong to the quarter (their Thursday lies in it)."""
    weeks = []
    current = week(period.start)
    while current.start <= period.end:
        if period.start <= current.start + dt.timedelta(days=3) <= period.end:
            weeks.append(current)
        current = week(current.end + dt.timedelta(days=1))
    return weeks


def _ads(db, period: Period) -> Section | None:
    """Ads scored and flagged per week (the latest score of each ad in a week)."""
    labels = [w.label for w in quarter_weeks(period)]
    marks = ", ".join("?" for _ in labels)
    found = db.conn.execute(
        f"""
        WITH latest AS (
            SELECT period, risky, row_number() OVER (PARTITION BY period, ad ORDER BY id DESC) AS n
            FROM ad_scores WHERE period IN ({marks})
        )
        SELECT period, count(*), sum(risky) FROM latest WHERE n = 1 GROUP BY period ORDER BY period
        """,
        labels,
    ).fetchall()
    if not found:
        return None
    rows = [{"week": w, "beoordeeld": n, "risicovol": r, "risicovol %": _share(r, n)} for w, n, r in found]
    scored, risky = sum(r["beoordeeld"] for r in rows), sum(r["risicovol"] for r in rows)
    rows.append({"week": TOTAL, "beoordeeld": scored, "risicovol": risky, "risicovol %": _share(risky, scored)})
    return Section("Seksadvertenties per week", "Advertenties", ["week", "beoordeeld", "risicovol", "risicovol %"],
                   rows, "Advertenties beoordeeld met `mhtool ads score`; de laatste score per advertentie per week.")


def quarterly(db, quarter_text: str) -> Report:
    from mhtool.region.municipalities import load_region

    period = parse_quarter(quarter_text)
    region = load_region(db)
    by_type = compute(db, Request(("type",), period, per=PER), region)
    by_gemeente = compute(db, Request(("gemeente",), period, per=PER), region)
    signals = compute(db, Request(("type",), period, count="signals"), region).total["count"]
    situations = by_type.total["count"]
    inhabitants = region_inhabitants(region, period.start, period.end)
    report = Report(
        f"Voortgangsrapportage mensenhandel {period.label}",
        [
            f"Periode: {_dutch_date(period.start)} tot en met {_dutch_date(period.end)}.",
            f"Situaties: {situations} (uit {signals} signalen; meldingen over dezelfde situatie tellen één keer).",
            f"Inwoners van de regio: {inhabitants:,}".replace(",", ".") + " (regiotabel).",
            f"Gemaakt op {dt.date.today().isoformat()} met mhtool {__version__}.",
        ],
    )
    report.sections += [
        Section("Situaties naar type uitbuiting", "Naar type", ["type", COUNT, "aandeel %", RATE],
                _share_rows(by_type, "type")),
        Section("Situaties naar gemeente", "Naar gemeente", ["gemeente", COUNT, "aandeel %", RATE],
                _share_rows(by_gemeente, "gemeente"),
                "Elke gemeente van de regio staat erin, ook zonder situaties."),
        _trend(db, period),
        _sources(db, period),
    ]
    victim_note = "Per situatie de gegevens uit de eerste melding die ze noemt."
    for name, heading, title, sheet in (
        ("victim_gender", "geslacht", "Slachtoffers: geslacht", "Slachtoffers geslacht"),
        ("victim_age", "leeftijd", "Slachtoffers: leeftijd", "Slachtoffers leeftijd"),
        ("victim_nationality", "nationaliteit", "Slachtoffers: nationaliteit", "Slachtoffers nationaliteit"),
    ):
        figures = compute(db, Request((name,), period), region)
        report.sections.append(Section(title, sheet, [heading, COUNT, "aandeel %"],
                                       _share_rows(figures, heading), victim_note))
    ads = _ads(db, period)
    if ads:
        report.sections.append(ads)
    return report


def to_markdown(report: Report) -> str:
    from mhtool.io.writers import write_rows

    out = io.StringIO()
    out.write(f"# {report.title}\n\n")
    out.write("\n".join(report.intro) + "\n")
    for section in report.sections:
        out.write(f"\n## {section.title}\n\n")
        if section.note:
            out.write(section.note + "\n\n")
        write_rows(section.rows, section.columns, "markdown", stdout=out)
    return out.getvalue()


def write_xlsx(report: Report, path: str) -> None:
    """One sheet with the introduction, then one sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from mhtool.io.outfile import replacing
    from mhtool.io.writers import save_workbook, xlsx_cell

    workbook = Workbook()
    summary = workbook.active
    summary.title = "Rapport"
    summary.append([report.title])
    summary["A1"].font = Font(bold=True)
    for line in report.intro:
        summary.append([xlsx_cell(line)])
    for section in report.sections:
        sheet = workbook.create_sheet(section.sheet[:31])
        sheet.append([xlsx_cell(c) for c in section.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in section.rows:
            sheet.append([xlsx_cell(row.get(c)) for c in section.columns])
        summary.append([xlsx_cell(f"{section.sheet}: {section.title}")])
    with replacing(path) as temp:
        save_workbook(workbook, temp)

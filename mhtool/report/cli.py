"""`mhtool report quarterly|yearly`: the progress report for the municipalities."""

from __future__ import annotations

from collections.abc import Callable

import click

from mhtool.cli.app import info, state
from mhtool.cli.group import MhtoolGroup
from mhtool.cli.help import examples
from mhtool.cli.output import REPORT, output_options, resolve_format
from mhtool.io.safety import echo


@click.group("report", cls=MhtoolGroup)
def report_group() -> None:
    """Reports for the municipalities."""


def report_options(func: Callable) -> Callable:
    func = click.option(
        "--notes",
        metavar="FILE",
        help="Markdown with your own text: each section under the heading of the report "
        "section it belongs to ('Inleiding' for the front page).",
    )(func)
    func = click.option(
        "--publish",
        is_flag=True,
        help="For publication: counts of 1-4 shown as <5, with the cells that would "
        "give them away; without it the front page says it is for internal use.",
    )(func)
    return output_options(func, kind=REPORT)


def _make(report, fmt: str | None, output: str, publish: bool, notes: str | None) -> None:
    if notes:
        from mhtool.report.notes import place_notes, read_notes

        place_notes(report, read_notes(notes), notes)
    if publish:
        from mhtool.report.publish import publish as make_public

        make_public(report)
    from mhtool.report.sentences import add_sentences

    add_sentences(report, report.period)
    chosen = resolve_format(fmt, output, kind=REPORT)
    if output == "-":
        from mhtool.report.render import to_text

        echo(to_text(report, chosen), nl=False)
        return
    from mhtool.report.render import write_report

    write_report(report, output, chosen)
    info(f"report written to {output}")


@report_group.command("quarterly")
@click.argument("quarter", metavar="QUARTER")
@report_options
@examples(
    """
mhtool report quarterly 2026Q3
mhtool report quarterly 2026Q3 -o rapportage-2026Q3.xlsx
mhtool report quarterly 2026Q3 -o rapportage-2026Q3.docx --notes toelichting.md
mhtool report quarterly 2026Q3 -o rapportage-2026Q3.html --publish
mhtool report quarterly 2026Q3 --format html > rapportage-2026Q3.html
"""
)
def report_quarterly(quarter, fmt, output, publish, notes):
    """The quarter's progress report (aard en omvang).

    Situations by type and by municipality with rates per 10,000
    inhabitants, the trend over the last four quarters, sources, victim
    data and, once ads are scored, the ads scored and flagged per week."""
    from mhtool.report.build import build, parse_quarter

    period = parse_quarter(quarter)
    _make(build(state().db, period, providers=[follow_up_sections]), fmt, output, publish, notes)


@report_group.command("yearly")
@click.argument("year", metavar="YEAR")
@report_options
@examples(
    """
mhtool report yearly 2026
mhtool report yearly 2026 -o jaarrapportage-2026.docx --publish
"""
)
def report_yearly(year, fmt, output, publish, notes):
    """The year's report: the same sections for the whole year, the trend
    over its four quarters."""
    from mhtool.report.build import build, parse_year

    period = parse_year(year)
    _make(build(state().db, period, providers=[follow_up_sections]), fmt, output, publish, notes)


def follow_up_sections(db, period, region) -> list:
    """The follow-up of cases (mhtool/cases/figures.py) as report sections;
    none while no case was ever taken up. Wired here, on top, so that the
    report package does not depend on the cases area."""
    from mhtool.cases.figures import follow_up_tables
    from mhtool.region.municipalities import TOTAL
    from mhtool.report.model import COUNT, TEXT, Section, Table

    if not db.conn.execute("SELECT 1 FROM case_events LIMIT 1").fetchone():
        return []  # no case was ever taken up: the report has no follow-up to show
    sections = []
    for number, table in enumerate(follow_up_tables(db, period)):
        if not table.rows:
            continue
        kinds = {c: (COUNT if all(isinstance(r.get(c), int) for r in table.rows) else TEXT) for c in table.columns}
        first = table.columns[0]
        has_total = table.rows[-1].get(first) == TOTAL
        sections.append(
            Section(
                f"follow_up_{number}",
                table.title,
                table.sheet,
                Table(list(table.columns), kinds, table.rows, total_row=has_total),
                note=table.note,
            )
        )
    return sections

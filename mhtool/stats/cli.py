"""`mhtool stats` and `mhtool report ...`: the quarterly figures."""

from __future__ import annotations

import click

from mhtool.cli.app import info, state
from mhtool.cli.help import examples
from mhtool.cli.options import DATE, PERIOD, gemeente_option, type_option
from mhtool.cli.output import emit, output_options, resolve_format
from mhtool.errors import UsageError
from mhtool.stats import FIELDS as BY_FIELDS


@click.command("stats")
@click.option(
    "--by",
    "by",
    multiple=True,
    required=True,
    type=click.Choice(BY_FIELDS),
    metavar="FIELD",
    help=f"Count by FIELD; once, or twice for a cross table. One of: {', '.join(BY_FIELDS)}.",
)
@click.option("--period", type=PERIOD, metavar="PERIOD", help="2026Q3, 2026, 2026-07 or 2026-W48 (default: all data).")
@click.option("--from", "date_from", type=DATE, metavar="DATE", help="From DATE (instead of --period).")
@click.option("--to", "date_to", type=DATE, metavar="DATE", help="Up to and including DATE.")
@gemeente_option("Only this municipality (a place is read as its municipality).")
@type_option()
@click.option(
    "--status",
    "statuses",
    multiple=True,
    metavar="STATUS",
    help="Only cases in this state (nieuw, 'in behandeling', doorgezet, afgesloten); repeatable.",
)
@click.option("--taken-up", is_flag=True, help="Only cases taken up: any state past nieuw.")
@click.option(
    "--count",
    "count",
    type=click.Choice(["situations", "signals"]),
    default="situations",
    show_default=True,
    help="Count situations (signals about one situation once) or raw signals.",
)
@click.option(
    "--pivot", is_flag=True, help="With two --by: one row per value of the first, a column per value of the second."
)
@click.option("--per", type=int, metavar="N", help="Add the rate per N inhabitants, e.g. --per 10000.")
@click.option(
    "--compare",
    type=click.Choice(["previous", "year"]),
    help="Add the count of the previous period (or the same period a year earlier) and the change.",
)
@click.option("--totals", is_flag=True, help="Add a total row to csv/tsv/json/xlsx output (the table always has one).")
@click.option("--chart", is_flag=True, help="Draw horizontal bars in the terminal instead of a table.")
@output_options
@examples(
    """
mhtool stats --by gemeente --period 2026Q3
mhtool stats --by type --period 2026Q3 --per 10000 --compare previous
mhtool stats --by gemeente --by type --period 2026 --pivot --excel -o figures.csv
mhtool stats --by month --from 1-1-2026 --to 30-9-2026 --count signals
mhtool stats --by victim_age --period 2026Q3 --chart
mhtool stats --by type --gemeente Hilversum --period 2026
mhtool stats --by gemeente --taken-up --period 2026Q3
mhtool stats --by forwarded_to --period 2026Q3
mhtool stats --by status --status afgesloten --by gemeente
"""
)
# Long: seventeen options; the work is in stats.figures.compute.
def stats_command(
    by,
    period,
    date_from,
    date_to,
    gemeente,
    type_,
    statuses,
    taken_up,
    count,
    pivot,
    per,
    compare,
    totals,
    chart,
    fmt,
    output,
    excel,
):
    """Figures: situations (or signals) counted by one or two fields.

    Every municipality of the region in force in the period appears, with 0
    where there is nothing; 'buiten regio' and 'onbekend' appear when they
    have counts. Types carry their Dutch labels. Ages come in bands <18,
    18-20, 21-25, 26-30, 31+. Two --by fields give one row per combination
    (long format); --pivot turns the second field into columns. Rates use
    the inhabitants of the region table; the total's rate, the whole region."""
    from mhtool.periods import period_from_options
    from mhtool.stats.figures import Request, check_pivot, compute
    from mhtool.stats.figures import pivot as make_pivot

    request = Request(
        tuple(by),
        period_from_options(period, date_from, date_to),
        count,
        per,
        compare,
        gemeente=gemeente,
        type=type_,
        status=_case_states(statuses, taken_up),
    )
    request.check()
    if pivot:
        check_pivot(request)
    if chart and (fmt or excel or output != "-" or pivot):
        raise UsageError("--chart draws in the terminal; leave out --format, --excel, -o and --pivot")
    figures = compute(state().db, request)
    what = "Situaties" if count == "situations" else "Signalen"
    title = f"{what} {figures.period.label}"
    if figures.compared_with:
        title += f" (vergeleken met {figures.compared_with.label})"
    if chart:
        from mhtool.stats.chart import draw

        draw(figures, title)
        return
    info(f"{title}, {figures.period.span}: {figures.total['count']} in total")
    show_total = totals or resolve_format(fmt, output, excel) in ("table", "markdown")
    if pivot:
        columns, rows = make_pivot(figures, show_total)
    else:
        columns, rows = figures.columns, figures.with_total() if show_total else figures.rows
    emit(rows, columns, fmt, output, excel, title=title)


def _case_states(statuses: tuple[str, ...], taken_up: bool) -> tuple[str, ...]:
    from mhtool.cases.lists import STATES, state

    if statuses and taken_up:
        raise UsageError("--taken-up means every state past nieuw; leave out --status")
    if taken_up:
        return STATES[1:]
    return tuple(dict.fromkeys(state(s) for s in statuses))

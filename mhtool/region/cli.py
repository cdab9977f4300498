"""`mhtool region ...`: the municipalities, their places and inhabitants."""

from __future__ import annotations

import datetime

import click

from mhtool.cli.app import info, state
from mhtool.cli.group import MhtoolGroup
from mhtool.cli.help import examples
from mhtool.cli.output import emit, output_options, resolve_format

REGION_LIST_COLUMNS = ["gemeente", "cbs_code", "inhabitants", "inhabitants_on", "valid_from", "valid_to", "places"]


@click.group("region", cls=MhtoolGroup)
def region_group() -> None:
    """The region's municipalities and the places that map to them."""


@region_group.command("show")
@click.option("--date", "on_date", metavar="DATE", help="Only the municipalities in force on DATE.")
@output_options
@examples("mhtool region show\nmhtool region show --date 2027-01-01 --format csv")
def region_show(on_date, fmt, output, excel) -> None:
    """List the municipalities with CBS code, inhabitants, validity and places."""
    from mhtool.parse.dates import option_day
    from mhtool.region.municipalities import load_region

    region = load_region(state().db)
    records = region.municipalities
    if on_date:
        day = option_day(on_date, "--date").isoformat()
        records = [m for m in records if m.valid_on(day)]
    rows = [
        {
            "gemeente": m.gemeente,
            "cbs_code": m.cbs_code,
            "inhabitants": m.inhabitants,
            "inhabitants_on": m.inhabitants_on,
            "valid_from": m.valid_from,
            "valid_to": m.valid_to,
            "places": "|".join(m.places),
        }
        for m in records
    ]
    emit(rows, REGION_LIST_COLUMNS, fmt, output, excel, title="Regio")


@region_group.command("load")
@click.argument("file", type=click.Path(dir_okay=False))
@examples("mhtool region load my_region.csv")
def region_load(file: str) -> None:
    """Replace the region table with FILE (CSV, columns as `region show --format csv`).

    Columns: gemeente, cbs_code, inhabitants, inhabitants_on, valid_from,
    valid_to, places (separated by '|'). Signals already imported keep their
    municipality; new imports use the new table."""
    from mhtool.region.municipalities import replace_region

    municipalities = replace_region(state().db, file)
    info(f"region loaded: {len(municipalities)} municipality records")


def _day_option(on_date: str | None) -> str:
    from mhtool.periods import parse_day

    return (parse_day(on_date, "--date") if on_date else datetime.date.today()).isoformat()


@region_group.command("split")
@click.argument("amount")
@click.option("--exclude", multiple=True, metavar="NAME", help="Leave this municipality out (repeatable).")
@click.option("--date", "on_date", metavar="DATE", help="The municipalities in force on DATE (default: today).")
@click.option("--totals", is_flag=True, help="Add a total row to csv/json/xlsx output too.")
@output_options
@examples(
    """
mhtool region split 90593 --exclude Eemnes
mhtool region split "EUR 90.593" --exclude Eemnes --date 2026-01-01 --excel -o verdeling.csv
"""
)
def region_split(amount, exclude, on_date, totals, fmt, output, excel) -> None:
    """Split a cost (whole euros) over the municipalities by inhabitants.

    Largest remainder: each municipality gets the whole euros of its exact
    share, the euros left go to the largest fractions, so the parts add up
    to exactly AMOUNT. Inhabitants: see `mhtool region show`."""
    from mhtool.region.costs import cost_split, parse_amount, split_total
    from mhtool.region.municipalities import load_region

    euros = parse_amount(amount)
    rows = cost_split(load_region(state().db), euros, _day_option(on_date), tuple(exclude))
    if totals or resolve_format(fmt, output, excel) in ("table", "markdown"):
        rows.append(split_total(rows, euros))
    emit(rows, ["gemeente", "inhabitants", "share_pct", "amount"], fmt, output, excel, title=f"Verdeling EUR {euros}")


@region_group.command("fte")
@click.option("--date", "on_date", metavar="DATE", help="The municipalities in force on DATE (default: today).")
@output_options
@examples("mhtool region fte\nmhtool region fte --date 2027-01-01 --format csv")
def region_fte(on_date, fmt, output, excel) -> None:
    """The CoMensha staffing norm for the region.

    0.1 FTE care coordination (zorgcoördinatie) per 100,000 inhabitants, and
    0.5 to 1 FTE chain direction (ketenregie) per region."""
    from mhtool.region.costs import fte_norm
    from mhtool.region.municipalities import load_region

    rows = fte_norm(load_region(state().db), _day_option(on_date))
    emit(
        rows,
        ["task", "norm", "inhabitants", "fte_min", "fte_max"],
        fmt,
        output,
        excel,
        title="Formatie (CoMensha-norm)",
    )

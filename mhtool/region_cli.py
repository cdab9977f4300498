"""`mhtool region ...`: the municipalities, their places and inhabitants."""

from __future__ import annotations

import datetime

import click

from .clitools import MhtoolGroup, emit, examples, info, output_options, state

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
    from .parse.dates import parse_date, to_iso
    from .region import load_region

    region = load_region(state().db)
    records = region.municipalities
    if on_date:
        day = to_iso(parse_date(on_date, today=datetime.date.max))[:10]
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
    from .region import replace_region

    municipalities = replace_region(state().db, file)
    info(f"region loaded: {len(municipalities)} municipality records")

"""The output options (--format, --excel, -o) and writing rows with them."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence

import click

from mhtool.cli.outpaths import check_output

OUTPUT_FORMATS = ("table", "csv", "tsv", "json", "ndjson", "markdown", "xlsx")


def output_options(func: Callable) -> Callable:
    """`--format`, `--excel` and `-o` for every command that lists rows."""
    func = click.option(
        "-o",
        "--output",
        default="-",
        metavar="FILE",
        callback=check_output,
        help="Write to FILE instead of stdout.",
    )(func)
    func = click.option(
        "--excel",
        is_flag=True,
        help="CSV for Dutch Excel: ';' separator and a UTF-8 BOM (implies --format csv).",
    )(func)
    func = click.option(
        "-f",
        "--format",
        "fmt",
        type=click.Choice(OUTPUT_FORMATS),
        default=None,
        help="Output format (default: table on a terminal, csv otherwise; from -o FILE's extension).",
    )(func)
    return func


def resolve_format(fmt: str | None, output: str, excel: bool) -> str:
    if fmt:
        return fmt
    if excel:
        return "csv"
    if output and output != "-":
        suffix = output.rsplit(".", 1)[-1].lower() if "." in output else ""
        return {"csv": "csv", "tsv": "tsv", "json": "json", "ndjson": "ndjson", "md": "markdown", "xlsx": "xlsx"}.get(
            suffix, "csv"
        )
    return "table" if sys.stdout.isatty() else "csv"


def emit(
    rows: Iterable[dict],
    columns: Sequence[str],
    fmt: str | None,
    output: str,
    excel: bool,
    title: str | None = None,
) -> int:
    from mhtool.io.writers import write_rows

    chosen = resolve_format(fmt, output, excel)
    return write_rows(rows, columns, chosen, output, excel=excel, title=title)

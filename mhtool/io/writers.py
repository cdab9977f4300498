"""Write a result set in any output format.

One writer for every command: `table` (rich, for the terminal), `csv`, `tsv`,
`json`, `ndjson`, `markdown` and `xlsx`. Spreadsheet-bound formats (csv, tsv,
markdown, xlsx) neutralise text that a spreadsheet would run as a formula.
`excel=True` gives Dutch Excel's CSV dialect: `;` separator and a UTF-8 BOM.
"""

from __future__ import annotations

import csv
import datetime
import json
import sys
from pathlib import Path
from typing import IO, Any, Iterable, Sequence

from mhtool.errors import UsageError

FORMATS = ("table", "csv", "tsv", "json", "ndjson", "markdown", "xlsx")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Prefix text that starts like a formula with an apostrophe.

    Numbers are left alone: a negative number is not a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _json_value(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def write_rows(
    rows: Iterable[dict],
    columns: Sequence[str],
    fmt: str = "table",
    output: str | None = None,
    *,
    excel: bool = False,
    title: str | None = None,
    stdout: IO[str] | None = None,
) -> int:
    """Write `rows` (dicts) with `columns` in that order; return the row count."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    if fmt == "xlsx":
        if not output or output == "-":
            raise UsageError("--format xlsx needs -o FILE.xlsx")
        return _write_xlsx(rows, columns, Path(output), title)
    if output and output != "-":
        encoding = "utf-8-sig" if excel else "utf-8"
        with open(output, "w", encoding=encoding, newline="") as handle:
            return _write_text(rows, columns, fmt, handle, excel, title, to_terminal=False)
    stream = stdout or sys.stdout
    if excel:
        stream.write("\ufeff")
    return _write_text(rows, columns, fmt, stream, excel, title, to_terminal=stream.isatty())


def _write_text(rows, columns, fmt, out, excel, title, to_terminal) -> int:
    count = 0
    if fmt in ("csv", "tsv"):
        delimiter = "\t" if fmt == "tsv" else (";" if excel else ",")
        # CRLF (RFC 4180) also makes the csv module quote cells with a bare CR.
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow([neutralise(c) for c in columns])
        for row in rows:
            writer.writerow([neutralise(_plain(row.get(c))) for c in columns])
            count += 1
    elif fmt == "json":
        out.write("[")
        for row in rows:
            out.write(",\n " if count else "\n ")
            json.dump({c: _json_value(row.get(c)) for c in columns}, out, ensure_ascii=False)
            count += 1
        out.write("\n]\n" if count else "]\n")
    elif fmt == "ndjson":
        for row in rows:
            out.write(json.dumps({c: _json_value(row.get(c)) for c in columns}, ensure_ascii=False))
            out.write("\n")
            count += 1
    elif fmt == "markdown":
        from tabulate import tabulate

        body = [[_markdown_cell(row.get(c)) for c in columns] for row in rows]
        count = len(body)
        out.write(tabulate(body, headers=list(columns), tablefmt="github", disable_numparse=True))
        out.write("\n")
    else:
        count = _write_table(rows, columns, out, title, to_terminal)
    return count


def _markdown_cell(value: Any) -> str:
    text = str(neutralise(_plain(value)))
    return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _write_table(rows, columns, out, title, to_terminal) -> int:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False, header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    count = 0
    for row in rows:
        table.add_row(*[str(_plain(row.get(c))) for c in columns])
        count += 1
    console = Console(file=out, force_terminal=to_terminal, width=None if to_terminal else 200)
    console.print(table)
    return count


def _write_xlsx(rows, columns, path: Path, title) -> int:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(title or "mhtool")[:31])
    sheet.append(list(columns))
    count = 0
    for row in rows:
        sheet.append([neutralise(_plain(row.get(c))) for c in columns])
        count += 1
    workbook.save(path)
    return count

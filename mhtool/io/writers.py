"""Write a result set in any output format.

One writer for every command: `table` (rich, for the terminal), `csv`, `tsv`,
`json`, `ndjson`, `markdown` and `xlsx`. Spreadsheet-bound formats (csv, tsv,
markdown, xlsx) neutralise text that a spreadsheet would run as a formula;
in csv and tsv also every piece of a cell that a spreadsheet reading the file
with another separator could split off, and any cell holding `,`, `;`, a tab
or a line break is quoted whatever the separator. `excel=True` gives Dutch
Excel's CSV dialect: `;` separator, a UTF-8 BOM and cells Dutch Excel reads
typed (decimal commas, `dd-mm-jjjj` dates; `excelcsv`). Tables fit the
terminal's width (`table`).

Files are written through `outfile.written` (whole or not at all, 0600).
Values from data never act on the screen (`safety`): tables show them as
rich Text, csv/tsv/markdown on a terminal show control characters visibly,
JSON escapes them; xlsx shows the characters a workbook cannot hold
visibly; Markdown escapes its own syntax (no links, images or HTML).
"""

from __future__ import annotations

import datetime
import re
import sys
from collections.abc import Iterable, Sequence
from typing import IO, Any

from mhtool.errors import UsageError
from mhtool.io.outfile import replacing, written
from mhtool.io.safety import json_text, picture, visible

FORMATS = ("table", "csv", "tsv", "json", "ndjson", "markdown", "xlsx")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Where a spreadsheet may start a new cell, whatever separator it assumes.
SEPARATORS = ",;\t\r\n"
_ANY_SEPARATOR = re.compile(f"[{re.escape(SEPARATORS)}]")
_NEEDS_QUOTES = re.compile(f'[{re.escape(SEPARATORS)}"]')
# A piece after a separator (past spaces and quotes) that a spreadsheet would
# run: `=` or `@`, or `+`/`-` before a call or a DDE link, `(` or `|`, in the
# same piece. So `€ 50,-`, `+31 6 ...` and `80,- / uur` stay as they are.
_FORMULA_PIECE = re.compile(r"(?<=[,;\t\r\n])([ \"]*)(?=[=@]|[+-][^,;\t\r\n]*[(|])")
# Markdown syntax that could make data a link, image, HTML, code or emphasis;
# `<` only before what starts a tag or autolink, `_` only where it can
# emphasise (not inside `reported_on`), so ordinary values stay as they are.
_MARKDOWN_SYNTAX = re.compile(r"([\\`*~\[\]|]|<(?=[A-Za-z/!?])|(?<![^\W_])_|_(?![^\W_]))")


def neutralise(value: Any) -> Any:
    """Prefix text that starts like a formula with an apostrophe.

    Numbers are left alone: a negative number is not a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def guard_pieces(value: Any) -> Any:
    """Neutralise every piece of a text cell that starts a formula once a
    spreadsheet splits the cell at `,`, `;`, a tab or a line break."""
    if isinstance(value, str) and _ANY_SEPARATOR.search(value):  # no separator, no pieces: the common case
        return _FORMULA_PIECE.sub(r"\1'", value)
    return value


def _csv_field(value: Any) -> str:
    """One field, quoted when it holds any separator a spreadsheet may use
    (the csv module quotes only for its own delimiter, hence by hand)."""
    text = value if value.__class__ is str else str(value)
    if _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def xlsx_cell(value: Any) -> Any:
    """A value a workbook can hold: no formula, characters it cannot store
    (control characters) shown as their control pictures."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = neutralise(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub(lambda m: picture(m.group()), value)
    return value


def plain(value: Any) -> Any:
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
    full: bool = False,
    optional: Sequence[str] = (),
) -> int:
    """Write `rows` (dicts) with `columns` in that order; return the row count.
    A table leaves out the `optional` columns, in that order, where the
    terminal is too narrow (`table.write_table`); `full` wraps long text."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    if fmt == "xlsx":
        if not output or output == "-":
            raise UsageError("--format xlsx needs -o FILE.xlsx")
        return _write_xlsx(rows, columns, output, title)
    if output and output != "-":
        encoding = "utf-8-sig" if excel else "utf-8"
        with written(output, encoding=encoding) as handle:
            return _write_text(
                rows, columns, fmt, handle, excel, title, to_terminal=False, full=full, optional=optional
            )
    stream = stdout or sys.stdout
    if excel:
        stream.write("\ufeff")
    return _write_text(
        rows, columns, fmt, stream, excel, title, to_terminal=stream.isatty(), full=full, optional=optional
    )


def _guard(value: Any) -> Any:
    return guard_pieces(neutralise(value))


def _csv_cell(value: Any, excel: bool) -> Any:
    if excel:
        from mhtool.io.excelcsv import excel_cell

        return excel_cell(value, _guard)
    return _guard(plain(value))


def _plain_csv_field(value: Any) -> str:
    """`_csv_field(str(_csv_cell(value, False)))`, the same text, with the
    common cells (empty, a number, text without a separator or a quote)
    taken the short way: a week's list of ads is half a million cells."""
    kind = value.__class__
    if value is None:
        return ""
    if kind is int or kind is float:
        return str(value)
    if kind is str:
        if value.startswith(FORMULA_STARTS):
            value = "'" + value
        return _csv_field(guard_pieces(value)) if _NEEDS_QUOTES.search(value) else value
    return _csv_field(str(_csv_cell(value, False)))


def _write_text(rows, columns, fmt, out, excel, title, to_terminal, full=False, optional=()) -> int:
    count = 0
    if fmt in ("csv", "tsv"):
        delimiter = "\t" if fmt == "tsv" else (";" if excel else ",")
        shown = visible if to_terminal else str

        def line(values) -> str:  # CRLF, as RFC 4180 and Excel have it
            return delimiter.join(_csv_field(shown(v)) for v in values) + "\r\n"

        out.write(line(_guard(c) for c in columns))
        if not (excel or to_terminal):
            for row in rows:
                out.write(delimiter.join([_plain_csv_field(row.get(c)) for c in columns]) + "\r\n")
                count += 1
        else:
            for row in rows:
                out.write(line(_csv_cell(row.get(c), excel) for c in columns))
                count += 1
    elif fmt == "json":
        out.write("[")
        for row in rows:
            out.write(",\n " if count else "\n ")
            out.write(json_text({c: _json_value(row.get(c)) for c in columns}))
            count += 1
        out.write("\n]\n" if count else "]\n")
    elif fmt == "ndjson":
        for row in rows:
            out.write(json_text({c: _json_value(row.get(c)) for c in columns}))
            out.write("\n")
            count += 1
    elif fmt == "markdown":
        from tabulate import tabulate

        body = [[markdown_cell(row.get(c)) for c in columns] for row in rows]
        count = len(body)
        headers = [markdown_cell(c) for c in columns]
        out.write(tabulate(body, headers=headers, tablefmt="github", disable_numparse=True))
        out.write("\n")
    else:
        from mhtool.io.table import write_table

        count = write_table(rows, columns, out, title, to_terminal, full, optional)
    return count


def markdown_cell(value: Any) -> str:
    """A value as inert Markdown text: no formula, its syntax escaped (no
    link, image, autolink, HTML or emphasis), on one line, controls visible."""
    text = str(neutralise(plain(value))).replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    text = _MARKDOWN_SYNTAX.sub(r"\\\1", visible(text))
    # Bare links that GitHub-flavoured Markdown would make clickable.
    return text.replace("://", "\\://").replace("www.", "www\\.")


def _write_xlsx(rows, columns, path: str, title) -> int:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(title or "mhtool")[:31])
    count = 0
    try:
        with replacing(path) as temp:
            sheet.append([xlsx_cell(c) for c in columns])
            for row in rows:
                sheet.append([xlsx_cell(_typed(row.get(c))) for c in columns])
                count += 1
            save_workbook(workbook, temp)
    except BaseException:
        _discard(sheet)
        raise
    return count


def _typed(value: Any) -> Any:
    """A value for a workbook cell: an ISO date (as the store keeps dates) as
    a date cell, so that it sorts and filters as one; the rest as `plain`."""
    if isinstance(value, str) and len(value) == 10:
        from mhtool.io.excelcsv import iso_day

        day = iso_day(value)
        if day is not None:
            return day
    return plain(value)


def save_workbook(workbook, path) -> None:
    """Workbook.save, but with the zip archive closed when a write fails (a
    full disk): openpyxl leaves it open, and it then fails again, with a
    traceback on stderr, when it is collected."""
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).save()


def _discard(sheet) -> None:
    """After a failed write (a full disk): close and remove the sheet that
    openpyxl's write-only mode streams to a temporary file of its own, now
    and quietly; else its generators fail again when collected and print a
    traceback, and the file waits for the end of the process."""
    import contextlib
    import os

    writer = getattr(sheet, "_writer", None)
    for generator in (getattr(sheet, "_rows", None), getattr(writer, "xf", None)):
        if generator is not None:
            with contextlib.suppress(Exception):
                generator.close()
    if writer is not None:
        with contextlib.suppress(OSError, TypeError):
            os.unlink(writer.out)

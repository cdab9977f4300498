"""The output options (--format, --excel, -o, --full) and writing rows with them.

One mechanism for every command that prints records: `output_options(kind)`
declares the options and checks, before the command does anything, that
they fit together; `emit` writes the rows. The rules (issue 15):

- `--excel` is CSV for Dutch Excel: with any other `--format` it is a usage
  error, and so is `-o` with an extension of another format (`x.xlsx`).
- `-o FILE` takes its format from the extension; an extension of another
  format than `--format` asks for is a usage error (`--format json -o
  x.csv`), and so is an extension mhtool does not know (`.txt`, none),
  unless `--format` (or `--excel`) says what to write. A device or a pipe
  (`/dev/stdout`) is written like stdout.
- A format a command does not write (`.pdf` anywhere, `.html` for a
  listing) is a usage error, and a binary format (xlsx, docx) needs -o.

Every error is one line with exit code 2, before anything is read or written.
"""

from __future__ import annotations

import functools
import os
import stat
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import click

from mhtool.cli.outpaths import check_output

OUTPUT_FORMATS = ("table", "csv", "tsv", "json", "ndjson", "markdown", "xlsx")
# The format each extension names; the ones no command writes are here so
# that `-o x.pdf` says so instead of being an unknown extension.
EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".json": "json",
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
    ".md": "markdown",
    ".markdown": "markdown",
    ".xlsx": "xlsx",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".xls": "xls",
    ".ods": "ods",
    ".odt": "odt",
    ".doc": "doc",
}
BINARY = ("xlsx", "docx")
_FULL_KEY = "mhtool.output.full"


@dataclass(frozen=True)
class OutputKind:
    """What a command prints: its formats and its default on a terminal and in a pipe."""

    formats: tuple[str, ...]
    on_terminal: str
    in_pipe: str
    excel: bool = False  # offers --excel (CSV for Dutch Excel)
    full: bool = False  # offers --full (long text in full in a table)
    output_help: str = "Write to FILE instead of stdout (its extension names the format)."


LISTING = OutputKind(OUTPUT_FORMATS, "table", "csv", excel=True, full=True)
RECORD = OutputKind(("table", "json"), "table", "table")
REPORT = OutputKind(
    ("markdown", "xlsx", "docx", "html"),
    "markdown",
    "markdown",
    output_help="Write to FILE as .md, .xlsx, .docx or .html (by its extension); default: Markdown on stdout.",
)


def _extensions_of(kind: OutputKind) -> str:
    return ", ".join(e for e, f in EXTENSIONS.items() if f in kind.formats and e not in (".jsonl", ".markdown", ".htm"))


def _is_device(output: str) -> bool:
    """A character device or a pipe (`/dev/stdout`): written as it is, like stdout."""
    try:
        mode = os.stat(output).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def _from_extension(fmt: str | None, output: str, kind: OutputKind, excel: bool) -> str | None:
    from mhtool.errors import UsageError

    suffix = os.path.splitext(output)[1].lower()
    named = EXTENSIONS.get(suffix)
    asked = "--excel" if excel else f"--format {fmt}"
    if named is None:
        if fmt is None:
            what = f"{suffix} is not an extension mhtool knows" if suffix else "a file name without an extension"
            raise UsageError(
                f"-o {output}: {what}; name the file {_extensions_of(kind)} or give --format ({', '.join(kind.formats)})"
            )
        return fmt
    if named not in kind.formats:
        raise UsageError(f"-o {output}: this command does not write {suffix} files ({_extensions_of(kind)})")
    if fmt is not None and named != fmt:
        raise UsageError(f"-o {output}: the extension says {named}, but {asked} writes {fmt}; make them agree")
    return named


def resolve_format(fmt: str | None, output: str | None, excel: bool = False, kind: OutputKind = LISTING) -> str:
    """The format to write, from --format, --excel and -o FILE; a usage
    error (exit 2) when they contradict each other."""
    from mhtool.errors import UsageError

    if excel:
        if fmt not in (None, "csv"):
            raise UsageError(f"--excel writes CSV for Dutch Excel; it does not go with --format {fmt}")
        fmt = "csv"
    to_file = output not in (None, "", "-") and not _is_device(str(output))
    if to_file:
        fmt = _from_extension(fmt, str(output), kind, excel)
    elif fmt is None:
        on_terminal = output in (None, "", "-") and sys.stdout.isatty()
        fmt = kind.on_terminal if on_terminal else kind.in_pipe
    if fmt not in kind.formats:
        raise UsageError(f"--format {fmt}: this command writes {', '.join(kind.formats)}")
    if fmt in BINARY and not to_file:
        raise UsageError(f"--format {fmt} needs -o FILE.{fmt}")
    return fmt


def output_options(func: Callable | None = None, *, kind: OutputKind = LISTING) -> Callable:
    """`--format`, `-o` (and for listings `--excel` and `--full`) for a
    command that prints records; checks they fit together before the
    command runs. `@output_options` for a listing, `@output_options(kind=RECORD)`
    for a show command, `kind=REPORT` for a report."""
    if func is None:
        return functools.partial(output_options, kind=kind)

    @functools.wraps(func)
    def checked(*args, **kwargs):
        resolve_format(kwargs.get("fmt"), kwargs.get("output"), kwargs.get("excel", False), kind)
        full = kwargs.pop("full", False)
        click.get_current_context().meta[_FULL_KEY] = full
        return func(*args, **kwargs)

    command: Callable = checked
    command = click.option("-o", "--output", default="-", metavar="FILE", callback=check_output, help=kind.output_help)(
        command
    )
    if kind.full:
        command = click.option(
            "--full", is_flag=True, help="In a table, long text in full (wrapped) instead of cut to the width."
        )(command)
    if kind.excel:
        command = click.option(
            "--excel",
            is_flag=True,
            help="CSV for Dutch Excel: ';', decimal commas, dd-mm-jjjj dates, a UTF-8 BOM (implies --format csv).",
        )(command)
    default_help = (
        f"{kind.on_terminal} on a terminal, {kind.in_pipe} otherwise"
        if kind.on_terminal != kind.in_pipe
        else kind.on_terminal
    )
    return click.option(
        "-f",
        "--format",
        "fmt",
        type=click.Choice(kind.formats),
        default=None,
        help=f"Output format (default: {default_help}; from -o FILE's extension).",
    )(command)


def full_text() -> bool:
    """Whether this command was given --full."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.meta.get(_FULL_KEY))


def emit(
    rows: Iterable[dict],
    columns: Sequence[str],
    fmt: str | None,
    output: str,
    excel: bool,
    title: str | None = None,
    optional: Sequence[str] = (),
) -> int:
    """Write the rows as the options ask; a table leaves out the `optional`
    columns, in that order, where the terminal is too narrow for them."""
    from mhtool.io.writers import write_rows

    chosen = resolve_format(fmt, output, excel)
    return write_rows(rows, columns, chosen, output, excel=excel, title=title, full=full_text(), optional=optional)


def emit_record(details: dict, fmt: str | None, output: str, draw: Callable[[dict, Callable[..., None]], None]) -> None:
    """One record (a `show` command): `draw(details, echo)` prints its
    vertical record line by line for `table`; `json` is the details as
    they are. Written to stdout or to -o FILE (whole, 0600)."""
    from mhtool.io.safety import json_text, visible

    chosen = resolve_format(fmt, output, kind=RECORD)
    if chosen == "json":
        text = json_text(details, indent=2, default=str) + "\n"
    else:
        lines: list[str] = []
        draw(details, lambda line="": lines.append(visible(line)))
        to_file = output not in (None, "", "-")
        text = "".join(line + "\n" for line in (lines if to_file else _fitted(lines)))
    if output in (None, "", "-"):
        click.echo(text, nl=False)
        return
    from mhtool.io.outfile import written

    with written(output) as handle:
        handle.write(text)


def _fitted(lines: list[str]) -> list[str]:
    """Lines of a record wrapped to the terminal's width, a long value
    continuing under its start (`text:     Melder ziet ...`)."""
    import re
    import shutil
    import textwrap

    width = shutil.get_terminal_size((200, 24)).columns
    fitted = []
    for line in lines:
        if len(line) <= width:
            fitted.append(line)
            continue
        label = re.match(r"\s*\S+:\s+|\s*", line)
        indent = " " * min(len(label.group()) if label else 0, width // 2)
        fitted += textwrap.wrap(line, width, subsequent_indent=indent, break_on_hyphens=False) or [line]
    return fitted

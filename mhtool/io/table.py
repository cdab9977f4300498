"""The `table` format: rows as a rich table that fits the width (issue 15, item 6).

Short columns keep their width; when the table is wider than the terminal,
the longest column (a signal's text, an ad's reasons) gets what is left
(a third of the width where possible) and is cut with `…`, one line per
row; long headers fold; should the other columns still not fit, the
widest of them are cut too. With `--full` they wrap instead, so all
of the text shows; `--format csv` gives all of it unformatted.

The width is the terminal's; written elsewhere (a file, a pipe) it is
`COLUMNS` when set, else 200. Values from data are rich Text (never markup)
with control characters made visible (`safety`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from typing import IO, Any

from mhtool.io.safety import text, visible

# A cut column keeps at least this many characters, if the terminal allows.
MIN_CUT = 8
# Width of a table written anywhere but a terminal, without COLUMNS.
OFF_TERMINAL = 200


def _width(to_terminal: bool) -> int | None:
    if to_terminal:
        return None  # rich asks the terminal
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return OFF_TERMINAL
    return columns if columns > 20 else OFF_TERMINAL


def _cell_width(value: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(line) for line in value.split("\n")), default=0)


def _word(header: str) -> int:
    """How narrow a header may fold: to its longest word (`_` parts count
    as words), but not below MIN_CUT."""
    return max([MIN_CUT, *(_cell_width(word) for word in re.split(r"[\s_]+", visible(header)))])


def _cap(widths: Sequence[int], room: int) -> int:
    """The largest width to cut columns to so that they fit in `room` (the
    columns at most that wide keep theirs), but not below MIN_CUT."""
    cap = max(widths, default=0)
    while cap > MIN_CUT and sum(min(w, cap) for w in widths) > room:
        cap -= 1
    return cap


def layout(natural: Sequence[int], data: Sequence[int], available: int, values: Sequence[int]) -> dict[int, int]:
    """The columns to narrow, and to what width, so that the table fits in
    `available`. `natural` is a column's width with its header on one line,
    `data` its width with the header folded to its longest word, `values`
    the width of its values alone.

    The longest column (a text, the reasons) is narrowed first, to a third
    of the width if the others then fit, else to what they leave (MIN_CUT at
    least); the others keep their width, their headers folding onto a second
    line where needed, and only if they still do not fit, the widest of them
    are cut to one width. Columns not
    in the result keep their natural width."""
    if sum(natural) <= available:
        return {}
    longest = max(range(len(data)), key=values.__getitem__)
    others = [i for i in range(len(data)) if i != longest]
    keep = min(data[longest], available // 3)
    if sum(data[i] for i in others) > available - keep:  # short columns first, the long one down to MIN_CUT
        keep = max(MIN_CUT, available - sum(data[i] for i in others))
    room = available - keep
    widths: dict[int, int] = {}
    extra = room - sum(data[i] for i in others)
    if extra >= 0:  # headers fold as far as needed, the room left unfolds them
        for i in sorted(others, key=lambda i: natural[i] - data[i]):
            widths[i] = data[i] + min(natural[i] - data[i], extra)
            extra -= widths[i] - data[i]
    else:
        cap = _cap([data[i] for i in others], room)
        widths = {i: min(data[i], cap) for i in others}
    widths[longest] = max(min(natural[longest], available - sum(widths.values())), 1)
    return {i: w for i, w in widths.items() if w < natural[i]}


def _widths(columns: Sequence[str], cells: list[list[str]]) -> tuple[list[int], list[int], list[int]]:
    """Each column's natural width, its width with the header folded, and
    the width of its values alone."""
    values = [max([0, *(_cell_width(row[i]) for row in cells)]) for i in range(len(columns))]
    headers = [_cell_width(visible(c)) for c in columns]
    natural = [max(h, v) for h, v in zip(headers, values, strict=True)]
    data = [max(v, min(h, _word(c))) for c, h, v in zip(columns, headers, values, strict=True)]
    return natural, data, values


def _fits(data: list[int], values: list[int], keep: list[int], width: int) -> bool:
    available = width - 2 * (len(keep) - 1)
    longest = max(keep, key=values.__getitem__)
    return sum(data[i] for i in keep if i != longest) + min(values[longest], available // 3) <= available


def _kept(columns: Sequence[str], cells: list[list[str]], width: int, optional: Sequence[str]) -> list[int]:
    """The columns to show: the `optional` ones, in that order, are left out
    while the table would not fit (the long column at a third of the width)."""
    _, data, values = _widths(columns, cells)
    keep = list(range(len(columns)))
    for name in optional:
        if _fits(data, values, keep, width):
            break
        if name in columns and len(keep) > 1:
            keep.remove(list(columns).index(name))
    return keep


def write_table(
    rows: Iterable[dict],
    columns: Sequence[str],
    out: IO[str],
    title: str | None,
    to_terminal: bool,
    full: bool,
    optional: Sequence[str] = (),
) -> int:
    """The rows as a table that fits the width; `optional` columns are left
    out, in that order, where the terminal is too narrow for them."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from mhtool.io.writers import plain

    cells = [[visible(plain(row.get(c))) for c in columns] for row in rows]
    if not full:
        cells = [[value.replace("\r\n", " ").replace("\n", " ").replace("\r", " ") for value in row] for row in cells]
    console = Console(file=out, force_terminal=to_terminal, width=_width(to_terminal))
    if optional and columns:
        keep = _kept(columns, cells, console.width, optional)
        columns = [columns[i] for i in keep]
        cells = [[row[i] for i in keep] for row in cells]
    natural, data, values = _widths(columns, cells)
    widths = layout(natural, data, console.width - 2 * (len(columns) - 1), values)  # two spaces between columns
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
        header_style="bold",
    )
    for i, column in enumerate(columns):
        options: dict[str, Any] = {"min_width": natural[i], "no_wrap": True}
        if i in widths:
            options = {"width": widths[i], "no_wrap": not full, "overflow": "fold" if full else "ellipsis"}
        header = text(column)
        header.no_wrap, header.overflow = False, "fold"  # a narrowed column's header folds, never cut
        table.add_column(header, **options)
    for row in cells:
        table.add_row(*[text(value) for value in row])
    if title:  # above the table, not in it: a table narrower than its title would fold it
        title_line = text(title)
        title_line.stylize("italic")
        console.print(title_line, overflow="fold")
    console.print(table)
    return len(cells)

"""`--publish`: small counts suppressed as statistical offices do.

Primary suppression: a count of 1 to 4 is shown as `<5`. Secondary
suppression: every line of a table that adds up to a total (a column with
its total row, a row with its total column) must not have exactly one
hidden cell, or that cell could be recomputed from the total; while one
has, the smallest other count in that line is hidden too (the total itself
when nothing else is left). Shares and rates of a hidden count are hidden
with it. Victim data is counted for the whole region only (see build.py)."""

from __future__ import annotations

from mhtool.report.model import COUNT, SUPPRESSED, TEXT, Report, Table

SMALL = range(1, 5)


def publish(report: Report) -> Report:
    for section in report.sections:
        if section.table.protect:
            suppress(section.table)
    report.published = True
    return report


def _lines(table: Table) -> list[tuple[list[tuple[int, str]], tuple[int, str] | None]]:
    """(parts, total) for every line that sums up: cells as (row index, column)."""
    counts = [c for c in table.columns if table.kinds[c] == COUNT and c != table.total_column]
    lines: list[tuple[list[tuple[int, str]], tuple[int, str] | None]] = []
    if table.total_row:
        last = len(table.rows) - 1
        for column in counts + ([table.total_column] if table.total_column else []):
            lines.append(([(i, column) for i in range(last)], (last, column)))
    if table.total_column:
        for i in range(len(table.rows)):
            lines.append(([(i, c) for c in counts], (i, table.total_column)))
    return lines


def hidden_cells(table: Table) -> set[tuple[int, str]]:
    """The cells to hide: small counts, then what would give them away."""
    hidden = {
        (i, c)
        for i, row in enumerate(table.rows)
        for c in table.columns
        if table.kinds[c] == COUNT and row.get(c) in SMALL
    }
    lines = _lines(table)
    changed = bool(hidden)
    while changed:
        changed = False
        for parts, total in lines:
            cells = parts + ([total] if total else [])
            if sum(cell in hidden for cell in cells) != 1:
                continue
            open_parts = [p for p in parts if p not in hidden]
            if not open_parts and total:
                hidden.add(total)
            elif open_parts:
                # The smallest other count; a zero only when nothing else is left.
                hidden.add(min(open_parts, key=lambda p: (table.rows[p[0]][p[1]] == 0, table.rows[p[0]][p[1]])))
            else:
                continue
            changed = True
    return hidden


def suppress(table: Table) -> None:
    hidden = hidden_cells(table)
    derived = [c for c in table.columns if table.kinds[c] not in (COUNT, TEXT)]
    first_count = next((c for c in table.columns if table.kinds[c] == COUNT), None)
    for i, column in hidden:
        table.rows[i][column] = SUPPRESSED
        if column == first_count:  # its share and rate would give it away
            for other in derived:
                table.rows[i][other] = None

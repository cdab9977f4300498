"""`mhtool stats --chart`: horizontal bars in the terminal."""

from __future__ import annotations

from mhtool.stats.figures import Figures


def draw(figures: Figures, title: str, out=None) -> None:
    from rich.bar import Bar
    from rich.console import Console
    from rich.table import Table

    from mhtool.io.safety import text

    request = figures.request
    largest = max((row["count"] for row in figures.rows), default=0) or 1
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_column(justify="right", no_wrap=True)
    for row in figures.rows:
        label = " / ".join(str(row[name]) for name in request.by)
        number = str(row["count"])
        if request.compare:
            number += f" (was {row['previous']})"
        grid.add_row(text(label), Bar(largest, 0, row["count"]), text(number))
    console = Console(file=out)
    console.print(text(title, style="bold"))
    console.print(grid)
    console.print(text(f"totaal: {figures.total['count']}"))

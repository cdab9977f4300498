"""The report as data: what every renderer draws from.

Cells hold plain Python values: text, int counts, float shares (percent,
0-100) and rates; a suppressed count (`--publish`) is the text `<5`. Each
column has a kind, so that a renderer can format it (`COUNT`, `SHARE`,
`RATE` or `TEXT`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from mhtool.periods import Period

TEXT, COUNT, SHARE, RATE = "text", "count", "share", "rate"
SUPPRESSED = "<5"


@dataclass
class Chart:
    kind: str  # 'bar' or 'line'
    category: str  # the column along the axis
    values: list[str]  # one series per column
    title: str


@dataclass
class Table:
    columns: list[str]
    kinds: dict[str, str]  # column -> TEXT/COUNT/SHARE/RATE
    rows: list[dict]
    total_row: bool = True  # the last row is the total of the rows above
    total_column: str | None = None  # a column that is the sum of the COUNT columns
    protect: bool = True  # small counts are suppressed with --publish

    @property
    def body(self) -> list[dict]:
        """The rows without the total row (what a chart shows)."""
        return self.rows[:-1] if self.total_row else self.rows


@dataclass
class Section:
    key: str  # stable name (notes and tests refer to the title)
    title: str  # heading
    sheet: str  # Excel sheet name (at most 31 characters)
    table: Table
    note: str | None = None
    chart: Chart | None = None
    sentences: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # the director's paragraphs (--notes)


@dataclass
class Report:
    title: str
    period: Period
    facts: list[tuple[str, str]]  # front page: (label, value)
    sections: list[Section] = field(default_factory=list)
    published: bool = False  # --publish: small counts suppressed
    intro_notes: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.published:
            return "Voor publicatie: aantallen van 1 tot en met 4 zijn weergegeven als <5."
        return "Alleen voor intern gebruik: niet publiceren (kleine aantallen zijn niet afgeschermd)."

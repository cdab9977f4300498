"""The report as Markdown: what `mhtool report` prints and `-o FILE.md` writes.

Cells from data are escaped: a `|` cannot end a cell, a line break cannot
end a row, Markdown syntax from data (links, images, HTML) is escaped, and
text that starts like a formula gets a leading `'`. Numbers are written the
Dutch way, as in the docx and html reports: `254.666`, `33,3`, `0,47`."""

from __future__ import annotations

import io

from mhtool.io.writers import markdown_cell
from mhtool.report.dutch import dutch
from mhtool.report.model import TEXT, Report


def cell(value) -> str:
    """Inert Markdown (no formula, link, image, HTML; controls visible), one line."""
    return "" if value is None else markdown_cell(value)


def _number(value, kind: str):
    """A count, share or rate as a Dutch reader writes it (`1.234`, `33,3`,
    `0,47`), like the docx and html reports; text stays as it is."""
    return value if kind == TEXT else dutch(value, kind)


def to_markdown(report: Report) -> str:
    from tabulate import tabulate

    out = io.StringIO()
    out.write(f"# {report.title}\n\n")
    out.write("\n".join(f"{label}: {value}." for label, value in report.facts) + "\n")
    out.write(f"\n**{report.status}**\n")
    for paragraph in report.intro_notes:
        out.write(f"\n{paragraph}\n")
    for section in report.sections:
        out.write(f"\n## {section.title}\n\n")
        for text in [" ".join(section.sentences)] if section.sentences else []:
            out.write(cell(text) + "\n\n")
        for paragraph in section.notes:
            out.write(paragraph + "\n\n")
        if section.note:
            out.write(section.note + "\n\n")
        kinds = section.table.kinds
        body = [[cell(_number(row.get(c), kinds[c])) for c in section.table.columns] for row in section.table.rows]
        out.write(
            tabulate(body, headers=[cell(c) for c in section.table.columns], tablefmt="github", disable_numparse=True)
        )
        out.write("\n")
    return out.getvalue()


def write_markdown(report: Report, path: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(to_markdown(report))

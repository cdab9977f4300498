"""Write a report in the format the command line resolved (`cli/output.py`).

Every file is written to a temporary file (mode 0600) next to the target
and renamed over it when complete, so a failure leaves nothing partial."""

from __future__ import annotations

from collections.abc import Callable

from mhtool.errors import UsageError
from mhtool.io.outfile import replacing
from mhtool.report.model import Report

FORMATS = {"markdown": ".md", "xlsx": ".xlsx", "docx": ".docx", "html": ".html"}


def _writer(fmt: str) -> Callable[[Report, str], None]:
    if fmt == "xlsx":
        from mhtool.report.xlsx import write_xlsx

        return write_xlsx
    if fmt == "docx":
        from mhtool.report.docx import write_docx

        return write_docx
    if fmt == "html":
        from mhtool.report.html import write_html

        return write_html
    if fmt == "markdown":
        from mhtool.report.markdown import write_markdown

        return write_markdown
    raise UsageError(f"a report is written as {', '.join(FORMATS)}; not as {fmt}")


def to_text(report: Report, fmt: str) -> str:
    """The report as text for stdout: Markdown or HTML."""
    if fmt == "html":
        from mhtool.report.html import to_html

        return to_html(report)
    if fmt == "markdown":
        from mhtool.report.markdown import to_markdown

        return to_markdown(report)
    raise UsageError(f"--format {fmt} needs -o FILE{FORMATS.get(fmt, '')}")


def write_report(report: Report, path: str, fmt: str) -> None:
    """Write the report in `fmt` (the command line resolved it from
    --format and the extension); the file appears complete (0600) or not
    at all, and a failure is one line naming the cause."""
    writer = _writer(fmt)
    with replacing(path) as temporary:
        writer(report, str(temporary))

"""Write a report in the format its file's extension names.

Every file is written to a temporary file (mode 0600) next to the target
and renamed over it when complete, so a failure leaves nothing partial."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mhtool.errors import UsageError
from mhtool.io.outfile import replacing
from mhtool.report.model import Report

EXTENSIONS = (".md", ".xlsx", ".docx", ".html")


def check_extension(path: str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        raise UsageError(
            f"-o {path}: a report is written as {', '.join(EXTENSIONS)}; {suffix or 'no extension'} is not one of them"
        )
    return suffix


def _writer(suffix: str) -> Callable[[Report, str], None]:
    if suffix == ".xlsx":
        from mhtool.report.xlsx import write_xlsx

        return write_xlsx
    if suffix == ".docx":
        from mhtool.report.docx import write_docx

        return write_docx
    if suffix == ".html":
        from mhtool.report.html import write_html

        return write_html
    from mhtool.report.markdown import write_markdown

    return write_markdown


def write_report(report: Report, path: str) -> None:
    """Write the report in the format its extension names; the file appears
    complete (0600) or not at all, and a failure is one line naming the cause."""
    writer = _writer(check_extension(path))
    with replacing(path) as temporary:
        writer(report, str(temporary))

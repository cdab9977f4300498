"""Write a report in the format its file's extension names.

Every file is written to a temporary file (mode 0600) next to the target
and renamed over it when complete, so a failure leaves nothing partial."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from mhtool.errors import MhtoolError, UsageError
from mhtool.report.model import Report

EXTENSIONS = (".md", ".xlsx", ".docx", ".html")


def check_extension(path: str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        raise UsageError(f"-o {path}: a report is written as {', '.join(EXTENSIONS)}; "
                         f"{suffix or 'no extension'} is not one of them")
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
    writer = _writer(check_extension(path))
    target = Path(path)
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    except OSError as exc:
        raise MhtoolError(f"{path}: cannot write ({exc.strerror or exc})") from None
    os.close(fd)
    try:
        writer(report, temporary)
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    except OSError as exc:
        raise MhtoolError(f"{path}: cannot write ({exc.strerror or exc})") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)

"""`--notes FILE`: the director's own text, placed under matching headings.

The file is Markdown: each `#` or `##` heading names a section of the
report (as its title reads, case and spaces ignored) or `Inleiding` (the
front page); the paragraphs below it go there. Text before the first
heading goes to the front page too."""

from __future__ import annotations

from pathlib import Path

from mhtool.errors import MhtoolError
from mhtool.report.model import Report
from mhtool.text import fold

INTRO = "inleiding"


def _key(heading: str) -> str:
    return " ".join(fold(heading).split())


def read_notes(path: str) -> dict[str, list[str]]:
    """{folded heading: paragraphs}."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise MhtoolError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise MhtoolError(f"{path}: cannot read ({exc.strerror or exc})") from None
    notes: dict[str, list[str]] = {}
    heading, lines = INTRO, list[str]()

    def flush():
        paragraphs = [" ".join(p.split()) for p in "\n".join(lines).split("\n\n") if p.strip()]
        if paragraphs:
            notes.setdefault(heading, []).extend(paragraphs)

    for line in text.splitlines():
        if line.startswith("#"):
            flush()
            heading, lines = _key(line.lstrip("#")), []
        else:
            lines.append(line)
    flush()
    return notes


def place_notes(report: Report, notes: dict[str, list[str]], path: str) -> None:
    by_title = {_key(s.title): s for s in report.sections}
    for number, (heading, paragraphs) in enumerate(notes.items(), 1):
        if heading == INTRO:
            report.intro_notes += paragraphs
        elif heading in by_title:
            by_title[heading].notes += paragraphs
        else:
            raise MhtoolError(
                f"{path}: heading {number} matches no section of the report "
                f"(use a section title such as {report.sections[0].title!r}, or Inleiding)"
            )

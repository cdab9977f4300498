"""Cells of the `--excel` CSV as Dutch Excel (and LibreOffice with a Dutch
locale) reads them: typed where the value is a number or a date, text
where it must stay text (issue 15, item 5).

- A number is written as Dutch Excel types it: a decimal comma (`2,36`),
  no thousands separator (`12724`); so it arrives as a number, not text.
- A date as `dd-mm-jjjj` (`02-07-2026`), a date and time as `dd-mm-jjjj
  uu:mm[:ss]`; both arrive as dates. (Written as ISO `2026-07-02` in the
  other formats.)
- Digits that Excel would turn into a number and so lose something (a
  leading zero, `0687653017`; more than 15 digits) get an invisible WORD
  JOINER (U+2060) in front: the cell stays text and shows exactly the
  digits. The character is there, though: a cell-exact comparison
  (VLOOKUP, `=A2="0687653017"`) sees it. `-o FILE.xlsx` gives clean text.
- Text that starts like a formula (`=`, `+`, `-`, `@`, tab, CR) keeps the
  visible `'` guard of every spreadsheet-bound format: CSV has no way to
  mark a cell as text without a character in it, and a leading `+`
  (`+31612340101`) is one that a spreadsheet may compute with. The guard of
  pieces after a separator (`writers.guard_pieces`) applies as in any CSV.
"""

from __future__ import annotations

import datetime
import math
import re
from typing import Any

WORD_JOINER = "\u2060"
# Digits Excel would read as a number and lose: a leading zero, or more than
# the 15 significant digits a spreadsheet number holds.
_LOST_AS_NUMBER = re.compile(r"0\d+|\d{16,}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)")


def decimal(value: float) -> str:
    """A float with a decimal comma and no grouping: 2.36 -> `2,36`."""
    if not math.isfinite(value):
        return str(value)
    return repr(value).replace(".", ",")  # the digits of the other formats, `0.5` as `0,5`


def iso_day(text: str) -> datetime.date | None:
    """`2026-07-02` as a date; None for anything else."""
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _dutch_day(iso: str) -> str | None:
    day = iso_day(iso)
    return None if day is None else day.strftime("%d-%m-%Y")


def dutch_date(text: str) -> str | None:
    """An ISO date (or date and time, without a zone or fraction) as
    `dd-mm-jjjj [uu:mm[:ss]]`; None for anything else."""
    if len(text) == 10:
        return _dutch_day(text)
    found = _ISO_DATETIME.fullmatch(text)
    if found:
        day = _dutch_day(found.group(1))
        return None if day is None else f"{day} {found.group(2)}"
    return None


def excel_cell(value: Any, guard) -> str:
    """One value as the text of an `--excel` CSV cell; `guard` is the formula
    guard every CSV applies to text (neutralise and guard_pieces)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return decimal(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%d-%m-%Y %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    text = str(value)
    day = dutch_date(text)
    if day is not None:
        return day
    text = guard(text)
    if _LOST_AS_NUMBER.fullmatch(text):
        return WORD_JOINER + text
    return text

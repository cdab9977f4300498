"""Read a price, and the time it buys, out of Dutch sex-ad text or a cell.

Pure functions like those in `mhtool.ads.extract`: no I/O, never raise. A
price is in whole euros; the time it buys is in minutes ("half uur 80" is 80
for 30 minutes), or None when the ad does not say (read as an hour).
"""

from __future__ import annotations

import math
import re

from mhtool.ads.extract import MAX_PRICE, _as_text, _number_from_cell

_AMOUNT = r"\d{1,3}(?:\.\d{3})+(?!\d|\.\d)|\d{1,5}(?!\d)"
# A number (1.000 with a thousands point), with cents or ",-"; the leading
# digit comes first so that the engine skips to digits in C.
_PRICE_NUMBER = re.compile(
    r"(?P<n>\d(?<![\d.,]\d)(?:\d{0,2}(?:\.\d{3})+(?!\d|\.\d)|\d{0,4}(?!\d)))"
    r"(?:[.,](?P<cents>\d{1,2})(?!\d)|(?P<dash>[.,]-{1,2})(?![\d-]))?"
)
_EURO_BEFORE = re.compile(r"(?:€|\beur|\beuro)\s{0,3}$")
_EURO_BEFORE_WINDOW = 8
_EURO_AFTER = re.compile(r"\s*(?:€|eur(?:o['’]?s?)?(?![^\W\d_]))")
_DURATION = r"""
    (?<![\d,.])[12]\s*(?:uur|u)\b
  | \b(?:een|één|het|half|anderhalf)\s+uur\b
  | ½\s*uur\b
  | \bkwartier\b
  | (?<![\d,.])(?:10|15|20|30|45|60|90|120)\s*min(?:uten|\.)?(?![^\W\d_])
"""
# "1 uur 150", "half uur: 80": an unmarked amount right after a duration.
_DURATION_BEFORE = re.compile(rf"(?P<dur>{_DURATION})\s*[:=\-–]?\s*$", re.VERBOSE)
# "om 1 uur 30", "vanaf 2 uur 15": a time of day, not a duration.
_CLOCK_BEFORE = re.compile(r"\b(?:om|vanaf|van|tot|na|voor|tussen|sinds|rond|tegen)\s*$")
_PAIR_BAD_AFTER = re.compile(r"[:.,/]\d|\s*(?:min|uur|u\b|h\b|x\b|keer|jaar|jr|km|cm|kg)")
_HOURLY_DURATION = re.compile(r"(?:1|een|één|het)\s*u(?:ur)?|60\s*min(?:uten|\.)?")
_HOURLY_AFTER = re.compile(
    r"""
    \s*(?:,-|\.-)?\s*
    (?: per\s*(?:uur|u\b|hour|60\s*min) | p\s*/\s*u(?:ur)?\b | p\.\s*u\b\.? | p\.?\s*uur
      | /\s*(?:uur|u\b|h\b|hour|60\s*min) | ph\b | het\s+uur )
""",
    re.VERBOSE,
)
_HOURLY_BEFORE = re.compile(r"(?:\b(?:uur|hour)|(?<![\d,.])1\s*u|\b60\s*min(?:uten|\.)?)\s*[:=\-–]?\s*(?:€\s*)?$")
_NOT_HOURLY_BEFORE = re.compile(
    r"(?:half|½|1/2|anderhalf|kwart|\d[,.]5|(?<![\d,.])[2-9]|twee|drie|vier)\s*(?:uur|u|hour)"
    r"\s*[:=\-–]?\s*(?:€\s*)?$"
)
_PRICE_BEFORE_WINDOW = 25


def _euros(whole: str, cents: str | None) -> int:
    value = int(whole.replace(".", ""))
    if cents and int(cents.ljust(2, "0")) >= 50:
        value += 1
    return value


# "half uur €80", "30 min: € 80": a duration right before a marked amount.
_UNIT_BEFORE = re.compile(rf"(?P<dur>{_DURATION})\s*[:=\-–]?\s*(?:€|eur(?:o)?)?\s*$", re.VERBOSE)
# "€ 80 half uur", "60 euro per half uur", "80,- / 30 min": a duration right after.
_UNIT_AFTER = re.compile(
    rf"\s*(?:,-|\.-)?\s*(?:per\s+|p\s*/\s*|/\s*|voor\s+(?:een\s+|het\s+)?)?(?P<dur>{_DURATION})", re.VERBOSE
)
_MINUTES = re.compile(r"(\d+)\s*min")


def duration_minutes(duration: str) -> int:
    """Minutes of a duration as the ads write it ("half uur", "1 uur", "45 min")."""
    duration = duration.strip()
    if "kwartier" in duration:
        return 15
    if "anderhalf" in duration:
        return 90
    if "half" in duration or "½" in duration:
        return 30
    if m := _MINUTES.match(duration):
        return int(m[1])
    return 120 if duration.startswith("2") else 60


def price_from_text(text: str | None) -> int | None:
    """A price in whole euros from an ad text, or None (see
    :func:`price_and_minutes_from_text`)."""
    found = price_and_minutes_from_text(text)
    return found[0] if found else None


def _marked_minutes(low: str, start: int, tail: int, window: int, hourly: bool) -> int | None:
    if hourly:
        return 60
    after = _UNIT_AFTER.match(low, tail)
    if after:
        return duration_minutes(after["dur"])
    before = _UNIT_BEFORE.search(low, window, start)
    if before and not _CLOCK_BEFORE.search(low, window, before.start()):
        return duration_minutes(before["dur"])
    return None


def price_and_minutes_from_text(text: str | None) -> tuple[int, int | None] | None:
    """A price in whole euros from an ad text and the minutes it buys
    (None: not said), or None.

    Only amounts marked as euros count ("€100", "€ 100,-", "100 euro",
    "100 eur", "100,-") and the amount right after a duration ("1 uur 150",
    "half uur 80", "30 min 80"). The time is the duration right before or
    after the amount ("60 euro half uur" is 60 for 30 minutes). When there
    are several, the first price per hour ("per uur", "p/u", "/uur", "1
    uur", "60 min") wins, else the first. Cents are rounded half up.
    """
    text = _as_text(text)
    if not text:
        return None
    low = text.lower()
    first = None
    for m in _PRICE_NUMBER.finditer(low):
        start, end = m.span()
        window = max(0, start - _PRICE_BEFORE_WINDOW)
        after = _EURO_AFTER.match(low, end)
        euro_before = _EURO_BEFORE.search(low, max(0, start - _EURO_BEFORE_WINDOW), start)
        if after or m["dash"] or euro_before:
            value = _euros(m["n"], m["cents"])
            tail = after.end() if after else end
            hourly = bool(_HOURLY_AFTER.match(low, tail)) or bool(
                _HOURLY_BEFORE.search(low, window, start) and not _NOT_HOURLY_BEFORE.search(low, window, start)
            )
            minutes = _marked_minutes(low, start, tail, window, hourly)
        elif "." not in m["n"] and 10 <= int(m["n"]) <= 999 and not m["cents"] and not _PAIR_BAD_AFTER.match(low, end):
            pair = _DURATION_BEFORE.search(low, window, start)
            if not pair or _CLOCK_BEFORE.search(low, window, pair.start()):
                continue
            value = int(m["n"])
            hourly = bool(_HOURLY_DURATION.fullmatch(pair["dur"].strip()))
            minutes = 60 if hourly else duration_minutes(pair["dur"])
        else:
            continue
        if not 1 <= value <= MAX_PRICE:
            continue
        if hourly:
            return value, 60
        if first is None:
            first = value, minutes
    return first


_PRICE_CELL = re.compile(
    rf"""
    \s*(?:€|eur(?:o)?\b)?\s*(?P<n>{_AMOUNT})(?:[.,](?P<c>\d{{1,2}})|[.,]-{{1,2}})?\s*
    (?:€|eur(?:o['’]?s?)?\b)?\s*(?P<unit>p/u|p\.u\.?|per\s+uur|/\s*uur|/u)?\s*
""",
    re.IGNORECASE | re.VERBOSE,
)


def price_from_cell(value) -> int | None:
    """A price column value in whole euros: 100, 100.0, "100", "€ 100",
    "100,00", "100 euro"; empty, zero, negative or nonsense -> None.

    A cell holding a sentence is read like ad text.
    """
    found = price_and_minutes_from_cell(value)
    return found[0] if found else None


def price_and_minutes_from_cell(value) -> tuple[int, int | None] | None:
    """:func:`price_from_cell` with the minutes the price buys (None: not said)."""
    number = _number_from_cell(value)
    if number is not None:
        whole = math.floor(number + 0.5)
        return (whole, None) if 1 <= whole <= MAX_PRICE else None
    if not isinstance(value, str):
        return None
    m = _PRICE_CELL.fullmatch(value)
    if m:
        whole = _euros(m["n"], m["c"])
        return (whole, 60 if m["unit"] else None) if 1 <= whole <= MAX_PRICE else None
    return price_and_minutes_from_text(value)

"""Read phone numbers (Dutch and international) and store them as E.164.

Nothing here raises on bad input: an unreadable number becomes a Phone with
``valid=False``, so that a caller can warn without repeating the number.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import phonenumbers

DEFAULT_REGION = "NL"


class Phone(NamedTuple):  # a tuple: millions cross between import processes
    raw: str  # as written (stripped)
    e164: str | None  # "+31612345678" when parseable, else None
    valid: bool  # phonenumbers.is_valid_number


# ",", ";", a line break, or the words of / or / en between numbers.
_SEPARATORS = re.compile(r"\s*(?:[,;\n\r]|\s(?:of|or|en)\s)\s*", re.IGNORECASE)
_MAYBE_SEVERAL = re.compile(r"[,;\n\r/]|\s(?:of|or|en)\s", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_LETTERS = re.compile(r"[^\W\d_]+")
_EXTENSION_WORDS = frozenset({"x", "ext", "extension", "toestel"})
_MIN_DIGITS_TO_SPLIT = 6
# A Dutch number written with only ASCII digits, spaces, dashes, dots and
# brackets: nine digits after 0, +31 or 0031. Anything else (a tab, a narrow
# space, Arabic-Indic digits) goes to phonenumbers, which decides on it.
_PUNCTUATION = re.compile(r"[ \-.()]+")
_DUTCH = re.compile(r"(?:\+31|0031|0)([1-9][0-9]{8})")


def split_phone_cell(value: str) -> list[str]:
    """Split a cell holding several numbers; keeps order, drops empty parts.

    "/" only separates when every piece holds a whole number, because
    "06/12345678" and "0470/12.34.56" are single numbers.
    """
    if not _MAYBE_SEVERAL.search(value):  # most cells hold one number
        value = value.strip()
        return [value] if value else []
    parts = []
    for part in _SEPARATORS.split(value):
        pieces = [p.strip() for p in part.split("/")]
        if len(pieces) > 1 and all(len(_DIGIT.findall(p)) >= _MIN_DIGITS_TO_SPLIT for p in pieces):
            parts.extend(pieces)
        elif part.strip():
            parts.append(part.strip())
    return parts


def parse_phone(value: str, region: str = DEFAULT_REGION) -> Phone:
    """Read one number; never raises."""
    return _parse(value.strip(), region)


def parse_phones(value, region: str = DEFAULT_REGION) -> list[Phone]:
    """Read every number in a cell; None or "" gives []."""
    if value is None:
        return []
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel number cell: 612345678.0
    return [_parse(part, region) for part in split_phone_cell(str(value))]


def normalise_phone(value: str, region: str = DEFAULT_REGION) -> str | None:
    """E.164 of a valid number, else None."""
    phone = parse_phone(value, region)
    return phone.e164 if phone.valid else None


@lru_cache(maxsize=8192)  # the same numbers recur across thousands of rows; 2 MB per process
def _parse(raw: str, region: str) -> Phone:
    if region == "NL" and (dutch := _DUTCH.fullmatch(_PUNCTUATION.sub("", raw))):
        return _dutch(raw, dutch[1])
    return _parse_any(raw, region)


def _dutch(raw: str, national: str) -> Phone:
    """What `_parse_any` gives for a plainly written Dutch number, three
    times faster: phonenumbers.parse is most of an import's parsing time."""
    number = phonenumbers.PhoneNumber(country_code=31, national_number=int(national))
    return Phone(raw, "+31" + national, phonenumbers.is_valid_number(number))


def _parse_any(raw: str, region: str) -> Phone:
    # phonenumbers reads 3+ letters as a vanity number ("whatsapp" -> digits),
    # so words other than extension markers are blanked out first.
    text = _LETTERS.sub(lambda m: m[0] if m[0].lower() in _EXTENSION_WORDS else " ", raw)
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return Phone(raw, None, False)
    return Phone(
        raw,
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        phonenumbers.is_valid_number(number),
    )

"""An age cell as a number of years: the whole cell ("23", "23 jaar",
"ca. 23 jr", 23.0), or one clear phrase in it ("slachtoffer is 23 jaar oud",
"een 23-jarige vrouw"). Never digits picked out of other text: in
"Jan Jansen, 06-12345678" there is no age.
"""

from __future__ import annotations

import math
import re
from typing import Any

from mhtool.errors import ParseError

_UNIT = r"(?:jaar|jr|j|jarige|years?|yrs?|yo)\.?"
_WHOLE = re.compile(
    rf"(?:(?:ca\.?|circa|ongeveer|plm\.?|±|~)\s*)?(?P<n>\d{{1,3}})(?:[.,]0+)?(?:\s*-?\s*{_UNIT}(?:\s+oud)?)?",
    re.IGNORECASE,
)
# "23 jaar", "23-jarige": a number with an age unit, not part of a longer number or word.
_PHRASE = re.compile(r"(?<![\w.,\-/+])(?P<n>\d{1,3})\s*-?\s*(?:jaar|jr\.?|jarige|years?\s+old)(?!\w)", re.IGNORECASE)


def parse_age(value: Any) -> int | None:
    """The age in years, or None when the cell holds no clear age (the
    caller warns). Raises ParseError for a number that is not a number of
    years at all (NaN, infinity, negative, fractional)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ParseError("age must be a number of years, not true/false")
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise ParseError("age must be a number of years, not NaN or infinity")
        if value != int(value) or value < 0:
            raise ParseError("age must be a whole number of years")
        return int(value)
    text = " ".join(str(value).split())
    whole = _WHOLE.fullmatch(text)
    if whole:
        return int(whole["n"])
    found = {int(m["n"]) for m in _PHRASE.finditer(text)}
    return found.pop() if len(found) == 1 else None

"""Read age and licence number out of Dutch sex-ad text (prices:
`mhtool.ads.prices`; phone tricks: `mhtool.ads.obscured`).

Pure functions: no I/O, no database, never raise on any text. They run on
every ad every week, so the patterns are compiled once at import and each
function does a few regex scans over the text.

The ``*_from_text`` functions read free text; the ``*_from_cell`` functions
read a spreadsheet cell (number, text or empty) and fall back on the text
reader for a cell that holds a sentence.

Speed: the functions scan the lower-cased text (case-insensitive matching is
slow in ``re``) with patterns that start with a digit or a literal, so the
engine jumps to candidates in C, and then look at the words around each
candidate with short anchored patterns, instead of trying a long alternation
at every position of the text.
"""

from __future__ import annotations

import hashlib
import math
import re

from mhtool.text import without_accents

MIN_AGE = 14
MAX_AGE = 99
MAX_PRICE = 9999

# --------------------------------------------------------------------------- age

# A two-digit number, not part of a longer number or a decimal.
_AGE_NUMBER = re.compile(r"[1-9](?<![\d.,][1-9])\d(?!\d)")
# 23 jaar, 23jr, 23 jr., 23-jarige, 23 years (old), 23yo, 23 y/o
_AGE_UNIT = re.compile(r"\s?-?\s?(?:jaar|jr|jarigen?|jarige|years?|yrs?|yo|y\.o|y/o)(?![^\W\d_])\.?")
# (23), ( 23 jaar )
_AGE_PAREN_BEFORE = re.compile(r"\(\s*$")
_AGE_PAREN_AFTER = re.compile(r"\s*(?:jaar|jr|j|yo|y)?\.?\s*\)")
# leeftijd: 23, lft. 23, age 23, aged 23, mijn leeftijd is 23
_AGE_LABEL_BEFORE = re.compile(r"\b(?:leeftijd|leeftyd|lft|age|aged)(?![^\W\d_])\.?\s*(?:is\s+|van\s+)?[:=\-]?\s*$")
# ik ben 23, ben ik 23, I am 23, I'm 23, ik ben pas/net/nog maar 19
_AGE_IAM_BEFORE = re.compile(
    r"\b(?:ik\s+ben|ben\s+ik|i\s+am|i[’']?m)\s+"
    r"(?:pas\s+|net\s+|nog\s+(?:maar\s+)?|nu\s+|just\s+)?$"
)
_AGE_BEFORE_WINDOW = 30

# Words just before "23 jaar" / "(23)" that make it a duration, a client
# requirement or some other number: "al 15 jaar ervaring", "vanaf 25 jaar",
# "cup 75", "€ (50)".
_AGE_BAD_BEFORE = re.compile(
    r"""
    (?: \b(?:al|sinds|ruim|meer\s+dan|minder\s+dan|vanaf|v\.a|minimaal|minimum|min
          |boven|onder|ouder\s+dan|jonger\s+dan|tot|t/m|na|binnen|over|afgelopen|laatste
          |cup|maat|nr|nummer|prijs|tarief|uur|minuten|euro|eur|tel|telefoon|kamer
          |huisnummer|kg|cm)\.?
      | \btussen\s+\d+\s+en
      | [€#+x×]
    )\s*[:=]?\s*\(?\s*$
""",
    re.VERBOSE,
)
_AGE_UNIT_BAD_CHAR_BEFORE = frozenset("/:€+-")

# After "23 jaar": it was a duration or a requirement after all.
_AGE_UNIT_BAD_AFTER = re.compile(
    r"\s*(?:werk)?ervaring|\s*geleden|\s*lang\b|\s*in\s+(?:het|dit)\s+vak|\s*getrouwd"
    r"|\s*samen\b|\s*actief|\s*werkzaam|\s*(?:en|of)\s+(?:ouder|jonger)|\s*\+"
)
_AGE_OUD = re.compile(r"\s*oud\b")

# After "ik ben 23" / "leeftijd 23": a measure, a time, a price or a range.
_AGE_NUMBER_BAD_AFTER = re.compile(
    r"""
    [a-h]{1,2}\b                                      # ik ben 75c (a cup size)
  | \s*(?: [.,:/]\s*\d | [-–]\s*\d | \+ | % | ,- | € | x\b | ×
         | cm\b | m\b | kg\b | kilo | uur\b | u\b | h\b | min | sec | euro | eur\b
         | keer | dag | week | weken | maand | km\b | jaar\s+(?:werk)?ervaring | ervaring )
""",
    re.VERBOSE,
)


def _plausible_age(value: int) -> int | None:
    return value if MIN_AGE <= value <= MAX_AGE else None


def age_from_text(text: str | None) -> int | None:
    """The first plausible stated age (14..99) in an ad text, or None.

    Reads "23 jaar", "23jr", "23-jarige", "(23)", "leeftijd: 23", "Ik ben 23",
    "23 years", "23yo", "age 23"; skips prices, times, measures, phone
    numbers, "24/7", "24 uur", durations ("al 10 jaar ervaring") and client
    requirements ("vanaf 25 jaar").
    """
    text = _as_text(text)
    if not text:
        return None
    low = text.lower()
    for m in _AGE_NUMBER.finditer(low):
        value = int(m[0])
        if value < MIN_AGE:
            continue
        start, end = m.span()
        window = max(0, start - _AGE_BEFORE_WINDOW)
        unit = _AGE_UNIT.match(low, end)
        if unit:
            if start and low[start - 1] in _AGE_UNIT_BAD_CHAR_BEFORE:
                continue
            if _AGE_UNIT_BAD_AFTER.match(low, unit.end()):
                continue
            if _AGE_BAD_BEFORE.search(low, window, start) and not _AGE_OUD.match(low, unit.end()):
                continue
            return value
        if _AGE_PAREN_BEFORE.search(low, max(0, start - 3), start) and _AGE_PAREN_AFTER.match(low, end):
            if _AGE_BAD_BEFORE.search(low, window, start):
                continue
            return value
        if _AGE_NUMBER_BAD_AFTER.match(low, end):
            continue
        if _AGE_LABEL_BEFORE.search(low, window, start) or _AGE_IAM_BEFORE.search(low, window, start):
            return value
    return None


_AGE_CELL = re.compile(r"\s*(?P<n>\d{1,3})(?:[.,]0+)?\s*(?:jaar|jr|j|years?|yrs?|yo)?\.?\s*", re.IGNORECASE)


def age_from_cell(value) -> int | None:
    """An age column value: 23, 23.0, "23", "23 jaar"; empty or nonsense -> None.

    Ages outside 14..99 are nonsense too. A cell holding a sentence is read
    like ad text.
    """
    number = _number_from_cell(value)
    if number is not None:
        return _plausible_age(int(number)) if number == int(number) else None
    if not isinstance(value, str):
        return None
    m = _AGE_CELL.fullmatch(value)
    if m:
        return _plausible_age(int(m["n"]))
    return age_from_text(value)


# ----------------------------------------------------------------------- licence

# Where a keyword may start (on the lower-cased text; the engine jumps to the
# first letters in C), then the keyword, the number and its prefix read there.
_LICENCE_KEY = re.compile(r"vergunn|reg|licen")
_LICENCE_KEY_ANY_CASE = re.compile(_LICENCE_KEY.pattern, re.IGNORECASE)
_LICENCE_AT = re.compile(
    r"""
    (?: vergunnings?(?:nummer|nr)?            # (exploitatie)vergunning(s)nummer, vergunningnr
      | registratie(?:nummer|nr)?
      | reg\.?\s?(?:nr|nummer|no)\b\.?        # reg.nr, reg nr., reg. nummer
      | regnr
      | licentie(?:nummer|nr)?
      | licen[cs]e(?:\s*(?:number|nr|no))?
    )(?![^\W\d_])\.?\s*
    (?:(?:nr|nummer|no|number|num)(?![^\W\d_])\.?\s*)?
    (?:is\s+)?
    [:#=\-–]?\s*
    (?P<v>(?-i:[A-Z]{1,4}\ )?[A-Z0-9](?:[A-Z0-9/_.\-]*[A-Z0-9])?)
""",
    re.IGNORECASE | re.VERBOSE,
)
_LICENCE_NEGATED = re.compile(r"\b(?:geen|zonder|niet|no|without)\s+(?:[^\W\d_]+\s+)?$", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
# A mobile number, "24/7", a time or a date after "vergunning" is not its number.
_NOT_A_LICENCE = re.compile(
    r"(?:\+?31|0031|0)?[\s-]?6[\s-]?\d{8}|24/7|\d{1,2}[.:]\d{2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"
)
_NO_LICENCE_WORDS = frozenset(
    {
        "",
        "nee",
        "neen",
        "geen",
        "-",
        "--",
        "n.v.t.",
        "n.v.t",
        "nvt",
        "n/a",
        "na",
        "no",
        "none",
        "onbekend",
        "x",
        "niet",
        "nog niet",
        "aangevraagd",
        "in aanvraag",
    }
)
_NO_LICENCE_FIRST_WORD = re.compile(
    r"(?:nee|neen|geen|niet|no|none|nvt|n\.v\.t\.?|aangevraagd|in\s+aanvraag)(?![^\W\d_])", re.IGNORECASE
)


def licence_from_text(text: str | None) -> str | None:
    """The licence / registration number in an ad text, as written, or None.

    The number follows a keyword (vergunning(s)nummer, vergunning nr.,
    registratienummer, reg.nr, licentie, licence) and must contain a digit;
    "geen vergunning", "vergunning aangevraagd", "vergunning: nee" give None.
    """
    text = _as_text(text)
    if not text:
        return None
    low = text.lower()
    if len(low) == len(text):  # noqa: SIM108 (the comment below needs its own branch)
        keys = _LICENCE_KEY.finditer(low)
    else:  # lower-casing changed the length ("İ"): positions would not match
        keys = _LICENCE_KEY_ANY_CASE.finditer(text)
    for key in keys:
        m = _LICENCE_AT.match(text, key.start())
        if not m:
            continue
        value = m["v"].rstrip("./-_")
        if not _DIGIT.search(value) or _NOT_A_LICENCE.fullmatch(value):
            continue
        start = key.start()
        while start and text[start - 1].isalpha():  # "exploitatievergunning"
            start -= 1
        if _LICENCE_NEGATED.search(text, max(0, start - 25), start):
            continue
        return value
    return None


def licence_from_cell(value) -> str | None:
    """A licence column value: stripped, if it holds a digit; "nee", "geen",
    "-", "n.v.t.", "nvt", "0", "" and the like give None.

    A cell written like ad text ("Vergunningnummer: HV-2024-017") gives the
    number alone.
    """
    if value is None or isinstance(value, bool):
        return None
    number = _number_from_cell(value)
    if number is not None:
        return None if number <= 0 or number != int(number) else str(int(number))
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if text.casefold() in _NO_LICENCE_WORDS or _NO_LICENCE_FIRST_WORD.match(text):
        return None
    if not _DIGIT.search(text) or not text.strip("0 .-/"):
        return None  # no digit, or nothing but zeros
    return licence_from_text(text) or text


# --------------------------------------------------------------- text comparison


def _strip_accents(text: str) -> str:
    return without_accents(text)


def normalise_ad_text(text: str | None) -> str:
    """The ad text as compared between ads: accents and zero-width characters
    removed, case folded, whitespace collapsed to single spaces and stripped."""
    text = _as_text(text)
    if not text:
        return ""
    # Compatibility forms and accents go before case folding ("𝑨" is "A" only
    # after NFKD) and once more after it (folding may give composed letters).
    folded = _strip_accents(text).casefold()
    return " ".join(_strip_accents(folded).split())


def text_hash(text: str | None) -> str:
    """sha256 hex digest of normalise_ad_text(text); None and "" hash like ""."""
    data = normalise_ad_text(text).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


# ------------------------------------------------------------------------ helpers


def _as_text(value) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _number_from_cell(value) -> float | None:
    """A numeric cell (int or float, not bool) as a float; NaN/inf and others -> None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None

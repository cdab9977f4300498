"""Read age, licence number, price and phone tricks out of Dutch sex-ad text.

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
_AGE_UNIT = re.compile(
    r"\s?-?\s?(?:jaar|jr|jarigen?|jarige|years?|yrs?|yo|y\.o|y/o)(?![^\W\d_])\.?")
# (23), ( 23 jaar )
_AGE_PAREN_BEFORE = re.compile(r"\(\s*$")
_AGE_PAREN_AFTER = re.compile(r"\s*(?:jaar|jr|j|yo|y)?\.?\s*\)")
# leeftijd: 23, lft. 23, age 23, aged 23, mijn leeftijd is 23
_AGE_LABEL_BEFORE = re.compile(
    r"\b(?:leeftijd|leeftyd|lft|age|aged)(?![^\W\d_])\.?\s*(?:is\s+|van\s+)?[:=\-]?\s*$")
# ik ben 23, ben ik 23, I am 23, I'm 23, ik ben pas/net/nog maar 19
_AGE_IAM_BEFORE = re.compile(
    r"\b(?:ik\s+ben|ben\s+ik|i\s+am|i[’']?m)\s+"
    r"(?:pas\s+|net\s+|nog\s+(?:maar\s+)?|nu\s+|just\s+)?$")
_AGE_BEFORE_WINDOW = 30

# Words just before "23 jaar" / "(23)" that make it a duration, a client
# requirement or some other number: "al 15 jaar ervaring", "vanaf 25 jaar",
# "cup 75", "€ (50)".
_AGE_BAD_BEFORE = re.compile(r"""
    (?: \b(?:al|sinds|ruim|meer\s+dan|minder\s+dan|vanaf|v\.a|minimaal|minimum|min
          |boven|onder|ouder\s+dan|jonger\s+dan|tot|t/m|na|binnen|over|afgelopen|laatste
          |cup|maat|nr|nummer|prijs|tarief|uur|minuten|euro|eur|tel|telefoon|kamer
          |huisnummer|kg|cm)\.?
      | \btussen\s+\d+\s+en
      | [€#+x×]
    )\s*[:=]?\s*\(?\s*$
""", re.VERBOSE)
_AGE_UNIT_BAD_CHAR_BEFORE = frozenset("/:€+-")

# After "23 jaar": it was a duration or a requirement after all.
_AGE_UNIT_BAD_AFTER = re.compile(
    r"\s*(?:werk)?ervaring|\s*geleden|\s*lang\b|\s*in\s+(?:het|dit)\s+vak|\s*getrouwd"
    r"|\s*samen\b|\s*actief|\s*werkzaam|\s*(?:en|of)\s+(?:ouder|jonger)|\s*\+")
_AGE_OUD = re.compile(r"\s*oud\b")

# After "ik ben 23" / "leeftijd 23": a measure, a time, a price or a range.
_AGE_NUMBER_BAD_AFTER = re.compile(r"""
    [a-h]{1,2}\b                                      # ik ben 75c (a cup size)
  | \s*(?: [.,:/]\s*\d | [-–]\s*\d | \+ | % | ,- | € | x\b | ×
         | cm\b | m\b | kg\b | kilo | uur\b | u\b | h\b | min | sec | euro | eur\b
         | keer | dag | week | weken | maand | km\b | jaar\s+(?:werk)?ervaring | ervaring )
""", re.VERBOSE)


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
            if (_AGE_BAD_BEFORE.search(low, window, start)
                    and not _AGE_OUD.match(low, unit.end())):
                continue
            return value
        if (_AGE_PAREN_BEFORE.search(low, max(0, start - 3), start)
                and _AGE_PAREN_AFTER.match(low, end)):
            if _AGE_BAD_BEFORE.search(low, window, start):
                continue
            return value
        if _AGE_NUMBER_BAD_AFTER.match(low, end):
            continue
        if (_AGE_LABEL_BEFORE.search(low, window, start)
                or _AGE_IAM_BEFORE.search(low, window, start)):
            return value
    return None


_AGE_CELL = re.compile(
    r"\s*(?P<n>\d{1,3})(?:[.,]0+)?\s*(?:jaar|jr|j|years?|yrs?|yo)?\.?\s*", re.IGNORECASE)


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
_LICENCE_AT = re.compile(r"""
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
""", re.IGNORECASE | re.VERBOSE)
_LICENCE_NEGATED = re.compile(
    r"\b(?:geen|zonder|niet|no|without)\s+(?:[^\W\d_]+\s+)?$", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
# A mobile number, "24/7", a time or a date after "vergunning" is not its number.
_NOT_A_LICENCE = re.compile(
    r"(?:\+?31|0031|0)?[\s-]?6[\s-]?\d{8}|24/7|\d{1,2}[.:]\d{2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")
_NO_LICENCE_WORDS = frozenset({
    "", "nee", "neen", "geen", "-", "--", "n.v.t.", "n.v.t", "nvt", "n/a", "na", "no",
    "none", "onbekend", "x", "niet", "nog niet", "aangevraagd", "in aanvraag",
})
_NO_LICENCE_FIRST_WORD = re.compile(
    r"(?:nee|neen|geen|niet|no|none|nvt|n\.v\.t\.?|aangevraagd|in\s+aanvraag)(?![^\W\d_])",
    re.IGNORECASE)


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
    if len(low) == len(text):
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


# ------------------------------------------------------------------------- price

_AMOUNT = r"\d{1,3}(?:\.\d{3})+(?!\d|\.\d)|\d{1,5}(?!\d)"
# A number (1.000 with a thousands point), with cents or ",-"; the leading
# digit comes first so that the engine skips to digits in C.
_PRICE_NUMBER = re.compile(
    r"(?P<n>\d(?<![\d.,]\d)(?:\d{0,2}(?:\.\d{3})+(?!\d|\.\d)|\d{0,4}(?!\d)))"
    r"(?:[.,](?P<cents>\d{1,2})(?!\d)|(?P<dash>[.,]-{1,2})(?![\d-]))?")
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
_HOURLY_AFTER = re.compile(r"""
    \s*(?:,-|\.-)?\s*
    (?: per\s*(?:uur|u\b|hour|60\s*min) | p\s*/\s*u(?:ur)?\b | p\.\s*u\b\.? | p\.?\s*uur
      | /\s*(?:uur|u\b|h\b|hour|60\s*min) | ph\b | het\s+uur )
""", re.VERBOSE)
_HOURLY_BEFORE = re.compile(
    r"(?:\b(?:uur|hour)|(?<![\d,.])1\s*u|\b60\s*min(?:uten|\.)?)\s*[:=\-–]?\s*(?:€\s*)?$")
_NOT_HOURLY_BEFORE = re.compile(
    r"(?:half|½|1/2|anderhalf|kwart|\d[,.]5|(?<![\d,.])[2-9]|twee|drie|vier)\s*(?:uur|u|hour)"
    r"\s*[:=\-–]?\s*(?:€\s*)?$")
_PRICE_BEFORE_WINDOW = 25


def _euros(whole: str, cents: str | None) -> int:
    value = int(whole.replace(".", ""))
    if cents and int(cents.ljust(2, "0")) >= 50:
        value += 1
    return value


def price_from_text(text: str | None) -> int | None:
    """A price in whole euros from an ad text, or None.

    Only amounts marked as euros count ("€100", "€ 100,-", "100 euro",
    "100 eur", "100,-") and the amount right after a duration ("1 uur 150",
    "half uur 80", "30 min 80"). When there are several, the first price per
    hour ("per uur", "p/u", "/uur", "1 uur", "60 min") wins, else the first.
    Cents are rounded half up.
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
                _HOURLY_BEFORE.search(low, window, start)
                and not _NOT_HOURLY_BEFORE.search(low, window, start))
        elif ("." not in m["n"] and 10 <= int(m["n"]) <= 999
              and not m["cents"] and not _PAIR_BAD_AFTER.match(low, end)):
            pair = _DURATION_BEFORE.search(low, window, start)
            if not pair or _CLOCK_BEFORE.search(low, window, pair.start()):
                continue
            value = int(m["n"])
            hourly = bool(_HOURLY_DURATION.fullmatch(pair["dur"].strip()))
        else:
            continue
        if not 1 <= value <= MAX_PRICE:
            continue
        if hourly:
            return value
        if first is None:
            first = value
    return first


_PRICE_CELL = re.compile(rf"""
    \s*(?:€|eur(?:o)?\b)?\s*(?P<n>{_AMOUNT})(?:[.,](?P<c>\d{{1,2}})|[.,]-{{1,2}})?\s*
    (?:€|eur(?:o['’]?s?)?\b)?\s*(?:p/u|p\.u\.?|per\s+uur|/\s*uur|/u)?\s*
""", re.IGNORECASE | re.VERBOSE)


def price_from_cell(value) -> int | None:
    """A price column value in whole euros: 100, 100.0, "100", "€ 100",
    "100,00", "100 euro"; empty, zero, negative or nonsense -> None.

    A cell holding a sentence is read like ad text.
    """
    number = _number_from_cell(value)
    if number is not None:
        whole = math.floor(number + 0.5)
        return whole if 1 <= whole <= MAX_PRICE else None
    if not isinstance(value, str):
        return None
    m = _PRICE_CELL.fullmatch(value)
    if m:
        whole = _euros(m["n"], m["c"])
        return whole if 1 <= whole <= MAX_PRICE else None
    return price_from_text(value)


# ---------------------------------------------------------------- obscured phone

OBSCURED_WORDS = "nummer uitgeschreven in woorden"
OBSCURED_MIXED = "nummer deels uitgeschreven in woorden"
OBSCURED_SPACED = "cijfers uit elkaar gezet"
OBSCURED_LETTER_O = "letter O in plaats van 0"
OBSCURED_LETTER_L = "letter l in plaats van 1"
OBSCURED_BROKEN = "nummer in stukken met tekst ertussen"

_UNITS_NL = ["nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"]
_UNITS_EN = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS_NL = ["tien", "elf", "twaalf", "dertien", "veertien", "vijftien", "zestien",
             "zeventien", "achttien", "negentien"]
_TEENS_EN = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
             "seventeen", "eighteen", "nineteen"]
_TENS_NL = {2: "twintig", 3: "dertig", 4: "veertig", 5: "vijftig", 6: "zestig",
            7: "zeventig", 8: "tachtig", 9: "negentig"}
_TENS_EN = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty",
            7: "seventy", 8: "eighty", 9: "ninety"}


def _number_words() -> dict[str, str]:
    """Number word (accents removed, lower case) -> the digits it stands for."""
    words: dict[str, str] = {}
    for units in (_UNITS_NL, _UNITS_EN):
        words.update({w: str(i) for i, w in enumerate(units)})
    for teens in (_TEENS_NL, _TEENS_EN):
        words.update({w: str(10 + i) for i, w in enumerate(teens)})
    for tens in (_TENS_NL, _TENS_EN):
        words.update({w: str(10 * t) for t, w in tens.items()})
    for t, ten in _TENS_NL.items():  # eenentwintig, tweeentwintig (tweeëntwintig), ...
        for u in range(1, 10):
            words[_UNITS_NL[u] + "en" + ten] = str(10 * t + u)
    return words


_NUMBER_WORDS = _number_words()


def _accented_variants(word: str) -> list[str]:
    out = [word]
    if word.startswith("een"):
        out.append("één" + word[3:])
        out.append("eén" + word[3:])
    for unit in ("twee", "drie"):
        if word.startswith(unit + "en") and len(word) > len(unit) + 2:
            out.extend(v.replace(unit + "en", unit + "ën", 1) for v in list(out))
    return out


def _trie_pattern(words) -> str:
    """A regex matching any of the words, factored by common prefixes so that
    the engine does not try a couple of hundred alternatives at every position."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:  # a word ends here and longer ones go on: prefer the longer ones
            body = ("(?:" + body + ")?") if len(branches) == 1 else body + "?"
        return body

    return build(trie)


_NUMBER_WORD_PATTERN = _trie_pattern(
    {v for w in _NUMBER_WORDS for v in _accented_variants(w)})
# Words written between the pieces of a number: "06 [punt] 12", "06 sterretje 12".
_SEPARATOR_WORDS = ("punt|dot|stip|streepje|streep|koppelteken|dash|hyphen|spatie|space"
                    "|komma|comma|sterretje|ster|star|slash")
# The text is lower-cased first (case-insensitive matching is slow), so "O"
# and "I" show up as "o" and "i".
# A digit group, possibly with o for 0 and l/i for 1 ("O6", "l2345678").
# Possessive (no backtracking): a long string of digits must not take quadratic time.
_DIGITISH = r"(?=[oil]*\d)[\doil]++"
_ATOM = rf"\b(?:{_DIGITISH}|{_NUMBER_WORD_PATTERN})\b"
_SEP = rf"(?:[^\w\n]|_|\b(?:{_SEPARATOR_WORDS})\b){{1,15}}"
_RUN = re.compile(rf"{_ATOM}(?:{_SEP}{_ATOM})+")
_ATOM_RE = re.compile(_ATOM)
_NORMAL_SEP = re.compile(r"[\s()]*+[-./–]?[\s()]*+")
# Groups of two or more digits with normal separators: no trick anywhere in it.
_PLAIN_RUN = re.compile(r"\d{2,}+(?:(?=\D)[\s()]*+[-./–]?[\s()]*+\d{2,}+)*+")
_DIGIT_TRANS = str.maketrans("oil", "011")

# Numbers that are not phone numbers but look like digit runs ("10.00 - 22.00",
# "25-11-2026", "24/7", "€ 100"): blanked inside a run before it is read.
# Each branch starts after the first character, which the engine finds in C.
_NOT_PHONE = re.compile(r"""
    [\d€](?:
        (?<=€)\s*\d+(?:[.,]\d+)*(?:[.,]-+)?                             # €100,-
      | (?<=2)(?<![\d/]2)4\s*/\s*7(?![\d/])                             # 24/7
      | (?<=\d)(?<![\d.:]\d)\d?[.:]\d{2}(?![\d.:])                      # 10.00, 9:30
      | (?<=\d)(?<![\d./-]\d)\d?([-/.])\d{1,2}\1\d{2,4}(?![\d./-])      # 25-11-2026
      | (?<=\d)(?<![\d.,]\d)\d*(?:[.,]\d+)*(?:[.,]-+)?\s*eur(?:o|os)?\b  # 100 euro
      | (?<=\d)(?<![\d.,]\d)\d*[.,]-+(?!\d)                             # 100,-
    )""", re.VERBOSE)
# A newline is neither a number piece nor a separator, so it ends a run; it is
# not a word character either, so the pieces next to it stay whole.
_BARRIER = "\n"
_CONTEXT = 4   # characters before a run that may belong to a number to blank ("€ 100")
_PHONE_SHAPE = re.compile(r"0[1-9]\d{8}|(?:00)?31[1-9]\d{8}|(?:00)?32[1-9]\d{7,8}")
_MIN_WORDS_IN_A_ROW = 6
_MIN_PHONE_DIGITS = 9
_LETTER = re.compile(r"[^\W\d_]")
_NOT_DIGIT = re.compile(r"\D+")
_MIN_SINGLE_DIGITS = 5


def obscured_phone(text: str | None) -> str | None:
    """How a phone number in the text was written to dodge scrapers, or None.

    Returns one of OBSCURED_WORDS, OBSCURED_MIXED, OBSCURED_LETTER_O,
    OBSCURED_LETTER_L, OBSCURED_SPACED, OBSCURED_BROKEN. A number written the
    normal way ("06-12345678", "06 12 34 56 78", "+31 6 12345678") and
    prices, times and dates give None.
    """
    text = _as_text(text)
    if not text:
        return None
    low = text.lower()
    for run in _RUN.finditer(low):
        piece = run[0]
        if len(piece) < _MIN_PHONE_DIGITS or (
                not _LETTER.search(piece) and len(_NOT_DIGIT.sub("", piece)) < _MIN_PHONE_DIGITS):
            continue  # too short to hold a phone number: most runs are "80, 1" or "10.00 - 02.00"
        if _PLAIN_RUN.fullmatch(piece):
            continue  # "06-12345678", "06 12 34 56 78": written the normal way
        trick = _run_trick(_blank_not_phone(low, run.start(), run.end()))
        if trick:
            return trick
    return None


def _blank_not_phone(low: str, start: int, end: int) -> str:
    """low[start:end] with times, dates, "24/7" and prices replaced by barriers
    (same length), read with the text around it as context."""
    first = max(0, start - _CONTEXT)
    blanks = [m.span() for m in _NOT_PHONE.finditer(low, first, end + 2 * _CONTEXT)]
    if not blanks:
        return low[start:end]
    chars = list(low[start:end])
    for b_start, b_end in blanks:
        for i in range(max(b_start, start), min(b_end, end)):
            chars[i - start] = _BARRIER
    return "".join(chars)


def _run_trick(run: str) -> str | None:
    """The trick in a run of number pieces, if some stretch of it spells a phone number."""
    if _BARRIER in run:  # blanked pieces split it into several runs
        return next(filter(None, map(_run_trick, run.split(_BARRIER))), None)
    atoms = []  # (text, digits, is_word)
    seps = []   # seps[i] lies between atoms[i] and atoms[i + 1]
    last_end = None
    for m in _ATOM_RE.finditer(run):
        piece = m[0]
        if last_end is not None:
            seps.append(run[last_end:m.start()])
        last_end = m.end()
        word = _NUMBER_WORDS.get(_strip_accents(piece))
        if word is not None:
            atoms.append((piece, word, True))
        else:
            atoms.append((piece, piece.translate(_DIGIT_TRANS), False))

    in_a_row = 0
    for _, _, is_word in atoms:
        in_a_row = in_a_row + 1 if is_word else 0
        if in_a_row >= _MIN_WORDS_IN_A_ROW:
            return OBSCURED_WORDS

    for i in range(len(atoms)):
        digits = ""
        for j in range(i, len(atoms)):
            digits += atoms[j][1]
            if len(digits) > 13:
                break
            if len(digits) >= _MIN_PHONE_DIGITS and _PHONE_SHAPE.fullmatch(digits):
                trick = _window_trick(atoms[i:j + 1], seps[i:j])
                if trick:
                    return trick
    return None


def _window_trick(atoms: list[tuple[str, str, bool]], seps: list[str]) -> str | None:
    words = sum(1 for a in atoms if a[2])
    pieces = [a[0] for a in atoms if not a[2]]
    if any("o" in p for p in pieces):
        return OBSCURED_LETTER_O
    if any("l" in p or "i" in p for p in pieces):
        return OBSCURED_LETTER_L
    if words == len(atoms):
        return OBSCURED_WORDS
    if words:
        return OBSCURED_MIXED
    if sum(1 for p in pieces if len(p) == 1) >= _MIN_SINGLE_DIGITS:
        return OBSCURED_SPACED
    if any(not _NORMAL_SEP.fullmatch(s) for s in seps):
        return OBSCURED_BROKEN
    return None


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

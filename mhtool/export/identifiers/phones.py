"""Phone numbers in free text: digit runs in any spelling, checked with phonenumbers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import phonenumbers

from mhtool.export.identifiers.views import Found, _found, _View
from mhtool.parse.phones import parse_phone

# Digits with at most three separators between them; a '+' may lead.
_RUN = re.compile(r"(?:\+ ?)?[0-9](?:[-./()\[\]_* ]{0,3}[0-9])*")
_GROUP = re.compile(r"[0-9]+")
_DIGITS = re.compile(r"[0-9]")
# A date with a four-digit year splits a run: "01-12-2026 10.30" is no number.
_DATE = re.compile(r"(?<![0-9])(?:0?[1-9]|[12][0-9]|3[01])([-./])(?:0?[1-9]|1[0-2])\1(?:19|20)[0-9]{2}(?![0-9])")
_MIN_PHONE_DIGITS = 9
_MAX_PHONE_DIGITS = 15


@lru_cache(maxsize=16384)
def _phone_candidate(digits: str, plus: bool) -> str | None:
    """E.164 of digits shaped like a Dutch or international number that
    phonenumbers finds possible, else None. Only these shapes are tried, so
    that amounts and ids are left alone: +.., 00.., 0.. of 9 to 11 digits,
    31/32 and a national number (wa.me links), 6 and 8 digits (a mobile
    number without its 0)."""
    text: str | None
    if plus:
        text = "+" + digits
    elif digits.startswith("00"):
        text = "+" + digits[2:]
    elif digits.startswith("0"):
        text = digits if len(digits) <= 11 else None
    elif digits.startswith(("31", "32")) and len(digits) in (10, 11):
        text = "+" + digits
    elif digits.startswith("6") and len(digits) == 9:
        text = "0" + digits
    else:
        text = None
    if text is None:
        return None
    e164 = parse_phone(text).e164
    if e164 is None or not phonenumbers.is_possible_number(phonenumbers.parse(e164)):
        return None
    return e164


def _run_parts(run: str) -> Iterator[list[re.Match]]:
    """The digit groups of a run, split where a date stands."""
    at = 0
    for date in _DATE.finditer(run):
        yield list(_GROUP.finditer(run, at, date.start()))
        at = date.end()
    yield list(_GROUP.finditer(run, at))


def _longest_phone(groups: list[re.Match], first: int, plus: bool) -> tuple[int, str] | None:
    """The last group and E.164 of the longest number starting at groups[first]."""
    digits, ends = "", []
    for group in groups[first:]:
        digits += group[0]
        if len(digits) > _MAX_PHONE_DIGITS:
            break
        ends.append(digits)
    for last in range(len(ends) - 1, -1, -1):
        if len(ends[last]) >= _MIN_PHONE_DIGITS and (e164 := _phone_candidate(ends[last], plus)):
            return first + last, e164
    return None


def _few_digits(text: str) -> bool:
    return len(_DIGITS.findall(text)) < _MIN_PHONE_DIGITS


def _phones_in_runs(view: _View) -> Iterator[Found]:
    """Tolerant: glued to letters, any separators, a lone O or l for a digit."""
    for run in _RUN.finditer(view.text):
        text = run[0]
        if _few_digits(text):
            continue
        for groups in _run_parts(text):
            first = 0
            while first < len(groups):
                # the '+' that opens the run belongs to its first group
                plus = text.startswith("+") and groups[first].start() <= 2
                found = _longest_phone(groups, first, plus)
                if not found:
                    first += 1
                    continue
                last, e164 = found
                start = 0 if plus else groups[first].start()
                yield _found(view, run.start() + start, run.start() + groups[last].end(), "T", e164)
                first = last + 1


def _matched_phones(view: _View) -> Iterator[Found]:
    """phonenumbers' own finder, for what it reads that the runs do not
    (its own separators and groupings). Leniency VALID: POSSIBLE would read
    '01-12-2026 10.30' as a number."""
    if _few_digits(view.text):
        return
    for match in phonenumbers.PhoneNumberMatcher(view.text, "NL", leniency=phonenumbers.Leniency.VALID):
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        yield _found(view, match.start, match.end, "T", e164)


_GAP = r"[^0-9]{0,3}"
_E164 = re.compile(r"\+[1-9][0-9]{5,14}")  # what parse_phone gives: phonenumbers parses it


@lru_cache(maxsize=4096)
def _own_phone_pattern(key: str) -> re.Pattern | None:
    """One of the record's numbers however it is broken up: any three
    characters between its digits, with or without its prefix (0, +31, 0031, 31)."""
    if _E164.fullmatch(key):
        number = phonenumbers.parse(key)
        country, national = str(number.country_code), str(number.national_number)
        country_part = _GAP.join(country)
        prefix = rf"(?:(?:\+|00)?{_GAP}{country_part}{_GAP}(?:\(?0\)?{_GAP})?|0{_GAP})?"
    else:  # a number the import could not read: its digits
        national, prefix = re.sub(r"[^0-9]", "", key).lstrip("0"), rf"(?:0{_GAP})?"
    if len(national) < 6:
        return None
    return re.compile(rf"(?<![0-9]){prefix}{_GAP.join(national)}(?![0-9])")

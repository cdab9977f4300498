"""Read dates as they arrive in Dutch exports.

Day-first numeric forms (``25-11-2026``), Dutch month and weekday names
(``wo 25 nov. 2026 om 14.03 uur``), ISO 8601 and Excel serial numbers.
A value that cannot be read unambiguously is a ParseError, never a guess.

Speed matters (imports run at 20,000+ rows/s), so the common forms are read
with ``date.fromisoformat`` and one compiled regex; only text with a month
name goes to python-dateutil, with a Dutch ``parserinfo``.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache, lru_cache

from dateutil import parser as du_parser

from mhtool.errors import ParseError

ORDERS = ("dmy", "mdy", "ymd")

_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_EXCEL_EPOCH = dt.date(1899, 12, 30)  # 1900 system, after the fake 29 Feb 1900
_EXCEL_MAX = (dt.date(9999, 12, 31) - _EXCEL_EPOCH).days + 1
_NO_TIME = 1  # microsecond marker, see DutchParserInfo.validate


class DutchParserInfo(du_parser.parserinfo):
    """Dutch names for dateutil; English month names are accepted as well.

    Only words listed here may appear in a date, since parsing is not fuzzy.
    """

    JUMP = [" ", ".", ",", ";", "-", "/", "'", "om", "uur", "u"]
    WEEKDAYS = [
        ("ma", "maa", "maandag", "mon", "monday"),
        ("di", "din", "dinsdag", "tue", "tuesday"),
        ("wo", "woe", "woensdag", "wed", "wednesday"),
        ("do", "don", "donderdag", "thu", "thursday"),
        ("vr", "vrij", "vrijdag", "fri", "friday"),
        ("za", "zat", "zaterdag", "sat", "saturday"),
        ("zo", "zon", "zondag", "sun", "sunday"),
    ]
    MONTHS = [
        ("jan", "januari", "january"),
        ("feb", "febr", "februari", "february"),
        ("mrt", "maart", "mar", "march"),
        ("apr", "april"),
        ("mei", "may"),
        ("jun", "juni", "june"),
        ("jul", "juli", "july"),
        ("aug", "augustus", "august"),
        ("sep", "sept", "september"),
        ("okt", "oktober", "oct", "october"),
        ("nov", "november"),
        ("dec", "december"),
    ]
    HMS = [("u", "uur", "h"), ("m", "min", "minuut", "minuten"), ("s", "sec", "seconde", "seconden")]
    AMPM = [("am",), ("pm",)]
    # Input is lower-cased, so upper-case "time zone names" never match.
    UTCZONE = ["utc", "gmt", "z"]
    PERTAIN: list[str] = []

    def __init__(self, this_year: int, order: str):
        super().__init__(dayfirst=order == "dmy", yearfirst=order == "ymd")
        self.this_year = this_year

    def convertyear(self, year, century_specified=False):
        if year < 100 and not century_specified:
            return _full_year(year, self.this_year)
        return year

    def validate(self, res):
        super().validate(res)
        if res.year is None or res.month is None or res.day is None:
            raise ParseError("incomplete date (day, month and year are needed)")
        date = _make_date(res.year, res.month, res.day)
        _check_weekday(res.weekday, date)
        if res.hour is None:
            if res.minute is not None or res.second is not None:
                raise ParseError("not a date")
            # parse() returns a datetime either way; this marker tells
            # parse_date that no time was written (seconds are dropped anyway).
            res.microsecond = _NO_TIME
        else:
            _make_time(res.hour, res.minute or 0, res.second or 0)
            res.microsecond = 0
        return True


_WEEKDAY_WORDS = {w: i for i, names in enumerate(DutchParserInfo.WEEKDAYS) for w in names}
_MONTH_WORDS = frozenset(w for names in DutchParserInfo.MONTHS for w in names)

_NUMERIC = re.compile(
    r"""
    (?:(?P<wd>[a-z]+)\.?,?\s+)?                            # wo 25-11-2026
    (?P<a>\d{1,4})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{1,4})
    (?:(?:,?\s+(?:om\s+)?|t)                               # "om 14.03 uur"
       (?P<h>\d{1,2})(?:[:.u](?P<m>\d{2})(?:[:.](?P<s>\d{2}))?)?
       \s*(?P<uur>uur|u|h)?
    )?
    """,
    re.VERBOSE,
)
_DOT_TIME = re.compile(r"(?<=\s)(\d{1,2})\.(\d{2})(?:\.\d{2})?(?=\s*(?:uur|u|h)?$)")
_WORD = re.compile(r"[a-z]+")
_NUMBER = re.compile(r"\d+")
_LONG_NUMBER = re.compile(r"\d{3}")


def parse_date(value, *, today: dt.date | None = None, order: str = "dmy") -> dt.date | dt.datetime:
    """Read one date cell; a ``date``, or a naive ``datetime`` when a time was given.

    ``order`` settles ambiguous numeric forms (``dmy``, ``mdy`` or ``ymd``).
    Raises ParseError for empty, unreadable, impossible, incomplete,
    pre-1900 and future dates.
    """
    if order not in ORDERS:
        raise ValueError(f"order must be one of {', '.join(ORDERS)}, not {order!r}")
    if today is None:
        today = dt.date.today()

    if isinstance(value, str):
        result = _from_text(value, today, order)
    elif isinstance(value, dt.datetime):
        # Spreadsheet cells: midnight means "no time".
        result = _to_minutes(value)
        if result.hour == result.minute == 0:
            result = result.date()
    elif isinstance(value, dt.date):
        result = value
    elif value is None:
        raise ParseError("empty date")
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        result = _from_excel(value)
    else:
        raise ParseError("not a date")

    day = result.date() if isinstance(result, dt.datetime) else result
    if day.year < 1900:
        raise ParseError(f"date lies before 1900 ({day.isoformat()})")
    if day > today:
        raise ParseError(f"date lies in the future (after {today.isoformat()})")
    return result


def to_iso(d: dt.date | dt.datetime) -> str:
    """``2026-11-25`` for a date, ``2026-11-25T14:03`` for a datetime."""
    if isinstance(d, dt.datetime):
        return d.isoformat(timespec="minutes")
    return d.isoformat()


def _from_text(value: str, today: dt.date, order: str) -> dt.date | dt.datetime:
    s = value.strip()
    if not s:
        raise ParseError("empty date")
    if s[:4].isdigit():
        try:
            return dt.date.fromisoformat(s)
        except ValueError:
            pass
        try:
            return _to_minutes(dt.datetime.fromisoformat(s))
        except ValueError:
            pass
    s = s.lower()
    match = _NUMERIC.fullmatch(s)
    if match:
        return _from_numeric(match, today, order)
    # Numeric forms are the regex's job alone: dateutil would silently swap
    # day and month where the given order does not fit.
    if not any(w in _MONTH_WORDS for w in _WORD.findall(s)):
        raise ParseError("not a date")
    return _from_dateutil(s, today.year, order)


def _from_numeric(match: re.Match, today: dt.date, order: str) -> dt.date | dt.datetime:
    a, b, c = match["a"], match["b"], match["c"]
    if len(a) == 4 and len(c) <= 2:
        year, month, day = int(a), int(b), int(c)
    elif len(c) == 4 and len(a) <= 2:
        year = int(c)
        day, month = (int(b), int(a)) if order == "mdy" else (int(a), int(b))
    elif len(a) <= 2 and len(c) <= 2:
        a, b, c = int(a), int(b), int(c)
        if order == "dmy":
            day, month, year = a, b, c
        elif order == "mdy":
            month, day, year = a, b, c
        else:
            year, month, day = a, b, c
        year = _full_year(year, today.year)
    else:
        raise ParseError("not a date")

    date = _make_date(year, month, day)
    if match["wd"] is not None:
        weekday = _WEEKDAY_WORDS.get(match["wd"])
        if weekday is None:
            raise ParseError("not a date")
        _check_weekday(weekday, date)
    if match["h"] is None:
        return date
    if match["m"] is None and match["uur"] is None:
        raise ParseError("not a date")  # a bare number after the date
    return dt.datetime.combine(date, _make_time(int(match["h"]), int(match["m"] or 0), int(match["s"] or 0)))


@lru_cache(maxsize=4096)  # ~60 µs a call, and exports repeat the same dates
def _from_dateutil(s: str, this_year: int, order: str) -> dt.date | dt.datetime:
    s = _DOT_TIME.sub(r"\1:\2", s)  # 14.03 -> 14:03; dateutil would read 14.03 hours
    try:
        result = _dateutil_parser(this_year, order).parse(s, default=dt.datetime(2000, 1, 1), ignoretz=True)
    except ParseError:
        raise
    except (ValueError, OverflowError):
        raise ParseError("not a date") from None

    if not _LONG_NUMBER.search(s):
        # Two-digit year: dateutil takes a first number over 31 for the year
        # whatever the order; insist the first number is where order says.
        number = _NUMBER.search(s)
        first = int(number.group()) if number else -1
        expected = result.year % 100 if order == "ymd" else result.day
        if first != expected:
            raise ParseError("not a date (day and year are unclear)")

    if result.microsecond == _NO_TIME:
        return result.date()
    return result.replace(second=0)


@cache
def _dateutil_parser(this_year: int, order: str) -> du_parser.parser:
    return du_parser.parser(DutchParserInfo(this_year, order))


def _from_excel(serial: int | float) -> dt.date | dt.datetime:
    if not 1 <= serial < _EXCEL_MAX:  # also rejects NaN
        raise ParseError("not a date")
    days = int(serial)
    seconds = round((serial - days) * 86400)
    if seconds >= 86400:
        days, seconds = days + 1, 0
    if days == 60:
        # Excel copies Lotus 1-2-3, which took 1900 for a leap year.
        raise ParseError("impossible date (no 29 February 1900)")
    date = _EXCEL_EPOCH + dt.timedelta(days=days if days > 60 else days + 1)
    if seconds < 60:
        return date
    return dt.datetime.combine(date, dt.time(seconds // 3600, seconds // 60 % 60))


def _full_year(two_digits: int, this_year: int) -> int:
    """26 -> 2026 unless that year is still to come, then 1926."""
    year = 2000 + two_digits
    return year - 100 if year > this_year else year


def _make_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        pass
    if not 1 <= month <= 12:
        raise ParseError(f"impossible date (no month {month})")
    if not 1 <= day <= 31:
        raise ParseError(f"impossible date (no day {day})")
    if month == 2 and day == 29:
        raise ParseError(f"impossible date (no 29 February in {year})")
    if 1 <= year <= 9999:
        raise ParseError(f"impossible date (no {day} {_MONTH_NAMES[month - 1]})")
    raise ParseError("not a date")


def _make_time(hour: int, minute: int, second: int) -> dt.time:
    if hour > 23 or minute > 59 or second > 59:
        raise ParseError(f"impossible time (no {hour:02d}:{minute:02d})")
    return dt.time(hour, minute)


def _check_weekday(weekday: int | None, date: dt.date) -> None:
    if weekday is not None and weekday != date.weekday():
        raise ParseError(f"weekday does not match the date ({date.isoformat()} is a {_WEEKDAY_NAMES[date.weekday()]})")


def _to_minutes(value: dt.datetime) -> dt.datetime:
    # Offsets are dropped, not converted: the wall-clock time is what was seen.
    return value.replace(second=0, microsecond=0, tzinfo=None)


def option_day(value: str, option: str) -> dt.date:
    """A date given on the command line (future dates allowed): a bad one is
    a usage error naming the option."""
    from mhtool.errors import UsageError

    try:
        parsed = parse_date(value, today=dt.date.max)
    except ParseError as exc:
        raise UsageError(f"{option}: {exc}") from None
    return parsed.date() if isinstance(parsed, dt.datetime) else parsed

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mhtool.errors import ParseError
from mhtool.parse.dates import parse_date, to_iso

TODAY = dt.date(2026, 11, 25)
DAY = dt.date(2026, 11, 25)
AT_1403 = dt.datetime(2026, 11, 25, 14, 3)


def parse(value, **kwargs):
    return parse_date(value, today=TODAY, **kwargs)


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-25",
        "25-11-2026",
        "25/11/2026",
        "25-11-26",
        "25.11.2026",
        "25 november 2026",
        "25 nov. 2026",
        "25 nov 2026",
        "wo 25 nov 2026",
        "woensdag 25 november 2026",
        "Woensdag, 25 November 2026",
        "WO 25 NOV 2026",
        "wo 25-11-2026",
        "25-nov-26",
        "  25-11-2026  ",
        "20261125",
        "2026/11/25",
    ],
)
def test_date_forms(text):
    result = parse(text)
    assert result == DAY and type(result) is dt.date


@pytest.mark.parametrize(
    "text",
    [
        "25-11-2026 14:03",
        "25-11-2026 14.03",
        "25-11-2026 14:03:22",
        "25-11-2026 om 14.03 uur",
        "25-11-2026 om 14:03 u",
        "25.11.2026 14.03",
        "25/11/2026, 14:03",
        "25-11-2026 14u03",
        "25 november 2026 14:03",
        "25 nov. 2026 om 14.03 uur",
        "wo 25 nov 2026 14:03",
        "woensdag 25 november 2026 om 14:03:59",
        "25 nov 2026 14u03",
        "2026-11-25T14:03:00",
        "2026-11-25 14:03",
        "2026-11-25T14:03:00Z",
        "2026-11-25T14:03:00+01:00",
        "2026-11-25T14:03:00.123456-05:00",
    ],
)
def test_datetime_forms(text):
    result = parse(text)
    assert result == AT_1403 and type(result) is dt.datetime


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1 januari 2020", dt.date(2020, 1, 1)),
        ("2 febr 2020", dt.date(2020, 2, 2)),
        ("3 maart 2020", dt.date(2020, 3, 3)),
        ("3 mrt 2020", dt.date(2020, 3, 3)),
        ("4 apr. 2020", dt.date(2020, 4, 4)),
        ("5 mei 2020", dt.date(2020, 5, 5)),
        ("6 juni 2020", dt.date(2020, 6, 6)),
        ("7 juli 2020", dt.date(2020, 7, 7)),
        ("8 aug 2020", dt.date(2020, 8, 8)),
        ("9 sept 2020", dt.date(2020, 9, 9)),
        ("9 sep 2020", dt.date(2020, 9, 9)),
        ("10 okt 2020", dt.date(2020, 10, 10)),
        ("11 december 2020", dt.date(2020, 12, 11)),
        ("25 nov 2026 om 14 uur", dt.datetime(2026, 11, 25, 14, 0)),
        ("25-11-2026 00:00", dt.datetime(2026, 11, 25, 0, 0)),
        ("29-02-2024", dt.date(2024, 2, 29)),
        ("1-1-1900", dt.date(1900, 1, 1)),
        ("1-2-3", dt.date(2003, 2, 1)),
    ],
)
def test_other_values(text, expected):
    result = parse(text)
    assert result == expected and type(result) is type(expected)


def test_two_digit_year_is_never_in_the_future():
    assert parse("25-11-26") == dt.date(2026, 11, 25)
    assert parse("01-01-27") == dt.date(1927, 1, 1)
    assert parse("31-12-99") == dt.date(1999, 12, 31)
    assert parse("1 jan 27") == dt.date(1927, 1, 1)
    with pytest.raises(ParseError, match="future"):
        parse("26-11-26")  # a 2026 typo, not 1926
    # callers that switch the future check off still get this century
    assert parse_date("25-11-26", today=dt.date.max) == dt.date(2026, 11, 25)
    assert parse_date("25 nov 26", today=dt.date.max) == dt.date(2026, 11, 25)


@pytest.mark.parametrize(
    "text, order, expected",
    [
        ("11/25/2026", "mdy", DAY),
        ("11/25/26", "mdy", DAY),
        ("26/11/25", "ymd", DAY),
        ("2026-11-25", "mdy", DAY),
        ("nov 25, 2026 2:03 pm", "mdy", AT_1403),
        ("26 nov 25", "ymd", DAY),
    ],
)
def test_order(text, order, expected):
    assert parse(text, order=order) == expected


def test_bad_order_is_a_programming_error():
    with pytest.raises(ValueError):
        parse("25-11-2026", order="dym")


@pytest.mark.parametrize(
    "text, message",
    [
        ("31-02-2020", "impossible date (no 31 February)"),
        ("31 februari 2020", "impossible date (no 31 February)"),
        ("31-04-2020", "impossible date (no 31 April)"),
        ("00-01-2020", "impossible date (no day 0)"),
        ("32-1-2020", "impossible date (no day 32)"),
        ("13-13-2020", "impossible date (no month 13)"),
        ("29-02-2021", "impossible date (no 29 February in 2021)"),
        ("2026-02-31T14:03", "impossible date (no 31 February)"),
        ("25-11-2026 25:00", "impossible time (no 25:00)"),
        ("25-11-2026 14:60", "impossible time (no 14:60)"),
        ("26-11-2026", "date lies in the future (after 2026-11-25)"),
        ("2027-01-01T00:00", "date lies in the future (after 2026-11-25)"),
        ("31-12-1899", "date lies before 1900 (1899-12-31)"),
        ("november 2026", "incomplete date"),
        ("25 november", "incomplete date"),
        ("wo 25 nov", "incomplete date"),
        ("di 25 nov 2026", "weekday does not match the date (2026-11-25 is a Wednesday)"),
        ("di 25-11-2026", "weekday does not match"),
        ("", "empty date"),
        ("   ", "empty date"),
    ],
)
def test_errors_with_message(text, message):
    with pytest.raises(ParseError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse(text)


@pytest.mark.parametrize(
    "text",
    [
        "morgen",
        "ja",
        "12345abc",
        "12345",
        "wo",
        "25-11",
        "25 11 2026",
        "25-11-2026 14",
        "25 nov 2026 abc",
        "25 nov 2026 at 14:03",
        "today",
        "25-11-2026-1",
        "025-11-2026",
        "2026-11-2026",
        "xx 25-11-2026",
        "32 nov 26",
        "25-11/2026",
        "nov",
        "0612345678",
    ],
)
def test_not_a_date(text):
    with pytest.raises(ParseError):
        parse(text)


def test_swapped_day_and_month_is_an_error_not_a_guess():
    with pytest.raises(ParseError):
        parse("11/25/2026")  # dmy: month 25
    with pytest.raises(ParseError):
        parse("25/11/2026", order="mdy")


def test_errors_are_value_errors():
    with pytest.raises(ValueError):
        parse("morgen")


@pytest.mark.parametrize(
    "value, expected",
    [
        (46351, DAY),
        (46351.0, DAY),
        (46351.5854166667, AT_1403),  # 14:03 as Excel stores it
        (46351.585648148, AT_1403),  # 14:03:20, seconds dropped
        (61, dt.date(1900, 3, 1)),
        (59, dt.date(1900, 2, 28)),
        (1, dt.date(1900, 1, 1)),
    ],
)
def test_excel_serial(value, expected):
    result = parse(value)
    assert result == expected and type(result) is type(expected)


@pytest.mark.parametrize(
    "value", [0, -1, 0.5, 60, 46352, 10**400, float("nan"), float("inf"), True, [2026, 11, 25], dt.time(14, 3)]
)
def test_bad_non_text_values(value):
    with pytest.raises(ParseError):
        parse(value)


def test_none_is_empty():
    with pytest.raises(ParseError, match="empty date"):
        parse(None)


def test_date_and_datetime_values():
    assert parse(DAY) == DAY
    midnight = parse(dt.datetime(2026, 11, 25))
    assert midnight == DAY and type(midnight) is dt.date
    assert parse(dt.datetime(2026, 11, 25, 14, 3, 59, 999)) == AT_1403
    aware = dt.datetime(2026, 11, 25, 14, 3, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    assert parse(aware) == AT_1403
    with pytest.raises(ParseError, match="future"):
        parse(dt.date(2026, 11, 26))
    with pytest.raises(ParseError, match="before 1900"):
        parse(dt.datetime(1899, 12, 31, 23, 59))


def test_today_defaults_to_the_real_today():
    assert parse_date(dt.date.today()) == dt.date.today()
    with pytest.raises(ParseError, match="future"):
        parse_date(dt.date.today() + dt.timedelta(days=1))


def test_to_iso():
    assert to_iso(DAY) == "2026-11-25"
    assert to_iso(AT_1403) == "2026-11-25T14:03"
    assert to_iso(parse("25 nov 2026 om 14.03 uur")) == "2026-11-25T14:03"


def _parse_or_error(value):
    try:
        result = parse(value)
    except ParseError:
        return None
    assert isinstance(result, dt.date)
    assert dt.date(1900, 1, 1) <= (result.date() if isinstance(result, dt.datetime) else result) <= TODAY
    if isinstance(result, dt.datetime):
        assert result.tzinfo is None and result.second == result.microsecond == 0
    return result


@given(st.text())
def test_arbitrary_text_parses_or_raises_parse_error(text):
    _parse_or_error(text)


_TOKENS = st.sampled_from(
    [
        "25",
        "11",
        "2026",
        "26",
        "31",
        "0",
        "99",
        "1900",
        "14:03",
        "14.03",
        "14u03",
        "nov",
        "nov.",
        "november",
        "mrt",
        "mei",
        "wo",
        "di",
        "woensdag",
        "om",
        "uur",
        "u",
        "-",
        "/",
        ".",
        ",",
        "t",
        "z",
        "+01:00",
        "pm",
        "utc",
        "m",
        "s",
        "of",
    ]
)


@given(st.lists(_TOKENS, max_size=8), st.sampled_from(["", " ", "-"]), st.sampled_from(["dmy", "mdy", "ymd"]))
def test_date_like_text_parses_or_raises_parse_error(tokens, joiner, order):
    try:
        result = parse_date(joiner.join(tokens), today=TODAY, order=order)
    except ParseError:
        return
    assert isinstance(result, dt.date)


@given(st.datetimes())
def test_arbitrary_datetimes(value):
    _parse_or_error(value)


@given(st.floats() | st.integers())
def test_arbitrary_numbers(value):
    _parse_or_error(value)

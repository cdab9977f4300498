"""Option types every command shares, so that `--gemeente`, dates and
periods mean the same everywhere: a municipality always goes through the
region (a place resolves to its municipality, a misspelling is a usage error
with a suggestion), dates are read as Dutch dates, periods as 2026Q3 etc."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import click


def _usage(param, exc: Exception):
    """Our one-line usage error (click's own spans three lines)."""
    from mhtool.errors import UsageError

    name = param.opts[0] if param is not None and param.opts else "option"
    message = str(exc)
    return UsageError(message if message.startswith(name) else f"{name}: {message}")


class GemeenteType(click.ParamType):
    name = "gemeente"

    def convert(self, value: Any, param, ctx) -> str:
        from mhtool.errors import UsageError
        from mhtool.region.municipalities import load_region, resolve_gemeente

        if not isinstance(value, str) or value in ("onbekend", "buiten regio"):
            return value
        from mhtool.cli.app import AppState, info

        app = ctx.find_object(AppState) if ctx else None
        assert app is not None, "the root command sets the app state"
        try:
            resolved, note = resolve_gemeente(load_region(app.db), value)
        except UsageError as exc:
            raise _usage(param, exc) from None
        if note:
            info(note)
        return resolved


class DateType(click.ParamType):
    """A day as a Dutch user writes it: 25-11-2026, 25 nov 2026, 2026-11-25."""

    name = "date"

    def convert(self, value: Any, param, ctx) -> dt.date:
        if isinstance(value, dt.date):
            return value
        from mhtool.errors import ParseError
        from mhtool.parse.dates import parse_date

        try:
            parsed = parse_date(value, today=dt.date.max)  # a future day is fine in an option
        except ParseError as exc:
            raise _usage(param, exc) from None
        return parsed.date() if isinstance(parsed, dt.datetime) else parsed


class PeriodType(click.ParamType):
    """2026Q3, 2026, 2026-07 or 2026-W48."""

    name = "period"

    def convert(self, value: Any, param, ctx):
        from mhtool.errors import UsageError
        from mhtool.periods import parse_period

        try:
            return parse_period(value)
        except UsageError as exc:
            raise _usage(param, exc) from None


class ExploitationType(click.ParamType):
    """A type of exploitation: its code or its Dutch label (or the start of it)."""

    name = "type"

    def convert(self, value: Any, param, ctx) -> str:
        from mhtool.errors import UsageError
        from mhtool.parse.categories import type_from_user

        try:
            return type_from_user(value)
        except UsageError as exc:
            raise _usage(param, exc) from None


GEMEENTE = GemeenteType()
TYPE = ExploitationType()
DATE = DateType()
PERIOD = PeriodType()


def gemeente_option(help_text: str = "Only this municipality (a place is read as its municipality).") -> Callable:
    return click.option("--gemeente", type=GEMEENTE, metavar="NAME", help=help_text)


def type_option() -> Callable:
    return click.option(
        "--type",
        "type_",
        type=TYPE,
        metavar="TYPE",
        help="sexual, labour, criminal, other, unknown (or the Dutch label).",
    )


def date_range_options(what: str = "Reported") -> Callable:
    def decorate(func: Callable) -> Callable:
        func = click.option("--to", "date_to", type=DATE, metavar="DATE", help=f"{what} on or before DATE.")(func)
        return click.option("--from", "date_from", type=DATE, metavar="DATE", help=f"{what} on or after DATE.")(func)

    return decorate


def since_option(what: str = "Seen") -> Callable:
    return click.option("--since", type=DATE, metavar="DATE", help=f"{what} on or after DATE.")


def date_range(date_from: dt.date | None, date_to: dt.date | None):
    """--from/--to as a Period (None when neither is given)."""
    from mhtool.errors import UsageError
    from mhtool.periods import Period

    if date_from is None and date_to is None:
        return None
    start = date_from or dt.date.min
    end = date_to or dt.date.max
    if end < start:
        raise UsageError("--to lies before --from")
    return Period("range", start, end)


def signal_filter_options(func: Callable) -> Callable:
    """--source, --gemeente, --type, --from/--to: which signals (list, export)."""
    for option in reversed(
        [
            click.option("--source", help="Only this source (mma, watch, manual, ...)."),
            gemeente_option(
                "Only this municipality (or onbekend / 'buiten regio'; a place is read as its municipality)."
            ),
            type_option(),
            date_range_options("Reported"),
        ]
    ):
        func = option(func)
    return func


def signal_filter(source, gemeente, type_, date_from, date_to, **extra):
    from mhtool.query import Filter

    return Filter(source=source, gemeente=gemeente, type=type_, period=date_range(date_from, date_to), **extra)


def ad_filter_options(func: Callable) -> Callable:
    """--site, --gemeente, --since: which ads (list, export)."""
    for option in reversed(
        [
            click.option("--site", help="Only this site."),
            gemeente_option(),
            since_option("Seen"),
        ]
    ):
        func = option(func)
    return func


def ad_filter(site, gemeente, since, **extra):
    from mhtool.periods import since as since_period
    from mhtool.query import Filter

    return Filter(site=site, gemeente=gemeente, period=since_period(since) if since else None, **extra)

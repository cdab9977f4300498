"""The editable lists of case follow-up: closing reasons, destinations and
ad outcomes (mhtool/data/cases.toml)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

from mhtool.errors import UsageError

STATES = ("nieuw", "in behandeling", "doorgezet", "afgesloten")
OPEN_STATES = ("nieuw", "in behandeling", "doorgezet")
LIST_NAMES = ("closing_reasons", "destinations", "ad_outcomes")
WHAT = {"closing_reasons": "closing reason", "destinations": "destination", "ad_outcomes": "outcome"}


@lru_cache(maxsize=1)
def _lists() -> dict[str, tuple[str, ...]]:
    data = tomllib.loads(resources.files("mhtool.data").joinpath("cases.toml").read_text("utf-8"))
    return {name: tuple(str(v) for v in data.get(name, ())) for name in LIST_NAMES}


def values(name: str) -> tuple[str, ...]:
    return _lists()[name]


def choose(name: str, value: str, option: str) -> str:
    """`value` as the list spells it (case and surrounding spaces ignored; a
    unique start of a value will do), or a usage error naming the choices."""
    choices = values(name)
    wanted = " ".join(value.split()).casefold()
    exact = [c for c in choices if c.casefold() == wanted]
    starts = [c for c in choices if c.casefold().startswith(wanted)] if wanted else []
    found = exact or (starts if len(starts) == 1 else [])
    if not found:
        raise UsageError(f"{option}: not a known {WHAT[name]}; choose from: {', '.join(choices)}")
    return found[0]


def state(value: str, option: str = "--status") -> str:
    wanted = " ".join(value.split()).casefold()
    for candidate in STATES:
        if candidate == wanted:
            return candidate
    raise UsageError(f"{option}: choose from: {', '.join(STATES)}")

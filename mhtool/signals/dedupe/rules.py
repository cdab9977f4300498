"""The evidence rules in force: bundled `dedupe_rules.toml`, replaced or
extended by a user's file (`--rules FILE`), as the ad rules are.

Every problem with a file is one line naming the file, the key and the
reason. The rules in force are those of the running command's `--rules`
(kept in click's context) and read by evidence.py and clusters.py through
`active()`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from mhtool.errors import MhtoolError

BUNDLED = "dedupe_rules.toml"


@dataclass(frozen=True)
class Rule:
    code: str
    weight: float
    strong: bool  # a shared identifier: opens the gate to a link
    says: str  # Dutch, shown in `signals dupes`; {} is the detail


@dataclass(frozen=True)
class DedupeRules:
    version: str
    match: float  # the score a linked pair reaches
    stricter: tuple[float, ...]  # an oversized situation is grouped again at these
    local_days: int  # near_phone_local: at most this many days apart
    days: dict[str, int]  # close, near, apart, far
    text: dict[str, float]  # same, similar
    rules: dict[str, Rule]


_NUMBERS = {"match": float, "local_days": int}
_DAYS = ("close", "near", "apart", "far")
_TEXT = ("same", "similar")
_TOP = {"version", "extends", "match", "stricter", "local_days", "days", "text", "rules"}


def _read(path: str | None) -> tuple[dict, str]:
    if path is None:
        raw, name = resources.files("mhtool.data").joinpath(BUNDLED).read_bytes(), BUNDLED
    else:
        try:
            raw, name = Path(path).read_bytes(), path
        except FileNotFoundError:
            raise MhtoolError(f"{path}: rules file not found") from None
        except OSError as exc:
            raise MhtoolError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        return tomllib.loads(raw.decode("utf-8-sig")), name
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MhtoolError(f"{name}: not valid TOML ({exc})") from None


def _number(value, name: str, key: str, kind: type = float, minimum: float = 0) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and value != int(value)):
        raise MhtoolError(f"{name}: {key} must be {'a whole number' if kind is int else 'a number'}")
    if value < minimum:
        raise MhtoolError(f"{name}: {key} must be at least {minimum:g}")
    return kind(value)


def _rule(code: str, table, base: dict, name: str) -> Rule:
    if code not in base:
        raise MhtoolError(f"{name}: rules.{code}: not a rule mhtool knows (known: {', '.join(base)})")
    if not isinstance(table, dict):
        raise MhtoolError(f"{name}: rules.{code} must be a table")
    for key in table:
        if key not in ("weight", "strong", "says"):
            raise MhtoolError(f"{name}: rules.{code}.{key}: unknown key (known: weight, strong, says)")
    for key in ("weight", "strong", "says"):
        if key not in table:
            raise MhtoolError(f"{name}: rules.{code}.{key} is missing")
    weight = _number(table["weight"], name, f"rules.{code}.weight", minimum=float("-inf"))
    if not isinstance(table["strong"], bool):
        raise MhtoolError(f"{name}: rules.{code}.strong must be true or false")
    if not isinstance(table["says"], str) or table["says"].count("{}") > 1 or "{" in table["says"].replace("{}", ""):
        raise MhtoolError(f"{name}: rules.{code}.says must be a text with at most one {{}}")
    return Rule(code, weight, table["strong"], table["says"])


def _merged(base: dict, data: dict, name: str) -> dict:
    """The user's file on top of the bundled one (extends = true), or alone."""
    for key in data:
        if key not in _TOP:
            raise MhtoolError(f"{name}: {key}: unknown key (known: {', '.join(sorted(_TOP))})")
    if not data.get("extends"):
        missing = [code for code in base["rules"] if code not in data.get("rules", {})]
        if missing:
            raise MhtoolError(
                f"{name}: rules.{missing[0]} is missing (without extends = true a file replaces every rule)"
            )
        return data
    merged = {**base, **{k: v for k, v in data.items() if k not in ("rules", "days", "text")}}
    for part in ("days", "text"):
        if not isinstance(data.get(part, {}), dict):
            raise MhtoolError(f"{name}: {part} must be a table")
        merged[part] = {**base[part], **data.get(part, {})}
    rules = data.get("rules", {})
    if not isinstance(rules, dict):
        raise MhtoolError(f"{name}: rules must be a table of [rules.CODE] tables")
    merged["rules"] = {
        code: ({**base["rules"][code], **table} if isinstance(table, dict) and code in base["rules"] else table)
        for code, table in {**base["rules"], **rules}.items()
    }
    return merged


def load_dedupe_rules(path: str | None = None) -> DedupeRules:
    base, base_name = _read(None)
    data, name = (base, base_name) if path is None else _read(path)
    data = _merged(base, data, name) if path is not None else data
    for part, keys in (("days", _DAYS), ("text", _TEXT)):
        table = data.get(part)
        if not isinstance(table, dict):
            raise MhtoolError(f"{name}: [{part}] is missing")
        for key in table:
            if key not in keys:
                raise MhtoolError(f"{name}: {part}.{key}: unknown key (known: {', '.join(keys)})")
        for key in keys:
            if key not in table:
                raise MhtoolError(f"{name}: {part}.{key} is missing")
    days = {key: _number(data["days"][key], name, f"days.{key}", int) for key in _DAYS}
    if not days["close"] <= days["near"] <= days["apart"] <= days["far"]:
        raise MhtoolError(f"{name}: days: close <= near <= apart <= far, each in days")
    text = {key: _number(data["text"][key], name, f"text.{key}") for key in _TEXT}
    if not text["similar"] <= text["same"] <= 100:
        raise MhtoolError(f"{name}: text: similar <= same <= 100 (a percentage)")
    values = {}
    for key, kind in _NUMBERS.items():
        if key not in data:
            raise MhtoolError(f"{name}: {key} is missing")
        values[key] = _number(data[key], name, key, kind, minimum=1)
    stricter = data.get("stricter")
    if not isinstance(stricter, list):
        raise MhtoolError(f"{name}: stricter must be a list of numbers (may be empty)")
    stricter = tuple(_number(v, name, "stricter") for v in stricter)
    if list(stricter) != sorted(stricter) or any(v <= values["match"] for v in stricter):
        raise MhtoolError(f"{name}: stricter must go up, each above match")
    rules = {code: _rule(code, table, base["rules"], name) for code, table in data.get("rules", {}).items()}
    if not any(rule.strong for rule in rules.values()):
        raise MhtoolError(f"{name}: rules: at least one rule must be strong (or nothing is ever linked)")
    version = str(data.get("version") or base["version"]) + ("" if path is None else f"+{Path(path).name}")
    return DedupeRules(version, values["match"], stricter, values["local_days"], days, text, rules)


_bundled: DedupeRules | None = None
_META = "mhtool.dedupe_rules"  # in click's context: the rules this command's --rules gave


def active() -> DedupeRules:
    """The rules of the running command (--rules FILE), else the bundled ones."""
    global _bundled
    import click

    ctx = click.get_current_context(silent=True)
    chosen = ctx.meta.get(_META) if ctx is not None else None
    if chosen is not None:
        return chosen
    if _bundled is None:
        _bundled = load_dedupe_rules()
    return _bundled


def _option_callback(ctx, _param, value: str | None) -> None:
    if value is not None:
        ctx.meta[_META] = load_dedupe_rules(value)


def rules_option(func):
    """`--rules FILE` for every command that links signals."""
    import click

    return click.option(
        "--rules",
        metavar="FILE",
        expose_value=False,
        callback=_option_callback,
        help="Your own dedupe rules (TOML, like mhtool/data/dedupe_rules.toml): replaces the bundled "
        "rules, or changes some of them when it says extends = true.",
    )(func)

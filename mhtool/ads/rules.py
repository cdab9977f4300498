"""The indicator rules in force: bundled `ad_rules.toml`, replaced or extended
by a user's file (`--rules FILE`)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from mhtool.errors import MhtoolError
from mhtool.io.settings import bad, known_keys, load_toml, number, parse_toml, text, texts
from mhtool.parse.categories import fold

# Indicators computed by code; any other code is a phrase indicator.
BUILTIN_CODES = (
    "under_21",
    "age_21_25",
    "no_licence",
    "shared_phone",
    "shared_photo",
    "shared_text",
    "third_person",
    "always_available",
    "unsafe_services",
    "low_price",
    "language_origin",
    "movement",
    "obscured_phone",
    "signal_phone",
)


@dataclass
class Indicator:
    code: str
    weight: float
    explanation: str
    source: str
    phrases: list[str] = field(default_factory=list)
    case_phrases: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    family: str | None = None  # phrase hits of one family count once, at the strongest
    _pattern: re.Pattern | None = None
    _case_pattern: re.Pattern | None = None

    def __post_init__(self) -> None:
        self._pattern = phrase_pattern(self.phrases, ignore_case=True)
        self._case_pattern = phrase_pattern(self.case_phrases, ignore_case=False)

    @property
    def has_phrases(self) -> bool:
        return self._pattern is not None or self._case_pattern is not None

    def find_phrase(self, text: str, folded: str) -> str | None:
        """The first phrase of this indicator in the text, as it matched."""
        if self._pattern is not None:
            match = self._pattern.search(folded)
            if match:
                return match.group().strip()
        if self._case_pattern is not None:
            match = self._case_pattern.search(text)
            if match:
                return match.group().strip()
        return None


def phrase_pattern(phrases: list[str], *, ignore_case: bool) -> re.Pattern | None:
    parts = []
    for phrase in phrases:
        phrase = fold(phrase) if ignore_case else phrase.strip()
        if not phrase:
            continue
        star = phrase.endswith("*")
        body = re.escape(phrase[:-1] if star else phrase).replace(r"\ ", r"\s+")
        # \b only where the phrase starts/ends with a word character ("24/7" ends in one, "!" does not).
        start = r"\b" if re.match(r"\w", phrase) else ""
        end = r"\w*" if star else (r"\b" if re.search(r"\w$", phrase) else "")
        parts.append(start + body + end)
    if not parts:
        return None
    return re.compile("|".join(parts))


@dataclass
class Rules:
    version: str
    threshold: float
    indicators: dict[str, Indicator]

    def weight(self, code: str) -> float:
        indicator = self.indicators.get(code)
        return indicator.weight if indicator else 0.0


def _read_toml(path: str | None) -> tuple[dict, str]:
    if path is None:
        raw = resources.files("mhtool.data").joinpath("ad_rules.toml").read_bytes()
        return parse_toml(raw, "ad_rules.toml", "rules"), "ad_rules.toml"
    return load_toml(path, "rules"), path


_INDICATOR_KEYS = ("weight", "explanation", "source", "phrases", "case_phrases", "family")
# Settings some built-in indicators read: (key, minimum) for numbers, None for lists of texts.
_PARAMS = {"fraction_of_median": 0, "ignore_nationalities": None, "max_group": 1, "min_shingles": 1, "min_overlap": 0}


def _indicator(code: str, table: dict, name: str) -> Indicator:
    key = f"indicators.{code}"
    if not isinstance(table, dict):
        raise MhtoolError(f"{name}: [{key}] must be a table")
    known_keys(table, (*_INDICATOR_KEYS, *_PARAMS), name, f"{key}.")
    if "weight" not in table:
        raise bad(name, f"{key}.weight", "missing (every indicator needs a weight)")
    weight = number(table["weight"], name, f"{key}.weight", minimum=0)
    phrases = texts(table.get("phrases", []), name, f"{key}.phrases")
    case_phrases = texts(table.get("case_phrases", []), name, f"{key}.case_phrases")
    if code not in BUILTIN_CODES and not (phrases or case_phrases):
        raise MhtoolError(
            f"{name}: indicator {code!r} is not built in, so it needs phrases (built in: {', '.join(BUILTIN_CODES)})"
        )
    params = {}
    for param, minimum in _PARAMS.items():
        if param in table:
            value = table[param]
            params[param] = (
                texts(value, name, f"{key}.{param}")
                if minimum is None
                else number(value, name, f"{key}.{param}", minimum=minimum)
            )
    family = table.get("family", None if code in BUILTIN_CODES else "wording")
    if family is not None and not isinstance(family, str):
        raise bad(name, f"{key}.family", "must be a text")
    return Indicator(
        code=code,
        weight=weight,
        explanation=text(table.get("explanation", ""), name, f"{key}.explanation"),
        source=text(table.get("source", ""), name, f"{key}.source"),
        phrases=list(phrases),
        case_phrases=list(case_phrases),
        params=params,
        family=family or None,
    )


def load_rules(path: str | None = None) -> Rules:
    base, base_name = _read_toml(None)
    data, name = (base, base_name) if path is None else _read_toml(path)
    merged: dict[str, dict] = {}
    extends = data.get("extends", False)
    if not isinstance(extends, bool):
        raise bad(name, "extends", "must be true or false")
    if not isinstance(data.get("indicators", {}), dict):
        raise bad(name, "indicators", "must be tables ([indicators.CODE])")
    if path is not None and extends:
        merged = {code: dict(table) for code, table in base.get("indicators", {}).items()}
        for code, table in data.get("indicators", {}).items():
            if not isinstance(table, dict):
                raise MhtoolError(f"{name}: [indicators.{code}] must be a table")
            merged[code] = {**merged.get(code, {}), **table}
        threshold = data.get("threshold", base.get("threshold"))
    else:
        merged = data.get("indicators", {})
        threshold = data.get("threshold")
    if threshold is None:
        raise bad(name, "threshold", "missing")
    if number(threshold, name, "threshold", minimum=0) == 0:
        raise bad(name, "threshold", "must be more than 0 (at 0 every ad is risky)")
    if not isinstance(merged, dict) or not merged:
        raise MhtoolError(f"{name}: no [indicators.*] tables")
    indicators = {code: _indicator(code, table, name) for code, table in merged.items()}
    version = str(data.get("version") or base.get("version"))
    if path is not None:
        digest = hashlib.sha256(
            json.dumps({"t": threshold, "i": merged}, sort_keys=True, default=str).encode()
        ).hexdigest()[:8]
        version = f"{version}+{digest}"
    return Rules(version=version, threshold=float(threshold), indicators=indicators)

"""The indicator rules in force: bundled `ad_rules.toml`, replaced or extended
by a user's file (`--rules FILE`)."""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import MhtoolError
from ..parse.categories import fold

# Indicators computed by code; any other code is a phrase indicator.
BUILTIN_CODES = (
    "under_21", "age_21_25", "no_licence", "shared_phone", "shared_photo", "shared_text",
    "third_person", "always_available", "unsafe_services", "low_price", "language_origin",
    "movement", "obscured_phone", "signal_phone",
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
    family: str | None = None      # phrase hits of one family count once, at the strongest
    _pattern: re.Pattern | None = None
    _case_pattern: re.Pattern | None = None

    def __post_init__(self) -> None:
        self._pattern = phrase_pattern(self.phrases, ignore_case=True)
        self._case_pattern = phrase_pattern(self.case_phrases, ignore_case=False)

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
        name = "ad_rules.toml"
    else:
        try:
            raw = Path(path).read_bytes()
        except FileNotFoundError:
            raise MhtoolError(f"{path}: rules file not found") from None
        except OSError as exc:
            raise MhtoolError(f"{path}: cannot read ({exc.strerror or exc})") from None
        name = path
    try:
        return tomllib.loads(raw.decode("utf-8-sig")), name
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MhtoolError(f"{name}: not valid TOML ({exc})") from None


def _indicator(code: str, table: dict, name: str) -> Indicator:
    if not isinstance(table, dict):
        raise MhtoolError(f"{name}: [indicators.{code}] must be a table")
    weight = table.get("weight")
    if not isinstance(weight, (int, float)) or isinstance(weight, bool):
        raise MhtoolError(f"{name}: indicators.{code}.weight must be a number")
    phrases = table.get("phrases", [])
    case_phrases = table.get("case_phrases", [])
    for key, value in (("phrases", phrases), ("case_phrases", case_phrases)):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise MhtoolError(f"{name}: indicators.{code}.{key} must be a list of strings")
    if code not in BUILTIN_CODES and not (phrases or case_phrases):
        raise MhtoolError(
            f"{name}: indicator {code!r} is not built in, so it needs phrases "
            f"(built in: {', '.join(BUILTIN_CODES)})"
        )
    family = table.get("family", None if code in BUILTIN_CODES else "wording")
    if family is not None and not isinstance(family, str):
        raise MhtoolError(f"{name}: indicators.{code}.family must be a string")
    known = {"weight", "explanation", "source", "phrases", "case_phrases", "family"}
    return Indicator(
        code=code,
        weight=float(weight),
        explanation=str(table.get("explanation", "")),
        source=str(table.get("source", "")),
        phrases=list(phrases),
        case_phrases=list(case_phrases),
        params={k: v for k, v in table.items() if k not in known},
        family=family or None,
    )


def load_rules(path: str | None = None) -> Rules:
    base, base_name = _read_toml(None)
    data, name = (base, base_name) if path is None else _read_toml(path)
    merged: dict[str, dict] = {}
    if path is not None and data.get("extends"):
        merged = {code: dict(table) for code, table in base.get("indicators", {}).items()}
        for code, table in data.get("indicators", {}).items():
            merged[code] = {**merged.get(code, {}), **table}
        threshold = data.get("threshold", base.get("threshold"))
    else:
        merged = data.get("indicators", {})
        threshold = data.get("threshold")
    if not isinstance(threshold, (int, float)) or isinstance(threshold, bool):
        raise MhtoolError(f"{name}: threshold must be a number")
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

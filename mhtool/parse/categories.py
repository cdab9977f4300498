"""Type of exploitation: from the category cell, else inferred from the text.

The keyword lists live in `mhtool/data/keywords.toml` (a user may pass their
own file). Matching is case-insensitive, ignores accents and works on whole
words; a trailing `*` matches every word that starts with the stem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from mhtool.errors import UsageError
from mhtool.io.settings import known_keys, load_toml, parse_toml, table, texts
from mhtool.text import fold as text_fold

TYPES = ("sexual", "labour", "criminal", "other")
ALL_TYPES = (*TYPES, "unknown")
LABELS = {
    "sexual": "seksuele uitbuiting",
    "labour": "arbeidsuitbuiting",
    "criminal": "criminele uitbuiting",
    "other": "overig",
    "unknown": "onbekend",
}
_LABEL_TO_TYPE = {label: code for code, label in LABELS.items()}


def label(type_code: str) -> str:
    return LABELS.get(type_code, type_code)


def type_from_user(value: str) -> str:
    """A type as a user writes it on the command line: code or Dutch label."""
    key = fold(value)
    if key in ALL_TYPES:
        return key
    if key in _LABEL_TO_TYPE:
        return _LABEL_TO_TYPE[key]
    for code, text in LABELS.items():
        if text.startswith(key) and key:
            return code
    raise UsageError(f"unknown type {value!r} (choose from {', '.join(ALL_TYPES)})")


def fold(text: str) -> str:
    """Lower case without accents; '-' counts as a space (see keywords.toml)."""
    return text_fold(text).replace("-", " ").strip()


def _pattern(keywords: list[str]) -> re.Pattern | None:
    parts = []
    for keyword in keywords:
        keyword = fold(keyword)
        if not keyword:
            continue
        if keyword.endswith("*"):
            parts.append(r"\b" + re.escape(keyword[:-1]) + r"\w*")
        else:
            parts.append(r"\b" + re.escape(keyword) + r"\b")
    if not parts:
        return None
    return re.compile("|".join(parts))


@dataclass
class Classifier:
    category: dict[str, re.Pattern | None]
    generic: re.Pattern | None
    text: dict[str, re.Pattern | None]

    def classify(self, category_cell: str | None, text: str | None) -> tuple[str, str]:
        """Return (type, origin) with origin 'given', 'inferred' or 'none'."""
        if category_cell:
            given = self._given(str(category_cell))
            if given:
                return given, "given"
        if text:
            inferred = self._best(self.text, fold(str(text)))
            if inferred:
                return inferred, "inferred"
        return "unknown", "none"

    def _given(self, category_cell: str) -> str | None:
        # Category cells repeat a handful of values over thousands of rows.
        cache = self.__dict__.setdefault("_given_cache", {})
        if category_cell not in cache:
            if len(cache) > 10_000:
                cache.clear()
            cache[category_cell] = self._best(self.category, fold(category_cell))
        return cache[category_cell]

    @staticmethod
    def _best(patterns: dict[str, re.Pattern | None], folded: str) -> str | None:
        best, best_hits = None, 0
        for type_code in TYPES:
            pattern = patterns.get(type_code)
            if pattern is None:
                continue
            hits = len(set(pattern.findall(folded)))
            if hits > best_hits:
                best, best_hits = type_code, hits
        return best


def load_classifier(path: str | None = None) -> Classifier:
    if path:
        data = load_toml(path, "keywords")
        name = path
    else:
        raw = resources.files("mhtool.data").joinpath("keywords.toml").read_bytes()
        name = "keywords.toml"
        data = parse_toml(raw, name, "keywords")
    category = table(data.get("category", {}), name, "category")
    text = table(data.get("text", {}), name, "text")
    known_keys(data, ("category", "text"), name)
    known_keys(category, (*TYPES, "generic"), name, "category.")
    known_keys(text, TYPES, name, "text.")

    def words(section: dict, section_name: str, key: str) -> re.Pattern | None:
        return _pattern(texts(section.get(key, []), name, f"{section_name}.{key}"))

    return Classifier(
        category={t: words(category, "category", t) for t in TYPES},
        generic=words(category, "category", "generic"),
        text={t: words(text, "text", t) for t in TYPES},
    )

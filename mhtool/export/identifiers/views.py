"""Canonical forms (what a token is made from) and normalised views of a text whose positions trace back to the original."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from mhtool.parse.phones import parse_phone
from mhtool.signals.dedupe.matchkeys import Name
from mhtool.text import fold_words

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_URL_PREFIX = re.compile(r"^(?:h[tx]{2}ps?://)?(?:www\.)?")
_DEFANGED_DOT = re.compile(r"\[\.\]|\(\.\)|\[dot\]|\(dot\)")


def fold(value: str) -> str:
    """Casefolded, accents dropped, anything but letters and digits as single spaces."""
    return fold_words(value)


def compact(value: str) -> str:
    """Only the letters and digits: 'AB-123-C' and 'ab 123 c' -> 'ab123c'."""
    return fold(value).replace(" ", "")


def phone_key(raw: str) -> str:
    """E.164 when the import's parser reads the number (valid or not), else its digits."""
    return parse_phone(raw).e164 or re.sub(r"\D", "", raw) or raw.strip()


def name_key(name: Name) -> str:
    """The words as dedupe compares them: particles left out, spelling variants as one."""
    return " ".join(name.tokens)


def address_key(street: str, number: str | None) -> str:
    return f"{street} {number}" if number else street


def url_key(value: str) -> str:
    text = _DEFANGED_DOT.sub(".", value.strip().casefold())
    return _URL_PREFIX.sub("", text).rstrip("/")


# Dash-like characters outside category Pd, and dots and slashes that NFKC leaves alone.
_CHAR_MAP = {"\u2212": "-", "\u2043": "-", "\u00b7": ".", "\u2022": ".", "\u2219": ".", "\u2044": "/", "\u2215": "/"}


@lru_cache(maxsize=4096)
def _normal_char(char: str) -> str:
    """NFKC; dashes as '-', spaces as ' ', digits of any script as 0-9, zero-width characters dropped."""
    out = []
    for c in unicodedata.normalize("NFKC", char):
        category = unicodedata.category(c)
        if category == "Cf":
            continue
        if category == "Pd" or c in _CHAR_MAP:
            c = _CHAR_MAP.get(c, "-")
        elif c.isspace():
            c = " "
        elif c.isdecimal():
            c = str(unicodedata.decimal(c))
        out.append(c)
    return "".join(out)


@lru_cache(maxsize=4096)
def _folded_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", _normal_char(char))
    text = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _NOT_ALNUM.sub(" ", text)


class _View:
    """A text mapped character by character, every position traced back to the original."""

    __slots__ = ("text", "_origin")

    def __init__(self, text: str, origin: list[int] | None):
        self.text = text
        self._origin = origin  # None: the same positions as the original

    @classmethod
    def of(cls, original: str, char_map, ascii_map) -> _View:
        if original.isascii():  # most texts: one call in C, positions unchanged
            return cls(ascii_map(original), None)
        parts, origin = [], []
        for at, char in enumerate(original):
            mapped = char_map(char)
            parts.append(mapped)
            origin.extend([at] * len(mapped))
        return cls("".join(parts), origin)

    def derived(self, text: str) -> _View:
        """Another text of the same length over the same positions."""
        return _View(text, self._origin)

    def span(self, start: int, end: int) -> tuple[int, int]:
        if self._origin is None:
            return start, end
        return self._origin[start], self._origin[end - 1] + 1


# A lone O/o or l/I next to a digit is read as 0 or 1: "O6-12345678", "06-l2345678".
_LETTER_DIGIT = re.compile(r"(?<![^\W\d_])[OoIl](?=\d)|(?<=\d)[OoIl](?![^\W\d_])")
_AS_DIGIT = str.maketrans("OoIl", "0011")


class _Views(NamedTuple):
    base: _View  # NFKC, dashes and spaces unified, digits as 0-9
    phone: _View  # base, with lone O/o/l/I next to digits as digits
    folded: _View  # base casefolded without accents; anything but a-z0-9 as a space


def _views(text: str) -> _Views:
    base = _View.of(text, _normal_char, lambda s: s)
    phone = base.derived(_LETTER_DIGIT.sub(lambda m: m[0].translate(_AS_DIGIT), base.text))
    folded = _View.of(text, _folded_char, lambda s: _NOT_ALNUM.sub(lambda m: " " * len(m[0]), s.lower()))
    return _Views(base, phone, folded)


class Found(NamedTuple):
    start: int  # in the original text
    end: int
    kind: str
    key: str  # the canonical value the token is made from


def _found(view: _View, start: int, end: int, kind: str, key: str) -> Found:
    return Found(*view.span(start, end), kind, key)

"""Person names in free text: after cue words, and the record's own names in any spelling."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from mhtool.export.identifiers.views import Found, _found, _View, name_key
from mhtool.signals.dedupe.matchkeys import PARTICLES, ROLE_WORDS, Name, parse_persons, sound

_WORD = re.compile(r"[a-z]+")
_TERM = re.compile(r"[a-z0-9]+")
# Words after which a name follows: "genaamd Kees", "meneer Yilmaz", "haar vriend Marco".
_NAME_CUE = re.compile(
    r"\b(?:genaamd|heet|heten|roepnaam|bijnaam|alias|naam|meneer|mevrouw|mijnheer|(?:dhr|mevr|mw|mr)\.?"
    r"|vriend|vriendje|vriendin|broer|zus|neef|nicht|oom|tante|pooier|baas)(?=[\s:])[:\s]\s*",
    re.IGNORECASE,
)
_CUE_WORDS = re.compile(r"[\w'-]+")
_MAX_CUE_WORDS = 4


def _capitalised_after(text: str, at: int) -> tuple[int, int] | None:
    """The span of the capitalised words (particles between them allowed) that start at `at`."""
    start: int | None = None
    end = at
    previous = at
    for count, word in enumerate(_CUE_WORDS.finditer(text, at)):
        if count >= _MAX_CUE_WORDS or text[previous : word.start()].strip():
            break
        if word[0][0].isupper():
            start, end = (word.start() if start is None else start), word.end()
        elif start is None or word[0].casefold() not in PARTICLES:
            break
        previous = word.end()
    return None if start is None else (start, end)


def _cued_names(view: _View) -> Iterator[Found]:
    """Capitalised words after a cue word."""
    for cue in _NAME_CUE.finditer(view.text):
        span = _capitalised_after(view.text, cue.end())
        if span and (names := parse_persons(view.text[span[0] : span[1]])[0]):
            yield _found(view, span[0], span[1], "N", name_key(names[0]))


class _Word(NamedTuple):
    text: str
    start: int
    end: int
    sound: str


def _words(view: _View) -> list[_Word]:
    return [_Word(m[0], m.start(), m.end(), sound(m[0])) for m in _WORD.finditer(view.text)]


def _whole_names(view: _View, words: list[_Word], names: Iterable[Name]) -> Iterator[Found]:
    """'JAN DE VRIES', 'Jan Vries', 'jan de vriës': the tokens in order, particles between."""
    for name in names:
        tokens = name.tokens
        if len(tokens) < 2:
            continue
        for first, word in enumerate(words):
            if word.sound != tokens[0]:
                continue
            matched, at = 1, first + 1
            while matched < len(tokens) and at < len(words):
                if words[at].sound == tokens[matched]:
                    matched += 1
                elif words[at].text not in PARTICLES:
                    break
                at += 1
            if matched == len(tokens):
                yield _found(view, word.start, words[at - 1].end, "N", name_key(name))


def _name_parts(view: _View, words: list[_Word], names: Iterable[Name]) -> Iterator[Found]:
    """Each first or last name on its own, in any case or spelling variant."""
    parts = {t for name in names for t in name.tokens if len(t) >= 2}
    for word in words:
        if word.sound in parts and word.text not in PARTICLES and word.text not in ROLE_WORDS:
            yield _found(view, word.start, word.end, "N", word.sound)

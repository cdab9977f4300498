"""The record's own identifiers in its text, in any spelling, and `find`, which merges every search."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from mhtool.export.identifiers.codes import _POSTCODE, _bsns, _ibans, _plates, _postcodes, _streets
from mhtool.export.identifiers.links import _emails, _handles, _social_handles, _urls
from mhtool.export.identifiers.names import _TERM, _cued_names, _name_parts, _whole_names, _words
from mhtool.export.identifiers.phones import _matched_phones, _own_phone_pattern, _phones_in_runs
from mhtool.export.identifiers.views import Found, _found, _View, _Views, _views, address_key, compact, fold, phone_key
from mhtool.parse.phones import split_phone_cell
from mhtool.signals.dedupe.matchkeys import Address, parse_address, parse_persons, parse_plates, parse_urls

_MIN_SPELLED = 4


@lru_cache(maxsize=4096)
def _spelled(value: str) -> re.Pattern | None:
    """`value`'s letters and digits in order, in the folded view, with up
    to three separators between any two: 'AB-123-C' finds 'ab123c', 'AB 123 C'."""
    chars = compact(value)
    if len(chars) < _MIN_SPELLED:
        return None
    return re.compile(r"(?<![a-z0-9])" + " {0,3}".join(chars) + r"(?![a-z0-9])")


@lru_cache(maxsize=4096)
def _words_pattern(value: str) -> re.Pattern:
    """`value`'s words in order in the folded view, whatever stands between them."""
    return re.compile(r"(?<![a-z0-9])" + " +".join(fold(value).split()) + r"(?![a-z0-9])")


_HOUSE_NUMBER = re.compile(r"[0-9]{1,5}[a-z]?")
_MAX_STREET_WORDS = 4
_MIN_STREET_SUFFIX = 8


def _street_number(view: _View, terms: list[re.Match], after: int) -> tuple[str | None, int]:
    """The house number (and a lone letter after it) following terms[after]: (number, last term)."""
    if after + 1 >= len(terms) or not _HOUSE_NUMBER.fullmatch(terms[after + 1][0]):
        return None, after
    number, last = terms[after + 1][0], after + 1
    if (
        number.isdigit()
        and last + 1 < len(terms)
        and re.fullmatch(r"[a-z]", terms[last + 1][0])
        and not view.text[terms[last].end() : terms[last + 1].start()].strip()
    ):
        number, last = number + terms[last + 1][0], last + 1
    return number, last


def _own_address(view: _View, address: Address) -> Iterator[Found]:
    """The street, as parse_address reads it from a few words of the text
    that end in a piece of it ('burg grothestr'), and the number after it."""
    terms = list(_TERM.finditer(view.text))
    hits = [i for i, t in enumerate(terms) if len(t[0]) >= 4 and t[0] in address.street]
    for first, last in ((first, h) for h in hits for first in range(max(0, h - _MAX_STREET_WORDS + 1), h + 1)):
        if any(t[0][0].isdigit() for t in terms[first : last + 1]):
            continue
        found = parse_address(" ".join(t[0] for t in terms[first : last + 1]))
        if not found or not (
            found.street == address.street
            or (len(found.street) >= _MIN_STREET_SUFFIX and address.street.endswith(found.street))
        ):
            continue
        number, end = _street_number(view, terms, last)
        yield _found(view, terms[first].start(), terms[end].end(), "A", address_key(address.street, number))


def _find_pattern(view: _View, pattern: re.Pattern | None, kind: str, key: str) -> Iterator[Found]:
    if pattern is None:
        return
    for match in pattern.finditer(view.text):
        yield _found(view, match.start(), match.end(), kind, key)


@dataclass(frozen=True)
class Record:
    """What one exported record holds in its own columns, to be found in its text."""

    phones: str | None = None
    persons: str | None = None
    address: str | None = None
    vehicle: str | None = None
    url: str | None = None
    others: tuple[tuple[str | None, str, str], ...] = ()  # (as written, kind, key): ref, ad id, licence


def _own(record: Record, views: _Views) -> Iterator[Found]:
    for part in split_phone_cell(record.phones or ""):
        key = phone_key(part)
        yield from _find_pattern(views.phone, _own_phone_pattern(key), "T", key)
    names, handles = parse_persons(record.persons)
    words = _words(views.folded)
    yield from _whole_names(views.folded, words, names)
    yield from _name_parts(views.folded, words, names)
    urls = parse_urls(record.url)
    for handle in handles | _social_handles(urls):
        yield from _find_pattern(views.folded, _spelled(handle), "H", handle.casefold())
    address = parse_address(record.address)
    if address:
        yield from _own_address(views.folded, address)
    for postcode in _POSTCODE.finditer(record.address or ""):
        yield from _find_pattern(views.folded, _spelled(postcode[0]), "P", compact(postcode[0]))
    for plate in parse_plates(record.vehicle):
        yield from _find_pattern(views.folded, _spelled(plate), "K", plate.casefold())
    for url in urls:
        yield from _find_pattern(views.folded, _words_pattern(url), "U", url)
    for value, kind, key in record.others:
        yield from _find_pattern(views.folded, _spelled(value or ""), kind, key)


_FINDERS = (  # (view, finder) for what any text may hold
    ("phone", _phones_in_runs),
    ("phone", _matched_phones),
    ("base", _urls),
    ("base", _emails),
    ("base", _handles),
    ("base", _plates),
    ("base", _postcodes),
    ("base", _streets),
    ("base", _ibans),
    ("base", _bsns),
    ("base", _cued_names),
)


def _anywhere(views: _Views) -> Iterator[Found]:
    for view, finder in _FINDERS:
        yield from finder(getattr(views, view))


def find(text: str, record: Record = Record()) -> list[tuple[int, int, list[Found]]]:
    """(start, end, what stands there) for every identifier in `text`, in order, none overlapping."""
    views = _views(text)
    return _merge([*_own(record, views), *_anywhere(views)])


def _merge(found: Iterable[Found]) -> list[tuple[int, int, list[Found]]]:
    """Overlapping spans become one, so no part of any of them stays in
    clear; a span inside another adds no token of its own."""
    merged: list[tuple[int, int, list[Found]]] = []
    for item in sorted(found, key=lambda f: (f.start, -f.end)):
        if merged and item.start < merged[-1][1]:
            start, end, items = merged[-1]
            if item.end > end:
                merged[-1] = (start, item.end, [*items, item])
        else:
            merged.append((item.start, item.end, [item]))
    return merged

"""Licence plates, postcodes, streets with a house number, IBANs and BSNs in free text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mhtool.export.identifiers.views import Found, _found, _View, address_key, compact
from mhtool.signals.dedupe.matchkeys import parse_address

# Dutch side codes 1 to 14: X a letter, 9 a digit.
_SIDE_CODES = (
    "XX-99-99 99-99-XX 99-XX-99 XX-99-XX XX-XX-99 99-XX-XX 99-XXX-9 9-XXX-99 XX-999-X X-999-XX "
    "XXX-99-X X-99-XXX 9-XX-999 999-XX-9"
).split()


def _side_code_pattern() -> re.Pattern:
    codes = [*_SIDE_CODES, *(code.replace("-", "") for code in _SIDE_CODES)]  # with dashes, or none at all
    forms = [code.replace("X", "[a-z]").replace("9", "[0-9]") for code in codes]
    return re.compile(r"(?<![a-z0-9-])(?:" + "|".join(forms) + r")(?![a-z0-9-])", re.IGNORECASE)


_PLATE = _side_code_pattern()
_POSTCODE = re.compile(r"(?<![\w])([1-9][0-9]{3})( ?)([a-z]{2})(?![\w])", re.IGNORECASE)
_STREET_WORDS = (
    "straat|str\\.?|weg|laan|plein|gracht|dijk|kade|singel|dreef|hof|pad|steeg|park|markt|baan|ring"
    "|wal|plantsoen|haven|allee|boulevard"
)
_STREET = re.compile(
    rf"(?<![\w-])(?:[A-Z][\w'.-]*\s){{0,2}}[A-Z][\w'-]*?(?:{_STREET_WORDS})\s+[0-9]{{1,5}}(?:\s?[a-zA-Z](?!\w))?"
)
_IBAN = re.compile(
    r"(?<![a-z0-9])[a-z]{2}[0-9]{2}(?: ?[a-z0-9]{4}){2,7}(?: ?[a-z0-9]{1,3})?(?![a-z0-9])", re.IGNORECASE
)
_BSN = re.compile(r"(?<![0-9.])(?:[0-9]{9}|[0-9]{4}\.[0-9]{2}\.[0-9]{3})(?![0-9])")


def _plates(view: _View) -> Iterator[Found]:
    for match in _PLATE.finditer(view.text):
        yield _found(view, match.start(), match.end(), "K", compact(match[0]))


def _postcodes(view: _View) -> Iterator[Found]:
    """'1211 AB', '1211AB', '1211ab'; not '2026 en' (letters after a space must be capitals)."""
    for match in _POSTCODE.finditer(view.text):
        if match[2] and not match[3].isupper():
            continue
        yield _found(view, match.start(), match.end(), "P", compact(match[0]))


def _streets(view: _View) -> Iterator[Found]:
    for match in _STREET.finditer(view.text):
        address = parse_address(match[0])
        if address:
            yield _found(view, match.start(), match.end(), "A", address_key(address.street, address.number))


def _ibans(view: _View) -> Iterator[Found]:
    for match in _IBAN.finditer(view.text):
        iban = compact(match[0]).upper()
        rearranged = iban[4:] + iban[:4]
        if int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1:
            yield _found(view, match.start(), match.end(), "B", iban)


def _bsns(view: _View) -> Iterator[Found]:
    """Nine digits that pass the eleven test of the Dutch citizen service number."""
    for match in _BSN.finditer(view.text):
        number = match[0].replace(".", "")
        total = sum(int(d) * w for d, w in zip(number, range(9, 1, -1))) - int(number[8])
        if number[0] != "0" and total % 11 == 0:
            yield _found(view, match.start(), match.end(), "I", number)

"""Keyed pseudonyms for exports to partners.

Identifiers become tokens made with HMAC-SHA256 under a key that only the
director holds (`$MHTOOL_KEY` or `--key-file`; it is never stored in the
database). The same value gives the same token in every export made with the
same key, so partners can link records without seeing who they are about.
Each token names its kind (`T-` phone, `N-` name, ...: see
docs/pseudonymize.md) and is made from a canonical form of the value, so that
every spelling of one phone number, name, address, plate or link gives one
token.

Free text keeps its words: `mhtool.export.identifiers` finds every identifier the
record itself holds, in any spelling, and anything shaped like a phone
number, link, e-mail address, @handle, licence plate, postcode, street with
house number, bank account or citizen service number. Names the record does
not hold are only found after a word such as "genaamd" or "meneer":
docs/pseudonymize.md says what a user must still check.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable
from pathlib import Path

from mhtool.errors import MhtoolError, UsageError
from mhtool.export.identifiers import Record, address_key, compact, find, fold, name_key, phone_key, url_key
from mhtool.parse.phones import split_phone_cell
from mhtool.signals.dedupe.matchkeys import parse_address, parse_persons, parse_urls

MIN_KEY_BYTES = 16


def load_key(key_file: str | None) -> bytes:
    if key_file:
        try:
            key = Path(key_file).read_bytes().strip()
        except OSError as exc:
            raise MhtoolError(f"{key_file}: cannot read key file ({exc.strerror or exc})") from None
    else:
        value = os.environ.get("MHTOOL_KEY", "")
        if not value:
            raise UsageError("pseudonymizing needs a key: set $MHTOOL_KEY or pass --key-file FILE")
        key = value.encode("utf-8")
    if len(key) < MIN_KEY_BYTES:
        raise UsageError(f"the key is too short: use at least {MIN_KEY_BYTES} characters")
    return key


class Pseudonymizer:
    def __init__(self, key: bytes):
        self._key = key

    def token(self, kind: str, value: str) -> str:
        digest = hmac.new(self._key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
        return f"{kind}-{digest[:12]}"

    def _tokens(self, pairs: Iterable[tuple[str, str]]) -> str:
        return ", ".join(dict.fromkeys(self.token(kind, key) for kind, key in pairs))

    def phone(self, value: str | None) -> str | None:
        if not value:
            return value
        return self._tokens(("T", phone_key(part)) for part in split_phone_cell(value))

    def persons(self, value: str | None) -> str | None:
        """One token per name and account name; a cell in which neither is found becomes one token."""
        if not value:
            return value
        names, handles = parse_persons(value)
        pairs = [*(("N", name_key(n)) for n in names), *(("H", h) for h in sorted(handles))]
        return self._tokens(pairs or [("N", fold(value))])

    def address(self, value: str | None) -> str | None:
        if not value:
            return value
        address = parse_address(value)
        return self.token("A", address_key(address.street, address.number) if address else fold(value))

    def url(self, value: str | None) -> str | None:
        if not value:
            return value
        return self._tokens(("U", url) for url in sorted(parse_urls(value)) or [url_key(value)])

    def ref(self, value: str | None) -> str | None:
        return self.token("R", compact(value)) if value else value

    def text(self, value: str | None, record: Record = Record()) -> str | None:  # noqa: B008 (immutable)
        """`value` with every identifier of `record`, and everything shaped
        like an identifier, replaced by its token."""
        if not value:
            return value
        out, at = [], 0
        for start, end, items in find(value, record):
            tokens = " ".join(dict.fromkeys(self.token(f.kind, f.key) for f in items))
            # a token glued to a word ('tel0612345678') stands apart, so it stays whole
            before = " " if start and value[start - 1].isalnum() else ""
            after = " " if end < len(value) and value[end].isalnum() else ""
            out += [value[at:start], before, tokens, after]
            at = end
        out.append(value[at:])
        return "".join(out)

"""Keyed pseudonyms for exports to partners.

Phone numbers, names, addresses and URLs become tokens made with HMAC-SHA256
under a key that only the director holds (`$MHTOOL_KEY` or `--key-file`; it is
never stored in the database). The same value gives the same token in every
export made with the same key, so partners can link records without seeing
who they are about.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import unicodedata
from pathlib import Path

from .errors import MhtoolError, UsageError
from .parse.phones import normalise_phone, split_phone_cell

MIN_KEY_BYTES = 16
_PERSON_SPLIT = re.compile(r"\s*(?:[,;/]|\ben\b|\band\b|\bof\b)\s*", re.IGNORECASE)
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PHONE_LIKE = re.compile(r"(?<![\w+])(?:\+|00)?\d[\d\s\-().]{7,}\d(?!\w)")


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


def _fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    text = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


class Pseudonymizer:
    def __init__(self, key: bytes):
        self._key = key

    def token(self, kind: str, value: str) -> str:
        digest = hmac.new(self._key, f"{kind}:{value}".encode("utf-8"), hashlib.sha256).hexdigest()
        return f"{kind}-{digest[:12]}"

    def phone(self, value: str | None) -> str | None:
        if not value:
            return value
        tokens = []
        for part in split_phone_cell(value):
            tokens.append(self.token("T", normalise_phone(part) or re.sub(r"\D", "", part) or part))
        return ", ".join(tokens)

    def persons(self, value: str | None) -> str | None:
        if not value:
            return value
        names = [n for n in _PERSON_SPLIT.split(value) if n.strip()]
        return ", ".join(self.token("N", _fold(n)) for n in names)

    def address(self, value: str | None) -> str | None:
        return self.token("A", _fold(value)) if value else value

    def url(self, value: str | None) -> str | None:
        return self.token("U", value.strip().rstrip("/").casefold()) if value else value

    def ref(self, value: str | None) -> str | None:
        """The source's reference: the source could look it up."""
        return self.token("R", _fold(value).replace(" ", "")) if value else value

    def free_text(self, value: str | None) -> str | None:
        """Phone numbers, URLs and e-mail addresses inside free text become
        tokens. Names in free text cannot be found reliably: the caller decides
        whether text goes out at all."""
        if not value:
            return value
        text = _URL.sub(lambda m: self.url(m.group()), value)
        text = _EMAIL.sub(lambda m: self.token("E", m.group().casefold()), text)
        return _PHONE_LIKE.sub(lambda m: self.phone(m.group()) or m.group(), text)

"""Which encoding a text input is in: UTF-8 (with or without BOM) or
Windows-1252, decided on the whole file while it streams."""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing_extensions import Buffer  # collections.abc.Buffer from Python 3.12

AUTO_ENCODING = "mhtool-utf8-or-cp1252"


class _Utf8OrCp1252Decoder(codecs.IncrementalDecoder):
    """UTF-8 until the first byte that cannot be UTF-8; if everything before
    it was plain ASCII the file is Windows-1252 and decoding goes on as such.
    After real UTF-8 text, a non-UTF-8 byte means mixed encodings: an error.

    This decides on the whole file while streaming it, not on a sample."""

    def __init__(self, errors: str = "strict"):
        super().__init__(errors)
        self.reset()

    def reset(self) -> None:
        self._utf8 = codecs.getincrementaldecoder("utf-8")(self.errors)
        self._cp1252: codecs.IncrementalDecoder | None = None
        self._seen_non_ascii = False

    def decode(self, data: Buffer, final: bool = False) -> str:
        if self._cp1252 is not None:
            return self._cp1252.decode(data, final)
        pending = self._utf8.getstate()[0]
        try:
            text = self._utf8.decode(data, final)
        except UnicodeDecodeError as exc:
            chunk = pending + bytes(data)
            if self._seen_non_ascii or not chunk[: max(exc.start, 0)].isascii():
                raise
            self._cp1252 = codecs.getincrementaldecoder("cp1252")(self.errors)
            return self._cp1252.decode(chunk, final)
        if not self._seen_non_ascii and not text.isascii():
            self._seen_non_ascii = True
        return text


def _auto_codec(name: str):
    if name != AUTO_ENCODING.replace("-", "_") and name != AUTO_ENCODING:
        return None
    utf8 = codecs.lookup("utf-8")
    return codecs.CodecInfo(
        name=AUTO_ENCODING,
        encode=utf8.encode,
        decode=utf8.decode,
        incrementaldecoder=_Utf8OrCp1252Decoder,
        incrementalencoder=utf8.incrementalencoder,
        streamreader=utf8.streamreader,
        streamwriter=utf8.streamwriter,
    )


codecs.register(_auto_codec)


def detect_encoding(sample: bytes, complete: bool) -> str:
    """BOMs decide; otherwise a sample that is not UTF-8 is Windows-1252, and
    one that is may still turn out to be Windows-1252 further on."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=complete)
    except UnicodeDecodeError as exc:
        # Real UTF-8 characters next to a byte that cannot be UTF-8: both
        # encodings in one file, which no choice would read right.
        if not sample[: exc.start].isascii() or _UTF8_SEQUENCE.search(sample):
            line = sample[: exc.start].count(b"\n") + 1
            raise MixedEncoding(line) from None
        return "cp1252"
    return AUTO_ENCODING


class MixedEncoding(Exception):
    def __init__(self, line: int):
        self.line = line


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")

"""Opening import inputs; streams are copied to a private spool before the write lock is taken."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from typing import Any

from mhtool.imports.model import ImportOptions
from mhtool.io.csvinput import SAMPLE_BYTES, looks_binary, not_text
from mhtool.io.limits import MAX_STREAM_BYTES
from mhtool.io.readers import InputFile, ReadError, open_input


def open_import_input(path: str, options: ImportOptions, stdin, inputs: contextlib.ExitStack) -> InputFile:
    stream = None
    if path == "-":
        stream = inputs.enter_context(_spooled("<stdin>", stdin if stdin is not None else sys.stdin.buffer))
    elif _is_stream(path):
        with open(path, "rb") as source:
            stream = inputs.enter_context(_spooled(path, source))
    return open_input(path, encoding=options.encoding, sheet=options.sheet, delimiter=options.delimiter, stdin=stream)


def _is_stream(path: str) -> bool:
    """A FIFO, a character device (/dev/stdin) or a socket: read as it comes,
    so possibly never to its end."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False  # open_input says what is wrong with it
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _spooled(name: str, source) -> Any:
    """The whole of `source`, copied into an anonymous private temporary
    file (gone when closed, or when the process dies on POSIX). A stream
    that starts with binary bytes (/dev/zero) or never ends is refused as it
    arrives, not after it has filled the disk."""
    import tempfile

    spool = tempfile.TemporaryFile()  # noqa: SIM115 (returned open; the caller closes it)
    try:
        first = True
        while chunk := source.read(1 << 20):
            if first and looks_binary(chunk[:SAMPLE_BYTES]):
                raise ReadError(not_text(name))
            first = False
            if spool.tell() + len(chunk) > MAX_STREAM_BYTES:
                raise ReadError(
                    f"{name}: more than {MAX_STREAM_BYTES // 1024**3} GB from a pipe; save it as a file and import that"
                )
            spool.write(chunk)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool

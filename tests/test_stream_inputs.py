"""Input from stdin or a pipe is spooled before the import takes the write
lock; a stream that is binary, or larger than the limit, is refused while
it arrives, with one line and nothing written."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import mhtool.imports.inputs as inputs

HEADER = b"Meldingnummer,Datum melding,Categorie,Plaats,Omschrijving,Telefoonnummer\n"


def _rows(n: int) -> bytes:
    return b"".join(b"S-%d,01-07-2026,Arbeidsuitbuiting,Huizen,melding %d,\n" % (i, i) for i in range(n))


def test_a_text_stream_on_stdin_is_imported(run, count):
    result = run("signals", "import", "--source", "mma", "--no-dedupe", "-", input=HEADER + _rows(20))
    assert result.exit_code == 0, result.stderr
    assert count("signals") == 20


@pytest.mark.parametrize("payload", [b"\x00" * 300_000, b"PK\x00\x00" + os.urandom(5000), HEADER + b"\x00\x00\x00"])
def test_binary_on_stdin_is_refused_in_one_line(run, db_path, payload):
    result = run("signals", "import", "--source", "mma", "-", input=payload)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "Error: <stdin>: not a text file (binary content); expected CSV, XLSX or JSON"
    ]


def test_a_stream_over_the_limit_is_refused_and_nothing_is_written(run, count, monkeypatch):
    run("signals", "add", "--text", "eerder gemeld", "--no-dedupe")
    monkeypatch.setattr(inputs, "MAX_STREAM_BYTES", 4096)
    result = run("signals", "import", "--source", "mma", "-", input=HEADER + _rows(500))
    assert result.exit_code == 1
    assert "more than" in result.stderr and "from a pipe; save it as a file" in result.stderr
    assert count("signals") == 1


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero on this system")
def test_dev_zero_is_refused_at_once(tmp_path):
    # Before, the endless stream was copied to the spool until the disk was full.
    command = [sys.executable, "-m", "mhtool", "--db", str(tmp_path / "z.db"), "signals", "import"]
    done = subprocess.run([*command, "--source", "mma", "/dev/zero"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip() == "Error: /dev/zero: not a text file (binary content); expected CSV, XLSX or JSON"

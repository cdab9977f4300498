"""Shared fixtures: a temporary database, a CLI runner and input-file writers.

`run(*args, input=None)` invokes `mhtool.cli.root.cli` with `--db <tmp>` and
returns click's Result with separate `stdout` / `stderr` (click 8.2+). Every
call checks that no traceback and no "internal error" reached the user.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from mhtool.cli.root import cli

MMA_HEADERS = ["Meldingnummer", "Datum melding", "Categorie", "Plaats", "Omschrijving", "Telefoonnummer"]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


def _check_clean(result) -> None:
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream, stream
        assert "Internal error" not in stream, stream


@pytest.fixture
def cli_runner(monkeypatch) -> CliRunner:
    monkeypatch.delenv("MHTOOL_DB", raising=False)
    return CliRunner()


@pytest.fixture
def run_raw(cli_runner):
    """Invoke the CLI exactly with `args` (no --db added)."""

    def _run(*args, input=None):
        result = cli_runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)
        _check_clean(result)
        return result

    return _run


@pytest.fixture
def run(run_raw, db_path):
    """Invoke the CLI with `--db <tmp>` in front of `args`."""

    def _run(*args, input=None):
        return run_raw("--db", db_path, *args, input=input)

    return _run


@pytest.fixture
def query(db_path):
    """Run SQL on the test database with a fresh sqlite3 connection; return all rows."""

    def _query(sql, params=()):
        conn = sqlite3.connect(str(db_path))
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    return _query


@pytest.fixture
def count(query):
    def _count(table):
        return query(f'SELECT count(*) FROM "{table}"')[0][0]

    return _count


class Files:
    """Write small input files into tmp_path."""

    def __init__(self, root: Path):
        self.root = root

    def path(self, name: str) -> Path:
        return self.root / name

    def csv(self, name, rows, *, delimiter=",", encoding="utf-8", bom=False, newline="\n") -> Path:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(rows)
        data = buffer.getvalue().encode(encoding)
        if bom:
            data = b"\xef\xbb\xbf" + data
        return self.bytes(name, data)

    def mma(self, name, rows, **kwargs) -> Path:
        return self.csv(name, [MMA_HEADERS, *rows], **kwargs)

    def text(self, name, text, encoding="utf-8") -> Path:
        return self.bytes(name, text.encode(encoding))

    def bytes(self, name, data: bytes) -> Path:
        target = self.root / name
        target.write_bytes(data)
        return target

    def json(self, name, items) -> Path:
        return self.text(name, json.dumps(items, ensure_ascii=False))

    def xlsx(self, name, sheets: dict[str, list[list]]) -> Path:
        from openpyxl import Workbook

        workbook = Workbook()
        workbook.remove(workbook.active)
        for title, rows in sheets.items():
            sheet = workbook.create_sheet(title)
            for row in rows:
                sheet.append(row)
        target = self.root / name
        workbook.save(target)
        return target


@pytest.fixture
def files(tmp_path) -> Files:
    return Files(tmp_path)


@pytest.fixture
def import_mma(run, files):
    """Write rows (under the standard MMA header) to a CSV and import it."""

    def _import(rows, *extra, name="mma.csv"):
        path = files.mma(name, rows)
        return run("signals", "import", "--source", "mma", *extra, path)

    return _import


def _read_csv(text: str, delimiter: str = ",") -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter))


@pytest.fixture
def read_csv():
    """Parse CSV text (a leading BOM is dropped) into a list of dicts."""
    return _read_csv


@pytest.fixture
def small_disk(tmp_path):
    """A real 2 MB filesystem (tmpfs), where mounting is allowed (root)."""
    import subprocess

    point = tmp_path / "disk"
    point.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(point)], capture_output=True, text=True
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here ({result.stderr.strip() or 'not allowed'})")
    yield point
    subprocess.run(["umount", "-l", str(point)], capture_output=True)


@pytest.fixture
def fill_disk():
    """Fill the file system holding a folder (a file named `filler`)."""

    def _fill(folder: Path) -> None:
        # unbuffered: a buffered file would raise on close with the bytes that did not fit
        with open(folder / "filler", "wb", buffering=0) as handle:
            try:
                while handle.write(b"\0" * 65536):
                    pass
            except OSError:
                pass

    return _fill

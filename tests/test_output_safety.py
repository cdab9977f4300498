"""Output files under attack (issue 10, items 7, 14 output side, 20).

- Control characters in a field do not break xlsx output: a workbook cannot
  hold them, so they are shown as control pictures (`␛`).
- A full disk (a file-size limit, a full tmpfs) or a read-only folder gives
  one line naming the cause; no writer leaves a partial file, and a file
  that was there stays as it was.
- The Markdown report and `--format markdown` keep data inert: rendered with
  markdown-it-py, no image, link or HTML token comes from data.
"""

from __future__ import annotations

import csv
import resource
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest
from processes import environment, mhtool_command

ESC_TEXT = "voor\x1bna\x00\x08\x0b\x0c\x1f \x1b[2J einde"  # put in the database directly
IMPORTED = "voor\x1bna \x1b[2J einde"  # what an import lets through (it refuses binary-looking files)
MMA = [
    "Meldingnummer",
    "Datum melding",
    "Categorie",
    "Plaats",
    "Omschrijving",
    "Telefoonnummer",
    "Betrokkenen",
    "Nationaliteit",
]


def write_signals(path: Path, rows: int, text: str = "Melding", nationality: str = "NL") -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(MMA)
        for i in range(rows):
            writer.writerow(
                [
                    f"S-{i}",
                    "01-08-2026",
                    "",
                    "Huizen",
                    f"{text} {i} " + "x" * 200,
                    f"06-{20_000_000 + i}",
                    f"Persoon {text}",
                    nationality,
                ]
            )
    return path


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("Error")]


# --- 7. control characters and xlsx -----------------------------------------------------------


@pytest.fixture
def controls(run, tmp_path, db_path):
    result = run("signals", "import", "--source", "mma", write_signals(tmp_path / "c.csv", 2, IMPORTED, IMPORTED))
    assert result.exit_code == 0, result.stderr
    ads = tmp_path / "ads.csv"
    with open(ads, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(
            [
                ["Site", "Advertentie ID", "Datum", "Tekst", "Naam"],
                ["s.example", "A-1", "01-12-2026", IMPORTED, IMPORTED],
            ]
        )
    assert run("ads", "import", ads).exit_code == 0
    conn = sqlite3.connect(str(db_path))
    with conn:
        conn.execute("UPDATE signals SET text = ?, persons = ?, victim_nationality = ?", (ESC_TEXT,) * 3)
        conn.execute("UPDATE ad_observations SET name = ?, text = ?", (ESC_TEXT,) * 2)
    conn.close()
    return run


@pytest.mark.parametrize(
    "args",
    [
        ["signals", "list"],
        ["export", "signals"],
        ["ads", "list"],
        ["stats", "--by", "victim_nationality", "--count", "signals"],
        ["report", "quarterly", "2026Q3"],
    ],
)
def test_control_characters_are_shown_in_xlsx(controls, tmp_path, args):
    from openpyxl import load_workbook

    target = tmp_path / "out.xlsx"
    result = controls(*args, "-o", target)
    assert result.exit_code == 0, result.stderr
    cells = [cell.value for sheet in load_workbook(target).worksheets for row in sheet.iter_rows() for cell in row]
    texts = [c for c in cells if isinstance(c, str)]
    # (the report counts a situation's victim data, copied at import: IMPORTED)
    shown = (
        "voor\u241bna \u241b[2J einde"
        if args[0] == "report"
        else "voor\u241bna\u2400\u2408\u240b\u240c\u241f \u241b[2J einde"
    )
    assert any(shown in c for c in texts), texts
    assert not any("\x1b" in c or "\x00" in c for c in texts)
    assert target.stat().st_mode & 0o777 == 0o600


# --- 14. full disk, read-only folder ----------------------------------------------------------


def _limited(limit_bytes: int):
    def preexec():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return preexec


@pytest.fixture(scope="module")
def big_db(tmp_path_factory) -> Path:
    """A database whose outputs are all larger than the file-size limit."""
    root = tmp_path_factory.mktemp("big")
    db = root / "big.db"
    source = write_signals(root / "big.csv", 600)
    result = subprocess.run(
        mhtool_command(db, "signals", "import", "--source", "mma", "--no-dedupe", source),
        capture_output=True,
        text=True,
        env=environment(),
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    bad = root / "bad.csv"
    with open(bad, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(MMA)
        writer.writerows([[f"B-{i}", "morgen of zo", "", "Huizen", "y" * 300, "", "", ""] for i in range(400)])
    return db


LIMIT = 48_000  # above SQLite's 32 KB -shm file, below every output here

WRITERS = {
    "csv": ["signals", "list", "-o", "{target}"],
    "excel": ["signals", "list", "--excel", "-o", "{target}"],
    "json": ["export", "signals", "--format", "json", "-o", "{target}"],
    "markdown": ["signals", "list", "--format", "markdown", "-o", "{target}"],
    "xlsx": ["signals", "list", "--format", "xlsx", "-o", "{target}"],
    "backup": ["db", "backup", "--force", "{target}"],
    "rejects": [
        "signals",
        "import",
        "--source",
        "mma",
        "--skip-bad",
        "--dry-run",
        "--rejects",
        "{target}",
        "{db_folder}/bad.csv",
    ],
}


@pytest.mark.parametrize("name", list(WRITERS))
def test_a_file_size_limit_leaves_no_partial_output(big_db, tmp_path, name):
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"out.{name}"
    args = [a.format(target=target, db_folder=big_db.parent) for a in WRITERS[name]]
    target.write_text("the previous file\n")
    result = subprocess.run(
        mhtool_command(big_db, *args),
        capture_output=True,
        text=True,
        env=environment(),
        preexec_fn=_limited(LIMIT),
        timeout=300,
    )
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "Internal error" not in result.stderr, result.stderr
    lines = error_lines(result.stderr)
    # SQLite (the backup) only knows that its write failed: "disk I/O error (disk full, ...)"
    assert len(lines) == 1 and ("no space left" in lines[0] or "disk full" in lines[0]), result.stderr
    assert str(target) in lines[0] or name == "backup", lines
    assert target.read_text() == "the previous file\n"
    assert sorted(p.name for p in out.iterdir()) == [target.name]


DISK_WRITERS = [
    ["signals", "list", "-o", "{disk}/out.csv"],
    ["signals", "list", "-o", "{disk}/out.xlsx"],
    ["report", "quarterly", "2026Q3", "-o", "{disk}/report.md"],
    ["report", "quarterly", "2026Q3", "-o", "{disk}/report.xlsx"],
    ["db", "backup", "{disk}/copy.db"],
]


def _on_disk(run, disk: Path, cause: str, keep: set[str]) -> None:
    for template in DISK_WRITERS:
        args = [a.format(disk=disk) for a in template]
        result = run(*args)
        assert result.exit_code == 1, (args, result.stdout, result.stderr)
        lines = error_lines(result.stderr)
        assert len(lines) == 1 and cause in lines[0], (args, result.stderr)
        assert {p.name for p in disk.iterdir()} == keep, args


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")  # no late traceback
def test_a_full_disk_names_the_cause_and_leaves_nothing(run, tmp_path, small_disk, fill_disk):
    assert run("signals", "import", "--source", "mma", write_signals(tmp_path / "s.csv", 300)).exit_code == 0
    fill_disk(small_disk)
    _on_disk(run, small_disk, "no space left on device", {"filler"})


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")  # no late traceback
def test_a_read_only_folder_names_the_cause_and_leaves_nothing(run, tmp_path, small_disk):
    assert run("signals", "import", "--source", "mma", write_signals(tmp_path / "s.csv", 3)).exit_code == 0
    (small_disk / "old.csv").write_text("old\n")
    remount = subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], capture_output=True, text=True)
    if remount.returncode != 0:
        pytest.skip(f"cannot make the filesystem read-only here ({remount.stderr.strip()})")
    try:
        _on_disk(run, small_disk, "read-only", {"old.csv"})
        result = run("signals", "list", "-o", small_disk / "old.csv")
        assert result.exit_code == 1 and "read-only" in error_lines(result.stderr)[0]
        assert (small_disk / "old.csv").read_text() == "old\n"
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], capture_output=True)


# --- 20. Markdown keeps data inert ------------------------------------------------------------

MARKDOWN_ATTACKS = [
    "![x](http://evil.example/p.png)",
    "<img src=http://evil.example/p.png onerror=alert(1)>",
    "[klik](http://evil.example/k)",
    "<http://evil.example/a>",
    "<script>alert(1)</script>",
    "\\[klik](http://evil.example/b)",
    "[ref]: http://evil.example/r",
    "[ref]",
    "<a href='http://evil.example/c'>c</a>",
]
UNSAFE_TOKENS = {"image", "link_open", "html_inline", "html_block"}


def _tokens(markdown: str):
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable("table")
    for token in parser.parse(markdown):
        yield token
        yield from token.children or ()


def assert_inert_markdown(markdown: str) -> None:
    from markdown_it import MarkdownIt

    bad = [(t.type, t.content) for t in _tokens(markdown) if t.type in UNSAFE_TOKENS]
    assert bad == [], bad
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    assert "<img" not in html and "<script" not in html and "<a " not in html, html
    assert "evil.example" in html  # the data is there, as text


@pytest.fixture
def markdown_db(run):
    for attack in MARKDOWN_ATTACKS:
        result = run(
            "signals",
            "add",
            "--source",
            attack,
            "--date",
            "01-08-2026",
            "--text",
            attack,
            "--place",
            "Huizen",
            "--victim-nationality",
            attack,
            "--persons",
            attack,
            "--no-dedupe",
        )
        assert result.exit_code == 0, result.stderr
    return run


def test_the_markdown_report_keeps_data_inert(markdown_db, tmp_path):
    stdout = markdown_db("report", "quarterly", "2026Q3").stdout
    assert_inert_markdown(stdout)
    target = tmp_path / "report.md"
    assert markdown_db("report", "quarterly", "2026Q3", "-o", target).exit_code == 0
    assert target.read_text("utf-8") == stdout


@pytest.mark.parametrize(
    "args",
    [
        ["signals", "list"],
        ["export", "signals"],
        ["stats", "--by", "victim_nationality", "--by", "source", "--pivot", "--count", "signals"],
    ],
)
def test_markdown_output_keeps_data_inert(markdown_db, args):
    result = markdown_db(*args, "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    assert_inert_markdown(result.stdout)

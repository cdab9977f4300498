"""Tables fit an 80-column terminal (issue 15, item 6): short columns keep
their width, the long text is cut with `…` on one line per row (`--full`
wraps it instead), narrow terminals leave out the optional columns, and a
`show` command prints a vertical record wrapped under its values."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
LONG_TEXT = (
    "Melder ziet sinds half juni 's avonds veel wisselende mannen bij een bovenwoning; "
    "ze blijven steeds ongeveer een half uur. Er wonen twee jonge vrouwen die bijna nooit alleen naar buiten gaan."
)


@pytest.fixture
def narrow(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")


@pytest.fixture
def data(import_mma):
    result = import_mma(
        [
            ["M26-100101", "01-10-2026", "Mensenhandel - seksuele uitbuiting", "Bussum", LONG_TEXT, "06-12345678"],
            ["M26-100102", "02-10-2026", "Criminele uitbuiting", "Huizen", "Kort", ""],
            ["M26-100103", "03-10-2026", "Arbeidsuitbuiting", "Laren", LONG_TEXT, ""],
        ]
    )
    assert result.exit_code == 0, result.stderr


def widest(text: str) -> int:
    return max(cell_len(line) for line in text.splitlines())


def test_signal_list_is_one_line_per_signal_at_80_columns(narrow, data, run):
    result = run("signals", "list", "--format", "table")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert widest(result.stdout) <= 80
    assert len(lines) == 3 + 3  # title, header, rule, a line per signal
    assert lines[1].split() == ["id", "reported_on", "type", "gemeente", "text"]
    first = lines[3]
    # the short columns whole, the text cut with an ellipsis
    assert first.split()[:5] == ["1", "2026-10-01", "seksuele", "uitbuiting", "Gooise"]
    assert "criminele uitbuiting" in lines[4]
    assert first.rstrip().endswith("…") and first.split("  ")[-1].strip("…").strip() in LONG_TEXT
    assert lines[4].rstrip().endswith("Kort")


def test_full_wraps_the_text_instead(narrow, data, run):
    result = run("signals", "list", "--format", "table", "--full")
    assert result.exit_code == 0
    assert widest(result.stdout) <= 80
    assert "…" not in result.stdout
    text_column = result.stdout.splitlines()[1].index("text")
    pieces = [line[text_column:].strip() for line in result.stdout.splitlines()[3:]]
    assert " ".join(pieces).startswith(LONG_TEXT)


def test_a_wide_terminal_shows_the_optional_columns(monkeypatch, data, run):
    monkeypatch.setenv("COLUMNS", "160")
    header = run("signals", "list", "--format", "table").stdout.splitlines()[1].split()
    assert header == ["id", "source", "ref", "reported_on", "type", "gemeente", "place", "phones", "text"] + [
        "situation_id"
    ]


def test_ads_score_at_80_columns(narrow, run):
    ads = sorted((EXAMPLES / "ads").glob("ads_*_2026-W48.*"))
    assert run("ads", "import", *ads).exit_code == 0
    result = run("ads", "score", "--format", "table")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert widest(result.stdout) <= 80
    assert lines[1].split() == ["site", "ad_id", "gemeente", "score", "risky", "reasons"]
    scored = run("ads", "score", "--format", "csv")
    assert len(lines) - 3 == len(scored.stdout.splitlines()) - 1  # one line per ad
    assert all(line.rstrip().endswith("…") for line in lines[3:] if len(line.rstrip()) == 80)
    # the short columns keep their width: every site name shown whole
    assert "sexjobs-midden.example" in result.stdout and "kinky-gooi.example" in result.stdout


def test_show_prints_a_vertical_record_that_fits(narrow, data, run):
    result = run("signals", "show", "M26-100101")
    assert result.exit_code == 0
    assert widest(result.stdout) <= 80
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("text:"))
    indent = lines[start].index("Melder")
    continued = []
    for line in lines[start + 1 :]:
        if not line.startswith(" " * indent):
            break
        continued.append(line.strip())
    assert continued and " ".join([lines[start][indent:], *continued]) == LONG_TEXT

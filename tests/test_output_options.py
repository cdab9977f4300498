"""Output options that contradict each other are a usage error (exit 2, one
line), whatever the command (issue 15, item 7): the check lives in the one
output option mechanism (mhtool/cli/output.py), so listings, `show`
commands and the report behave alike. Nothing is written, and the command
does not act, when the options do not fit."""

from __future__ import annotations

import json

import pytest

LONG_TEXT = "Melder ziet 's avonds veel wisselende mannen bij een bovenwoning " * 3


@pytest.fixture
def data(import_mma):
    result = import_mma(
        [
            ["M-1", "01-10-2026", "Mensenhandel - seksuele uitbuiting", "Bussum", LONG_TEXT, "06-12345678"],
            ["M-2", "02-10-2026", "Arbeidsuitbuiting", "Huizen", "Kort", ""],
        ]
    )
    assert result.exit_code == 0, result.stderr


LISTINGS = [
    ["signals", "list"],
    ["stats", "--by", "gemeente"],
    ["region", "show"],
    ["db", "audit"],
    ["cases", "list"],
]
SHOWS = [["signals", "show", "M-1"], ["cases", "show", "M-1"]]
REPORT = [["report", "quarterly", "2026Q4"]]

CONTRADICTIONS = [
    (["--excel", "--format", "json"], "--excel writes CSV"),
    (["--excel", "--format", "tsv"], "--excel writes CSV"),
    (["--excel", "-o", "{dir}/x.xlsx"], "the extension says xlsx, but --excel writes csv"),
    (["--format", "json", "-o", "{dir}/x.csv"], "the extension says csv, but --format json"),
    (["-o", "{dir}/out.txt"], ".txt is not an extension mhtool knows"),
    (["-o", "{dir}/out"], "a file name without an extension"),
    (["-o", "{dir}/out.html"], "does not write .html files"),
    (["-o", "{dir}/out.pdf"], "does not write .pdf files"),
    (["--format", "xlsx"], "--format xlsx needs -o FILE.xlsx"),
]


def _args(args, tmp_path):
    return [a.replace("{dir}", str(tmp_path)) for a in args]


def assert_usage_error(result, words, tmp_path):
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: "), result.stderr
    assert words in result.stderr
    assert result.stdout == ""
    written = [p.name for p in tmp_path.iterdir() if p.name.startswith(("x.", "out"))]
    assert written == []


@pytest.mark.parametrize("command", LISTINGS, ids=" ".join)
@pytest.mark.parametrize("options,words", CONTRADICTIONS, ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_listings_refuse_contradictions(data, run, tmp_path, command, options, words):
    assert_usage_error(run(*command, *_args(options, tmp_path)), words, tmp_path)


@pytest.mark.parametrize("command", SHOWS, ids=" ".join)
@pytest.mark.parametrize(
    "options,words",
    [
        (["--format", "json", "-o", "{dir}/x.md"], "does not write .md files"),
        (["-o", "{dir}/out.txt"], ".txt is not an extension mhtool knows"),
        (["-o", "{dir}/x.csv"], "does not write .csv files"),
        (["--format", "table", "-o", "{dir}/x.json"], "the extension says json, but --format table"),
    ],
)
def test_show_commands_refuse_contradictions(data, run, tmp_path, command, options, words):
    assert_usage_error(run(*command, *_args(options, tmp_path)), words, tmp_path)


@pytest.mark.parametrize(
    "options,words",
    [
        (["-o", "{dir}/out.pdf"], "does not write .pdf files (.md, .xlsx, .docx, .html)"),
        (["-o", "{dir}/out.txt"], ".txt is not an extension mhtool knows"),
        (["--format", "docx"], "--format docx needs -o FILE.docx"),
        (["--format", "xlsx"], "--format xlsx needs -o FILE.xlsx"),
        (["--format", "html", "-o", "{dir}/x.md"], "the extension says markdown, but --format html"),
        (["--format", "csv"], "Invalid value"),
    ],
)
def test_report_refuses_contradictions(data, run, tmp_path, options, words):
    result = run(*REPORT[0], *_args(options, tmp_path))
    assert result.exit_code == 2, result.stderr
    assert words in result.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(("x.", "out"))]


def test_excel_is_not_offered_where_there_is_no_csv(data, run):
    result = run("signals", "show", "M-1", "--excel")
    assert result.exit_code == 2 and "No such option" in result.stderr


def test_the_extension_names_the_format(data, run, tmp_path):
    target = tmp_path / "list.json"
    assert run("signals", "list", "-o", target).exit_code == 0
    assert [r["ref"] for r in json.loads(target.read_text(encoding="utf-8"))] == ["M-1", "M-2"]
    target = tmp_path / "list.md"
    assert run("signals", "list", "-o", target).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("| id ")


def test_format_writes_any_file_name(data, run, tmp_path):
    target = tmp_path / "list.txt"
    assert run("signals", "list", "--format", "csv", "-o", target).exit_code == 0
    assert target.read_bytes().startswith(b"id,source,ref,")
    target = tmp_path / "excel.txt"
    assert run("signals", "list", "--excel", "-o", target).exit_code == 0  # --excel is --format csv
    assert target.read_bytes().startswith(b"\xef\xbb\xbfid;source;ref;")


def test_show_takes_format_and_output(data, run, tmp_path):
    result = run("signals", "show", "M-1", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["ref"] == "M-1"
    target = tmp_path / "signal.json"
    assert run("signals", "show", "M-1", "-o", target).exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["ref"] == "M-1"
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    target = tmp_path / "signal.txt"
    assert run("signals", "show", "M-1", "--format", "table", "-o", target).exit_code == 0
    assert "ref:                M-1\n" in target.read_text(encoding="utf-8")
    case = run("cases", "show", "M-1", "--format", "json")
    assert case.exit_code == 0 and json.loads(case.stdout)["signals"][0]["ref"] == "M-1"


def test_report_takes_format(data, run, tmp_path):
    html = run("report", "quarterly", "2026Q4", "--format", "html")
    assert html.exit_code == 0 and html.stdout.startswith("<!DOCTYPE html>")
    markdown = run("report", "quarterly", "2026Q4", "--format", "markdown")
    assert markdown.stdout.startswith("# Voortgangsrapportage mensenhandel 2026Q4")
    target = tmp_path / "rapport.txt"
    assert run("report", "quarterly", "2026Q4", "--format", "markdown", "-o", target).exit_code == 0
    assert target.read_text(encoding="utf-8") == markdown.stdout.replace("\r\n", "\n")
    target = tmp_path / "rapport.docx"
    assert run("report", "quarterly", "2026Q4", "--format", "docx", "-o", target).exit_code == 0
    assert target.read_bytes()[:2] == b"PK"


def test_a_contradiction_stops_the_command_before_it_acts(run, query, tmp_path):
    """`ads handover` records what it hands over: with options that do not fit,
    nothing is recorded (the check runs before the command)."""
    from pathlib import Path

    examples = Path(__file__).resolve().parent.parent / "examples" / "ads"
    assert run("ads", "import", *sorted(examples.glob("ads_*_2026-W48.*"))).exit_code == 0
    assert run("ads", "score").exit_code == 0
    result = run("ads", "handover", "--gemeente", "Hilversum", "--excel", "-o", tmp_path / "h.xlsx")
    assert result.exit_code == 2
    assert query("SELECT count(*) FROM ad_handovers")[0][0] == 0
    assert run("ads", "handover", "--gemeente", "Hilversum", "-o", tmp_path / "h.xlsx").exit_code == 0
    assert query("SELECT count(*) FROM ad_handovers")[0][0] > 0

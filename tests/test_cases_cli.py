"""`mhtool cases list / due / show / set / close / forward` on a real
temporary database: every command, its filters and its errors."""

from __future__ import annotations

import datetime as dt
import json

import pytest

ROWS = [
    ["M-1", "01-07-2026", "Seksuele uitbuiting", "Hilversum", "Massagesalon tot laat open", "06-11112222"],
    ["M-2", "03-07-2026", "Arbeidsuitbuiting", "Laren", "Arbeiders slapen in een loods", "06-33334444"],
    ["M-3", "05-08-2026", "Seksuele uitbuiting", "Huizen", "Jonge vrouw haalt geld op", "06-55556666"],
]


@pytest.fixture
def cases(import_mma, run):
    assert import_mma(ROWS).exit_code == 0
    return run


def as_json(result):
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def day(offset: int) -> str:
    return (dt.date.today() + dt.timedelta(days=offset)).strftime("%d-%m-%Y")


def test_every_situation_is_a_case_that_starts_nieuw(cases, run):
    rows = as_json(run("cases", "list", "--format", "json"))
    assert [(r["situation"], r["status"], r["type"]) for r in rows] == [
        (1, "nieuw", "seksuele uitbuiting"),
        (2, "nieuw", "arbeidsuitbuiting"),
        (3, "nieuw", "seksuele uitbuiting"),
    ]


def test_forward_set_close_are_events_and_nothing_is_overwritten(cases, run, query):
    result = run(
        "cases",
        "forward",
        "M-1",
        "--to",
        "gemeente",
        "--gemeente",
        "Bussum",
        "--date",
        "1-12-2026",
        "--note",
        "besproken in overleg",
        "--follow-up",
        "14-12-2026",
    )
    assert result.exit_code == 0, result.stderr
    assert "situation 1: nieuw -> doorgezet" in result.stderr
    assert run("cases", "set", "1", "--status", "In Behandeling", "--owner", "J. de Vries").exit_code == 0
    assert run("cases", "close", "1", "--reason", "overgedragen", "--note", "politie neemt het over").exit_code == 0
    shown = as_json(run("cases", "show", "mma:M-1", "--format", "json"))
    assert shown["status"] == "afgesloten" and shown["reason"] == "overgedragen aan politie"
    assert shown["owner"] == "J. de Vries" and shown["forwarded_to"] == "gemeente"
    assert shown["taken_up_on"] == "2026-12-01"
    assert [(e["kind"], e["status"], e["destination"], e["gemeente"]) for e in shown["events"]] == [
        ("doorgezet", "doorgezet", "gemeente", "Gooise Meren"),  # Bussum is in Gooise Meren
        ("status", "in behandeling", None, None),
        ("afgesloten", "afgesloten", None, None),
    ]
    assert [s["ref"] for s in shown["signals"]] == ["M-1"]
    assert query("SELECT count(*) FROM case_events")[0][0] == 3
    table = run("cases", "show", "1").stdout
    assert "naar gemeente (Gooise Meren)" in table and "politie neemt het over" in table


def test_list_filters(cases, run):
    run("cases", "forward", "1", "--to", "politie", "--follow-up", day(-3))
    run("cases", "set", "2", "--status", "in behandeling", "--owner", "anja")
    run("cases", "close", "3", "--reason", "geen mensenhandel")

    def situations(*args):
        return [r["situation"] for r in as_json(run("cases", "list", *args, "--format", "json"))]

    assert situations("--status", "doorgezet") == [1]
    assert situations("--status", "doorgezet", "--status", "afgesloten") == [1, 3]
    assert situations("--owner", "ANJA") == [2]
    assert situations("--gemeente", "Laren") == [2]
    assert situations("--type", "labour") == [2]
    assert situations("--from", "1-8-2026") == [3]
    assert situations("--to", "2-7-2026") == [1]
    assert situations("--due") == [1]
    rows = [r.split(",") for r in run("cases", "list", "--status", "afgesloten", "--format", "csv").stdout.splitlines()]
    assert rows[0][:6] == ["situation", "reported_on", "gemeente", "type", "signals", "status"]
    assert rows[1][-2] == "geen mensenhandel"


def test_due_is_this_week_or_overdue_oldest_first(cases, run):
    today = dt.date.today()
    sunday = 6 - today.weekday()
    run("cases", "set", "1", "--follow-up", day(-10))
    run("cases", "set", "2", "--follow-up", day(sunday))  # later this week
    run("cases", "set", "3", "--follow-up", day(sunday + 1))  # next week: not yet
    rows = as_json(run("cases", "due", "--format", "json"))
    assert [(r["situation"], r["days_overdue"]) for r in rows] == [(1, 10), (2, -sunday)]
    run("cases", "close", "1", "--reason", "zorg geregeld")  # closed: nothing to chase
    assert [r["situation"] for r in as_json(run("cases", "due", "--format", "json"))] == [2]


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["cases", "close", "1", "--reason", "vergeten"],
            "--reason: not a known closing reason; choose from: zorg geregeld",
        ),
        (["cases", "forward", "1", "--to", "buren"], "--to: not a known destination"),
        (["cases", "forward", "1", "--to", "gemeente"], "--to gemeente needs --gemeente NAME"),
        (
            ["cases", "forward", "1", "--to", "politie", "--gemeente", "Laren"],
            "--gemeente goes with --to gemeente only",
        ),
        (["cases", "set", "1", "--status", "afgesloten"], "use mhtool cases close"),
        (["cases", "set", "1", "--status", "klaar"], "--status: choose from: nieuw, in behandeling"),
        (["cases", "set", "1"], "give at least one of"),
        (["cases", "set", "99", "--note", "geheim 06-12345678"], "no situation or signal"),
        (["cases", "forward", "1", "--to", "politie", "--date", "1-1-2099"], "--date lies in the future"),
        (["cases", "list", "--status", "open"], "--status: choose from"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(cases, run, query, args, message):
    result = run(*args)
    assert result.exit_code != 0
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "06-12345678" not in result.stderr
    assert query("SELECT count(*) FROM case_events")[0][0] == 0


def test_the_quarterly_report_has_the_follow_up_section(cases, run):
    """A case taken up shows in the report's follow-up section, in every format."""
    assert "Casussen opgepakt" not in run("report", "quarterly", "2026Q3").stdout  # no case taken up yet
    assert run("cases", "forward", "1", "--to", "politie", "--date", "2-7-2026").exit_code == 0
    report = run("report", "quarterly", "2026Q3")
    assert report.exit_code == 0, report.stderr
    assert "## Casussen opgepakt" in report.stdout
    assert "Casussen opgepakt: 1 Hilversum (totaal 1)." in report.stdout

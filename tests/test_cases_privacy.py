"""Case notes are personal data: purge takes the events of purged signals
along, the audit records each change without its content, and no export
carries a note."""

from __future__ import annotations

import json

NOTE = "Anna de Vries belde vanaf 06-98765432"


def test_purge_removes_the_events_of_purged_signals_and_keeps_the_rest(import_mma, run, query, db_path):
    rows = [
        ["M-1", "05-01-2020", "", "Hilversum", "Massagesalon tot laat open", "06-11112222"],
        ["M-2", "03-07-2026", "", "Hilversum", "Weer die massagesalon", "06-33334444"],
        ["M-3", "06-01-2020", "", "Laren", "Arbeiders slapen in een loods", "06-55556666"],
    ]
    assert import_mma(rows).exit_code == 0
    assert run("signals", "link", "M-1", "M-2").exit_code == 0
    assert run("cases", "forward", "M-2", "--to", "politie", "--note", "nog lopend").exit_code == 0
    assert run("cases", "close", "M-3", "--reason", "geen mensenhandel", "--note", NOTE).exit_code == 0
    assert run("db", "purge", "--before", "1-1-2021", "--yes").exit_code == 0
    # the situation that stays keeps its history; the one purged as a whole loses it
    shown = json.loads(run("cases", "show", "M-2", "--format", "json").stdout)
    assert [e["note"] for e in shown["events"]] == ["nog lopend"] and shown["status"] == "doorgezet"
    assert query("SELECT count(*) FROM case_events") == [(1,)]
    assert NOTE.encode() not in db_path.read_bytes()


def test_notes_stay_out_of_the_audit_and_the_exports(import_mma, run, query, monkeypatch):
    monkeypatch.setenv("MHTOOL_KEY", "k" * 32)
    assert import_mma([["M-1", "05-07-2026", "", "Hilversum", "Massagesalon", "06-11112222"]]).exit_code == 0
    assert run("cases", "forward", "M-1", "--to", "politie", "--note", NOTE).exit_code == 0
    assert run("cases", "set", "M-1", "--owner", "Anna de Vries", "--note", NOTE).exit_code == 0
    audit = query("SELECT command, counts FROM audit WHERE command LIKE 'cases%' ORDER BY id")
    assert audit == [("cases forward", '{"case_events": 1}'), ("cases set", '{"case_events": 1}')]
    assert all(NOTE not in str(row) and "Anna" not in str(row) for row in query("SELECT * FROM audit"))
    for args in (
        ["export", "signals", "--format", "json"],
        ["export", "signals", "--pseudonymize", "--with-text", "--format", "json"],
    ):
        result = run(*args)
        assert result.exit_code == 0, result.stderr
        assert "belde vanaf" not in result.stdout

"""`mhtool ads handover` and `ads feedback` on the example ad exports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "ads"


@pytest.fixture
def scored(run):
    weeks = sorted(EXAMPLES.glob("ads_*_2026-W4[678].*"))
    assert run("ads", "import", *weeks).exit_code == 0
    result = run("ads", "score", "--week", "2026-W48", "--risky-only", "--format", "json")
    assert result.exit_code == 0, result.stderr
    risky = json.loads(result.stdout)
    assert risky
    return risky


def test_handover_writes_the_list_records_it_and_leaves_out_what_is_unchanged(scored, run, files, query, read_csv):
    gemeente = scored[0]["gemeente"]
    expected = sorted(f"{r['site']}:{r['ad_id']}" for r in scored if r["gemeente"] == gemeente)
    out = files.path("week48.csv")
    result = run("ads", "handover", "--gemeente", gemeente, "--week", "2026-W48", "--excel", "-o", out)
    assert result.exit_code == 0, result.stderr
    rows = read_csv(out.read_text("utf-8"), ";")
    assert sorted(r["advertentie"] for r in rows) == expected
    assert {r["status"] for r in rows} == {"nieuw"} and all(r["redenen"] for r in rows)
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert query("SELECT count(*), min(gemeente), min(week) FROM ad_handovers") == [
        (len(expected), gemeente, "2026-W48")
    ]
    # the same week again: nothing new or changed, so nothing to hand over; --all lists them as unchanged
    again = run("ads", "handover", "--gemeente", gemeente, "-o", files.path("again.csv"))
    assert f"0 ad(s) handed over, {len(expected)} unchanged" in again.stderr
    everything = run("ads", "handover", "--gemeente", gemeente, "--all", "--dry-run", "--format", "json")
    assert {r["status"] for r in json.loads(everything.stdout)} == {"ongewijzigd"}
    assert query("SELECT count(*) FROM ad_handovers") == [(len(expected),)]


def test_feedback_is_recorded_and_can_become_a_review_label(scored, run, query):
    key = f"{scored[0]['site']}:{scored[0]['ad_id']}"
    run("ads", "handover", "--gemeente", scored[0]["gemeente"], "--format", "csv", "-o", "-")
    result = run("ads", "feedback", key, "--outcome", "doorgezet", "--note", "samen met politie", "--review", "risky")
    assert result.exit_code == 0, result.stderr
    assert query("SELECT outcome, note, gemeente FROM ad_feedback") == [
        ("doorgezet naar politie", "samen met politie", scored[0]["gemeente"])
    ]
    assert query("SELECT label, note FROM ad_reviews") == [("risky", "terugkoppeling gemeente: doorgezet naar politie")]
    listed = json.loads(run("ads", "feedback", key, "--list", "--format", "json").stdout)
    assert [r["wat"] for r in listed] == ["overgedragen", "terugkoppeling"]
    shown = run("ads", "show", key)  # the feedback is part of the ad's story
    assert shown.exit_code == 0, shown.stderr
    feedback = shown.stdout.split("feedback:\n", 1)[1].split("signals with", 1)[0]
    assert "doorgezet naar politie  samen met politie" in feedback
    assert scored[0]["gemeente"] in shown.stdout.split("handed over:\n", 1)[1].split("feedback:", 1)[0]
    details = json.loads(run("ads", "show", key, "--format", "json").stdout)
    assert [f["outcome"] for f in details["feedback"]] == ["doorgezet naar politie"]
    bad = run("ads", "feedback", key, "--outcome", "weet niet")
    assert bad.exit_code == 2 and "--outcome: not a known outcome" in bad.stderr
    missing = run("ads", "feedback", "nergens.example:1", "--outcome", "gecontroleerd")
    assert missing.exit_code == 1 and "no ad with that SITE:AD_ID" in missing.stderr


def test_the_report_table_counts_handovers_and_outcomes(scored, run, db_path):
    import datetime as dt

    from mhtool.cases.figures import follow_up_tables
    from mhtool.periods import quarter
    from mhtool.store.db import open_db

    gemeente = scored[0]["gemeente"]
    handed = sum(1 for r in scored if r["gemeente"] == gemeente)
    run("ads", "handover", "--gemeente", gemeente, "--format", "csv", "-o", "-")
    key = f"{scored[0]['site']}:{scored[0]['ad_id']}"
    run("ads", "feedback", key, "--outcome", "niet gevonden")
    run("ads", "feedback", key, "--outcome", "gecontroleerd")  # the latest outcome counts
    db = open_db(db_path)
    table = follow_up_tables(db, quarter(dt.date.today()))[-1]
    db.conn.close()
    row = next(r for r in table.rows if r["gemeente"] == gemeente)
    assert (row["overgedragen"], row["gecontroleerd"], row["niet gevonden"]) == (handed, 1, 0)
    assert table.rows[-1]["gemeente"] == "totaal" and table.rows[-1]["overgedragen"] == handed
    assert table.columns[:2] == ["gemeente", "overgedragen"]

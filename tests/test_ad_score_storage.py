"""Stored ad scores (store/adscores.py, schema m015): a run is stored once,
an equal verdict once however many ads and weeks share it, and a database
from before m015 keeps every score it had."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from mhtool.store.adscores import verdict_digest

ROOT = Path(__file__).resolve().parent.parent
ADS = ROOT / "examples" / "ads"
WEEKS = ("2026-W46", "2026-W47", "2026-W48")
FULL = (
    "SELECT a.site, a.ad_id, s.observation, s.period, s.scored_at, s.rules_version, s.score, s.risky, "
    "s.indicators, s.reasons FROM ad_score_list s JOIN ads a ON a.id = s.ad ORDER BY s.run, a.site, a.ad_id"
)


def _import_demo_weeks(run) -> None:
    for week in WEEKS:
        for name in (f"ads_kinky_{week}.csv", f"ads_sexjobs_{week}.xlsx"):
            assert run("ads", "import", ADS / name).exit_code == 0


def _score(run, *args) -> None:
    result = run("ads", "score", *args, "--format", "csv", "-o", "-")
    assert result.exit_code == 0, result.stderr


def test_a_verdict_shared_by_ads_and_weeks_is_stored_once(run, query, count):
    _import_demo_weeks(run)
    for week in WEEKS:
        _score(run, "--week", week)
    scores = count("ad_scores")
    distinct = query("SELECT count(*) FROM (SELECT DISTINCT score, risky, indicators, reasons FROM ad_score_list)")
    assert count("ad_verdicts") == distinct[0][0] < scores
    assert count("ad_score_runs") == 3
    for week in WEEKS:  # one score per ad seen in the week
        seen = run("ads", "score", "--week", week, "--no-store", "--format", "csv")
        assert query("SELECT count(*) FROM ad_score_list WHERE period = ?", (week,))[0][0] == (
            len(seen.stdout.splitlines()) - 1
        )
    # the same week scored again: a new run, no new verdict
    verdicts = count("ad_verdicts")
    _score(run, "--week", "2026-W48")
    assert count("ad_verdicts") == verdicts
    assert count("ad_score_runs") == 4
    assert count("ad_scores") > scores
    # every stored digest is the digest of what is stored
    for digest, *verdict in query("SELECT digest, score, risky, indicators, reasons FROM ad_verdicts"):
        assert digest == verdict_digest(*verdict)


def test_the_latest_score_per_ad_is_what_lists_show(run, query):
    _import_demo_weeks(run)
    _score(run, "--week", "2026-W46")
    _score(run, "--all")
    result = run("ads", "list", "--format", "json")
    assert result.exit_code == 0, result.stderr
    listed = {(r["site"], r["ad_id"]): (r["score"], r["risky"]) for r in json.loads(result.stdout)}
    latest = {
        (site, ad_id): (score, risky)
        for site, ad_id, score, risky in query(
            "SELECT a.site, a.ad_id, s.score, s.risky FROM ad_score_list s JOIN ads a ON a.id = s.ad "
            "WHERE s.period = 'all'"
        )
    }
    assert listed and {k: (float(v[0]), v[1]) for k, v in listed.items()} == latest


def _as_before_m015(path: Path) -> None:
    """Put the stored scores back in the one wide table of before m015."""
    conn = sqlite3.connect(str(path))
    conn.executescript(
        """
        CREATE TABLE old_scores (
            id INTEGER PRIMARY KEY, ad INTEGER NOT NULL REFERENCES ads(id) ON DELETE CASCADE,
            observation INTEGER REFERENCES ad_observations(id) ON DELETE SET NULL,
            period TEXT NOT NULL, scored_at TEXT NOT NULL, rules_version TEXT NOT NULL,
            score REAL NOT NULL, risky INTEGER NOT NULL, indicators TEXT NOT NULL, reasons TEXT NOT NULL);
        INSERT INTO old_scores (ad, observation, period, scored_at, rules_version, score, risky, indicators, reasons)
            SELECT ad, observation, period, scored_at, rules_version, score, risky, indicators, reasons
            FROM ad_score_list ORDER BY run, ad;
        DROP VIEW ad_score_list;
        DROP TABLE ad_scores;
        DROP TABLE ad_verdicts;
        DROP TABLE ad_score_runs;
        ALTER TABLE old_scores RENAME TO ad_scores;
        CREATE INDEX ad_scores_ad ON ad_scores(ad);
        DELETE FROM _sqlite_migrations WHERE name = 'm015_compact_ad_scores';
        """
    )
    conn.commit()
    conn.close()


def test_a_database_from_before_m015_keeps_every_score(run, query, db_path):
    _import_demo_weeks(run)
    for week in WEEKS:
        _score(run, "--week", week)
    _score(run, "--all")
    before = query(FULL)
    _as_before_m015(db_path)
    assert query("SELECT count(*) FROM ad_scores")[0][0] == len(before)
    assert run("db", "check").exit_code == 0  # opens the database: migrates it
    assert query(FULL) == before
    distinct = query("SELECT count(*) FROM (SELECT DISTINCT score, risky, indicators, reasons FROM ad_score_list)")
    assert query("SELECT count(*) FROM ad_verdicts") == distinct
    # and scoring goes on as before, sharing the migrated verdicts
    verdicts = query("SELECT count(*) FROM ad_verdicts")
    _score(run, "--week", "2026-W48")
    assert query("SELECT count(*) FROM ad_verdicts") == verdicts

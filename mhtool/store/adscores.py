"""Stored ad scores, compactly (schema m015).

A scoring run is one row (`ad_score_runs`: period, time, rules version); a
verdict (score, risky, indicators, reasons) is stored once however many
ads and weeks share it (`ad_verdicts`); a score is four integers
(`ad_scores`: run, ad, observation, verdict). Most ads score the same as
the week before, and most ads fire nothing at all, so a week of 30,000
scores adds about 1 MB instead of about 5 MB. `ad_score_list` is the view
with the columns of one full score, for reading.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable

# (score, risky, indicators joined with ';', reasons as a JSON list)
Verdict = tuple[float, int, str, str]
# (ad, observation, verdict)
ScoreRow = tuple[int, int | None, Verdict]

_BATCH = 500  # digests looked up in one query (SQLite's limit on parameters is far above it)


def verdict_digest(score: float, risky: int, indicators: str, reasons: str) -> int:
    """A 64-bit digest of a verdict, to find an equal one through an index.
    Also registered as an SQL function by the migration, so both agree."""
    text = f"{float(score)!r}\x1f{int(risky)}\x1f{indicators}\x1f{reasons}"
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


def _normal(verdict: Verdict) -> Verdict:
    score, risky, indicators, reasons = verdict
    return float(score), int(risky), indicators, reasons


def verdict_ids(conn: sqlite3.Connection, verdicts: Iterable[Verdict]) -> dict[Verdict, int]:
    """The id of each verdict, stored now if no equal one is stored yet."""
    wanted = {_normal(v) for v in verdicts}
    by_digest: dict[int, list[Verdict]] = {}
    for v in wanted:
        by_digest.setdefault(verdict_digest(*v), []).append(v)
    ids: dict[Verdict, int] = {}
    digests = list(by_digest)
    for start in range(0, len(digests), _BATCH):
        batch = digests[start : start + _BATCH]
        marks = ", ".join("?" for _ in batch)
        for verdict_id, *stored in conn.execute(
            f"SELECT id, score, risky, indicators, reasons FROM ad_verdicts WHERE digest IN ({marks})", batch
        ):
            ids.setdefault(_normal(tuple(stored)), verdict_id)
    for v in sorted(wanted - ids.keys()):
        ids[v] = conn.execute(
            "INSERT INTO ad_verdicts (digest, score, risky, indicators, reasons) VALUES (?, ?, ?, ?, ?)",
            (verdict_digest(*v), *v),
        ).lastrowid  # type: ignore[assignment]
    return ids


def store_run(conn: sqlite3.Connection, period: str, scored_at: str, rules_version: str, rows: list[ScoreRow]) -> int:
    """Store one run's scores (one per ad); returns the run's id. The caller holds the transaction."""
    run = conn.execute(
        "INSERT INTO ad_score_runs (period, scored_at, rules_version) VALUES (?, ?, ?)",
        (period, scored_at, rules_version),
    ).lastrowid
    ids = verdict_ids(conn, (verdict for _, _, verdict in rows))
    conn.executemany(
        "INSERT INTO ad_scores (run, ad, observation, verdict) VALUES (?, ?, ?, ?)",
        sorted((run, ad, observation, ids[_normal(verdict)]) for ad, observation, verdict in rows),
    )
    return run  # type: ignore[return-value]


def forget_unused(conn: sqlite3.Connection) -> None:
    """Verdicts and runs no score refers to any more (after a purge): a
    verdict's reasons can name signals, so it must not outlive its scores."""
    conn.execute("DELETE FROM ad_verdicts WHERE id NOT IN (SELECT verdict FROM ad_scores)")
    conn.execute("DELETE FROM ad_score_runs WHERE id NOT IN (SELECT run FROM ad_scores)")


def replace_reasons(conn: sqlite3.Connection, changed: Iterable[tuple[int, str]]) -> None:
    """New reasons for stored verdicts (verdict id, reasons as JSON); the digest follows."""
    for verdict_id, reasons in changed:
        score, risky, indicators = conn.execute(
            "SELECT score, risky, indicators FROM ad_verdicts WHERE id = ?", (verdict_id,)
        ).fetchone()
        conn.execute(
            "UPDATE ad_verdicts SET reasons = ?, digest = ? WHERE id = ?",
            (reasons, verdict_digest(score, risky, indicators, reasons), verdict_id),
        )

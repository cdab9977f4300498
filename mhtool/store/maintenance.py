"""Database housekeeping: what is in it, is it sound, a consistent copy."""

from __future__ import annotations

import glob
import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from mhtool.errors import MhtoolError, UsageError
from mhtool.pausepoints import pause_point
from mhtool.store.adscores import forget_unused
from mhtool.store.db import database_path
from mhtool.store.schema import latest_schema_version, schema_version


def info(db, path: Path) -> dict:
    tables = [
        {"table": name, "rows": db.conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]}
        for name in db.table_names()
        if not name.startswith(("_", "sqlite_"))
    ]
    return {
        "path": str(path.resolve()),
        "size_bytes": path.stat().st_size if path.exists() else 0,
        "mode": oct(path.stat().st_mode & 0o777) if path.exists() else None,
        "schema_version": schema_version(db),
        "latest_schema_version": latest_schema_version(),
        "tables": tables,
    }


def check(db) -> list[str]:
    """Problems found by SQLite's integrity and foreign-key checks (empty = sound)."""
    try:
        problems = [row[0] for row in db.conn.execute("PRAGMA integrity_check")]
        if problems == ["ok"]:
            problems = []
        for table, rowid, parent, _ in db.conn.execute("PRAGMA foreign_key_check"):
            problems.append(f"{table} row {rowid}: refers to a missing {parent} row")
    except sqlite3.DatabaseError as exc:
        problems = [f"database cannot be read: {exc}"]
    return problems


def backup(db, dest: str, force: bool = False) -> Path:
    """Copy with SQLite's online backup: consistent even while another process
    writes. The copy is made under a temporary name next to DEST and renamed
    when complete, so a full disk leaves no partial backup."""
    from mhtool.io.outfile import SQLITE_FILES, replacing

    target = Path(dest)
    if target.exists() and not force:
        raise MhtoolError(f"{dest}: already exists (use --force to overwrite)")
    with replacing(dest, side_files=SQLITE_FILES) as temp:
        destination = sqlite3.connect(str(temp))
        try:
            db.conn.backup(destination)
        finally:
            destination.close()
    return target


def _read_only_uri(path: Path) -> str:
    # as_uri() percent-quotes '#', '?' and '%', which would otherwise cut or alter the path.
    return path.resolve().as_uri() + "?mode=ro"


def _is_mhtool_database(path: Path) -> list[str]:
    """Problems that make `path` unfit to restore from (empty = fit)."""
    if not path.exists():
        return [f"{path}: file not found"]
    try:
        conn = sqlite3.connect(_read_only_uri(path), uri=True)
    except sqlite3.Error as exc:
        return [f"{path}: cannot open ({exc})"]
    try:
        result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            return [f"{path}: integrity check failed: {result[0]}"]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"_sqlite_migrations", "signals"} <= tables:
            return [f"{path}: not an mhtool database"]
    except sqlite3.DatabaseError as exc:
        return [f"{path}: not a SQLite database ({exc})"]
    finally:
        conn.close()
    return []


KEPT_INFIX = ".before-restore-"
PARTIAL = ".partial"


def restore(db, current: Path, source: str) -> Path:
    """Replace the database's content with a checked copy of `source`; keep
    the old content next to it. Returns where the old database was kept.

    The file itself is never swapped: the content is replaced inside one
    write transaction on the database, so a command waiting to write queues
    behind the restore and then writes into the restored database, and a
    crash halfway leaves the database as it was."""
    from mhtool.store.db import transaction

    source_path = Path(source)
    if _same_file(source_path, current):
        raise UsageError(f"{source}: is the database itself; give a backup file")
    problems = _is_mhtool_database(source_path)
    if problems:
        raise MhtoolError(problems[0])
    conn = db.conn
    conn.execute("PRAGMA foreign_keys = OFF")  # restored as a whole; checked before the commit
    conn.execute("ATTACH DATABASE ? AS restore_source", (_read_only_uri(source_path),))
    partial = None
    try:
        with transaction(db):
            pause_point("restore-locked")
            partial = _keep_copy(current)
            _replace_content(conn)
            problems = conn.execute("PRAGMA main.foreign_key_check").fetchall()
            if problems:
                raise MhtoolError(f"{source}: rows refer to missing rows ({problems[0][0]}); nothing restored")
            pause_point("restore-before-commit")
        kept = Path(str(partial)[: -len(PARTIAL)])
        os.replace(partial, kept)
    except BaseException:
        if partial is not None and partial.exists():
            partial.unlink()
        raise
    finally:
        conn.execute("DETACH DATABASE restore_source")
        conn.execute("PRAGMA foreign_keys = ON")
    return kept


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _keep_copy(current: Path) -> Path:
    """A consistent copy of the database as last committed (this command
    holds the write lock, so nothing can change it meanwhile), written to a
    `.partial` name that is renamed once the restore has committed."""
    import datetime

    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    for attempt in range(1, 1000):
        suffix = "" if attempt == 1 else f"-{attempt}"
        partial = current.with_name(f"{current.name}{KEPT_INFIX}{stamp}{suffix}{PARTIAL}")
        if partial.exists() or Path(str(partial)[: -len(PARTIAL)]).exists():
            continue
        try:
            fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            continue
        os.close(fd)
        break
    else:
        raise MhtoolError(f"{current}: too many restores kept next to it; move some away")
    reader = sqlite3.connect(f"{current.resolve().as_uri()}?mode=ro", uri=True)
    keep = sqlite3.connect(str(partial))
    try:
        reader.backup(keep)
    finally:
        keep.close()
        reader.close()
    return partial


# The audit trail stays: who changed what, when, is not undone by a restore.
KEPT_TABLES = ("audit",)


def _replace_content(conn) -> None:
    """Inside the caller's transaction: drop every table of `main`, then
    create and fill them from `restore_source` (tables, rows, then indexes,
    triggers and views, as the backup defines them)."""
    source_tables = {
        name for (name,) in conn.execute("SELECT name FROM restore_source.sqlite_master WHERE type = 'table'")
    }
    kept = {name for name in KEPT_TABLES if name in source_tables}
    for name, kind in conn.execute(
        "SELECT name, type FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND name NOT LIKE 'sqlite_%'"
    ).fetchall():
        conn.execute(f'DROP {kind.upper()} main."{name}"')
    for (name,) in conn.execute(
        "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall():
        if name not in kept:
            conn.execute(f'DROP TABLE main."{name}"')
    objects = conn.execute(
        "SELECT type, name, sql FROM restore_source.sqlite_master "
        "WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND tbl_name NOT IN (SELECT value FROM json_each(?)) "
        "ORDER BY rowid",
        (json.dumps(sorted(kept)),),
    ).fetchall()
    for kind, name, sql in objects:
        if kind == "table":
            conn.execute(sql)
            conn.execute(f'INSERT INTO main."{name}" SELECT * FROM restore_source."{name}"')
    if conn.execute("SELECT 1 FROM restore_source.sqlite_master WHERE name = 'sqlite_sequence'").fetchone():
        conn.execute("DELETE FROM main.sqlite_sequence")
        conn.execute("INSERT INTO main.sqlite_sequence SELECT * FROM restore_source.sqlite_sequence")
    for kind, _, sql in objects:
        if kind != "table":
            conn.execute(sql)


def leftovers(current: Path) -> list[tuple[Path, str]]:
    """Files an interrupted restore left next to the database: copies of it
    (personal data) that nobody was told about."""
    found = []
    try:
        siblings = list(current.parent.glob(f"{glob.escape(current.name)}*"))
    except OSError:
        return []
    for path in sorted(siblings):
        name = path.name[len(current.name) :]
        if name.startswith(KEPT_INFIX) and name.endswith(PARTIAL):
            found.append((path, "was left by an interrupted restore and holds a copy of the database (personal data)"))
        elif name == ".restoring":
            found.append(
                (
                    path,
                    "was left by an interrupted restore of an older mhtool and holds a copy of "
                    "a database (personal data)",
                )
            )
    return found


# Long: every table the date reaches, in one transaction and in this order (history kept, rows deleted, keys and uses, regrouping, mentions).
def purge(
    db, before: str, dry_run: bool, forget_signals: Callable[[sqlite3.Connection, set[str]], None] | None = None
) -> dict[str, int]:
    """Delete what lies before `before` (ISO date): signals reported before it,
    ad sightings before it (and the versions of ads not seen since), scores
    made before it, and ads left with no observation; and every mention of a deleted signal in what is kept
    (ad score reasons, through `forget_signals(conn, purged refs)`, which
    the ads area supplies: the store knows no area). Then reclaim the space so the data is gone from the
    file (see `truncate_wal` for the write-ahead log)."""
    from mhtool.store.db import transaction
    from mhtool.store.situations import refresh_situations

    conn = db.conn
    queries = {
        "signals": (
            "SELECT count(*) FROM signals WHERE substr(reported_on, 1, 10) < ?",
            "DELETE FROM signals WHERE substr(reported_on, 1, 10) < ?",
        ),
        # Sightings before the date; then the versions of ads left with no sighting.
        "ad_sightings": (
            "SELECT count(*) FROM ad_sightings WHERE seen_on < ?",
            "DELETE FROM ad_sightings WHERE seen_on < ?",
        ),
        "ad_observations": (
            "SELECT count(*) FROM ad_observations o WHERE NOT EXISTS "
            "(SELECT 1 FROM ad_sightings s WHERE s.observation = o.id AND s.seen_on >= ?)",
            "DELETE FROM ad_observations WHERE seen_on < ? AND NOT EXISTS "
            "(SELECT 1 FROM ad_sightings s WHERE s.observation = ad_observations.id)",
        ),
        "ad_scores": (
            "SELECT count(*) FROM ad_scores WHERE run IN "
            "(SELECT id FROM ad_score_runs WHERE substr(scored_at, 1, 10) < ?)",
            "DELETE FROM ad_scores WHERE run IN (SELECT id FROM ad_score_runs WHERE substr(scored_at, 1, 10) < ?)",
        ),
    }
    counts = {table: conn.execute(count_sql, (before,)).fetchone()[0] for table, (count_sql, _) in queries.items()}
    counts["ads"] = conn.execute(
        "SELECT count(*) FROM ads a WHERE last_seen < ?",
        (before,),
    ).fetchone()[0]
    if dry_run:
        return counts
    conn.execute("PRAGMA secure_delete = ON")
    with transaction(db):
        purged_signals = {
            f"{source}:{ref}"
            for source, ref in conn.execute(
                "SELECT source, ref FROM signals WHERE substr(reported_on, 1, 10) < ?", (before,)
            )
        }
        from mhtool.store.casehistory import keep_history

        keep_history(conn, before)  # case events move to the signals that stay
        for _, delete_sql in queries.values():
            conn.execute(delete_sql, (before,))
        # The blocking keys of deleted signals (no foreign key: see signals/dedupe/keys.py).
        conn.execute("DELETE FROM signal_keys WHERE signal_id NOT IN (SELECT id FROM signals)")
        for table in ("ad_phone_uses", "ad_photo_uses", "ad_place_uses"):  # ads/aggregates.py
            conn.execute(f"DELETE FROM {table} WHERE last_seen < ?", (before,))
        _forget_ad_sightings(conn, before)
        # Which situations a group of linked signals was split into
        # (signals/dedupe/components.py): those emptied go, the others follow
        # the renaming below.
        conn.execute("DELETE FROM situation_components WHERE situation_id NOT IN (SELECT situation_id FROM signals)")
        conn.execute(
            "UPDATE situation_components SET situation_id = (SELECT min(id) FROM signals s "
            "WHERE s.situation_id = situation_components.situation_id) WHERE situation_id NOT IN (SELECT id FROM signals)"
        )
        # Signals left in a situation whose first signal went keep their situation id
        # only if it still exists; otherwise they regroup under their smallest id.
        conn.execute(
            "UPDATE signals SET situation_id = (SELECT min(id) FROM signals s2 "
            "WHERE s2.situation_id = signals.situation_id) "
            "WHERE situation_id NOT IN (SELECT id FROM signals)"
        )
        refresh_situations(conn)
        forget_unused(conn)  # the verdicts and runs of the scores that went
        if forget_signals is not None and purged_signals:
            forget_signals(conn, purged_signals)
    conn.execute("VACUUM")
    return counts


def _forget_ad_sightings(conn: sqlite3.Connection, before: str) -> None:
    """After the sightings before `before` went: the versions that kept one
    say from when (not the day purged), ads with none left go, and the rest
    start at their first sighting kept."""
    conn.execute(
        "UPDATE ad_observations SET seen_on = (SELECT min(seen_on) FROM ad_sightings s "
        "WHERE s.observation = ad_observations.id) WHERE seen_on < ?",
        (before,),
    )
    conn.execute("DELETE FROM ads WHERE NOT EXISTS (SELECT 1 FROM ad_observations o WHERE o.ad = ads.id)")
    conn.execute(
        "UPDATE ads SET first_seen = (SELECT min(seen_on) FROM ad_observations WHERE ad = ads.id), "
        "latest_observation_id = (SELECT s.observation FROM ad_sightings s "
        "JOIN ad_observations o ON o.id = s.observation WHERE o.ad = ads.id "
        "ORDER BY s.seen_on DESC, s.observation DESC LIMIT 1) WHERE first_seen < ?",
        (before,),
    )


class WalBusy(MhtoolError):
    pass


def truncate_wal(db, wait_seconds: float, on_wait=None) -> None:
    """Empty the write-ahead log (`PRAGMA wal_checkpoint(TRUNCATE)`): after a
    purge it still holds the deleted rows. That is only possible while no
    other command has the database open for reading; wait for that up to
    `wait_seconds` (calling `on_wait(seconds waited)` now and then), then
    give up with WalBusy."""
    import time

    from mhtool.store.db import BUSY_TIMEOUT_MS

    conn = db.conn
    if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        return
    started = time.monotonic()
    conn.execute("PRAGMA busy_timeout = 250")
    try:
        while True:
            busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            waited = time.monotonic() - started
            if not busy:
                return
            if waited >= wait_seconds:
                raise WalBusy(
                    f"the deleted data is still in {database_path(db)}-wal: another mhtool command has the "
                    "database open; when it has finished, run the same purge again (it finishes the clean-up)"
                )
            if on_wait is not None:
                on_wait(waited)
            time.sleep(0.25)
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

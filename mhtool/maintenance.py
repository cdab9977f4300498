"""Database housekeeping: what is in it, is it sound, a consistent copy."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from .db import latest_schema_version, schema_version
from .errors import MhtoolError


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
    """Copy with SQLite's online backup: consistent even while another process writes."""
    target = Path(dest)
    if target.exists() and not force:
        raise MhtoolError(f"{dest}: already exists (use --force to overwrite)")
    if target.is_dir():
        raise MhtoolError(f"{dest}: is a folder; give a file name")
    try:
        if target.exists():
            target.unlink()
        fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        destination = sqlite3.connect(str(target))
    except OSError as exc:
        raise MhtoolError(f"{dest}: cannot write ({exc.strerror or exc})") from None
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


def restore(current: Path, source: str) -> Path:
    """Replace the database with a checked copy of `source`; keep the old file.

    Returns where the old database was kept."""
    import datetime

    problems = _is_mhtool_database(Path(source))
    if problems:
        raise MhtoolError(problems[0])
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = current.with_name(f"{current.name}.before-restore-{stamp}")
    staging = current.with_name(f"{current.name}.restoring")
    fd = os.open(staging, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    os.fchmod(fd, 0o600)
    os.close(fd)
    src = sqlite3.connect(_read_only_uri(Path(source)), uri=True)
    dst = sqlite3.connect(str(staging))
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    if current.exists():
        # A consistent copy of the old database (WAL included), then the swap.
        old = sqlite3.connect(str(current))
        fd = os.open(kept, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        keep = sqlite3.connect(str(kept))
        try:
            old.backup(keep)
        finally:
            keep.close()
            old.close()
        for suffix in ("-wal", "-shm"):
            side = Path(str(current) + suffix)
            if side.exists():
                side.unlink()
    os.replace(staging, current)
    os.chmod(current, 0o600)
    return kept


def purge(db, before: str, dry_run: bool) -> dict[str, int]:
    """Delete what lies before `before` (ISO date): signals reported before it,
    ad observations seen before it, scores made before it, and ads left with
    no observation. Then reclaim the space so the data is gone from the file."""
    from .db import transaction
    from .signals.situations import refresh_situations

    conn = db.conn
    queries = {
        "signals": ("SELECT count(*) FROM signals WHERE substr(reported_on, 1, 10) < ?",
                    "DELETE FROM signals WHERE substr(reported_on, 1, 10) < ?"),
        "ad_observations": ("SELECT count(*) FROM ad_observations WHERE seen_on < ?",
                            "DELETE FROM ad_observations WHERE seen_on < ?"),
        "ad_scores": ("SELECT count(*) FROM ad_scores WHERE substr(scored_at, 1, 10) < ?",
                      "DELETE FROM ad_scores WHERE substr(scored_at, 1, 10) < ?"),
    }
    counts = {table: conn.execute(count_sql, (before,)).fetchone()[0] for table, (count_sql, _) in queries.items()}
    counts["ads"] = conn.execute(
        "SELECT count(*) FROM ads a WHERE NOT EXISTS (SELECT 1 FROM ad_observations o "
        "WHERE o.ad = a.id AND o.seen_on >= ?)",
        (before,),
    ).fetchone()[0]
    if dry_run:
        return counts
    conn.execute("PRAGMA secure_delete = ON")
    with transaction(db):
        for _, delete_sql in queries.values():
            conn.execute(delete_sql, (before,))
        conn.execute("DELETE FROM ads WHERE NOT EXISTS (SELECT 1 FROM ad_observations o WHERE o.ad = ads.id)")
        conn.execute(
            "UPDATE ads SET first_seen = (SELECT min(seen_on) FROM ad_observations WHERE ad = ads.id), "
            "latest_observation_id = (SELECT id FROM ad_observations WHERE ad = ads.id "
            "ORDER BY seen_on DESC, id DESC LIMIT 1)"
        )
        # Signals left in a situation whose first signal went keep their situation id
        # only if it still exists; otherwise they regroup under their smallest id.
        conn.execute(
            "UPDATE signals SET situation_id = (SELECT min(id) FROM signals s2 "
            "WHERE s2.situation_id = signals.situation_id) "
            "WHERE situation_id NOT IN (SELECT id FROM signals)"
        )
        refresh_situations(conn)
    conn.execute("VACUUM")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return counts

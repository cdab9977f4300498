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

"""The one SQLite database: where it lives, how it is opened, its transactions.

Every command goes through :func:`open_db`. The file is created readable by
its owner only, runs in WAL mode with a busy timeout so that a reader and a
writer can work at the same time, and is migrated to the newest schema on
first use.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from mhtool.errors import MhtoolError
from mhtool.pausepoints import pause_point
from mhtool.store.filesystems import network_filesystem
from mhtool.store.schema import migrations
from mhtool.store.sqlitelib import sqlite_utils
from mhtool.store.writelock import busy_message, claim, release

DEFAULT_DB = "mhtool.db"


def _busy_timeout_ms() -> int:
    """Writers queue behind each other (an import may take a while) rather
    than fail: two minutes, or $MHTOOL_BUSY_TIMEOUT seconds."""
    try:
        return max(0, int(float(os.environ.get("MHTOOL_BUSY_TIMEOUT", "120")) * 1000))
    except ValueError:
        return 120_000


BUSY_TIMEOUT_MS = _busy_timeout_ms()


def resolve_path(path: str | os.PathLike | None) -> Path:
    """`--db PATH`, else `$MHTOOL_DB`, else `./mhtool.db`."""
    return Path(path or os.environ.get("MHTOOL_DB") or DEFAULT_DB)


def _create_private(path: Path) -> None:
    """Create an empty file with mode 0600 before SQLite touches it.

    SQLite gives its -wal and -shm files the same mode as the database.
    """
    if path.exists():
        return
    if path.parent and not path.parent.exists():
        raise MhtoolError(f"{path}: folder does not exist")
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return  # another mhtool command created it a moment ago
    except OSError as exc:
        raise MhtoolError(f"{path}: cannot create the database ({describe_os_error(exc)})") from None
    os.close(fd)


def others_can_read(path: Path) -> bool:
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return bool(mode & (stat.S_IRGRP | stat.S_IROTH))


def describe_os_error(exc: OSError) -> str:
    """The cause of a failed file operation in plain words."""
    import errno

    plain = {
        errno.ENOSPC: "no space left on device",
        errno.EDQUOT: "disk quota exceeded",
        errno.EFBIG: "file too large (no space left for it)",
        errno.EROFS: "read-only file system",
        errno.EACCES: "permission denied (read-only?)",
        errno.EPERM: "permission denied",
    }
    return plain.get(exc.errno or 0) or exc.strerror or str(exc)


def is_busy(exc: sqlite3.Error) -> bool:
    message = str(exc)
    return "locked" in message or "busy" in message


def plain_sqlite_error(exc: sqlite3.Error) -> str | None:
    """What a failed SQLite call means when the disk or the file is the
    cause (full, read-only, busy, not a database); None when it is a bug."""
    message = str(exc)
    if "database or disk is full" in message:
        return "no space left on device"
    if "readonly database" in message or "read-only" in message:
        return "the database file or its folder is read-only"
    if "unable to open database file" in message:
        return "cannot open the database file (its folder is missing or not writable?)"
    if "disk I/O error" in message:
        return "disk I/O error (disk full, removed or read-only?)"
    if is_busy(exc):
        return "the database is busy (another mhtool command is writing); try again when it has finished"
    if "file is not a database" in message or "malformed" in message:
        return f"not an mhtool database ({message})"
    return None


def describe_sqlite_error(exc: sqlite3.Error) -> str:
    return plain_sqlite_error(exc) or str(exc)


def _journal_mode(conn: sqlite3.Connection, mode: str) -> None:
    """Switch the journal mode, waiting like any writer would.

    Changing the journal mode needs the database to itself for a moment;
    SQLite refuses at once (without its busy timeout) when another process
    has it open in that moment, as several first runs on a new file do."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute(f"PRAGMA journal_mode = {mode}")
            return
        except sqlite3.OperationalError as exc:
            if not is_busy(exc) or time.monotonic() > deadline:
                raise
            pause_point("journal-mode-busy")
            time.sleep(0.02)


def connect(path: Path, *, wal: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) without migrating.

    `wal=False` uses SQLite's rollback journal instead of WAL mode: for a
    single user on a drive where WAL is not safe."""
    network = network_filesystem(path)
    if network and wal:
        raise MhtoolError(
            f"{path} is on a network drive ({network}): SQLite's WAL mode can corrupt a database there "
            "when two commands run at once. Keep the database on a local disk, or pass --no-wal "
            "if you are its only user"
        )
    _create_private(path)
    try:
        # As a URI, so that `ATTACH` may open a backup read-only (db restore).
        conn = sqlite3.connect(path.resolve().as_uri(), timeout=BUSY_TIMEOUT_MS / 1000, uri=True)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _journal_mode(conn, "WAL" if wal else "DELETE")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL" if wal else "PRAGMA synchronous = FULL")
        conn.execute("PRAGMA cache_size = -32000")  # 32 MB (default 2 MB): large imports touch many index pages
    except sqlite3.DatabaseError as exc:
        raise MhtoolError(f"{path}: {_diagnose(path) or describe_sqlite_error(exc)}") from None
    db = sqlite_utils.Database(conn, execute_plugins=False)
    db.mhtool_path = path  # type: ignore[attr-defined]
    db.mhtool_identity = _identity(path)  # type: ignore[attr-defined]
    return db


def _diagnose(path: Path) -> str | None:
    """Why SQLite cannot open or write the file, when the disk says so
    (SQLite itself often says only "unable to open database file")."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        found = os.statvfs(folder) if hasattr(os, "statvfs") else None
    except OSError:
        found = None
    if found is not None and found.f_flag & getattr(os, "ST_RDONLY", 1):
        return "the disk is read-only (read-only file system)"
    if found is not None and found.f_bavail == 0:
        return "no space left on device"
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return "the database file or its folder is read-only (no permission to write)"
    return None


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def open_db(path: str | os.PathLike | None = None, *, wal: bool = True) -> sqlite_utils.Database:
    """Open the database and bring its schema up to date."""
    resolved = resolve_path(path)
    db = connect(resolved, wal=wal)
    try:
        if migrations.pending(db):
            # Under the write lock, so two first runs cannot both migrate.
            with transaction(db):
                migrations.apply(db)
    except sqlite3.DatabaseError as exc:
        raise MhtoolError(f"{resolved}: cannot use the database: {describe_sqlite_error(exc)}") from None
    return db


def database_path(db: sqlite_utils.Database) -> Path | None:
    path = getattr(db, "mhtool_path", None)
    if path is None:
        row = db.conn.execute("SELECT file FROM pragma_database_list WHERE name = 'main'").fetchone()
        path = Path(row[0]) if row and row[0] else None
    return path


# Called with the database path when a writer has to wait for the lock
# (the CLI says so on stderr).
on_lock_wait: Callable[[Path], None] | None = None


def _begin_immediate(conn: sqlite3.Connection, path: Path | None) -> None:
    """BEGIN IMMEDIATE: first a quick try, then (saying so) the full wait."""
    conn.execute("PRAGMA busy_timeout = 200")
    try:
        conn.execute("BEGIN IMMEDIATE")
        return
    except sqlite3.OperationalError as exc:
        if not is_busy(exc):
            raise
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if on_lock_wait is not None and path is not None:
        on_lock_wait(path)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if is_busy(exc):
            raise MhtoolError(
                busy_message(path, BUSY_TIMEOUT_MS // 1000) if path else describe_sqlite_error(exc)
            ) from None
        raise


def _check_still_the_database(db: sqlite_utils.Database, path: Path | None) -> None:
    """A writer must never write into a file that is no longer the database
    (replaced while this command waited for the lock)."""
    expected = getattr(db, "mhtool_identity", None)
    if path is None or expected is None or _identity(path) == expected:
        return
    raise MhtoolError(
        f"{path} was replaced or removed while this command waited to write; nothing was written. Run the command again"
    )


@contextlib.contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One write transaction, taken up front (BEGIN IMMEDIATE).

    Taking the write lock at the start means two writers queue on the busy
    timeout instead of failing halfway with "database is locked". While it
    holds the lock, the command leaves a note saying so (see writelock).
    """
    conn = db.conn
    path = database_path(db)
    pause_point("write-lock-wanted")
    _begin_immediate(conn, path)
    try:
        _check_still_the_database(db, path)
        if path is not None:
            claim(path)
        yield db
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            # SQLite rolls back itself when it cannot write (disk full).
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        raise
    finally:
        if path is not None:
            release(path)


class DeferredIndexes:
    """Indexes dropped for a bulk insert and built again before the commit.

    Inserting a million rows into an index ordered by date touches its pages
    in random order, which at that size costs more than everything else in an
    import; building the index afterwards is one sort. Both happen inside the
    caller's transaction, so a failure or a crash leaves the indexes as they
    were, and other connections never see them missing."""

    def __init__(self, conn: sqlite3.Connection, names: tuple[str, ...]):
        self.conn = conn
        self.names = names
        self.dropped: list[str] = []  # their CREATE statements

    def drop(self) -> None:
        marks = ", ".join("?" for _ in self.names)
        found = self.conn.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN ({marks}) ORDER BY name",
            self.names,
        ).fetchall()
        for name, sql in found:
            self.conn.execute(f'DROP INDEX "{name}"')
            self.dropped.append(sql)

    def restore(self) -> None:
        # SQLite may sort in helper threads; a third faster on two cores.
        threads = self.conn.execute("PRAGMA threads").fetchone()[0]
        self.conn.execute(f"PRAGMA threads = {min(os.cpu_count() or 1, 4)}")
        try:
            while self.dropped:
                self.conn.execute(self.dropped.pop())
        finally:
            self.conn.execute(f"PRAGMA threads = {int(threads)}")

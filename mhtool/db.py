"""The one SQLite database: where it lives, how it is opened, its schema.

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
from pathlib import Path
from typing import Iterator

import sqlite_utils
from sqlite_utils.migrations import Migrations

from .errors import MhtoolError
from .filesystems import network_filesystem
from .pausepoints import pause_point
from .writelock import busy_message, claim, release

DEFAULT_DB = "mhtool.db"


def _busy_timeout_ms() -> int:
    """Writers queue behind each other (an import may take a while) rather
    than fail: two minutes, or $MHTOOL_BUSY_TIMEOUT seconds."""
    try:
        return max(0, int(float(os.environ.get("MHTOOL_BUSY_TIMEOUT", "120")) * 1000))
    except ValueError:
        return 120_000


BUSY_TIMEOUT_MS = _busy_timeout_ms()

migrations = Migrations("mhtool")


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
on_lock_wait = None


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
            raise MhtoolError(busy_message(path, BUSY_TIMEOUT_MS // 1000) if path else
                              describe_sqlite_error(exc)) from None
        raise


def _check_still_the_database(db: sqlite_utils.Database, path: Path | None) -> None:
    """A writer must never write into a file that is no longer the database
    (replaced while this command waited for the lock)."""
    expected = getattr(db, "mhtool_identity", None)
    if path is None or expected is None or _identity(path) == expected:
        return
    raise MhtoolError(
        f"{path} was replaced or removed while this command waited to write; nothing was written. "
        "Run the command again"
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
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # SQLite rolls back itself when it cannot write (disk full)
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
        self.dropped: list[str] = []   # their CREATE statements

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


def like_contains(text: str) -> str:
    """A LIKE pattern (with ESCAPE '\\') that matches `text` literally anywhere."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def schema_version(db: sqlite_utils.Database) -> int:
    return len(migrations.applied(db))


def latest_schema_version() -> int:
    return len(migrations._migrations)


# --- schema -----------------------------------------------------------------
# Add a new function at the end for every change; never edit an applied one.


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,              -- 'signals' or 'ads'
            source TEXT NOT NULL,
            file_name TEXT NOT NULL,
            file_sha256 TEXT,
            rows_read INTEGER NOT NULL DEFAULT 0,
            rows_new INTEGER NOT NULL DEFAULT 0,
            rows_present INTEGER NOT NULL DEFAULT 0,
            rows_changed INTEGER NOT NULL DEFAULT 0,
            rows_rejected INTEGER NOT NULL DEFAULT 0,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            os_user TEXT
        );

        CREATE TABLE signals (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            ref TEXT NOT NULL,
            reported_on TEXT NOT NULL,       -- ISO date or date-time
            category TEXT,                   -- as given in the export
            type TEXT NOT NULL CHECK (type IN ('sexual','labour','criminal','other','unknown')),
            type_origin TEXT NOT NULL CHECK (type_origin IN ('given','inferred','none')),
            place TEXT,
            gemeente TEXT NOT NULL,          -- municipality, 'buiten regio' or 'onbekend'
            cbs_code TEXT,
            address TEXT,
            text TEXT NOT NULL,
            persons TEXT,
            vehicle TEXT,
            url TEXT,
            victim_gender TEXT,
            victim_age INTEGER,
            victim_nationality TEXT,
            reporter TEXT,
            raw TEXT NOT NULL,               -- the whole input record as JSON
            content_hash TEXT NOT NULL,
            import_id INTEGER REFERENCES imports(id),
            created_at TEXT NOT NULL,
            UNIQUE (source, ref)
        );
        CREATE INDEX signals_reported_on ON signals(reported_on);
        CREATE INDEX signals_gemeente ON signals(gemeente);

        CREATE TABLE signal_phones (
            signal_id INTEGER NOT NULL REFERENCES signals(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            raw TEXT NOT NULL,
            e164 TEXT,
            valid INTEGER NOT NULL,
            PRIMARY KEY (signal_id, position)
        );
        CREATE INDEX signal_phones_e164 ON signal_phones(e164);

        CREATE TABLE region (
            id INTEGER PRIMARY KEY,
            gemeente TEXT NOT NULL,
            cbs_code TEXT NOT NULL,
            inhabitants INTEGER NOT NULL,
            inhabitants_on TEXT,
            valid_from TEXT,
            valid_to TEXT,
            places TEXT NOT NULL             -- '|'-separated
        );
        """
    )


@migrations()
def m002_ads(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE ads (
            id INTEGER PRIMARY KEY,
            site TEXT NOT NULL,
            ad_id TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            latest_observation_id INTEGER,
            source TEXT NOT NULL DEFAULT 'import',   -- 'import' or 'manual'
            UNIQUE (site, ad_id)
        );

        -- One row per sighting that differs from what was already stored: the
        -- history of phone, place, price, licence and text changes.
        CREATE TABLE ad_observations (
            id INTEGER PRIMARY KEY,
            ad INTEGER NOT NULL REFERENCES ads(id) ON DELETE CASCADE,
            seen_on TEXT NOT NULL,
            url TEXT,
            title TEXT,
            text TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            name TEXT,
            age INTEGER,
            age_from TEXT,                      -- 'column' or 'text'
            phone TEXT,                         -- as written
            place TEXT,
            gemeente TEXT NOT NULL,
            licence TEXT,
            nationality TEXT,
            price INTEGER,
            photo_hashes TEXT,                  -- ';'-separated
            raw TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            import_id INTEGER REFERENCES imports(id),
            UNIQUE (ad, seen_on, content_hash)
        );
        CREATE INDEX ad_observations_seen_on ON ad_observations(seen_on);

        CREATE TABLE ad_phones (
            observation INTEGER NOT NULL REFERENCES ad_observations(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            raw TEXT NOT NULL,
            e164 TEXT,
            valid INTEGER NOT NULL,
            PRIMARY KEY (observation, position)
        );
        CREATE INDEX ad_phones_e164 ON ad_phones(e164);

        CREATE TABLE ad_photos (
            observation INTEGER NOT NULL REFERENCES ad_observations(id) ON DELETE CASCADE,
            hash TEXT NOT NULL,
            PRIMARY KEY (observation, hash)
        );
        CREATE INDEX ad_photos_hash ON ad_photos(hash);

        CREATE TABLE ad_scores (
            id INTEGER PRIMARY KEY,
            ad INTEGER NOT NULL REFERENCES ads(id) ON DELETE CASCADE,
            observation INTEGER REFERENCES ad_observations(id) ON DELETE SET NULL,
            period TEXT NOT NULL,               -- '2026-W48', 'since 2026-11-01' or 'all'
            scored_at TEXT NOT NULL,
            rules_version TEXT NOT NULL,
            score REAL NOT NULL,
            risky INTEGER NOT NULL,
            indicators TEXT NOT NULL,           -- fired codes joined with ';'
            reasons TEXT NOT NULL               -- JSON list of plain-language reasons
        );
        CREATE INDEX ad_scores_ad ON ad_scores(ad);

        CREATE TABLE ad_reviews (
            id INTEGER PRIMARY KEY,
            ad INTEGER NOT NULL REFERENCES ads(id) ON DELETE CASCADE,
            label TEXT NOT NULL CHECK (label IN ('risky', 'not-risky')),
            note TEXT,
            reviewed_at TEXT NOT NULL,
            os_user TEXT
        );
        CREATE INDEX ad_reviews_ad ON ad_reviews(ad);
        """
    )


@migrations()
def m003_situations(db: sqlite_utils.Database) -> None:
    """Signals about the same situation share a situation (dedupe).

    A situation's id is the smallest id of its signals: deterministic, and
    stable as long as its first signal stays in it. The situations table is
    derived from the signals (see mhtool/signals/situations.py)."""
    db.executescript(
        """
        ALTER TABLE signals ADD COLUMN situation_id INTEGER;
        UPDATE signals SET situation_id = id;
        CREATE INDEX signals_situation ON signals(situation_id);

        CREATE TABLE situations (
            id INTEGER PRIMARY KEY,          -- = smallest signal id in it
            reported_on TEXT NOT NULL,       -- earliest signal
            type TEXT NOT NULL,              -- a given type before an inferred one; earliest on ties
            type_origin TEXT NOT NULL,
            gemeente TEXT NOT NULL,          -- a known municipality before 'buiten regio' / 'onbekend'
            cbs_code TEXT,
            place TEXT,
            source TEXT NOT NULL,            -- source of the earliest signal
            sources TEXT NOT NULL,           -- every source, sorted, ','-joined
            signal_count INTEGER NOT NULL,
            victim_gender TEXT,
            victim_age INTEGER,
            victim_nationality TEXT
        );
        CREATE INDEX situations_reported_on ON situations(reported_on);

        -- Pairs the automatic dedupe linked, with the evidence.
        CREATE TABLE signal_matches (
            a INTEGER NOT NULL REFERENCES signals(id) ON DELETE CASCADE,
            b INTEGER NOT NULL REFERENCES signals(id) ON DELETE CASCADE,
            score REAL NOT NULL,
            evidence TEXT NOT NULL,          -- JSON
            matched_at TEXT NOT NULL,
            PRIMARY KEY (a, b),
            CHECK (a < b)
        );

        -- The director's decisions; no automatic run overrides them.
        CREATE TABLE signal_decisions (
            a INTEGER NOT NULL REFERENCES signals(id) ON DELETE CASCADE,
            b INTEGER NOT NULL REFERENCES signals(id) ON DELETE CASCADE,
            decision TEXT NOT NULL CHECK (decision IN ('link', 'unlink')),
            decided_at TEXT NOT NULL,
            os_user TEXT,
            PRIMARY KEY (a, b),
            CHECK (a < b)
        );
        """
    )
    from .signals.situations import refresh_situations

    refresh_situations(db.conn)


@migrations()
def m004_audit(db: sqlite_utils.Database) -> None:
    """Who changed what when: command names and counts, never personal data."""
    db.executescript(
        """
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            os_user TEXT,
            command TEXT NOT NULL,           -- e.g. 'signals import' (no arguments: they may hold personal data)
            status TEXT NOT NULL,            -- 'ok' or 'failed'
            counts TEXT NOT NULL             -- JSON: row count change per table
        );
        """
    )


@migrations()
def m005_stats_indexes(db: sqlite_utils.Database) -> None:
    """Covering indexes for `mhtool stats`: a period is one range of an index
    that holds every field figures are counted by, so counting never reads
    the wide signal rows (text, raw record)."""
    db.executescript(
        """
        CREATE INDEX situations_stats ON situations(reported_on, gemeente, type, source,
            victim_gender, victim_age, victim_nationality, place);
        CREATE INDEX signals_stats ON signals(reported_on, gemeente, type, source,
            victim_gender, victim_age, victim_nationality, place);
        """
    )


@migrations()
def m006_drop_redundant_indexes(db: sqlite_utils.Database) -> None:
    """The covering stats indexes start with reported_on, so the plain
    reported_on indexes only slow imports down; municipality filters compare
    lower(gemeente), which no plain index serves."""
    db.executescript(
        """
        DROP INDEX IF EXISTS signals_reported_on;
        DROP INDEX IF EXISTS situations_reported_on;
        DROP INDEX IF EXISTS signals_gemeente;
        """
    )


@migrations()
def m007_counters(db: sqlite_utils.Database) -> None:
    """Counters that only go up (manual ids): an id handed out once is never
    handed out again, not even after the record it named was purged."""
    db.executescript(
        """
        CREATE TABLE counters (
            name TEXT PRIMARY KEY,           -- e.g. 'signals:manual:2026'
            value INTEGER NOT NULL
        );
        """
    )


@migrations()
def m008_ads_price_minutes(db: sqlite_utils.Database) -> None:
    """(Issue 12, ads) What a price buys: "60 euro half uur" is 60 for 30
    minutes, compared with other half-hour prices. NULL: not said (an hour)."""
    db.executescript("ALTER TABLE ad_observations ADD COLUMN price_minutes INTEGER;")


@migrations()
def m009_ads_aggregates(db: sqlite_utils.Database) -> None:
    """(Issue 12, ads) Phone, photo and place use per ad, kept at import, so
    scoring a week reads that week's rows, not the whole history."""
    from .ads.aggregates import SCHEMA, backfill

    db.executescript(SCHEMA)
    backfill(db.conn)

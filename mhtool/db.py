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
from pathlib import Path
from typing import Iterator

import sqlite_utils
from sqlite_utils.migrations import Migrations

from .errors import MhtoolError

DEFAULT_DB = "mhtool.db"
# Writers queue behind each other (an import may take a while) rather than fail.
BUSY_TIMEOUT_MS = 120_000

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
    os.close(fd)


def others_can_read(path: Path) -> bool:
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return bool(mode & (stat.S_IRGRP | stat.S_IROTH))


def connect(path: Path) -> sqlite_utils.Database:
    """Open (creating if needed) without migrating."""
    _create_private(path)
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA cache_size = -32000")  # 32 MB (default 2 MB): large imports touch many index pages
    except sqlite3.DatabaseError as exc:
        raise MhtoolError(f"{path}: not an mhtool database ({exc})") from None
    return sqlite_utils.Database(conn, execute_plugins=False)


def open_db(path: str | os.PathLike | None = None) -> sqlite_utils.Database:
    """Open the database and bring its schema up to date."""
    resolved = resolve_path(path)
    db = connect(resolved)
    try:
        if migrations.pending(db):
            # Under the write lock, so two first runs cannot both migrate.
            with transaction(db):
                migrations.apply(db)
    except sqlite3.DatabaseError as exc:
        raise MhtoolError(f"{resolved}: cannot use database ({exc})") from None
    return db


@contextlib.contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One write transaction, taken up front (BEGIN IMMEDIATE).

    Taking the write lock at the start means two writers queue on the busy
    timeout instead of failing halfway with "database is locked".
    """
    conn = db.conn
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise MhtoolError(
                "the database is busy: another mhtool command has been writing for over "
                f"{BUSY_TIMEOUT_MS // 1000} s; try again when it has finished"
            ) from None
        raise
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


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

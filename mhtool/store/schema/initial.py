"""The tables of the first release: signals, ads, situations, audit (m001-m004)."""

from __future__ import annotations

from mhtool.store.schema.registry import migrations
from mhtool.store.sqlitelib import sqlite_utils


# Long: one CREATE script, the first schema as it was applied; never edited.
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


# Long: one CREATE script, the ad tables as they were applied; never edited.
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
    from mhtool.store.situations import refresh_situations

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

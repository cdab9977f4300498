"""Every schema change after the first release (m005 on), in order.

Add a new function at the end for every change; never edit an applied one.
When this module grows past 400 lines, start a new one and import it after
this one in __init__.py (alphabetical there too): the order of registration is the order of applying."""

from __future__ import annotations

from mhtool.store.schema.registry import migrations
from mhtool.store.sqlitelib import sqlite_utils


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
def m008_dedupe_owed(db: sqlite_utils.Database) -> None:
    """Signals stored but not yet deduplicated (see signals/dedupe/owed.py)."""
    db.executescript(
        """    -- Signals stored but not yet linked to their duplicates: ids first_id..last_id.
    CREATE TABLE dedupe_owed (
        id INTEGER PRIMARY KEY,
        first_id INTEGER NOT NULL,
        last_id INTEGER NOT NULL,
        import_id INTEGER,               -- the import that stored them (NULL: signals add)
        since TEXT NOT NULL,
        CHECK (first_id <= last_id)
    );
        """
    )


@migrations()
def m009_signal_keys(db: sqlite_utils.Database) -> None:
    """Each signal's blocking keys, for the incremental dedupe (see
    signals/dedupe/keys.py). Keys of signals already stored are computed by
    the dedupe the first time it needs them: `backfills` says so."""
    db.executescript(
        """    -- Each signal's blocking keys (signals/dedupe/keys.py), hashed.
    CREATE TABLE signal_keys (
        signal_id INTEGER NOT NULL,      -- signals.id; no foreign key (see signals/dedupe/keys.py)
        hash INTEGER NOT NULL
    );
    CREATE INDEX signal_keys_hash ON signal_keys(hash, signal_id);

        -- Derived data a migration could not compute itself (the store knows
        -- no area); the area that owns it fills it and deletes the row.
        CREATE TABLE backfills (
            name TEXT PRIMARY KEY
        );
        """
    )
    if db.conn.execute("SELECT 1 FROM signals LIMIT 1").fetchone():
        db.conn.execute("INSERT INTO backfills (name) VALUES ('signal_keys')")


@migrations()
def m010_cases(db: sqlite_utils.Database) -> None:
    """Case follow-up: every situation is a case, and everything done with it
    is an event in `case_events`, which is only ever appended to.

    An event is keyed by a signal: the situation's id when it was recorded
    (its smallest signal id). A situation's history is the events keyed by
    any of its signals, so when situations merge both histories follow their
    signals into the merged one, and when one splits each part keeps the
    events keyed by its own signals (mhtool/store/casehistory.py leaves a
    note on a part that kept none). The case's state is its latest event
    (`case_states`); a situation without events is 'nieuw'."""
    db.executescript(
        """
        CREATE TABLE case_events (
            id INTEGER PRIMARY KEY,
            signal_id INTEGER NOT NULL REFERENCES signals(id) ON DELETE CASCADE,
            happened_on TEXT NOT NULL,       -- ISO date the thing was done (--date)
            recorded_at TEXT NOT NULL,
            os_user TEXT,
            kind TEXT NOT NULL CHECK (kind IN ('status', 'doorgezet', 'afgesloten', 'afgesplitst')),
            status TEXT NOT NULL CHECK (status IN ('nieuw', 'in behandeling', 'doorgezet', 'afgesloten')),
            owner TEXT,                      -- the case's owner after this event
            follow_up TEXT,                  -- ISO date, after this event
            reason TEXT,                     -- closing reason
            destination TEXT,                -- forwarded to
            gemeente TEXT,                   -- the municipality, when forwarded to a municipality
            note TEXT                        -- personal data: never in the audit or a pseudonymized export
        );
        CREATE INDEX case_events_signal ON case_events(signal_id);

        -- Append-only: only the key may move (purge keeps the history of the
        -- signals that stay, see casehistory.keep_history).
        CREATE TRIGGER case_events_append_only BEFORE UPDATE OF id, happened_on, recorded_at, os_user, kind,
            status, owner, follow_up, reason, destination, gemeente, note ON case_events
        BEGIN
            SELECT RAISE(ABORT, 'case events are never changed');
        END;

        CREATE VIEW case_states AS
        SELECT situation_id, status, owner, follow_up, reason, forwarded_to, taken_up_on, last_event_on,
               events, last_event
        FROM (
            SELECT s.situation_id, e.status, e.owner, e.follow_up, e.reason, e.happened_on AS last_event_on,
                e.id AS last_event,
                row_number() OVER (PARTITION BY s.situation_id ORDER BY e.id DESC) AS rank,
                first_value(CASE WHEN e.kind = 'doorgezet' THEN e.destination END) OVER (
                    PARTITION BY s.situation_id ORDER BY e.kind = 'doorgezet' DESC, e.id DESC) AS forwarded_to,
                min(CASE WHEN e.status != 'nieuw' THEN e.happened_on END) OVER (
                    PARTITION BY s.situation_id) AS taken_up_on,
                count(*) OVER (PARTITION BY s.situation_id) AS events
            FROM case_events e JOIN signals s ON s.id = e.signal_id
        )
        WHERE rank = 1;
        """
    )


@migrations()
def m011_ad_handovers(db: sqlite_utils.Database) -> None:
    """Risky ads handed to a municipality (`ads handover`) and what it did
    with them (`ads feedback`); see mhtool/cases/handover.py."""
    db.executescript(
        """
        CREATE TABLE ad_handovers (
            id INTEGER PRIMARY KEY,
            ad INTEGER NOT NULL REFERENCES ads(id) ON DELETE CASCADE,
            gemeente TEXT NOT NULL,
            week TEXT NOT NULL,              -- the scored week, '2026-W48'
            handed_at TEXT NOT NULL,
            os_user TEXT,
            fingerprint TEXT NOT NULL        -- what was handed over: observation and fired indicators
        );
        CREATE INDEX ad_handovers_ad ON ad_handovers(ad, gemeente);

        CREATE TABLE ad_feedback (
            id INTEGER PRIMARY KEY,
            ad INTEGER NOT NULL REFERENCES ads(id) ON DELETE CASCADE,
            gemeente TEXT,                   -- the municipality it was handed to last
            outcome TEXT NOT NULL,           -- from mhtool/data/cases.toml
            note TEXT,                       -- personal data: never in the audit or an export
            given_on TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            os_user TEXT
        );
        CREATE INDEX ad_feedback_ad ON ad_feedback(ad);
        """
    )


@migrations()
def m012_ads_price_minutes(db: sqlite_utils.Database) -> None:
    """What a price buys: "60 euro half uur" is 60 for 30 minutes, compared
    with other half-hour prices. NULL: not said (an hour)."""
    db.executescript("ALTER TABLE ad_observations ADD COLUMN price_minutes INTEGER;")


@migrations()
def m013_ads_aggregates(db: sqlite_utils.Database) -> None:
    """Phone, photo and place use per ad, kept at import, so scoring a week
    reads that week's rows, not the whole history (see ads/aggregates.py,
    which fills them for ads stored before: `backfills` says so)."""
    db.executescript(
        """CREATE TABLE ad_phone_uses (
    e164 TEXT NOT NULL, ad INTEGER NOT NULL REFERENCES ads(id) ON DELETE CASCADE,
    name TEXT NOT NULL, place TEXT NOT NULL, last_seen TEXT NOT NULL,
    PRIMARY KEY (e164, ad, name, place)
) WITHOUT ROWID;
CREATE INDEX ad_phone_uses_ad ON ad_phone_uses(ad);
CREATE TABLE ad_photo_uses (
    hash TEXT NOT NULL, ad INTEGER NOT NULL REFERENCES ads(id) ON DELETE CASCADE,
    name TEXT NOT NULL, phones TEXT NOT NULL, last_seen TEXT NOT NULL,   -- phones: sorted E.164, ';'
    PRIMARY KEY (hash, ad, name, phones)
) WITHOUT ROWID;
CREATE INDEX ad_photo_uses_ad ON ad_photo_uses(ad);
CREATE TABLE ad_place_uses (
    ad INTEGER NOT NULL REFERENCES ads(id) ON DELETE CASCADE,
    place TEXT NOT NULL, last_seen TEXT NOT NULL,
    PRIMARY KEY (ad, place)
) WITHOUT ROWID;
        """
    )
    if db.conn.execute("SELECT 1 FROM ad_observations LIMIT 1").fetchone():
        db.conn.execute("INSERT INTO backfills (name) VALUES ('ad_uses')")


@migrations()
def m014_ad_sightings(db: sqlite_utils.Database) -> None:
    """An observation is one version of an ad; the days it was seen are its
    sightings. A weekly export repeats most ads unchanged: such a row adds a
    sighting (a few bytes), not a copy of the text, phones and photos.
    `ad_observations.seen_on` is the first day the version was seen.

    Existing observations become one sighting each, and a run of
    observations of one ad with the same content (in the order seen) becomes
    its first observation with every sighting of the run; scores and the
    ad's latest observation follow to the kept one."""
    db.executescript(
        """CREATE TABLE ad_sightings (
    observation INTEGER NOT NULL REFERENCES ad_observations(id) ON DELETE CASCADE,
    seen_on TEXT NOT NULL,                   -- ISO date
    PRIMARY KEY (observation, seen_on)
) WITHOUT ROWID;
CREATE INDEX ad_sightings_seen_on ON ad_sightings(seen_on, observation);

CREATE TEMP TABLE m014_keep AS
WITH ordered AS (
    SELECT id, ad, seen_on, content_hash IS NOT lag(content_hash) OVER byad AS starts
    FROM ad_observations WINDOW byad AS (PARTITION BY ad ORDER BY seen_on, id)
), runs AS (
    SELECT id, ad, seen_on, sum(starts) OVER (PARTITION BY ad ORDER BY seen_on, id) AS run FROM ordered
)
SELECT id, first_value(id) OVER (PARTITION BY ad, run ORDER BY seen_on, id) AS keep, seen_on FROM runs;

INSERT OR IGNORE INTO ad_sightings (observation, seen_on) SELECT keep, seen_on FROM m014_keep;
DELETE FROM m014_keep WHERE id = keep;
CREATE UNIQUE INDEX temp.m014_keep_id ON m014_keep(id);
UPDATE ad_scores SET observation = (SELECT keep FROM m014_keep WHERE id = ad_scores.observation)
    WHERE observation IN (SELECT id FROM m014_keep);
UPDATE ads SET latest_observation_id = (SELECT keep FROM m014_keep WHERE id = ads.latest_observation_id)
    WHERE latest_observation_id IN (SELECT id FROM m014_keep);
DELETE FROM ad_phones WHERE observation IN (SELECT id FROM m014_keep);
DELETE FROM ad_photos WHERE observation IN (SELECT id FROM m014_keep);
DELETE FROM ad_observations WHERE id IN (SELECT id FROM m014_keep);
DROP TABLE m014_keep;
        """
    )


@migrations()
def m015_compact_ad_scores(db: sqlite_utils.Database) -> None:
    """A scoring run, a verdict and a score each stored once (store/adscores.py):
    the run's period, time and rules version in `ad_score_runs`, each distinct
    verdict in `ad_verdicts`, and per scored ad only (run, ad, observation,
    verdict). Every stored score is kept; `ad_score_list` reads them whole."""
    from mhtool.store.adscores import verdict_digest

    db.conn.create_function("m015_digest", 4, verdict_digest, deterministic=True)
    db.executescript(
        """DROP INDEX IF EXISTS ad_scores_ad;
ALTER TABLE ad_scores RENAME TO m015_old_scores;
CREATE TABLE ad_score_runs (
    id INTEGER PRIMARY KEY,
    period TEXT NOT NULL,                    -- '2026-W48', 'since 2026-11-01' or 'all'
    scored_at TEXT NOT NULL,
    rules_version TEXT NOT NULL
);
CREATE INDEX ad_score_runs_period ON ad_score_runs(period);
CREATE TABLE ad_verdicts (
    id INTEGER PRIMARY KEY,
    digest INTEGER NOT NULL,                 -- adscores.verdict_digest of the other four
    score REAL NOT NULL,
    risky INTEGER NOT NULL,
    indicators TEXT NOT NULL,                -- fired codes joined with ';'
    reasons TEXT NOT NULL                    -- JSON list of plain-language reasons
);
CREATE INDEX ad_verdicts_digest ON ad_verdicts(digest);
CREATE TABLE ad_scores (
    run INTEGER NOT NULL REFERENCES ad_score_runs(id) ON DELETE CASCADE,
    ad INTEGER NOT NULL REFERENCES ads(id) ON DELETE CASCADE,
    observation INTEGER REFERENCES ad_observations(id) ON DELETE SET NULL,
    verdict INTEGER NOT NULL REFERENCES ad_verdicts(id),
    PRIMARY KEY (run, ad)
) WITHOUT ROWID;
CREATE INDEX ad_scores_ad ON ad_scores(ad);

INSERT INTO ad_score_runs (period, scored_at, rules_version)
    SELECT period, scored_at, rules_version FROM m015_old_scores
    GROUP BY period, scored_at, rules_version ORDER BY min(id);
INSERT INTO ad_verdicts (digest, score, risky, indicators, reasons)
    SELECT m015_digest(score, risky, indicators, reasons), score, risky, indicators, reasons FROM m015_old_scores
    GROUP BY score, risky, indicators, reasons ORDER BY min(id);
INSERT OR REPLACE INTO ad_scores (run, ad, observation, verdict)
    SELECT r.id, o.ad, o.observation,
           (SELECT min(v.id) FROM ad_verdicts v WHERE v.digest = m015_digest(o.score, o.risky, o.indicators, o.reasons)
              AND v.score = o.score AND v.risky = o.risky AND v.indicators = o.indicators AND v.reasons = o.reasons)
    FROM m015_old_scores o JOIN ad_score_runs r
      ON r.period = o.period AND r.scored_at = o.scored_at AND r.rules_version = o.rules_version
    WHERE o.ad IN (SELECT id FROM ads)
    ORDER BY o.id;
DROP TABLE m015_old_scores;

CREATE VIEW ad_score_list AS
    SELECT s.run, s.ad, s.observation, r.period, r.scored_at, r.rules_version, v.score, v.risky, v.indicators, v.reasons
    FROM ad_scores s JOIN ad_score_runs r ON r.id = s.run JOIN ad_verdicts v ON v.id = s.verdict;
        """
    )


@migrations()
def m016_situation_components(db: sqlite_utils.Database) -> None:
    """The situations that the stricter grouping of an oversized group split
    apart (signals/dedupe/components.py), so that the dedupe after an import
    groups them again together, as a full run does. Empty until the next
    full `signals dedupe`: until then the dedupe after an import groups the
    situations it touches only, as before."""
    db.executescript(
        """    -- A situation that shares its group of linked signals with others (signals/dedupe/components.py).
    CREATE TABLE situation_components (
        situation_id INTEGER PRIMARY KEY,    -- situations.id
        component_id INTEGER NOT NULL        -- the smallest signal id of the whole group
    );
    CREATE INDEX situation_components_component ON situation_components(component_id);
        """
    )
    if db.conn.execute("SELECT 1 FROM signals LIMIT 1").fetchone():  # only a full run can fill it
        db.conn.execute("INSERT INTO backfills (name) VALUES ('situation_components')")

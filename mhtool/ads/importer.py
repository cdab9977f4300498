"""`mhtool ads import`: weekly ad exports into the database.

`(site, ad_id)` identifies an ad. Every weekly export repeats most ads: a row
adds a sighting (the day it was seen) and moves `last_seen`; it never
creates a second ad. A row that differs from the version seen before adds an
observation (what the ad looked like from then on): changes of phone, place,
price or text between observations are the ad's history. The same row
imported twice adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mhtool.ads.aggregates import Uses, backfill_if_owed
from mhtool.ads.fields import ad_fields
from mhtool.ads.normalise import AdRow, normalise_ad
from mhtool.imports.fileimport import FileImport
from mhtool.imports.model import ImportOptions, ImportOutcome, Parsed, RowReader
from mhtool.imports.run import run_import
from mhtool.io.headers import HeaderMap, match_headers
from mhtool.io.readers import InputFile
from mhtool.parse.phones import Phone
from mhtool.region.municipalities import Region, load_region, normalise_place

OBSERVATION_COLUMNS = (
    "ad",
    "seen_on",
    "url",
    "title",
    "text",
    "text_hash",
    "name",
    "age",
    "age_from",
    "phone",
    "place",
    "gemeente",
    "licence",
    "nationality",
    "price",
    "price_minutes",
    "photo_hashes",
    "raw",
    "content_hash",
    "import_id",
)


def change_key(conn, observation: int | None, place=None, text_hash=None, phones=None) -> tuple:
    """What counts as a change between two sightings: the phone numbers (as
    numbers, not as written), the place (any spelling) and the text."""
    if observation is not None:
        place, text_hash = conn.execute(
            "SELECT place, text_hash FROM ad_observations WHERE id = ?", (observation,)
        ).fetchone()
        numbers = [
            row[0]
            for row in conn.execute(
                "SELECT coalesce(e164, raw) FROM ad_phones WHERE observation = ? ORDER BY position", (observation,)
            )
        ]
    else:
        numbers = [p.e164 or p.raw for p in phones or []]
    return tuple(sorted(numbers)), normalise_place(place), text_hash


@dataclass
class AdRowReader(RowReader):
    header_map: HeaderMap
    columns: dict[str, str]
    region: Region
    excel_dates: bool = False

    def normalise(self, cells: list) -> Parsed:
        values, extra = self.header_map.record(cells)
        return normalise_ad(values, extra, columns=self.columns, region=self.region, excel_dates=self.excel_dates)


class AdWriter:
    """Adds sightings and observations and keeps each ad's first/last seen
    and latest state.

    A row whose content is that of the ad's version seen just before (or
    just after, for an older export imported late) is a sighting of that
    observation: one small `ad_sightings` row. A row with other content is a
    new observation: the history of changes stays complete."""

    def __init__(self, db, *, batched: bool = False):
        self.conn = db.conn
        self.uses = Uses()
        self.batched = batched  # then the caller writes the uses (`write_uses`) after a batch
        backfill_if_owed(self.conn)  # use tables of a database from before them (aggregates.py)

    def find_ad(self, site: str, ad_id: str) -> tuple[int, int | None, str, str] | None:
        return self.conn.execute(
            "SELECT id, latest_observation_id, first_seen, last_seen FROM ads WHERE site = ? AND ad_id = ?",
            (site, ad_id),
        ).fetchone()

    def add(self, row: AdRow, phones, photos: list[str], import_id: int | None, source: str = "import") -> str:
        """Store one sighting; return 'new', 'changed', 'seen_again' or 'present'."""
        record = row._asdict()
        seen_on, content = record["seen_on"], record["content_hash"]
        found = self.find_ad(record["site"], record["ad_id"])
        if found is None:
            ad = self.conn.execute(
                "INSERT INTO ads (site, ad_id, first_seen, last_seen, source) VALUES (?, ?, ?, ?, ?)",
                (record["site"], record["ad_id"], seen_on, seen_on, source),
            ).lastrowid
            observation, outcome = None, "new"
        else:
            ad, latest, first_seen, last_seen = found
            if (
                seen_on <= last_seen
                and self.conn.execute(  # a later day is never present yet
                    "SELECT 1 FROM ad_observations o JOIN ad_sightings s ON s.observation = o.id "
                    "WHERE o.ad = ? AND o.content_hash = ? AND s.seen_on = ?",
                    (ad, content, seen_on),
                ).fetchone()
            ):
                return "present"
            observation = self._same_version(ad, latest, seen_on, last_seen, content)
            outcome = "seen_again"
            if latest is not None and observation != latest:
                previous = change_key(self.conn, latest)
                current = change_key(self.conn, None, record["place"], record["text_hash"], phones)
                outcome = "changed" if previous != current else "seen_again"
        if observation is None:
            observation = self._add_observation(record, ad, phones, photos, import_id)
        self.conn.execute("INSERT INTO ad_sightings (observation, seen_on) VALUES (?, ?)", (observation, seen_on))
        self.uses.add(ad, seen_on, record["name"], record["place"], [p.e164 for p in phones if p.e164], photos)
        if not self.batched:
            self.write_uses()
        if found is None:
            self.conn.execute("UPDATE ads SET latest_observation_id = ? WHERE id = ?", (observation, ad))
        else:
            self._refresh_ad(ad, observation, seen_on, found)
        return outcome

    def write_uses(self) -> None:
        self.uses.write(self.conn)

    def _same_version(self, ad: int, latest: int | None, seen_on: str, last_seen: str, content: str) -> int | None:
        """The observation this sighting extends: the version seen just
        before `seen_on` (or else just after), when its content is the same."""
        if latest is not None and seen_on >= last_seen:  # the usual case: the newest export
            found = self.conn.execute("SELECT id, content_hash FROM ad_observations WHERE id = ?", (latest,))
            before = found.fetchone()
            return latest if before and before[1] == content else None
        # An older export imported after a newer one.
        before = self.conn.execute(_VERSION_SEEN.format(cmp="<=", order="DESC"), (ad, seen_on)).fetchone()
        if before and before[1] == content:
            return before[0]
        after = self.conn.execute(_VERSION_SEEN.format(cmp=">", order="ASC"), (ad, seen_on)).fetchone()
        if after and after[1] == content:
            self.conn.execute("UPDATE ad_observations SET seen_on = min(seen_on, ?) WHERE id = ?", (seen_on, after[0]))
            return after[0]
        return None

    def _add_observation(self, record: dict, ad: int, phones, photos: list[str], import_id: int | None) -> int:
        values = {**record, "ad": ad, "import_id": import_id}
        observation = self.conn.execute(_INSERT_OBSERVATION, [values.get(c) for c in OBSERVATION_COLUMNS]).lastrowid
        self.conn.executemany(
            "INSERT INTO ad_phones (observation, position, raw, e164, valid) VALUES (?, ?, ?, ?, ?)",
            [(observation, i, p.raw, p.e164, int(p.valid)) for i, p in enumerate(phones)],
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO ad_photos (observation, hash) VALUES (?, ?)",
            [(observation, h) for h in photos],
        )
        return observation

    def _refresh_ad(self, ad: int, observation: int, seen_on: str, found: tuple) -> None:
        # The latest observation is the one seen last, the later one on a
        # tie (an older export may be imported after a newer one).
        _, latest, first_seen, last_seen = found
        if seen_on > last_seen or (seen_on == last_seen and (latest is None or observation > latest)):
            latest = observation
        self.conn.execute(
            "UPDATE ads SET first_seen = ?, last_seen = ?, latest_observation_id = ? WHERE id = ?",
            (min(first_seen, seen_on), max(last_seen, seen_on), latest, ad),
        )


_INSERT_OBSERVATION = (
    f"INSERT INTO ad_observations ({', '.join(OBSERVATION_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in OBSERVATION_COLUMNS)})"
)
# The version of an ad seen last on or before a day (<=, DESC), or first after it (>, ASC).
_VERSION_SEEN = (
    "SELECT o.id, o.content_hash FROM ad_observations o JOIN ad_sightings s ON s.observation = o.id "
    "WHERE o.ad = ? AND s.seen_on {cmp} ? ORDER BY s.seen_on {order}, o.id {order} LIMIT 1"
)


class AdFileImport(FileImport):
    kind = "ads"

    def __init__(self, db, input_file: InputFile, options: ImportOptions, columns: dict[str, str]):
        super().__init__(db, input_file, "ads", options, columns)
        self.writer = AdWriter(db, batched=True)

    def flush(self) -> None:
        batch, self.pending = self.pending, []
        for _, values, phones, photos in batch:
            outcome = self.writer.add(AdRow._make(values), list(map(Phone._make, phones)), photos, self.import_id)
            if outcome == "new":
                self.result.new += 1
            elif outcome == "changed":
                self.result.changed += 1
            elif outcome == "seen_again":
                self.result.seen_again += 1
            else:
                self.result.present += 1
        self.writer.write_uses()


def import_ads(
    db,
    paths: list[str],
    options: ImportOptions,
    *,
    on_progress: Callable[[InputFile], None] | None = None,
    on_file: Callable[[InputFile], None] | None = None,
    stdin=None,
) -> ImportOutcome:
    region = load_region(db)
    fields = ad_fields()

    def start_file(input_file: InputFile):
        header_map = match_headers(
            input_file.name, input_file.headers, fields, options.user_map, short_rows_ok=input_file.short_rows_ok
        )
        columns = {name: input_file.headers[i] for name, i in header_map.fields.items()}
        reader = AdRowReader(header_map, columns, region, input_file.excel_dates)
        return (lambda: AdFileImport(db, input_file, options, columns)), reader

    return run_import(db, paths, options, start_file, on_progress=on_progress, on_file=on_file, stdin=stdin)

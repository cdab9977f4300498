"""`mhtool ads import`: weekly ad exports into the database.

`(site, ad_id)` identifies an ad. Every weekly export repeats most ads: a row
adds an observation (what the ad looked like on that day) and moves
`last_seen`; it never creates a second ad. The same row imported twice adds
nothing. Changes of phone, place or text between observations are the ad's
history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mhtool.ads.aggregates import backfill_if_owed
from mhtool.ads.aggregates import record as record_use
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
    """Adds observations and keeps each ad's first/last seen and latest state."""

    def __init__(self, db):
        self.conn = db.conn
        backfill_if_owed(self.conn)  # use tables of a database from before them (aggregates.py)

    def find_ad(self, site: str, ad_id: str) -> tuple[int, int | None] | None:
        return self.conn.execute(
            "SELECT id, latest_observation_id FROM ads WHERE site = ? AND ad_id = ?", (site, ad_id)
        ).fetchone()

    def add(self, row: AdRow, phones, photos: list[str], import_id: int | None, source: str = "import") -> str:
        """Store one observation; return 'new', 'changed', 'seen_again' or 'present'."""
        record = row._asdict()
        found = self.find_ad(record["site"], record["ad_id"])
        if found is None:
            ad = self.conn.execute(
                "INSERT INTO ads (site, ad_id, first_seen, last_seen, source) VALUES (?, ?, ?, ?, ?)",
                (record["site"], record["ad_id"], record["seen_on"], record["seen_on"], source),
            ).lastrowid
            outcome, previous = "new", None
        else:
            ad, latest = found
            if self.conn.execute(
                "SELECT 1 FROM ad_observations WHERE ad = ? AND seen_on = ? AND content_hash = ?",
                (ad, record["seen_on"], record["content_hash"]),
            ).fetchone():
                return "present"
            current = change_key(self.conn, None, record["place"], record["text_hash"], phones)
            previous = change_key(self.conn, latest) if latest else None
            outcome = "changed" if previous and previous != current else "seen_again"
        values = {**record, "ad": ad, "import_id": import_id}
        observation = self.conn.execute(
            f"INSERT INTO ad_observations ({', '.join(OBSERVATION_COLUMNS)}) "
            f"VALUES ({', '.join('?' for _ in OBSERVATION_COLUMNS)})",
            [values.get(c) for c in OBSERVATION_COLUMNS],
        ).lastrowid
        self.conn.executemany(
            "INSERT INTO ad_phones (observation, position, raw, e164, valid) VALUES (?, ?, ?, ?, ?)",
            [(observation, i, p.raw, p.e164, int(p.valid)) for i, p in enumerate(phones)],
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO ad_photos (observation, hash) VALUES (?, ?)",
            [(observation, h) for h in photos],
        )
        record_use(
            self.conn,
            ad,
            record["seen_on"],
            record["name"],
            record["place"],
            [p.e164 for p in phones if p.e164],
            photos,
        )
        self._refresh_ad(ad)
        return outcome

    def _refresh_ad(self, ad: int) -> None:
        # The latest observation is the one seen last (an older export may be
        # imported after a newer one).
        self.conn.execute(
            """
            UPDATE ads SET
                first_seen = (SELECT min(seen_on) FROM ad_observations WHERE ad = :ad),
                last_seen = (SELECT max(seen_on) FROM ad_observations WHERE ad = :ad),
                latest_observation_id = (SELECT id FROM ad_observations WHERE ad = :ad
                                         ORDER BY seen_on DESC, id DESC LIMIT 1)
            WHERE id = :ad
            """,
            {"ad": ad},
        )


class AdFileImport(FileImport):
    kind = "ads"

    def __init__(self, db, input_file: InputFile, options: ImportOptions, columns: dict[str, str]):
        super().__init__(db, input_file, "ads", options, columns)
        self.writer = AdWriter(db)

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

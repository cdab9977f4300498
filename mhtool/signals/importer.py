"""`mhtool signals import`: signal exports into the database.

The transaction, row reporting and worker processes are shared with the ad
import (see `mhtool.imports`); this module knows what a signal row is and
how a new, an already present and a conflicting signal differ.
"""

from __future__ import annotations

import operator
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, fields

from mhtool.imports.fileimport import FileImport
from mhtool.imports.model import ImportOptions, ImportOutcome, Issue, RowReader
from mhtool.imports.run import run_import
from mhtool.io.headers import HeaderMap, match_headers
from mhtool.io.readers import InputFile
from mhtool.parse.categories import Classifier, load_classifier
from mhtool.pausepoints import pause_point
from mhtool.region.municipalities import Region, load_region
from mhtool.signals.dedupe.keys import INDEXES as KEY_INDEXES
from mhtool.signals.dedupe.keys import INSERT_KEY, PROFILE_FIELDS, record_hashes
from mhtool.signals.dedupe.owed import DedupeInterrupted, extend_owed, interrupted_message
from mhtool.signals.dedupe.phases import phase
from mhtool.signals.dedupe.run import DedupeResult, dedupe_new
from mhtool.signals.fields import SourceSpec
from mhtool.signals.normalise import SignalRow, normalise_signal
from mhtool.stamps import now_iso
from mhtool.store.db import DeferredIndexes
from mhtool.store.situations import add_single_situation_range

__all__ = ["ImportOptions", "SignalImportOutcome", "SignalWriter", "import_signals"]

# Rows reach the writer as plain tuples in SignalRow's order (see imports.model.Crossing).
_REF, _RAW, _HASH = (SignalRow._fields.index(name) for name in ("ref", "raw", "content_hash"))
SIGNAL_COLUMNS = (*SignalRow._fields, "source", "import_id", "created_at", "situation_id")
_INSERT_SIGNAL = (
    f"INSERT INTO signals (id, {', '.join(SIGNAL_COLUMNS)}) VALUES (?, {', '.join('?' for _ in SIGNAL_COLUMNS)})"
)
_KEY_FIELDS = operator.itemgetter(*(SignalRow._fields.index(name) for name in PROFILE_FIELDS))
_INSERT_PHONE = "INSERT INTO signal_phones (signal_id, position, raw, e164, valid) VALUES (?, ?, ?, ?, ?)"


class SignalWriter:
    """Writes normalised signals in batches.

    Ids are assigned here, which is safe because writers hold the write lock
    (BEGIN IMMEDIATE) for their whole transaction."""

    def __init__(self, db, source: str):
        self.conn: sqlite3.Connection = db.conn
        self.source = source
        self._next_id = self.conn.execute("SELECT coalesce(max(id), 0) FROM signals").fetchone()[0] + 1
        self._owed: int | None = None  # this writer's dedupe_owed row

    def existing(self, ref: str) -> tuple[int | None, str] | None:
        return self.existing_many([ref]).get(ref)

    def existing_many(self, refs: list[str]) -> dict[str, tuple[int | None, str]]:
        marks = ", ".join("?" for _ in refs)
        rows = self.conn.execute(
            f"SELECT ref, id, content_hash FROM signals WHERE source = ? AND ref IN ({marks})",
            [self.source, *refs],
        )
        return {ref: (signal_id, digest) for ref, signal_id, digest in rows}

    def insert(self, row: SignalRow, phones, import_id: int | None) -> int:
        """One signal; its new id."""
        return self.insert_rows([(row, phones)], import_id)[0]

    def insert_rows(self, items: list[tuple], import_id: int | None) -> list[int]:
        """Insert (row, phones[, key hashes]) items: the row a SignalRow or its
        values in that order, the phones Phone or (raw, e164, valid) tuples.
        Returns the new ids."""
        created = now_iso()
        source = self.source
        first = self._next_id
        ids = list(range(first, first + len(items)))
        self._next_id += len(items)
        signal_rows: list[tuple] = []
        phone_rows: list[tuple] = []
        key_rows: list[tuple[int, int]] = []
        for signal_id, (row, phones, *hashes) in zip(ids, items):
            signal_rows.append((signal_id, *row, source, import_id, created, signal_id))
            if phones:
                phone_rows.extend((signal_id, i, raw, e164, int(valid)) for i, (raw, e164, valid) in enumerate(phones))
            # Its blocking keys go with it, for the incremental dedupe
            # (dedupe/keys.py); an import's workers computed them already.
            if not hashes or hashes[0] is None:
                hashes = [record_hashes(dict(zip(PROFILE_FIELDS, _KEY_FIELDS(row))), phones)]
            key_rows.extend((signal_id, h) for h in hashes[0])
        self.conn.executemany(_INSERT_SIGNAL, signal_rows)
        if phone_rows:
            self.conn.executemany(_INSERT_PHONE, phone_rows)
        self.conn.executemany(INSERT_KEY, key_rows)
        # Each new signal starts as its own situation; dedupe may join it to
        # another, and until it has, the database says it is owed.
        add_single_situation_range(self.conn, first, self._next_id - 1)
        self._owed = extend_owed(self.conn, self._owed, first, self._next_id - 1, import_id, created)
        return ids


@dataclass
class SignalRowReader(RowReader):
    """Everything needed to normalise a signal row; small enough to send to a worker."""

    header_map: HeaderMap
    columns: dict[str, str]
    fixed: dict[str, str]
    region: Region
    classifier: Classifier
    date_order: str
    excel_dates: bool = False

    def normalise(self, cells: list):
        values, extra = self.header_map.record(cells)
        values.update(self.fixed)
        parsed = normalise_signal(
            values,
            extra,
            columns=self.columns,
            region=self.region,
            classifier=self.classifier,
            date_order=self.date_order,
            excel_dates=self.excel_dates,
        )
        if parsed.errors:
            return parsed
        # Its blocking keys, here in the worker (dedupe/keys.py).
        return parsed._replace(extra=record_hashes(parsed.row._asdict(), parsed.phones))


class BulkIndexes:
    """Builds the date-ordered indexes after a large import instead of row by row.

    Decided during the import, once it is clear that the new rows still to come
    outnumber half the rows already stored: then sorting the whole table
    once is cheaper than inserting into those indexes in random order (at a
    million rows, most of an import's time)."""

    NAMES = ("signals_stats", "situations_stats", "signal_phones_e164", *KEY_INDEXES)
    MIN_ROWS = 50_000

    def __init__(self, db):
        self.conn: sqlite3.Connection = db.conn
        self.deferred = DeferredIndexes(self.conn, self.NAMES)
        self.stored: int | None = None  # signals in the table before this import
        self.inserted = 0  # signals this import has added so far

    def consider(self, run: FileImport) -> None:
        """Called after each batch of `run`'s file."""
        if self.deferred.dropped:
            return
        if self.stored is None:
            self.stored = self.conn.execute("SELECT count(*) FROM signals").fetchone()[0] - self.inserted
        result, given = run.result, run.rows_given
        total, done = run.input_file.total_bytes, run.input_file.bytes_read
        # The rows handed to parsing but not yet written, and those still in
        # the file; of unknown size (stdin, a spreadsheet): as many again.
        rows_left = (given - result.read) + (given * (total - done) / done if total and done else given)
        # A file imported again adds nothing: then rebuilding is only a cost.
        new_left = rows_left * result.new / result.read if result.read else 0
        if new_left >= max(self.MIN_ROWS, (self.stored + self.inserted) / 2):
            self.deferred.drop()

    def finish(self) -> None:
        self.deferred.restore()


class SignalFileImport(FileImport):
    kind = "signals"
    FALLBACK = {"place": "gemeente"}  # a file with only a municipality column

    def __init__(
        self,
        db,
        input_file: InputFile,
        spec: SourceSpec,
        columns: dict[str, str],
        has_place_column: bool,
        options: ImportOptions,
        bulk: BulkIndexes,
    ):
        super().__init__(db, input_file, spec.source, options, columns)
        self.writer = SignalWriter(db, spec.source)
        self.bulk = bulk
        if not has_place_column:
            self.warn_file("Plaats/Gemeente", "no place or municipality column; all rows count under 'onbekend'")
            self.skip_warning_fields.add("place")  # said once for the whole file

    def flush(self) -> None:
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        known: dict[str, tuple[int | None, str]] = self.writer.existing_many([row[_REF] for _, row, _, _ in batch])
        to_insert = []
        for number, row, phones, hashes in batch:
            ref, digest = row[_REF], row[_HASH]
            found = known.get(ref)
            if found is None:
                known[ref] = (None, digest)  # a repeat later in this batch is "present"
                to_insert.append((row, phones, hashes))
            elif found[1] == digest:
                self.result.present += 1
            else:
                where = f"signal {found[0]}" if found[0] else "earlier in this file"
                reason = f"reference already imported ({where}) with different content; not overwritten"
                self.reject(number, None, [Issue("ref", reason)], row[_RAW])
        if to_insert:
            ids = self.writer.insert_rows(to_insert, self.import_id)
            self.result.new_ids.extend(ids)
            self.result.new += len(ids)
            self.bulk.inserted += len(ids)
        self.bulk.consider(self)


@dataclass
class SignalImportOutcome(ImportOutcome):
    dedupe: DedupeResult | None = None  # None: not run (nothing written, or --no-dedupe)


def import_signals(
    db,
    paths: list[str],
    spec: SourceSpec,
    options: ImportOptions,
    *,
    on_progress: Callable[[InputFile], None] | None = None,
    on_file: Callable[[InputFile], None] | None = None,
    stdin=None,
    dedupe: bool = True,
) -> SignalImportOutcome:
    """Import signal files in one transaction (see `mhtool.imports`), then
    link the new signals to duplicates in a transaction of its own."""
    region = load_region(db)
    classifier = load_classifier(options.keywords)

    def start_file(input_file: InputFile):
        header_map = match_headers(
            input_file.name, input_file.headers, spec.fields, options.user_map, short_rows_ok=input_file.short_rows_ok
        )
        columns = {name: input_file.headers[i] for name, i in header_map.fields.items()}
        has_place_column = bool({"place", "gemeente"} & (set(header_map.fields) | set(spec.fixed)))
        reader = SignalRowReader(
            header_map, columns, spec.fixed, region, classifier, spec.date_order, input_file.excel_dates
        )
        return (lambda: SignalFileImport(db, input_file, spec, columns, has_place_column, options, bulk)), reader

    bulk = BulkIndexes(db)

    def before_commit() -> None:
        phase(f"storing {bulk.inserted:,} new signals", None)
        bulk.finish()

    outcome = run_import(
        db,
        paths,
        options,
        start_file,
        on_progress=on_progress,
        on_file=on_file,
        before_commit=before_commit,
        stdin=stdin,
    )
    result = SignalImportOutcome(**{f.name: getattr(outcome, f.name) for f in fields(outcome)})
    if dedupe and outcome.committed:
        new_ids = [i for f in outcome.files for i in f.new_ids]
        try:
            pause_point("import-committed")
            result.dedupe = dedupe_new(db, new_ids)
        except KeyboardInterrupt:
            saved = f"the import was saved ({len(new_ids)} new signals, {outcome.total('present')} already present)"
            raise DedupeInterrupted(interrupted_message(saved, f"the {len(new_ids)} new signals")) from None
    return result

"""`mhtool signals import`: signal exports into the database.

The transaction, row reporting and worker processes are shared with the ad
import (see `mhtool.importing`); this module knows what a signal row is and
how a new, an already present and a conflicting signal differ.
"""

from __future__ import annotations

import datetime
import operator
import sqlite3
from dataclasses import dataclass, fields
from typing import Any, Callable

from ..db import DeferredIndexes
from ..importing import (
    FileImport,
    ImportOptions,
    ImportOutcome,
    Issue,
    RowReader,
    now_iso,
    run_import,
)
from ..io.headers import HeaderMap, match_headers
from ..io.readers import InputFile
from ..parse.categories import Classifier, load_classifier
from ..pausepoints import pause_point
from ..region import Region, load_region
from .dedupe.run import DedupeResult, dedupe_new
from .fields import SourceSpec
from .normalise import normalise_signal
from .situations import add_single_situation_range

__all__ = ["ImportOptions", "SignalImportOutcome", "SignalWriter", "import_signals"]

# What normalise_signal gives, in the order of the insert below.
RECORD_COLUMNS = (
    "ref", "reported_on", "category", "type", "type_origin", "place", "gemeente", "cbs_code", "address",
    "text", "persons", "vehicle", "url", "victim_gender", "victim_age", "victim_nationality", "reporter",
    "raw", "content_hash",
)
SIGNAL_COLUMNS = (*RECORD_COLUMNS, "source", "import_id", "created_at", "situation_id")
_INSERT_SIGNAL = (
    f"INSERT INTO signals (id, {', '.join(SIGNAL_COLUMNS)}) "
    f"VALUES (?, {', '.join('?' for _ in SIGNAL_COLUMNS)})"
)
# itemgetter builds the row tuples in C: at a million rows the per-row Python
# work in this process limits the import as much as SQLite does.
_record_values = operator.itemgetter(*RECORD_COLUMNS)
_REF, _RAW, _HASH = (RECORD_COLUMNS.index(name) for name in ("ref", "raw", "content_hash"))
_INSERT_PHONE = "INSERT INTO signal_phones (signal_id, position, raw, e164, valid) VALUES (?, ?, ?, ?, ?)"


class SignalWriter:
    """Writes normalised signals in batches.

    Ids are assigned here, which is safe because writers hold the write lock
    (BEGIN IMMEDIATE) for their whole transaction."""

    def __init__(self, db, source: str):
        self.conn: sqlite3.Connection = db.conn
        self.source = source
        self._next_id = self.conn.execute("SELECT coalesce(max(id), 0) FROM signals").fetchone()[0] + 1

    def existing(self, ref: str) -> tuple[int, str] | None:
        return self.existing_many([ref]).get(ref)

    def existing_many(self, refs: list[str]) -> dict[str, tuple[int, str]]:
        marks = ", ".join("?" for _ in refs)
        rows = self.conn.execute(
            f"SELECT ref, id, content_hash FROM signals WHERE source = ? AND ref IN ({marks})",
            [self.source, *refs],
        )
        return {ref: (signal_id, digest) for ref, signal_id, digest in rows}

    def insert(self, record: dict[str, Any], phones, import_id: int | None) -> int:
        """One signal from a normalise_signal record; its new id."""
        return self.insert_rows([(_record_values(record), phones)], import_id)[0]

    def insert_rows(self, items: list[tuple[tuple, list]], import_id: int | None) -> list[int]:
        """Insert (values in RECORD_COLUMNS order, phones) items; the phones
        as Phone or (raw, e164, valid) tuples. Returns the new ids."""
        created = now_iso()
        source = self.source
        first = self._next_id
        ids = list(range(first, first + len(items)))
        self._next_id += len(items)
        signal_rows, phone_rows = [], []
        for signal_id, (values, phones) in zip(ids, items):
            signal_rows.append((signal_id, *values, source, import_id, created, signal_id))
            if phones:
                phone_rows.extend((signal_id, i, raw, e164, int(valid)) for i, (raw, e164, valid) in enumerate(phones))
        self.conn.executemany(_INSERT_SIGNAL, signal_rows)
        if phone_rows:
            self.conn.executemany(_INSERT_PHONE, phone_rows)
        # Each new signal starts as its own situation; dedupe may join it to another.
        add_single_situation_range(self.conn, first, self._next_id - 1)
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
    today: datetime.date | None
    excel_dates: bool = False

    def normalise(self, cells: list):
        values, extra = self.header_map.record(cells)
        values.update(self.fixed)
        return normalise_signal(
            values,
            extra,
            columns=self.columns,
            region=self.region,
            classifier=self.classifier,
            date_order=self.date_order,
            today=self.today,
            excel_dates=self.excel_dates,
        )


class BulkIndexes:
    """Builds the date-ordered indexes after a large import instead of row by row.

    Decided during the import, once it is clear that the new rows still to come
    outnumber half the rows already stored: then sorting the whole table
    once is cheaper than inserting into those indexes in random order (at a
    million rows, most of an import's time)."""

    NAMES = ("signals_stats", "situations_stats", "signal_phones_e164")
    MIN_ROWS = 50_000

    def __init__(self, db):
        self.conn: sqlite3.Connection = db.conn
        self.deferred = DeferredIndexes(self.conn, self.NAMES)
        self.stored: int | None = None   # signals in the table before this import
        self.inserted = 0                # signals this import has added so far

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

    def __init__(self, db, input_file: InputFile, spec: SourceSpec, columns: dict[str, str],
                 has_place_column: bool, options: ImportOptions, bulk: BulkIndexes):
        super().__init__(db, input_file, spec.source, options)
        self.columns = columns
        self.writer = SignalWriter(db, spec.source)
        self.bulk = bulk
        if not has_place_column:
            self.warn_file("Plaats/Gemeente", "no place or municipality column; all rows count under 'onbekend'")
            self.skip_warning_columns.add("place")  # said once for the whole file

    def accept_packed(self, packed: tuple) -> None:
        """Rows as the parsing packed them: a valid row is kept as its tuple
        of RECORD_COLUMNS values, which is also most of its insert row."""
        keys, rows = packed
        if keys != RECORD_COLUMNS and rows:   # normalise_signal built its record in another order
            rows = [(number, cells, _record_values(dict(zip(keys, values))), *rest)
                    for number, cells, values, *rest in rows]
        self._take(rows)

    def accept(self, number: int, cells: list | None, normalised) -> None:
        # One row that did not come packed: pending holds the packed shape.
        self._take([(number, cells, _record_values(normalised.record), normalised.phones,
                     normalised.errors, normalised.warnings, normalised.extra)])

    def _take(self, rows) -> None:
        result, skip = self.result, self.skip_warning_columns
        for number, cells, values, phones, errors, warnings, _ in rows:
            result.read += 1
            if warnings:
                for issue in warnings:
                    if issue.column not in skip:
                        self._warn(number, issue.column, issue.reason)
            if errors:
                self.reject(number, cells, errors)
                continue
            self.pending.append((number, cells, values, phones))
            if len(self.pending) >= self.BATCH:
                self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        known = self.writer.existing_many([values[_REF] for _, _, values, _ in batch])
        to_insert = []
        for number, cells, values, phones in batch:
            ref, digest = values[_REF], values[_HASH]
            found = known.get(ref)
            if found is None:
                known[ref] = (None, digest)  # a repeat later in this batch is "present"
                to_insert.append((values, phones))
            elif found[1] == digest:
                self.result.present += 1
            else:
                where = f"signal {found[0]}" if found[0] else "earlier in this file"
                reason = f"reference already imported ({where}) with different content; not overwritten"
                self.reject(number, cells, [Issue(self.columns.get("ref", "ref"), reason)], values[_RAW])
        if to_insert:
            ids = self.writer.insert_rows(to_insert, self.import_id)
            self.result.new_ids.extend(ids)
            self.result.new += len(ids)
            self.bulk.inserted += len(ids)
        self.bulk.consider(self)


@dataclass
class SignalImportOutcome(ImportOutcome):
    dedupe: DedupeResult | None = None   # None: not run (nothing written, or --no-dedupe)


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
    """Import signal files in one transaction (see `mhtool.importing`), then
    link the new signals to duplicates in a transaction of its own."""
    region = load_region(db)
    classifier = load_classifier(options.keywords)

    def start_file(input_file: InputFile):
        header_map = match_headers(input_file.name, input_file.headers, spec.fields, options.user_map,
                                   short_rows_ok=input_file.short_rows_ok)
        columns = {name: input_file.headers[i] for name, i in header_map.fields.items()}
        has_place_column = bool({"place", "gemeente"} & (set(header_map.fields) | set(spec.fixed)))
        reader = SignalRowReader(header_map, columns, spec.fixed, region, classifier,
                                 spec.date_order, options.today, input_file.excel_dates)
        return (lambda: SignalFileImport(db, input_file, spec, columns, has_place_column, options, bulk)), reader

    bulk = BulkIndexes(db)
    outcome = run_import(db, paths, options, start_file, on_progress=on_progress, on_file=on_file,
                         before_commit=bulk.finish, stdin=stdin)
    result = SignalImportOutcome(**{f.name: getattr(outcome, f.name) for f in fields(outcome)})
    if dedupe and outcome.committed:
        pause_point("import-committed")
        result.dedupe = dedupe_new(db, [i for f in outcome.files for i in f.new_ids])
    return result

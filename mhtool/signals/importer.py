"""`mhtool signals import`: signal exports into the database.

The transaction, row reporting and worker processes are shared with the ad
import (see `mhtool.importing`); this module knows what a signal row is and
how a new, an already present and a conflicting signal differ.
"""

from __future__ import annotations

import datetime
import sqlite3
from dataclasses import dataclass, fields
from typing import Any, Callable

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
from ..region import Region, load_region
from .dedupe import DedupeResult, dedupe_new
from .fields import SourceSpec
from .normalise import normalise_signal
from .situations import INSERT_SITUATION, single_situation

__all__ = ["ImportOptions", "SignalImportOutcome", "SignalWriter", "import_signals"]

SIGNAL_COLUMNS = (
    "source", "ref", "reported_on", "category", "type", "type_origin", "place",
    "gemeente", "cbs_code", "address", "text", "persons", "vehicle", "url",
    "victim_gender", "victim_age", "victim_nationality", "reporter", "raw",
    "content_hash", "import_id", "created_at", "situation_id",
)
_INSERT_SIGNAL = (
    f"INSERT INTO signals (id, {', '.join(SIGNAL_COLUMNS)}) "
    f"VALUES (?, {', '.join('?' for _ in SIGNAL_COLUMNS)})"
)
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
        return self.conn.execute(
            "SELECT id, content_hash FROM signals WHERE source = ? AND ref = ?", (self.source, ref)
        ).fetchone()

    def existing_many(self, refs: list[str]) -> dict[str, tuple[int, str]]:
        marks = ", ".join("?" for _ in refs)
        rows = self.conn.execute(
            f"SELECT ref, id, content_hash FROM signals WHERE source = ? AND ref IN ({marks})",
            [self.source, *refs],
        )
        return {ref: (signal_id, digest) for ref, signal_id, digest in rows}

    def insert(self, record: dict[str, Any], phones, import_id: int | None) -> int:
        return self.insert_many([(record, phones)], import_id)[0]

    def insert_many(self, items: list[tuple[dict[str, Any], list]], import_id: int | None) -> list[int]:
        created = now_iso()
        ids, signal_rows, phone_rows, situation_rows = [], [], [], []
        for record, phones in items:
            signal_id = self._next_id
            self._next_id += 1
            ids.append(signal_id)
            # Each new signal starts as its own situation; dedupe may join it to another.
            values = {**record, "source": self.source, "import_id": import_id, "created_at": created,
                      "situation_id": signal_id}
            signal_rows.append([signal_id, *(values.get(c) for c in SIGNAL_COLUMNS)])
            phone_rows.extend((signal_id, i, p.raw, p.e164, int(p.valid)) for i, p in enumerate(phones))
            situation_rows.append(single_situation(signal_id, values))
        self.conn.executemany(_INSERT_SIGNAL, signal_rows)
        if phone_rows:
            self.conn.executemany(_INSERT_PHONE, phone_rows)
        self.conn.executemany(INSERT_SITUATION, situation_rows)
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


class SignalFileImport(FileImport):
    kind = "signals"

    def __init__(self, db, input_file: InputFile, spec: SourceSpec, columns: dict[str, str],
                 has_place_column: bool, options: ImportOptions):
        super().__init__(db, input_file, spec.source, options)
        self.columns = columns
        self.writer = SignalWriter(db, spec.source)
        if not has_place_column:
            self.warn_file("Plaats/Gemeente", "no place or municipality column; all rows count under 'onbekend'")
            self.skip_warning_columns.add("place")  # said once for the whole file

    def flush(self) -> None:
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        known = self.writer.existing_many([n.record["ref"] for _, _, n in batch])
        to_insert = []
        for number, cells, normalised in batch:
            ref = normalised.record["ref"]
            digest = normalised.record["content_hash"]
            found = known.get(ref)
            if found is None:
                known[ref] = (None, digest)  # a repeat later in this batch is "present"
                to_insert.append(normalised)
            elif found[1] == digest:
                self.result.present += 1
            else:
                where = f"signal {found[0]}" if found[0] else "earlier in this file"
                reason = f"reference already imported ({where}) with different content; not overwritten"
                self.reject(number, cells, [Issue(self.columns.get("ref", "ref"), reason)],
                            normalised.record["raw"])
        if to_insert:
            ids = self.writer.insert_many([(n.record, n.phones) for n in to_insert], self.import_id)
            self.result.new_ids.extend(ids)
            self.result.new += len(ids)


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
        header_map = match_headers(input_file.name, input_file.headers, spec.fields, options.user_map)
        columns = {name: input_file.headers[i] for name, i in header_map.fields.items()}
        has_place_column = bool({"place", "gemeente"} & (set(header_map.fields) | set(spec.fixed)))
        reader = SignalRowReader(header_map, columns, spec.fixed, region, classifier,
                                 spec.date_order, options.today, input_file.excel_dates)
        run = SignalFileImport(db, input_file, spec, columns, has_place_column, options)
        return run, reader

    outcome = run_import(db, paths, options, start_file, on_progress=on_progress, on_file=on_file, stdin=stdin)
    result = SignalImportOutcome(**{f.name: getattr(outcome, f.name) for f in fields(outcome)})
    if dedupe and outcome.committed:
        result.dedupe = dedupe_new(db, [i for f in outcome.files for i in f.new_ids])
    return result

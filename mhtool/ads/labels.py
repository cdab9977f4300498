"""`mhtool ads review --file labels.csv`: many judgements at once.

The file has the columns ``site, ad_id, label, note`` (the layout of
``examples/ads/labels.csv``; CSV, XLSX or JSON like every import). All or
nothing: one bad row and nothing is stored, and every bad row is named by
``file:row: column: reason`` (never by its content). A later label for the
same ad replaces the earlier one (the latest review counts); both stay in the
history of the ad.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from mhtool.ads.review import LABELS
from mhtool.imports.model import RowProblem
from mhtool.io.headers import Field, match_headers
from mhtool.io.readers import open_input
from mhtool.parse.cells import text_value
from mhtool.stamps import now_iso, os_user
from mhtool.store.db import transaction

LABEL_FIELDS = [
    Field("site", ("site", "Site", "Website", "Bron"), required=True),
    Field("ad_id", ("ad_id", "Advertentie ID", "Ad ID", "ID"), required=True),
    Field("label", ("label", "Oordeel", "Beoordeling"), required=True),
    Field("note", ("note", "Notitie", "Toelichting", "Opmerking")),
]


@dataclass
class LabelImport:
    file: str
    read: int = 0
    risky: int = 0
    not_risky: int = 0
    replaced: int = 0  # ads that already had a review, or got two in the file
    problems: list[RowProblem] = field(default_factory=list)


class _LabelRow(NamedTuple):
    number: int
    site: str
    ad_id: str
    label: str
    note: str | None


def _ad_ids(conn, keys: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    found = {}
    for site, ad_id in keys:
        row = conn.execute("SELECT id FROM ads WHERE site = ? AND ad_id = ?", (site, ad_id)).fetchone()
        if row:
            found[site, ad_id] = row[0]
    return found


def read_labels(db, path: str) -> tuple[LabelImport, list[tuple[int, str, str | None]]]:
    """Check every row; return the outcome and the (ad, label, note) to store."""
    with open_input(path) as source:
        header_map = match_headers(source.name, source.headers, LABEL_FIELDS)
        column = {name: source.headers[i] or name for name, i in header_map.fields.items()}
        outcome = LabelImport(source.name)
        rows: list[_LabelRow] = []
        for number, cells in source:
            values, _ = header_map.record(cells)
            outcome.read += 1
            row = {name: text_value(values.get(name)) for name in ("site", "ad_id", "label", "note")}
            bad = [(name, "empty") for name in ("site", "ad_id", "label") if not row[name]]
            if row["label"] and row["label"].casefold() not in LABELS:
                bad.append(("label", f"must be {' or '.join(LABELS)}"))
            for name, reason in bad:
                outcome.problems.append(RowProblem(source.name, number, column[name], reason))
            if not bad:
                rows.append(_LabelRow(number, row["site"] or "", row["ad_id"] or "", row["label"] or "", row["note"]))
    known = _ad_ids(db.conn, {(r.site, r.ad_id) for r in rows})
    reviewed = {ad for (ad,) in db.conn.execute("SELECT DISTINCT ad FROM ad_reviews")}
    store = []
    for r in rows:
        ad = known.get((r.site, r.ad_id))
        if ad is None:
            outcome.problems.append(RowProblem(outcome.file, r.number, column["ad_id"], "no such ad in the database"))
            continue
        label = r.label.casefold()
        outcome.replaced += ad in reviewed
        reviewed.add(ad)
        outcome.risky += label == "risky"
        outcome.not_risky += label == "not-risky"
        store.append((ad, label, r.note))
    outcome.problems.sort(key=lambda p: p.row)
    return outcome, store


def import_labels(db, path: str) -> LabelImport:
    """Store every label of the file in one transaction, or none when a row is bad."""
    outcome, store = read_labels(db, path)
    if outcome.problems:
        return outcome
    reviewed_at, user = now_iso(), os_user()
    with transaction(db):
        db.conn.executemany(
            "INSERT INTO ad_reviews (ad, label, note, reviewed_at, os_user) VALUES (?, ?, ?, ?, ?)",
            [(ad, label, note, reviewed_at, user) for ad, label, note in store],
        )
    return outcome

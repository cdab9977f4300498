"""One signal entered by hand (`mhtool signals add`), callable without click."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mhtool.errors import MhtoolError
from mhtool.imports.model import Issue
from mhtool.parse.categories import load_classifier
from mhtool.region.municipalities import load_region
from mhtool.signals.dedupe.owed import DedupeInterrupted, interrupted_message
from mhtool.signals.dedupe.run import DedupeResult, dedupe_new
from mhtool.signals.importer import SignalWriter
from mhtool.signals.normalise import SignalRow, normalise_signal
from mhtool.store.counters import highest_number, next_manual_id
from mhtool.store.db import transaction

# The option that gave each field, for messages.
OPTION_OF = {"reported_on": "--date"}


@dataclass
class AddedSignal:
    id: int
    source: str
    ref: str
    row: SignalRow
    warnings: list[Issue]  # named by option (--date), as the user gave them
    situation_id: int
    dedupe: DedupeResult | None


def add_signal(db, values: dict[str, Any], *, source: str = "manual", dedupe: bool = True) -> AddedSignal:
    """Validate and store one signal (`values` by field name; `ref` may be
    empty: then the next MAN-YEAR-NNNN), then link it to its duplicates."""
    columns = {name: OPTION_OF.get(name, "--" + name.replace("_", "-")) for name in values}
    with transaction(db):
        ref = values.get("ref") or next_manual_id(
            db.conn, "signals", source, highest_number(db.conn, "signals", "ref", "source = ?", (source,))
        )
        parsed = normalise_signal(
            {**values, "ref": ref}, {}, columns=columns, region=load_region(db), classifier=load_classifier()
        )
        if parsed.errors:
            raise MhtoolError("; ".join(f"{columns.get(e.field, e.field)}: {e.reason}" for e in parsed.errors))
        writer = SignalWriter(db, source)
        if writer.existing(ref):
            raise MhtoolError(f"{source}:{ref} already exists")
        signal_id = writer.insert(parsed.row, parsed.phones, None)
    try:
        result = dedupe_new(db, [signal_id]) if dedupe else None
    except KeyboardInterrupt:
        raise DedupeInterrupted(interrupted_message(f"signal {source}:{ref} was saved", "it")) from None
    situation = db.conn.execute("SELECT situation_id FROM signals WHERE id = ?", (signal_id,)).fetchone()[0]
    warnings = [Issue(columns.get(w.field, w.field), w.reason) for w in parsed.warnings]
    return AddedSignal(signal_id, source, ref, parsed.row, warnings, situation, result)

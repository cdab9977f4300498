"""One signal entered by hand (`mhtool signals add`), callable without click."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..counters import highest_number, next_manual_id
from ..db import transaction
from ..errors import MhtoolError
from ..importing import Issue
from ..parse.categories import load_classifier
from ..region import load_region
from .dedupe.owed import DedupeInterrupted, interrupted_message
from .dedupe.run import DedupeResult, dedupe_new
from .importer import SignalWriter
from .normalise import normalise_signal

# The option that gave each field, for messages.
OPTION_OF = {"reported_on": "--date"}


@dataclass
class AddedSignal:
    id: int
    source: str
    ref: str
    record: dict[str, Any]
    warnings: list[Issue]
    situation_id: int
    dedupe: DedupeResult | None


def add_signal(db, values: dict[str, Any], *, source: str = "manual", dedupe: bool = True) -> AddedSignal:
    """Validate and store one signal (`values` by field name; `ref` may be
    empty: then the next MAN-YEAR-NNNN), then link it to its duplicates."""
    columns = {name: OPTION_OF.get(name, "--" + name.replace("_", "-")) for name in values}
    with transaction(db):
        ref = values.get("ref") or next_manual_id(
            db.conn, "signals", source, highest_number(db.conn, "signals", "ref", "source = ?", (source,)))
        normalised = normalise_signal({**values, "ref": ref}, {}, columns=columns, region=load_region(db),
                                      classifier=load_classifier())
        if normalised.errors:
            raise MhtoolError("; ".join(f"{e.column}: {e.reason}" for e in normalised.errors))
        writer = SignalWriter(db, source)
        if writer.existing(ref):
            raise MhtoolError(f"{source}:{ref} already exists")
        signal_id = writer.insert(normalised.record, normalised.phones, None)
    try:
        result = dedupe_new(db, [signal_id]) if dedupe else None
    except KeyboardInterrupt:
        raise DedupeInterrupted(interrupted_message(f"signal {source}:{ref} was saved", "it")) from None
    situation = db.conn.execute("SELECT situation_id FROM signals WHERE id = ?", (signal_id,)).fetchone()[0]
    return AddedSignal(signal_id, source, ref, normalised.record, normalised.warnings, situation, result)

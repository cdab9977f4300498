"""One ad entered by hand (`mhtool ads add`), callable without click."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mhtool.ads.importer import AdWriter
from mhtool.ads.normalise import normalise_ad
from mhtool.errors import MhtoolError
from mhtool.imports.model import Issue
from mhtool.region.municipalities import load_region
from mhtool.store.counters import highest_number, next_manual_id
from mhtool.store.db import transaction

OPTION_OF = {"seen_on": "--date"}


@dataclass
class AddedAd:
    site: str
    ad_id: str
    outcome: str  # 'new', 'changed', 'seen_again' or 'present'
    warnings: list[Issue]  # named by option (--date), as the user gave them


def add_ad(db, values: dict[str, Any]) -> AddedAd:
    """Validate and store one observation of an ad (`values` by field name;
    `ad_id` may be empty: then the next MAN-YEAR-NNNN of its site)."""
    columns = {name: OPTION_OF.get(name, "--" + name.replace("_", "-")) for name in values}
    site = values["site"]
    with transaction(db):
        ad_id = values.get("ad_id") or next_manual_id(
            db.conn, "ads", site, highest_number(db.conn, "ads", "ad_id", "site = ?", (site,))
        )
        parsed = normalise_ad({**values, "ad_id": ad_id}, {}, columns=columns, region=load_region(db))
        if parsed.errors:
            raise MhtoolError("; ".join(f"{columns.get(e.field, e.field)}: {e.reason}" for e in parsed.errors))
        outcome = AdWriter(db).add(parsed.row, parsed.phones, parsed.extra, None, source="manual")
    warnings = [Issue(columns.get(w.field, w.field), w.reason) for w in parsed.warnings]
    return AddedAd(site, ad_id, outcome, warnings)

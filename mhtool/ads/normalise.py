"""One ad row in, an observation record out (or what is wrong with it)."""

from __future__ import annotations

import datetime
import hashlib
import re
from typing import Any, NamedTuple

from mhtool.ads.extract import (
    age_from_cell,
    age_from_text,
    licence_from_cell,
    licence_from_text,
    text_hash,
)
from mhtool.ads.prices import price_and_minutes_from_cell, price_and_minutes_from_text
from mhtool.errors import ParseError
from mhtool.imports.model import Issue, Parsed, Problems
from mhtool.parse.cells import date_cell, raw_record, text_value
from mhtool.parse.dates import parse_date, to_iso
from mhtool.parse.phones import parse_phones
from mhtool.region.municipalities import Region

_PHOTO_SPLIT = re.compile(r"[;,\s]+")
_HASHED = (
    "url",
    "title",
    "text_hash",
    "name",
    "age",
    "phone",
    "place",
    "licence",
    "nationality",
    "price",
    "photo_hashes",
)


class AdRow(NamedTuple):
    """One sighting of an ad as it is stored: the ad's key (site, ad_id) and
    the columns of `ad_observations` that come from the file."""

    site: str | None
    ad_id: str | None
    seen_on: str | None
    url: str | None
    title: str | None
    text: str | None
    text_hash: str | None
    name: str | None
    age: int | None
    age_from: str | None
    phone: str | None
    place: str | None
    gemeente: str
    licence: str | None
    nationality: str | None
    price: Any
    price_minutes: int | None
    photo_hashes: str | None
    raw: str
    content_hash: str


def split_photo_hashes(value: Any) -> list[str]:
    text = text_value(value)
    if not text:
        return []
    seen: dict[str, None] = {}
    for part in _PHOTO_SPLIT.split(text):
        if part:
            seen.setdefault(part.casefold(), None)
    return list(seen)


# Long: one field after another in column order; split up, the row would be scattered.
def normalise_ad(
    values: dict[str, Any],
    extra: dict[str, Any],
    *,
    columns: dict[str, str],
    region: Region,
    today: datetime.date | None = None,
    excel_dates: bool = True,
) -> Parsed:
    """`values` by field name; `columns` maps field names to the file's headers
    (for the raw record). Problems name fields; `extra` of the result is the
    list of photo hashes."""
    out = Problems()

    site = text_value(values.get("site"))
    if not site:
        out.errors.append(Issue("site", "empty (the site is required)"))
    ad_id = text_value(values.get("ad_id"))
    if not ad_id:
        out.errors.append(Issue("ad_id", "empty (the ad id is required)"))
    seen_on = None
    try:
        seen_on = to_iso(parse_date(date_cell(values.get("seen_on"), excel_dates), today=today))[:10]
    except ParseError as exc:
        out.errors.append(Issue("seen_on", str(exc)))
    text = text_value(values.get("text"))
    if not text:
        out.errors.append(Issue("text", "empty (the ad text is required)"))

    age, age_from = None, None
    if values.get("age") not in (None, ""):
        age = age_from_cell(values.get("age"))
        if age is None:
            out.warnings.append(Issue("age", "age not readable; looked for it in the text"))
        else:
            age_from = "column"
    if age is None:
        age = age_from_text(" ".join(filter(None, [text_value(values.get("title")), text])))
        age_from = "text" if age is not None else None

    licence = licence_from_cell(values.get("licence")) if values.get("licence") not in (None, "") else None
    if licence is None:
        licence = licence_from_text(text)
    found = price_and_minutes_from_cell(values.get("price")) if values.get("price") not in (None, "") else None
    price, price_minutes = found or price_and_minutes_from_text(text) or (None, None)

    phones = parse_phones(values.get("phone"))
    if any(not p.valid for p in phones):
        out.warnings.append(Issue("phone", "phone number not valid; kept as written"))

    place = text_value(values.get("place"))
    placement = region.place(place, None, seen_on or (today or datetime.date.today()).isoformat())
    photos = split_photo_hashes(values.get("photo_hashes"))

    record: dict[str, Any] = {
        "site": site,
        "ad_id": ad_id,
        "seen_on": seen_on,
        "url": text_value(values.get("url")),
        "title": text_value(values.get("title")),
        "text": text,
        "text_hash": text_hash(text),
        "name": text_value(values.get("name")),
        "age": age,
        "age_from": age_from,
        "phone": text_value(values.get("phone")),
        "place": place,
        "gemeente": placement.gemeente,
        "licence": licence,
        "nationality": text_value(values.get("nationality")),
        "price": price,
        "price_minutes": price_minutes,
        "photo_hashes": ";".join(photos) or None,
        "raw": raw_record(_without_stored_text(values, text), extra, columns),
    }
    parts = ["" if record[k] is None else str(record[k]) for k in _HASHED]
    if price_minutes is not None:  # only then, so hashes stored before this column stay valid
        parts.append(f"minutes={price_minutes}")
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    row = AdRow(**record, content_hash=digest)
    return Parsed(None if out.errors else row, tuple(phones), tuple(out.errors), tuple(out.warnings), photos)


def _without_stored_text(values: dict[str, Any], text: str | None) -> dict[str, Any]:
    """The cells for `raw`: the text cell is left out when `text` holds it
    exactly (it is most of the row; the row as read is `raw` with `text`)."""
    if text is None or values.get("text") != text:
        return values
    return {k: v for k, v in values.items() if k != "text"}

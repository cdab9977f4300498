"""Turn one input row into a signal record, or say what is wrong with it."""

from __future__ import annotations

import datetime
import hashlib
from functools import lru_cache
from typing import Any, NamedTuple

from mhtool.errors import ParseError
from mhtool.imports.model import Issue, Parsed, Problems
from mhtool.parse.ages import parse_age
from mhtool.parse.categories import Classifier
from mhtool.parse.cells import date_cell, raw_record, text_value
from mhtool.parse.dates import parse_date, to_iso
from mhtool.parse.phones import Phone, parse_phones
from mhtool.region.municipalities import Region

_GENDERS = {
    "man": "man",
    "m": "man",
    "male": "man",
    "jongen": "man",
    "mannelijk": "man",
    "vrouw": "vrouw",
    "v": "vrouw",
    "f": "vrouw",
    "female": "vrouw",
    "meisje": "vrouw",
    "vrouwelijk": "vrouw",
    "x": "anders",
    "anders": "anders",
    "non binair": "anders",
}
_UNKNOWN_WORDS = {"onbekend", "unknown", "nvt", "n.v.t.", "?", "-", "onb", "onb."}


class SignalRow(NamedTuple):
    """A signal as it is stored: the columns of `signals` that come from the
    file, in the order of the insert."""

    ref: str | None
    reported_on: str | None
    category: str | None
    type: str
    type_origin: str
    place: str | None
    gemeente: str
    cbs_code: str | None
    address: str | None
    text: str | None
    persons: str | None
    vehicle: str | None
    url: str | None
    victim_gender: str | None
    victim_age: int | None
    victim_nationality: str | None
    reporter: str | None
    raw: str
    content_hash: str


def _gender(value: str | None) -> str | None:
    if not value:
        return None
    key = value.strip().casefold().rstrip(".")
    if key in _UNKNOWN_WORDS:
        return None
    return _GENDERS.get(key, value.strip())


def _age(value: Any, column: str, normalised: Problems) -> int | None:
    if isinstance(value, str) and value.strip().casefold() in _UNKNOWN_WORDS:
        return None
    try:
        age = parse_age(value)
    except ParseError as exc:
        normalised.errors.append(Issue(column, str(exc)))
        return None
    if age is None:
        if value not in (None, "") and str(value).strip():
            normalised.warnings.append(Issue(column, "age not readable; left empty"))
        return None
    if not 0 <= age <= 120:
        normalised.errors.append(Issue(column, "age must be between 0 and 120"))
        return None
    return age


# Only what the source delivered: values derived from the region table or the
# keyword list may change without the signal changing.
_HASHED = (
    "ref",
    "reported_on",
    "category",
    "place",
    "gemeente_cell",
    "address",
    "text",
    "persons",
    "vehicle",
    "url",
    "victim_gender",
    "victim_age",
    "victim_nationality",
    "reporter",
)


def content_hash(record: dict[str, Any], phones: list[Phone]) -> str:
    """What makes two deliveries of one ref 'the same signal'."""
    get = record.get
    parts = ["" if (value := get(k)) is None else str(value) for k in _HASHED]
    parts.append(",".join(p.e164 or p.raw for p in phones))
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _reported_on(cell: Any, today: datetime.date | None, order: str) -> tuple[str | None, str | None]:
    """(ISO date, None) or (None, what is wrong)."""
    try:
        return to_iso(parse_date(cell, today=today, order=order)), None
    except ParseError as exc:
        return None, str(exc)


# An export holds a few hundred distinct dates over thousands of rows.
_text_reported_on = lru_cache(maxsize=4096)(_reported_on)


# Long: one field after another in column order; split up, the row would be scattered.
def normalise_signal(
    values: dict[str, Any],
    extra: dict[str, Any],
    *,
    columns: dict[str, str],
    region: Region,
    classifier: Classifier,
    date_order: str = "dmy",
    today: datetime.date | None = None,
    excel_dates: bool = True,
) -> Parsed:
    """`values` by field name; `columns` maps field names to the file's headers
    (for the raw record). Problems name fields."""
    out = Problems()

    ref = text_value(values.get("ref"))
    if not ref:
        out.errors.append(Issue("ref", "empty (a reference number is required)"))

    cell = date_cell(values.get("reported_on"), excel_dates)
    if cell.__class__ is str:
        reported_on, problem = _text_reported_on(cell, today or datetime.date.today(), date_order)
    else:
        reported_on, problem = _reported_on(cell, today, date_order)
    if problem:
        out.errors.append(Issue("reported_on", problem))

    text = text_value(values.get("text"))
    if not text:
        out.errors.append(Issue("text", "empty (a description is required)"))

    place = text_value(values.get("place"))
    gemeente_cell = text_value(values.get("gemeente"))
    day = reported_on or (today or datetime.date.today()).isoformat()
    placement = region.place(place, gemeente_cell, day)
    if placement.warning:
        out.warnings.append(Issue("place", placement.warning))

    category = text_value(values.get("category"))
    type_code, type_origin = classifier.classify(category, text)

    phones_cell = values.get("phones")
    phones = parse_phones(phones_cell)
    if any(not p.valid for p in phones):
        out.warnings.append(Issue("phones", "phone number not valid; kept as written"))

    record: dict[str, Any] = {
        "ref": ref,
        "reported_on": reported_on,
        "category": category,
        "type": type_code,
        "type_origin": type_origin,
        "place": place,
        "gemeente": placement.gemeente,
        "cbs_code": placement.cbs_code,
        "address": text_value(values.get("address")),
        "text": text,
        "persons": text_value(values.get("persons")),
        "vehicle": text_value(values.get("vehicle")),
        "url": text_value(values.get("url")),
        "victim_gender": _gender(text_value(values.get("victim_gender"))),
        "victim_age": _age(values.get("victim_age"), "victim_age", out),
        "victim_nationality": text_value(values.get("victim_nationality")),
        "reporter": text_value(values.get("reporter")),
        "raw": raw_record(values, extra, columns),
    }
    digest = content_hash({**record, "gemeente_cell": gemeente_cell}, phones)
    row = SignalRow(**record, content_hash=digest)
    return Parsed(None if out.errors else row, tuple(phones), tuple(out.errors), tuple(out.warnings))

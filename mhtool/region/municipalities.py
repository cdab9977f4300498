"""The region: its municipalities, their places and their validity dates.

A signal names a place, not always the municipality; this module maps it.
Municipality records carry `valid_from` / `valid_to`, so a boundary change
(Wijdemeren merging into Hilversum on 2027-01-01) is data, and a signal maps
by its own date. A place outside the region maps to `buiten regio`, an
unknown or empty one to `onbekend`: never dropped.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from mhtool.errors import MhtoolError
from mhtool.text import fold

OUTSIDE = "buiten regio"
UNKNOWN = "onbekend"
TOTAL = "totaal"  # the row or column that adds up the others, in figures and cost tables
REGION_COLUMNS = ("gemeente", "cbs_code", "inhabitants", "inhabitants_on", "valid_from", "valid_to", "places")
DEFAULT_REGION_FILE = "region_gooi_en_vechtstreek.csv"
MAX_INHABITANTS = 10_000_000  # more than any municipality (Amsterdam: under a million)

_APOSTROPHES = re.compile(r"['\u2018\u2019`\u00b4]")
_SEPARATORS = re.compile(r"[\s\-_./,()]+")


def normalise_place(name: str | None) -> str:
    """'s-Graveland, s Graveland and 'S-GRAVELAND all become 's graveland'."""
    if not name:
        return ""
    text = _APOSTROPHES.sub("", fold(str(name)))
    return _SEPARATORS.sub(" ", text).strip()


_RESERVED = {normalise_place(UNKNOWN), normalise_place(OUTSIDE)}


@dataclass(frozen=True)
class Municipality:
    gemeente: str
    cbs_code: str
    inhabitants: int
    inhabitants_on: str | None
    valid_from: str | None
    valid_to: str | None
    places: tuple[str, ...]

    def valid_on(self, day: str) -> bool:
        return (not self.valid_from or self.valid_from <= day) and (not self.valid_to or day <= self.valid_to)


@dataclass(frozen=True)
class Placement:
    gemeente: str
    cbs_code: str | None
    warning: str | None = None


def read_region_csv(text: str, name: str) -> list[Municipality]:
    """Parse and validate a region table (see docs/formats.md)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in REGION_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise MhtoolError(f"{name}:1: missing column(s) {', '.join(missing)}")
    records = []
    for number, row in enumerate(reader, start=2):
        try:
            inhabitants = int(str(row["inhabitants"]).replace(".", "").replace(",", "").strip())
        except ValueError:
            raise MhtoolError(f"{name}:{number}: inhabitants: not a whole number") from None
        if not 1 <= inhabitants <= MAX_INHABITANTS:
            raise MhtoolError(f"{name}:{number}: inhabitants: must be between 1 and {MAX_INHABITANTS:,}")
        for column in ("inhabitants_on", "valid_from", "valid_to"):
            value = (row[column] or "").strip()
            if value:
                try:
                    datetime.date.fromisoformat(value)
                except ValueError:
                    raise MhtoolError(f"{name}:{number}: {column}: not an ISO date (YYYY-MM-DD)") from None
        gemeente = (row["gemeente"] or "").strip()
        if not gemeente:
            raise MhtoolError(f"{name}:{number}: gemeente: empty")
        places = tuple(p.strip() for p in (row["places"] or "").split("|") if p.strip())
        for column, value in (("gemeente", gemeente), *(("places", p) for p in places)):
            if normalise_place(value) in _RESERVED:
                raise MhtoolError(
                    f"{name}:{number}: {column}: {value!r} is what mhtool counts signals "
                    "without a region municipality under; it cannot be a municipality or place"
                )
        valid_from, valid_to = ((row[c] or "").strip() or None for c in ("valid_from", "valid_to"))
        if valid_from and valid_to and valid_to < valid_from:
            raise MhtoolError(f"{name}:{number}: valid_to: lies before valid_from")
        records.append(
            Municipality(
                gemeente=gemeente,
                cbs_code=(row["cbs_code"] or "").strip(),
                inhabitants=inhabitants,
                inhabitants_on=(row["inhabitants_on"] or "").strip() or None,
                valid_from=valid_from,
                valid_to=valid_to,
                places=places if gemeente in places else (gemeente, *places),
            )
        )
    if not records:
        raise MhtoolError(f"{name}: no municipalities in the region table")
    _check_one_municipality_per_place(records, name)
    return records


def _check_one_municipality_per_place(records: list[Municipality], name: str) -> None:
    """A place (or a municipality's name) may belong to one record at a time:
    otherwise which municipality a signal counts under would depend on the
    order of the rows."""
    seen: dict[str, list[tuple[int, Municipality]]] = {}
    for number, record in enumerate(records, start=2):
        keys = {normalise_place(p) for p in record.places} | {normalise_place(record.gemeente)}
        for key in keys:
            for other_number, other in seen.get(key, []):
                if _overlap(record, other):
                    shown = next((p for p in record.places if normalise_place(p) == key), record.gemeente)
                    raise MhtoolError(
                        f"{name}:{number}: places: {shown!r} is also in row {other_number} "
                        "for the same dates (a place lies in one municipality at a time)"
                    )
            seen.setdefault(key, []).append((number, record))


def _overlap(a: Municipality, b: Municipality) -> bool:
    return (a.valid_from or "") <= (b.valid_to or "9999") and (b.valid_from or "") <= (a.valid_to or "9999")


def default_region() -> list[Municipality]:
    text = resources.files("mhtool.data").joinpath(DEFAULT_REGION_FILE).read_text("utf-8")
    return read_region_csv(text, DEFAULT_REGION_FILE)


@lru_cache(maxsize=1)
def _dutch_names() -> frozenset[str]:
    names = set()
    for file_name in ("dutch_municipalities.txt", "dutch_places_extra.txt"):
        try:
            text = resources.files("mhtool.data").joinpath(file_name).read_text("utf-8")
        except FileNotFoundError:
            continue
        for line in text.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                names.add(normalise_place(line))
    return frozenset(names)


class Region:
    """Maps places and municipality names to a municipality on a date."""

    def __init__(self, municipalities: list[Municipality]):
        self.municipalities = municipalities
        # normalised name -> records that contain it (several over time)
        self._by_place: dict[str, list[Municipality]] = {}
        self._by_gemeente: dict[str, list[Municipality]] = {}
        for record in municipalities:
            self._by_gemeente.setdefault(normalise_place(record.gemeente), []).append(record)
            for place in record.places:
                self._by_place.setdefault(normalise_place(place), []).append(record)
        self._longest_name = max((len(k.split()) for k in self._by_place), default=1)
        self._cache: dict[tuple[str, str, str], Placement] = {}

    def names(self, day: str | None = None) -> list[str]:
        """Municipality names in force on `day` (today when omitted)."""
        day = day or datetime.date.today().isoformat()
        return sorted({m.gemeente for m in self.municipalities if m.valid_on(day)})

    def in_force(self, day: str | None = None) -> list[Municipality]:
        day = day or datetime.date.today().isoformat()
        return sorted((m for m in self.municipalities if m.valid_on(day)), key=lambda m: m.gemeente)

    def _record_on(self, records: list[Municipality], day: str) -> Municipality | None:
        for record in records:
            if record.valid_on(day):
                return record
        return None

    def _lookup_name(self, key: str, day: str) -> Municipality | None:
        """A municipality or place name (or one that starts the text)."""
        for table in (self._by_gemeente, self._by_place):
            records = table.get(key)
            if records:
                found = self._record_on(records, day)
                if found:
                    return found
        words = key.split()
        for size in range(min(len(words) - 1, self._longest_name), 0, -1):
            records = self._by_place.get(" ".join(words[:size]))
            if records:
                found = self._record_on(records, day)
                if found:
                    return found
        return None

    def _outside(self, key: str) -> bool:
        if key in _dutch_names():
            return True
        words = key.split()
        return any(" ".join(words[:size]) in _dutch_names() for size in range(len(words) - 1, 0, -1))

    def place(self, place: str | None, gemeente: str | None, day: str) -> Placement:
        """Map a signal's place and/or municipality cell on its date (ISO)."""
        cache_key = (place or "", gemeente or "", day[:10])
        cached = self._cache.get(cache_key)
        if cached is None:
            cached = self._place(normalise_place(place), normalise_place(gemeente), day[:10])
            if len(self._cache) < 100_000:
                self._cache[cache_key] = cached
        return cached

    def _place(self, place_key: str, gemeente_key: str, day: str) -> Placement:
        for key in (gemeente_key, place_key):
            if key:
                found = self._lookup_name(key, day)
                if found:
                    return Placement(found.gemeente, found.cbs_code)
        for key in (gemeente_key, place_key):
            if key and self._outside(key):
                return Placement(OUTSIDE, None)
        if not place_key and not gemeente_key:
            return Placement(UNKNOWN, None, "no place or municipality; counted under 'onbekend'")
        return Placement(UNKNOWN, None, "place not recognised; counted under 'onbekend'")


# --- storage ------------------------------------------------------------------


def load_region(db) -> Region:
    """The region stored in the database (the bundled one on first use)."""
    rows = list(db.conn.execute(f"SELECT {', '.join(REGION_COLUMNS)} FROM region ORDER BY id"))
    if not rows:
        municipalities = default_region()
        from mhtool.store.db import transaction

        if db.conn.in_transaction:
            _store(db, municipalities)
        else:
            with transaction(db):
                if not db.conn.execute("SELECT 1 FROM region LIMIT 1").fetchone():
                    _store(db, municipalities)
        return Region(municipalities)
    return Region([Municipality(r[0], r[1], r[2], r[3], r[4], r[5], tuple(r[6].split("|"))) for r in rows])


def _store(db, municipalities: list[Municipality]) -> None:
    db.conn.execute("DELETE FROM region")
    db.conn.executemany(
        f"INSERT INTO region ({', '.join(REGION_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (m.gemeente, m.cbs_code, m.inhabitants, m.inhabitants_on, m.valid_from, m.valid_to, "|".join(m.places))
            for m in municipalities
        ],
    )


def replace_region(db, path: str) -> list[Municipality]:
    """`mhtool region load FILE`: validate the table, then replace the stored one."""
    from mhtool.io.settings import read_settings
    from mhtool.store.db import transaction

    data = read_settings(path, "region")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    municipalities = read_region_csv(text, path)
    with transaction(db):
        _store(db, municipalities)
    return municipalities


# --- a municipality named on the command line ---------------------------------


def resolve_gemeente(region: Region, name: str) -> tuple[str, str | None]:
    """(municipality as the region names it, a note) for what a user typed:
    a municipality in any spelling, 'onbekend' or 'buiten regio', or a place
    of the region (with the note which municipality it lies in). Anything
    else is a usage error that suggests the nearest name."""
    from mhtool.errors import UsageError

    key = normalise_place(name)
    names = {normalise_place(m.gemeente): m.gemeente for m in region.municipalities}
    names.update({normalise_place(UNKNOWN): UNKNOWN, normalise_place(OUTSIDE): OUTSIDE})
    if key in names:
        return names[key], None
    places = {normalise_place(p): m.gemeente for m in region.municipalities for p in m.places}
    if key in places:
        return places[key], f"{name.strip()} ligt in {places[key]}"
    from rapidfuzz import fuzz, process

    best = process.extractOne(key, [*names, *places], scorer=fuzz.ratio, score_cutoff=70) if key else None
    if best:
        match = best[0]
        suggestion = names.get(match) or f"{_shown_place(region, match)} ({places[match]})"
        raise UsageError(f"unknown municipality {name!r}: bedoelt u {suggestion}?")
    known = ", ".join(sorted({m.gemeente for m in region.municipalities}))
    raise UsageError(f"unknown municipality {name!r} (known: {known}, {UNKNOWN}, {OUTSIDE})")


def _shown_place(region: Region, key: str) -> str:
    for municipality in region.municipalities:
        for place in municipality.places:
            if normalise_place(place) == key:
                return place
    return key

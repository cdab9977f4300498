"""The fields of a signal and the headers each source uses for them.

Taken from the input contract (docs/formats.md). Other sources bring their
own headers in a TOML profile (see `load_profile`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mhtool.errors import MhtoolError, UsageError
from mhtool.io.headers import Field
from mhtool.io.settings import bad, known_keys, load_toml, table, text, texts

SIGNAL_FIELDS = (
    "ref",
    "reported_on",
    "category",
    "place",
    "gemeente",
    "address",
    "text",
    "phones",
    "persons",
    "vehicle",
    "url",
    "victim_gender",
    "victim_age",
    "victim_nationality",
    "reporter",
)
REQUIRED = ("ref", "reported_on", "text")

_VICTIM = {
    "victim_gender": ("Geslacht", "Geslacht slachtoffer"),
    "victim_age": ("Leeftijd", "Leeftijd slachtoffer"),
    "victim_nationality": ("Nationaliteit", "Nationaliteit slachtoffer", "Herkomst"),
}

MMA_HEADERS = {
    "ref": ("Meldingnummer", "Melding nr", "M-nummer", "Registratienummer", "Nummer", "ID"),
    "reported_on": ("Datum melding", "Meldingsdatum", "Datum", "Datum ontvangst"),
    "category": ("Categorie", "Soort", "Onderwerp", "Thema", "Delict"),
    "place": ("Plaats", "Woonplaats", "Pleegplaats", "Locatie", "Plaats delict"),
    "gemeente": ("Gemeente",),
    "address": ("Adres", "Straat", "Straatnaam", "Locatie adres"),
    "text": ("Omschrijving", "Melding", "Meldingstekst", "Toelichting", "Inhoud"),
    "phones": ("Telefoonnummer", "Telefoonnummers", "Telefoon", "Tel"),
    "persons": ("Betrokkenen", "Betrokkene", "Personen", "Naam", "Namen"),
    "vehicle": ("Kenteken", "Voertuig"),
    **_VICTIM,
}

WATCH_HEADERS = {
    "ref": ("Signaal ID", "Signaalnummer", "Kenmerk", "ID", "Referentie"),
    "reported_on": ("Datum", "Datum signaal", "Signaaldatum", "Gevonden op"),
    "category": ("Soort uitbuiting", "Type uitbuiting", "Categorie", "Type"),
    "place": ("Plaats", "Locatie", "Stad", "Werkgebied"),
    "gemeente": ("Gemeente",),
    "address": ("Adres", "Straat"),
    "text": ("Samenvatting", "Omschrijving", "Bevindingen", "Toelichting"),
    "phones": ("Telefoonnummer", "Telefoonnummers", "Telefoon"),
    "persons": ("Personen", "Namen", "Alias", "Aliassen"),
    "url": ("URL", "Link", "Bron", "Vindplaats"),
    **_VICTIM,
}

BUILTIN_SOURCES = {"mma": MMA_HEADERS, "watch": WATCH_HEADERS}


@dataclass
class SourceSpec:
    """How to read one source's export."""

    source: str
    fields: list[Field]
    date_order: str = "dmy"
    fixed: dict[str, str] = field(default_factory=dict)


def _fields(headers: dict[str, tuple[str, ...]], fixed: dict[str, str]) -> list[Field]:
    return [
        Field(name, tuple(aliases), required=name in REQUIRED and name not in fixed)
        for name, aliases in headers.items()
    ]


def builtin_spec(source: str) -> SourceSpec:
    return SourceSpec(source, _fields(BUILTIN_SOURCES[source], {}))


def load_profile(path: str, source: str | None) -> SourceSpec:
    """Read a TOML import profile for another source.

    ```toml
    source = "veiligthuis"
    date_order = "dmy"          # dmy | mdy | ymd
    [headers]
    ref = ["Dossiernummer"]
    [fixed]
    category = "Arbeidsuitbuiting"
    ```
    """
    data = load_toml(path, "profile")
    known_keys(data, ("source", "date_order", "headers", "fixed"), path)
    name = source or (text(data["source"], path, "source").strip() if "source" in data else None)
    if not name:
        raise UsageError(f'{path}: the profile names no source; add source = "..." or pass --source')
    date_order = text(data.get("date_order", "dmy"), path, "date_order")
    if date_order not in ("dmy", "mdy", "ymd"):
        raise bad(path, "date_order", "must be dmy, mdy or ymd")
    headers = table(data.get("headers", {}), path, "headers")
    fixed = {k: text(v, path, f"fixed.{k}") for k, v in table(data.get("fixed", {}), path, "fixed").items()}
    known_keys(headers, SIGNAL_FIELDS, path, "headers.")
    known_keys(fixed, SIGNAL_FIELDS, path, "fixed.")
    aliases = {}
    for key, value in headers.items():
        names = texts(value, path, f"headers.{key}", one_allowed=True)
        if not [n for n in names if n.strip()]:
            raise bad(path, f"headers.{key}", "names no header")
        aliases[key] = tuple(names)
    for key in REQUIRED:
        if key not in aliases and key not in fixed:
            raise MhtoolError(f"{path}: the profile must give headers for {key!r}")
    return SourceSpec(str(name), _fields(aliases, fixed), date_order, fixed)


def resolve_spec(source: str, profile: str | None) -> SourceSpec:
    if profile:
        return load_profile(profile, source)
    if source in BUILTIN_SOURCES:
        return builtin_spec(source)
    raise UsageError(f"unknown source {source!r}: use mma or watch, or give --profile FILE for another source")

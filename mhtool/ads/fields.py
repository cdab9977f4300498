"""The fields of an ad export and the headers that name them (docs/formats.md)."""

from __future__ import annotations

from mhtool.io.headers import Field

AD_HEADERS = {
    "site": ("Site", "Website", "Bron"),
    "ad_id": ("Advertentie ID", "Ad ID", "ID", "Advertentienummer"),
    "url": ("URL", "Link"),
    "seen_on": ("Datum", "Gezien op", "Peildatum", "Scrape datum", "Datum gezien"),
    "title": ("Titel", "Kop"),
    "text": ("Tekst", "Advertentietekst", "Omschrijving", "Beschrijving"),
    "name": ("Naam", "Werknaam", "Artiestennaam"),
    "age": ("Leeftijd", "Age"),
    "phone": ("Telefoon", "Telefoonnummer", "Tel", "Whatsapp"),
    "place": ("Plaats", "Stad", "Locatie", "Werkplaats"),
    "licence": ("Vergunning", "Vergunningnummer", "Registratienummer", "Licentie"),
    "nationality": ("Nationaliteit", "Afkomst", "Herkomst"),
    "price": ("Prijs", "Tarief"),
    "photo_hashes": ("Foto hashes", "Fotohash", "Image hashes"),
}
AD_FIELDS = tuple(AD_HEADERS)
REQUIRED = ("site", "ad_id", "seen_on", "text")


def ad_fields() -> list[Field]:
    return [Field(name, aliases, required=name in REQUIRED) for name, aliases in AD_HEADERS.items()]

"""Write the example weekly sex-ad exports in examples/ads/.

    python examples/make_ads_examples.py            # (re)writes everything in examples/ads/
    python examples/make_ads_examples.py --check    # only checks that the files on disk are up to date

Everything here is INVENTED: the two sites (``kinky-gooi.example`` and
``sexjobs-midden.example``, on the reserved ``.example`` domain), the workers'
names, phone numbers (06-1234xxxx / 06-8765xxxx), photo hashes and texts.
Place names are real places in Gooi en Vechtstreek so that place ->
municipality mapping can be tried on them.

Files written (three consecutive ISO weeks, 2026-W46, W47 and W48; the last
export was taken on Wednesday 2026-11-25, so no date is later than that):

- ``ads/ads_kinky_2026-W4{6,7,8}.csv``   kinky-gooi.example, UTF-8, ``,``, one
  row per ad, with age, licence, price and photo-hash columns.
- ``ads/ads_sexjobs_2026-W4{6,7,8}.xlsx`` sexjobs-midden.example, first sheet;
  NO age, licence or price columns: those must be read from the text
  ("23 jaar", "(23)", "Vergunningnummer: HV-2025-066", "150 euro per uur").
  "Scrape datum" is a real Excel date-time cell.
- ``ads/labels.csv``  the director's own judgement (risky / not-risky) for 28 ads.
- ``ads/README.md``   which ads show which built-in pattern.

``PATTERNS`` below names the ads behind every built-in pattern, so tests can
import this module instead of hard-coding ids; ``validate()`` asserts that the
data really has those patterns (and no accidental extra ones) before anything
is written. Only the standard library and openpyxl are needed (rapidfuzz is
used for the text-similarity check when installed, difflib otherwise). The
output is byte-for-byte reproducible.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_examples import reproducible_zip, write_or_check  # noqa: E402  (shared with the signal examples)

HERE = Path(__file__).resolve().parent
OUT = HERE / "ads"

KINKY = "kinky-gooi.example"
SEXJOBS = "sexjobs-midden.example"

WEEKS = {
    "2026-W46": [dt.date(2026, 11, d) for d in (9, 10, 11, 12, 13)],
    "2026-W47": [dt.date(2026, 11, d) for d in (16, 17, 18, 19, 20)],
    "2026-W48": [dt.date(2026, 11, d) for d in (23, 24, 25)],
}
ALL_WEEKS = tuple(WEEKS)
LAST_DATE = dt.date(2026, 11, 25)

KINKY_HEADERS = [
    "Site",
    "Advertentie ID",
    "URL",
    "Datum gezien",
    "Titel",
    "Tekst",
    "Werknaam",
    "Leeftijd",
    "Telefoon",
    "Plaats",
    "Vergunningnummer",
    "Prijs",
    "Foto hashes",
]
SEXJOBS_HEADERS = [
    "Website",
    "Ad ID",
    "Link",
    "Scrape datum",
    "Kop",
    "Advertentietekst",
    "Naam",
    "Telefoonnummer",
    "Stad",
    "Nationaliteit",
]

# The phone behind four ads under three names in three places (a controller).
CONTROLLER_PHONE = "0687653017"
# The phone that also occurs in examples/mma_export_2026Q3.csv, row M26-100283
# (escort service from a holiday cottage in Muiden; also Watch WN-26-0463).
SIGNAL_PHONE = "0687650283"
SIGNAL_REF = "M26-100283"
# The photo hash used by Jasmijn (kinky 418245) and re-used by "Lina" (kinky 418266).
SHARED_PHOTO = "a41c07e9b25d3f86"


def photo(ad_id: str, n: int) -> str:
    """A stable, unique 16-hex-char 'perceptual hash' for photo n of an ad."""
    return hashlib.sha256(f"photo:{ad_id}:{n}".encode()).hexdigest()[:16]


# Template text copied between two ads (kinky 418257 "Mila" and sexjobs SJ-205119 "Daria").
TEMPLATE = (
    "Hoi heren! Ik ben {name}, {age} jaar, een lieve en spontane meid met {figure}. Ik ontvang je "
    "discreet in mijn privé-appartement in {place}, met gratis parkeren voor de deur. Ik neem de tijd "
    "voor je en zorg dat {you} je helemaal op je gemak voelt. Douche en handdoeken aanwezig. Bel of app "
    "mij voor een afspraak, geen anonieme nummers. {price} euro per uur."
)

# --------------------------------------------------------------------------
# The ads. Each ad is present in the weeks listed in "weeks"; "changes" maps a
# week to the fields that change from that week on (phone, place, text, ...).
# Kinky fields: title, text, name, age, phone, place, licence, price, photos.
# Sexjobs fields: title, text, name, phone, place, nationality.
# --------------------------------------------------------------------------
KINKY_ADS = [
    dict(
        id="418203",
        weeks=ALL_WEEKS,
        name="Sandra",
        age="38",
        phone="06-12347031",
        place="Hilversum",
        licence="HV-2025-031",
        price="150",
        title="Sandra (38) - ontspannen afspraak in Hilversum",
        text="Hoi, ik ben Sandra, een spontane vrouw van 38. Ik ontvang je in mijn eigen, schone werkkamer "
        "op loopafstand van station Hilversum. Afspraken maak ik alleen telefonisch, maandag tot en met "
        "vrijdag van 11 tot 19 uur. Ik werk met vergunning en uitsluitend veilig. Tarief 150 euro per uur.",
        photos=[photo("418203", 1), photo("418203", 2)],
        changes={
            "2026-W48": dict(
                text="Hoi, ik ben Sandra, een spontane vrouw van 38. Ik ontvang je in mijn eigen, schone "
                "werkkamer op loopafstand van station Hilversum. Afspraken maak ik alleen telefonisch, "
                "maandag tot en met vrijdag van 11 tot 19 uur. Vanaf december werk ik ook op zaterdag. Ik "
                "werk met vergunning en uitsluitend veilig. Tarief 150 euro per uur.",
            ),
        },
    ),
    dict(
        id="418207",
        weeks=ALL_WEEKS,
        name="Marieke",
        age="44",
        phone="0612347007",
        place="Huizen",
        licence="HZ-2024-007",
        price="140",
        title="Marieke, warme en ervaren vrouw in Huizen",
        # near miss for `unsafe_services`: the ordinary word "af" (af en toe), not the abbreviation AF
        text="Ik ben Marieke, 44 jaar, gezellig en ervaren. Bij mij thuis in Huizen neem ik echt de tijd "
        "voor je; een kop koffie vooraf hoort erbij. Ik werk af en toe ook 's avonds, bel dan wel een dag "
        "van tevoren. Geen anonieme nummers, geen sms. Vergunning aanwezig.",
        photos=[photo("418207", 1)],
    ),
    dict(
        id="418211",
        weeks=ALL_WEEKS,
        name="Eva",
        age="29",
        phone="06 1234 7118",
        place="Hilversum",
        licence="",
        price="160",  # licence only in the text
        title="Eva - stijlvol en discreet",
        text="Mijn naam is Eva, 29 jaar. Ik ontvang heren met stijl in een rustige werkkamer in "
        "Hilversum-Zuid. Ik houd van een goed gesprek en een prettige sfeer. Bereikbaar van dinsdag tot en "
        "met zaterdag, 12 tot 20 uur. Vergunningnummer: HV-2024-118.",
        photos=[photo("418211", 1), photo("418211", 2), photo("418211", 3)],
    ),
    dict(
        id="418215",
        weeks=("2026-W46", "2026-W47"),
        name="Yvonne",
        age="47",
        phone="06-12347014",
        place="Bussum",
        licence="GM-2025-014",
        price="130",
        title="Yvonne, rijpe vrouw in Bussum",
        text="Hallo, ik ben Yvonne (47). Al jaren werkzaam in een nette kamer in een privéhuis in Bussum, "
        "vlak bij het centrum. Ik ben rustig, lief en luister goed. Afspraak minimaal een uur van "
        "tevoren. Ik werk met vergunning van de gemeente Gooise Meren.",
        photos=[photo("418215", 1)],
    ),
    dict(
        id="418220",
        weeks=ALL_WEEKS,
        name="Jessy",
        age="27",
        phone="06-12347220",
        place="Loosdrecht",
        licence="",
        price="€ 120",
        title="Jessy, thuiswerkster in Loosdrecht",
        text="Hoi, ik ben Jessy, 27 jaar en ik werk vanuit huis in Loosdrecht. Ik ben sportief, vrolijk en "
        "houd van lachen. Je kunt bij mij terecht op doordeweekse dagen tussen 10 en 17 uur. Stuur gerust "
        "eerst een berichtje. 120 euro per uur.",
        photos=[photo("418220", 1), photo("418220", 2)],
    ),
    dict(
        id="418224",
        weeks=ALL_WEEKS,
        name="Lotte",
        age="24",
        phone="06-12347044",
        place="Hilversum",
        licence="HV-2025-044",
        price="150",
        title="Nieuw in Hilversum: Lotte (24)",
        text="Ik ben Lotte, 24 jaar, en sinds deze maand werk ik met vergunning in Hilversum. Spontaan, "
        "nieuwsgierig en heel relaxed, dat ben ik. Ik ontvang in een nette werkkamer met eigen douche. "
        "Bel mij tussen 12 en 22 uur, ik neem zelf op.",
        photos=[photo("418224", 1), photo("418224", 2)],
    ),
    dict(
        id="418231",
        weeks=ALL_WEEKS,
        name="Nikita",
        age="22",
        phone="06-87653017",
        place="Hilversum",
        licence="",
        price="100",
        title="Nikita 22 - exotische schoonheid",
        text="Nikita is 22 jaar en net aangekomen in Nederland. Zij spreekt alleen Engels, maar ze is heel "
        "lief en doet alles om je blij te maken. Onze meisjes zijn 24/7 beschikbaar, ook voor hotelbezoek "
        "in het Gooi. Bel of app voor een afspraak, wij regelen alles.",
        photos=[photo("418231", 1), photo("418231", 2)],
    ),
    dict(
        id="418232",
        weeks=ALL_WEEKS,
        name="Bella",
        age="23",
        phone="+31 6 8765 3017",
        place="Huizen",
        licence="",
        price="90",
        title="Bella - lieve meid in Huizen",
        text="Bella is een schatje van 23 uit het buitenland. Ze heet eigenlijk anders, maar voor jou is ze "
        "Bella. Ontvangst in een rustig appartement in Huizen, dag en nacht. Onze meisjes wisselen "
        "regelmatig, vraag gerust wie er vandaag is. 90 euro per uur.",
        photos=[photo("418232", 1)],
    ),
    dict(
        id="418245",
        weeks=ALL_WEEKS,
        name="Jasmijn",
        age="26",
        phone="06-12347245",
        place="Laren",
        licence="",
        price="150",
        title="Jasmijn - natuurlijk en ontspannen",
        text="Ik ben Jasmijn, 26 jaar, en ik werk zelfstandig vanuit mijn appartement in Laren. Ik houd van "
        "wandelen op de hei, goede wijn en rustige afspraken zonder haast. Alleen op afspraak, uiterlijk "
        "een dag van tevoren. Mijn foto's zijn echt en recent.",
        photos=[photo("418245", 1), SHARED_PHOTO, photo("418245", 2)],
        changes={"2026-W48": dict(photos=[photo("418245", 1), SHARED_PHOTO, photo("418245", 2), photo("418245", 3)])},
    ),
    dict(
        id="418257",
        weeks=ALL_WEEKS,
        name="Mila",
        age="23",
        phone="06-87653257",
        place="Huizen",
        licence="",
        price="100",
        title="Mila (23) - lief en spontaan",
        text=TEMPLATE.format(name="Mila", age=23, figure="een slank figuur", place="Huizen", you="je", price=100),
        photos=[photo("418257", 1), photo("418257", 2)],
    ),
    dict(
        id="418266",
        weeks=("2026-W47", "2026-W48"),
        name="Lina",
        age="21",
        phone="06-87653266",
        place="Hilversum",
        licence="",
        price="80",
        title="NIEUW in Hilversum!! Lina 21",
        text="Lina is 21 jaar en alleen deze week in Hilversum. Zij is nieuw hier en heel lief, alles "
        "mogelijk. Discrete ontvangst in privé-appartement bij het centrum. Alleen WhatsApp, geen "
        "telefoontjes. 80 euro per uur.",
        photos=[SHARED_PHOTO, photo("418266", 1)],
    ),
    dict(
        id="418274",
        weeks=("2026-W47", "2026-W48"),
        name="Kimmy",
        age="19",
        phone="06-87653274",
        place="Bussum",
        licence="",
        price="70",
        title="Kimmy (19) - jong en onschuldig",
        text="Jong tienermeisje Kimmy, 19 jaar, heel klein en verlegen. Zij is voor het eerst in Bussum "
        "en heeft nog weinig ervaring. Afspraken alleen via haar vriend, app eerst. 70 euro per uur.",
        photos=[photo("418274", 1)],
    ),
    dict(
        id="418281",
        weeks=ALL_WEEKS,
        name="Chantal",
        age="30",
        phone="",
        place="Kortenhoef",
        licence="",
        price="",  # phone only spelled out in the text, price only in the text
        title="Chantal - ontspannen bij het water",
        text="Ik ben Chantal (30) en ik ontvang je in een vrijstaand huisje aan de plas in Kortenhoef. "
        "Parkeren op eigen terrein, heel discreet. Ik ben bereikbaar op werkdagen. Bel of app: nul zes "
        "acht zeven zes vijf drie nul acht een. 120 euro per uur.",
        photos=[photo("418281", 1), photo("418281", 2)],
    ),
    dict(
        id="418288",
        weeks=ALL_WEEKS,
        name="Gabriela",
        age="27",
        phone="06-87653288",
        place="Hilversum",
        licence="",
        price="100",
        title="Nieuw in Hilversum - Gabriela",
        text="Roemeense schoonheid Gabriela (27), alleen deze week in Hilversum! Spreekt alleen Engels. "
        "Discrete ontvangst in privé-appartement, ook 's nachts. 100 euro per uur.",
        photos=[photo("418288", 1), photo("418288", 2)],
        changes={
            "2026-W47": dict(
                place="Huizen",
                title="Nieuw in Huizen - Gabriela",
                text="Roemeense schoonheid Gabriela (27), alleen deze week in Huizen! Spreekt alleen "
                "Engels. Discrete ontvangst in privé-appartement, ook 's nachts. 100 euro per uur.",
            ),
            "2026-W48": dict(
                place="Naarden",
                title="Nieuw in Naarden - Gabriela",
                text="Roemeense schoonheid Gabriela (27), alleen deze week in Naarden! Spreekt alleen "
                "Engels. Discrete ontvangst in privé-appartement, ook 's nachts. 100 euro per uur.",
            ),
        },
    ),
    dict(
        id="418290",
        weeks=("2026-W46",),
        name="Dewi",
        age="33",
        phone="06-12347290",
        place="Eemnes",
        licence="",
        price="130",
        title="Dewi - Eemnes, op afspraak",
        text="Hallo, ik ben Dewi, 33 jaar. Ik ontvang rustig en discreet in Eemnes, op een paar minuten van "
        "de A27. Ik ben een echte genieter en neem graag de tijd. Afspraak via telefoon, liefst een dag "
        "vooraf. 130 euro per uur.",
        photos=[photo("418290", 1)],
    ),
    dict(
        id="418292",
        weeks=ALL_WEEKS,
        name="Roos",
        age="35",
        phone="06-12347087",
        place="Hilversum",
        licence="HV-2023-087",
        price="175",
        title="Roos - klasse en rust in Hilversum",
        text="Ik ben Roos, 35 jaar, en ik werk al zes jaar met vergunning in Hilversum. Ik ontvang in een "
        "smaakvol ingerichte kamer met parkeergelegenheid. Maandag tot en met donderdag van 13 tot 21 "
        "uur. 175 euro per uur.",
        photos=[photo("418292", 1), photo("418292", 2)],
        changes={
            "2026-W47": dict(
                phone="06-12347088",
                text="Let op: ik heb een nieuw telefoonnummer! Ik ben Roos, 35 jaar, en ik werk al zes jaar "
                "met vergunning in Hilversum. Ik ontvang in een smaakvol ingerichte kamer met "
                "parkeergelegenheid. Maandag tot en met donderdag van 13 tot 21 uur. 175 euro per uur.",
            ),
        },
    ),
    dict(
        id="418296",
        weeks=ALL_WEEKS,
        name="Nadia",
        age="",
        phone="06-12347296",
        place="Blaricum",
        licence="",
        price="200",  # age only in the text
        title="Nadia - escort en ontvangst in Blaricum",
        text="Ik ben Nadia, 31 jaar, een stijlvolle vrouw met gevoel voor humor. Ik ontvang in Blaricum of "
        "kom naar je toe in het Gooi (hotel of thuis). Graag een dag van tevoren reserveren. 200 euro per "
        "uur, voor een hele avond op aanvraag.",
        photos=[photo("418296", 1), photo("418296", 2), photo("418296", 3)],
    ),
    dict(
        id="418299",
        weeks=("2026-W46", "2026-W47"),
        name="Xena",
        age="26",
        phone="06-87653299",
        place="Hilversum",
        licence="",
        price="50",
        title="Sexy Latina Xena - goedkoop!",
        text="Zij is 26 jaar, een vurige Latina, pas in Hilversum. Alles mogelijk: AF, BB, ook zonder "
        "condoom. Snel en goedkoop: 50 euro per uur. Bel nu, zij staat klaar.",
        photos=[photo("418299", 1)],
    ),
    dict(
        id="418310",
        weeks=("2026-W48",),
        name="Sophie",
        age="23",
        phone="06-12347319",
        place="Huizen",
        licence="HZ-2025-019",
        price="150",
        title="Nieuw in Huizen: Sophie",
        text="Hoi! Sophie hier, 23 jaar. Vanaf deze week heb ik een vergunning en een eigen kamer in Huizen, "
        "dicht bij de haven. Vrolijk, open en goed gemutst. Bel gerust tussen 11 en 19 uur. 150 euro per "
        "uur.",
        photos=[photo("418310", 1), photo("418310", 2)],
    ),
    dict(
        id="418312",
        weeks=("2026-W48",),
        name="Angel",
        age="22",
        phone="",
        place="Hilversum",
        licence="",
        price="60",  # phone only broken up in the text
        title="Angel 22 - dag en nacht",
        text="Lieve Angel (22) uit Oost-Europa, dag en nacht te bezoeken in Hilversum. Zij is pas een paar "
        "dagen hier. BB mogelijk. Alleen WhatsApp: 0 6 - 8 7 6 5 - 3 3 1 2. 60 euro per uur.",
        photos=[photo("418312", 1)],
    ),
]

SEXJOBS_ADS = [
    dict(
        id="SJ-205101",
        weeks=ALL_WEEKS,
        name="Ingrid",
        phone="06-12347101",
        place="Hilversum",
        nationality="Nederlands",
        title="Ingrid (41) - ervaren en ontspannen",
        text="Ik ben Ingrid, 41 jaar, en ik werk met vergunning in een nette werkkamer aan de rand van "
        "Hilversum. Ik ben warm, zorgzaam en goed gemanierd. Ontvangst op werkdagen van 10 tot 18 uur. "
        "150 euro per uur. Vergunningnummer: HV-2024-052.",
    ),
    dict(
        id="SJ-205104",
        weeks=ALL_WEEKS,
        name="Monique",
        phone="+31612347104",
        place="Huizen",
        nationality="",
        title="Monique uit Huizen",
        text="Hallo, ik ben Monique (46). In mijn eigen huis in Huizen ontvang ik heren die van een rustige, "
        "volwassen vrouw houden. Geen haast, wel duidelijke afspraken. 130 euro per uur. "
        "Vergunningnummer: HZ-2025-003.",
        changes={
            "2026-W47": dict(
                text="Let op: in december alleen op dinsdag en donderdag. Hallo, ik ben Monique (46). In "
                "mijn eigen huis in Huizen ontvang ik heren die van een rustige, volwassen vrouw houden. "
                "Geen haast, wel duidelijke afspraken. 130 euro per uur. Vergunningnummer: HZ-2025-003.",
            ),
        },
    ),
    dict(
        id="SJ-205108",
        weeks=ALL_WEEKS,
        name="Fleur",
        phone="06-12347108",
        place="Hilversum",
        nationality="",
        title="Fleur (25) - met vergunning in Hilversum",
        text="Ik ben Fleur, 25 jaar, student, en naast mijn studie werk ik met vergunning in Hilversum. Ik "
        "ben spontaan en eerlijk en ik bepaal zelf mijn tijden. Stuur een bericht met je naam en gewenste "
        "dag. 160 euro per uur. Vergunningnummer: HV-2025-066.",
    ),
    dict(
        id="SJ-205112",
        weeks=ALL_WEEKS,
        name="Nikita",
        phone="0687653017",
        place="Hilversum",
        nationality="Oekraïens",
        title="Nikita (22) - nieuw meisje",
        text="Ons nieuwe meisje Nikita (22) ontvangt in een discreet appartement in Hilversum. Zij is heel "
        "lief en spreekt alleen Engels. 24/7 beschikbaar, ook hotelbezoek. Bekijk ook onze meisjes in "
        "Huizen en Bussum. 100 euro per uur. Bel of app, wij maken de afspraak.",
    ),
    dict(
        id="SJ-205115",
        weeks=ALL_WEEKS,
        name="Roxy",
        phone="06 8765 3017",
        place="Bussum",
        nationality="Roemeens",
        title="Roxy - dag en nacht in Bussum",
        text="Roxy is 24 jaar en dag en nacht te bezoeken in Bussum. Zij doet AF en is heel soepel. Spreekt "
        "geen Nederlands. Afspraak via ons nummer, onze meisjes staan voor je klaar. 80 euro per uur.",
    ),
    dict(
        id="SJ-205119",
        weeks=ALL_WEEKS,
        name="Daria",
        phone="06-87653119",
        place="Hilversum",
        nationality="Bulgaars",
        title="Daria (24) - lief en spontaan",
        text=TEMPLATE.format(name="Daria", age=24, figure="een slanke figuur", place="Hilversum", you="jij", price=110),
    ),
    dict(
        id="SJ-205123",
        weeks=("2026-W47", "2026-W48"),
        name="Kitty",
        phone="06-87650283",
        place="Muiden",
        nationality="Hongaars",
        title="Nieuw meisje in Muiden!",
        text="Nieuw in Muiden: Kitty. Zij is 22 jaar en ontvangt in een privé vakantiehuisje bij de "
        "jachthaven, ook overnachting mogelijk. Elke week een ander meisje, vraag naar de mogelijkheden. "
        "120 euro per uur.",
        changes={
            "2026-W48": dict(
                text="Nieuw in Muiden: Kitty. Zij is 22 jaar en ontvangt in een privé vakantiehuisje bij de "
                "jachthaven, ook overnachting mogelijk. Alleen deze week, daarna vertrekt zij. Vraag naar "
                "de mogelijkheden. 120 euro per uur.",
            ),
        },
    ),
    dict(
        id="SJ-205127",
        weeks=ALL_WEEKS,
        name="Britt",
        phone="06-87653127",
        place="Hilversum",
        nationality="",
        title="Britt, net 18!",
        text="Britt is net 18! Zij is een tienermeisje dat nog veel wil leren. Ze woont pas kort in "
        "Hilversum en wordt door een vriend gebracht. Bellen kan tussen 15 en 23 uur. 60 euro per uur.",
    ),
    dict(
        id="SJ-205131",
        weeks=ALL_WEEKS,
        name="Sanne",
        phone="06-12347131",
        place="Naarden",
        nationality="Nederlands",
        title="Sanne (31) - ontvangst in Naarden",
        text="Ik ben Sanne, 31 jaar, en ik ontvang vanuit mijn eigen woning in Naarden. Ik ben sportief, "
        "lief en direct. Liefst op afspraak een dag van tevoren, op werkdagen tussen 10 en 16 uur. 140 "
        "euro per uur.",
        changes={
            "2026-W48": dict(
                place="Bussum",
                title="Sanne (31) - nu in Bussum",
                text="Ik ben Sanne, 31 jaar, en sinds kort ontvang ik in mijn nieuwe woning in Bussum. Ik "
                "ben sportief, lief en direct. Liefst op afspraak een dag van tevoren, op werkdagen tussen "
                "10 en 16 uur. 140 euro per uur.",
            ),
        },
    ),
    dict(
        id="SJ-205135",
        weeks=ALL_WEEKS,
        name="Olga",
        phone="0 6 1 2 3 4 7 1 3 5",
        place="Loosdrecht",
        nationality="Russisch",
        title="Olga (23) - 24/7 in Loosdrecht",
        text="Olga (23) spreekt alleen Engels. Zij is 24/7 beschikbaar in Loosdrecht, ook op een woonboot. "
        "Bel 0 6 1 2 3 4 7 1 3 5, geen sms. 70 euro per uur.",
    ),
    dict(
        id="SJ-205139",
        weeks=("2026-W46", "2026-W47"),
        name="Petra",
        phone="06-12347139",
        place="Hilversum",
        nationality="",
        title="Petra, volwassen en stijlvol",
        text="Ik ben Petra, 55 jaar, een stijlvolle vrouw met veel levenservaring. Ik werk met vergunning "
        "in Hilversum en ontvang uitsluitend op afspraak. Een goed gesprek hoort er voor mij bij. 120 euro "
        "per uur. Vergunningnummer: HV-2023-090.",
    ),
    dict(
        id="SJ-205142",
        weeks=("2026-W46", "2026-W47"),
        name="Cindy",
        phone="06-87653142",
        place="Huizen",
        nationality="Roemeens",
        title="Cindy - alleen deze week in Huizen",
        text="Zij is 21 jaar en heel lief. Cindy is alleen deze week in Huizen, daarna gaat ze naar een "
        "andere stad. Alles mogelijk, ook met twee meisjes. 90 euro per uur. Bel voor het adres.",
    ),
    dict(
        id="SJ-205146",
        weeks=ALL_WEEKS,
        name="Lisa",
        phone="06-12347146",
        place="Blaricum",
        nationality="Nederlands",
        title="Lisa (27) - high class escort",
        text="Ik ben Lisa, 27 jaar, en ik werk als zelfstandige escort in het Gooi. Ik kom naar je hotel of "
        "huis in Blaricum, Laren en omgeving. Minimaal twee uur, uitsluitend vooraf gereserveerd. 250 euro "
        "per uur.",
    ),
    dict(
        id="SJ-205150",
        weeks=ALL_WEEKS,
        name="Mei",
        phone="06-87653150",
        place="Laren",
        nationality="Chinees",
        title="Ontspannende massage in Laren",
        text="Ontspannende massage door Mei (29), dag en nacht geopend. Spreekt alleen Engels. Nette salon "
        "in het centrum van Laren, parkeren voor de deur. 60 euro per uur.",
        changes={"2026-W48": dict(phone="06-87653151")},
    ),
    dict(
        id="SJ-205154",
        weeks=ALL_WEEKS,
        name="Anouk",
        phone="",
        place="Kortenhoef",
        nationality="",
        title="Anouk - thuis in Kortenhoef",
        text="Ik ben Anouk (34), moeder van twee, en ik werk een paar ochtenden per week vanuit huis in "
        "Kortenhoef. Ik ben eerlijk, rustig en schoon. Mijn nummer: nul zes, een twee drie vier, zeven een "
        "vijf vier. 120 euro per uur.",
    ),
    dict(
        id="SJ-205158",
        weeks=("2026-W47", "2026-W48"),
        name="Jade",
        phone="06-12347158",
        place="Eemnes",
        nationality="",
        title="Jade - discreet in Eemnes",
        text="Ik ben Jade, 28 jaar. Discrete ontvangst in privé-appartement in Eemnes, eigen ingang en "
        "parkeerplaats. Ik ben lief, spontaan en houd van een goed gesprek. Bereikbaar van 12 tot 20 uur. "
        "150 euro per uur.",
    ),
    dict(
        id="SJ-205161",
        weeks=("2026-W48",),
        name="Vanessa",
        phone="06-12347161",
        place="Hilversum",
        nationality="",
        title="Vanessa (39) - met vergunning",
        text="Mijn naam is Vanessa, 39 jaar. Ik werk met vergunning in een privé-werkkamer in "
        "Hilversum-Oost. Ik ben goedlachs en neem graag de tijd. Woensdag tot en met zaterdag. 180 euro "
        "per uur. Vergunningnummer: HV-2025-071.",
    ),
    dict(
        id="SJ-205165",
        weeks=("2026-W48",),
        name="Tamara",
        phone="06-87653165",
        place="Huizen",
        nationality="Pools",
        title="Nieuw in Huizen! Tamara (23)",
        text="Tamara is 23 jaar en alleen deze week in Huizen. Zij is 24/7 beschikbaar, ook voor een hele "
        "nacht. Discreet adres, bel of app voor meer informatie. 100 euro per uur.",
    ),
    dict(
        id="SJ-205168",
        weeks=("2026-W46",),
        name="Naomi",
        phone="06-12347168",
        place="Bussum",
        nationality="",
        title="Naomi - Bussum",
        text="Hallo, ik ben Naomi, 36 jaar. Ik ontvang in een rustige bovenwoning in Bussum, vlak bij het "
        "station. Ik ben vrolijk en zorgzaam en houd van een relaxte sfeer. Alleen op afspraak. 150 euro "
        "per uur.",
    ),
]

# --------------------------------------------------------------------------
# The built-in patterns, as (site, ad_id) pairs. validate() checks each one.
# --------------------------------------------------------------------------
K = lambda i: (KINKY, i)  # noqa: E731
S = lambda i: (SEXJOBS, i)  # noqa: E731

PATTERNS = {
    # one phone (06-87653017, written in four formats) in 4 ads, 3 names, 3 places
    "shared_phone": [K("418231"), K("418232"), S("SJ-205112"), S("SJ-205115")],
    # photo hash SHARED_PHOTO in two ads with different name and phone
    "shared_photo": [K("418245"), K("418266")],
    # copy-paste template text under two names (small edits)
    "shared_text": [K("418257"), S("SJ-205119")],
    # stated age 21-25 (from the Leeftijd column or, for sexjobs, from the text)
    "age_21_25": [
        K("418224"),
        K("418231"),
        K("418232"),
        K("418257"),
        K("418266"),
        K("418310"),
        K("418312"),
        S("SJ-205108"),
        S("SJ-205112"),
        S("SJ-205115"),
        S("SJ-205119"),
        S("SJ-205123"),
        S("SJ-205135"),
        S("SJ-205142"),
        S("SJ-205165"),
    ],
    # stated age under 21 and/or youth language ("jong tienermeisje", "net 18")
    "under_21": [K("418274"), S("SJ-205127")],
    # licence number in the column or the text, first person, normal price: low risk
    "licensed": [
        K("418203"),
        K("418207"),
        K("418211"),
        K("418215"),
        K("418224"),
        K("418292"),
        K("418310"),
        S("SJ-205101"),
        S("SJ-205104"),
        S("SJ-205108"),
        S("SJ-205139"),
        S("SJ-205161"),
    ],
    # phone also in examples/mma_export_2026Q3.csv row M26-100283
    "signal_phone": [S("SJ-205123")],
    # phone written to dodge scrapers (spelled out or broken up)
    "obscured_phone": [K("418281"), K("418312"), S("SJ-205135"), S("SJ-205154")],
    # third person / "onze meisjes"
    "third_person": [
        K("418231"),
        K("418232"),
        K("418266"),
        K("418274"),
        K("418299"),
        K("418312"),
        S("SJ-205112"),
        S("SJ-205115"),
        S("SJ-205123"),
        S("SJ-205127"),
        S("SJ-205135"),
        S("SJ-205142"),
        S("SJ-205165"),
    ],
    # 24/7, dag en nacht
    "always_available": [
        K("418231"),
        K("418232"),
        K("418312"),
        S("SJ-205112"),
        S("SJ-205115"),
        S("SJ-205135"),
        S("SJ-205150"),
        S("SJ-205165"),
    ],
    # AF, BB, zonder condoom, alles mogelijk
    "unsafe_services": [K("418266"), K("418299"), K("418312"), S("SJ-205115"), S("SJ-205142")],
    # 50-80 euro per uur (median of all ads is about 120-150)
    "low_price": [
        K("418266"),
        K("418274"),
        K("418299"),
        K("418312"),
        S("SJ-205115"),
        S("SJ-205127"),
        S("SJ-205135"),
        S("SJ-205150"),
    ],
    # "spreekt alleen Engels", origin in the text, or a foreign Nationaliteit cell
    "language_origin": [
        K("418231"),
        K("418232"),
        K("418288"),
        K("418299"),
        K("418312"),
        S("SJ-205112"),
        S("SJ-205115"),
        S("SJ-205119"),
        S("SJ-205123"),
        S("SJ-205135"),
        S("SJ-205142"),
        S("SJ-205150"),
        S("SJ-205165"),
    ],
    # "nieuw in", "alleen deze week", or a place that changes over the weeks
    "movement": [
        K("418224"),
        K("418266"),
        K("418288"),
        K("418310"),
        S("SJ-205123"),
        S("SJ-205131"),
        S("SJ-205142"),
        S("SJ-205165"),
    ],
}

# History between weeks: (site, ad_id) -> what changes, and from which week.
CHANGES = {
    K("418203"): "text changes in W48",
    K("418245"): "extra photo hash in W48",
    K("418288"): "place Hilversum -> Huizen (W47) -> Naarden (W48), title and text follow",
    K("418292"): "phone 06-12347087 -> 06-12347088 and text in W47",
    S("SJ-205104"): "text changes in W47",
    S("SJ-205123"): "text changes in W48",
    S("SJ-205131"): "place Naarden -> Bussum, title and text in W48",
    S("SJ-205150"): "phone 06-87653150 -> 06-87653151 in W48",
}

# --------------------------------------------------------------------------
# The director's own review (labels.csv): 16 risky, 12 not-risky. Borderline
# ones are marked; some of them go against what the rules will say, so that
# `mhtool ads evaluate` shows a realistic, imperfect picture.
# --------------------------------------------------------------------------
LABELS = [
    (K("418231"), "risky", "zelfde nummer als Bella en Roxy; derde persoon, 24/7, spreekt alleen Engels"),
    (K("418232"), "risky", "nummer van Nikita; 'onze meisjes', dag en nacht"),
    (S("SJ-205112"), "risky", "Nikita ook op sexjobs, zelfde nummer; 'wij maken de afspraak'"),
    (S("SJ-205115"), "risky", "zelfde nummer als Nikita; AF, lage prijs"),
    (K("418266"), "risky", "foto van Jasmijn (Laren) gebruikt; 21, alleen deze week, alles mogelijk"),
    (K("418274"), "risky", "19 jaar, 'jong tienermeisje', via haar vriend: doorgezet naar politie"),
    (S("SJ-205127"), "risky", "'net 18', tienermeisje, wordt gebracht door een vriend"),
    (K("418257"), "risky", "tekst gelijk aan Daria (sexjobs), andere naam: sjabloon"),
    (S("SJ-205119"), "risky", "tekst gelijk aan Mila (kinky), andere naam: sjabloon"),
    (S("SJ-205123"), "risky", "nummer uit MMA-melding M26-100283 (Muiden, vakantiehuisje)"),
    (K("418288"), "risky", "elke week een andere plaats; spreekt alleen Engels"),
    (K("418299"), "risky", "zonder condoom, AF, 50 euro"),
    (S("SJ-205135"), "risky", "24/7, spreekt alleen Engels, nummer opgeknipt"),
    (S("SJ-205142"), "risky", "21, alleen deze week, alles mogelijk, derde persoon"),
    (K("418281"), "risky", "twijfel: nummer uitgeschreven, verder gewone tekst; toch laten checken"),
    (S("SJ-205150"), "risky", "twijfel: massagesalon dag en nacht open, 60 euro, alleen Engels"),
    (K("418203"), "not-risky", "vergunning HV-2025-031, schrijft zelf, normale prijs"),
    (K("418207"), "not-risky", "vergunning Huizen, ervaren, eigen woning"),
    (K("418211"), "not-risky", "vergunningnummer in de tekst"),
    (K("418292"), "not-risky", "vergunning; nieuw nummer zelf aangekondigd"),
    (S("SJ-205101"), "not-risky", "vergunning HV-2024-052"),
    (S("SJ-205104"), "not-risky", "vergunning Huizen"),
    (S("SJ-205108"), "not-risky", "twijfel: 25 jaar, maar vergunning en schrijft zelf"),
    (K("418224"), "not-risky", "twijfel: 24 en 'nieuw in Hilversum', maar met vergunning"),
    (K("418245"), "not-risky", "twijfel: haar foto is door een ander gebruikt; zelf geen signalen"),
    (K("418220"), "not-risky", "thuiswerker zonder vergunning, verder geen signalen"),
    (S("SJ-205146"), "not-risky", "twijfel: escort zonder vergunning, hoge prijs, schrijft zelf"),
    (S("SJ-205154"), "not-risky", "twijfel: nummer uitgeschreven, maar verder een gewone thuiswerker"),
]

README = f"""\
# Example weekly sex-ad exports (invented)

Everything in this folder is invented and generated by
`examples/make_ads_examples.py` (re-run it after editing; `--check` tells
whether the files are up to date). Two invented sites, three ISO weeks
(2026-W46: 9-13 Nov, W47: 16-20 Nov, W48: 23-25 Nov 2026; nothing later than
2026-11-25):

- `ads_kinky_2026-W46.csv`, `..._W47.csv`, `..._W48.csv`: site
  `{KINKY}`, UTF-8, comma; columns `{",".join(KINKY_HEADERS)}`.
- `ads_sexjobs_2026-W46.xlsx`, `..._W47.xlsx`, `..._W48.xlsx`: site
  `{SEXJOBS}`, first sheet; columns `{", ".join(SEXJOBS_HEADERS)}`.
  No age, licence or price column: read them from the text ("23 jaar",
  "(23)", "Vergunningnummer: HV-2025-066", "150 euro per uur").
  `Scrape datum` is an Excel date-time cell.
- `labels.csv`: the director's judgement of 28 ads (`site,ad_id,label,note`,
  label `risky` or `not-risky`); 16 risky, 12 not-risky, several marked
  "twijfel" (borderline) and deliberately not all in line with the rules.

Ads are written below as `site:ad_id` with `kinky` = `{KINKY}` and
`sexjobs` = `{SEXJOBS}`. The ad id is the same in every week.

**Weeks.** kinky: 16 ads in W46, 17 in W47, 17 in W48; sexjobs: 15, 16, 16.
Gone after W46: kinky:418290, sexjobs:SJ-205168. Gone after W47: kinky:418215,
kinky:418299, sexjobs:SJ-205139, sexjobs:SJ-205142. New in W47: kinky:418266,
kinky:418274, sexjobs:SJ-205123, sexjobs:SJ-205158. New in W48: kinky:418310,
kinky:418312, sexjobs:SJ-205161, sexjobs:SJ-205165.

**Changes between weeks (history, never a new ad).** kinky:418288 moves
Hilversum -> Huizen (W47) -> Naarden (W48), title and text follow;
kinky:418292 changes phone 06-12347087 -> 06-12347088 and text in W47;
sexjobs:SJ-205150 changes phone 06-87653150 -> 06-87653151 in W48;
sexjobs:SJ-205131 moves Naarden -> Bussum (with new text) in W48; text changes
only: kinky:418203 (W48), sexjobs:SJ-205104 (W47), sexjobs:SJ-205123 (W48);
kinky:418245 gets an extra photo hash in W48.

**Shared phone (a controller behind several workers).** 06-87653017, written
as `06-87653017`, `+31 6 8765 3017`, `0687653017` and `06 8765 3017`, is in 4
ads under 3 names in 3 places: kinky:418231 (Nikita, Hilversum), kinky:418232
(Bella, Huizen), sexjobs:SJ-205112 (Nikita, Hilversum), sexjobs:SJ-205115
(Roxy, Bussum); present in all three weeks. No other phone number occurs in
more than one ad.

**Shared photo.** Hash `{SHARED_PHOTO}` is in kinky:418245 (Jasmijn, Laren,
06-12347245, every week) and in kinky:418266 (Lina, Hilversum, 06-87653266,
from W47): another name and another phone. No other hash is shared.

**Shared text (copy-paste template).** kinky:418257 (Mila, Huizen) and
sexjobs:SJ-205119 (Daria, Hilversum) have the same text except for the name,
age, place, price and two small word changes (rapidfuzz ratio about 97). No
other pair of different ads is above 75.

**Age 21-25.** kinky (Leeftijd column): 418224 (24), 418231 (22), 418232 (23),
418257 (23), 418266 (21, the boundary), 418310 (23), 418312 (22); sexjobs
(from the text): SJ-205108 (25), SJ-205112 (22), SJ-205115 (24), SJ-205119
(24), SJ-205123 (22), SJ-205135 (23), SJ-205142 (21), SJ-205165 (23).
kinky:418296 has an empty Leeftijd cell; its text says 31 jaar.

**Under 21 / youth language (most severe).** kinky:418274 (Kimmy, Leeftijd
19, "Jong tienermeisje", from W47) and sexjobs:SJ-205127 (Britt, "net 18",
"tienermeisje", no other age). No other ad uses jong, tiener, net 18,
schoolmeisje or barely legal.

**Licensed, first person, normal price (low risk).** kinky (Vergunningnummer
column): 418203 HV-2025-031, 418207 HZ-2024-007, 418215 GM-2025-014, 418224
HV-2025-044, 418292 HV-2023-087, 418310 HZ-2025-019; kinky:418211 has an
empty column and "Vergunningnummer: HV-2024-118" in the text; sexjobs (text):
SJ-205101 HV-2024-052, SJ-205104 HZ-2025-003, SJ-205108 HV-2025-066,
SJ-205139 HV-2023-090, SJ-205161 HV-2025-071. Every other ad has no licence.
Near miss: kinky:418207 says "af en toe" (the word, not the abbreviation AF).

**Phone also in a signal.** sexjobs:SJ-205123 (Kitty, Muiden, W47 and W48)
uses 06-87650283, which is in `examples/mma_export_{SIGNAL_REF[1:3]}Q3.csv`
row {SIGNAL_REF} (escort service from a holiday cottage in Muiden; the same
number is in Watch signal WN-26-0463). No other ad phone occurs in the
signal examples.

**Obscured phone.** kinky:418281 (empty Telefoon, text "nul zes acht zeven
zes vijf drie nul acht een" = 06-87653081), kinky:418312 (empty Telefoon, text
"0 6 - 8 7 6 5 - 3 3 1 2"), sexjobs:SJ-205135 (Telefoonnummer cell and text
"0 6 1 2 3 4 7 1 3 5"), sexjobs:SJ-205154 (empty cell, text "nul zes, een
twee drie vier, zeven een vijf vier" = 06-12347154).

**Other indicators.** Third person / "onze meisjes": kinky:418231, 418232,
418266, 418274, 418299, 418312; sexjobs:SJ-205112, SJ-205115, SJ-205123,
SJ-205127, SJ-205135, SJ-205142, SJ-205165. Always available (24/7, dag en
nacht): kinky:418231, 418232, 418312; sexjobs:SJ-205112, SJ-205115,
SJ-205135, SJ-205150, SJ-205165. Unsafe services (AF, BB, zonder condoom,
alles mogelijk): kinky:418266, 418299, 418312; sexjobs:SJ-205115, SJ-205142.
Low price (50-80 euro per uur; the median is 120-150): kinky:418266 (80),
418274 (70), 418299 (50), 418312 (60); sexjobs:SJ-205115 (80), SJ-205127
(60), SJ-205135 (70), SJ-205150 (60). Language or origin: "spreekt alleen
Engels" in kinky:418231, 418288, sexjobs:SJ-205112, SJ-205135, SJ-205150;
origin in the text in kinky:418232 (buitenland), 418288 (Roemeense), 418299
(Latina), 418312 (Oost-Europa); a foreign Nationaliteit cell on sexjobs:
SJ-205112, SJ-205115, SJ-205119, SJ-205123, SJ-205135, SJ-205142, SJ-205150,
SJ-205165 (SJ-205101, SJ-205131 and SJ-205146 say "Nederlands"). Movement
("nieuw in", "alleen deze week", or a changing place): kinky:418224, 418266,
418288, 418310; sexjobs:SJ-205123, SJ-205131, SJ-205142, SJ-205165.

**Price and licence only in the text on kinky.** kinky:418281 has an empty
Prijs cell and "120 euro per uur" in the text; kinky:418220 writes the price
as `€ 120`.
"""


# --------------------------------------------------------------------------
def ad_in_week(ad: dict, week: str) -> dict:
    """The ad as seen in `week`: base fields plus all changes up to that week."""
    current = {k: v for k, v in ad.items() if k not in ("weeks", "changes")}
    for change_week in sorted(ad.get("changes", {})):
        if change_week <= week:
            current.update(ad["changes"][change_week])
    return current


def seen_on(week: str, index: int) -> dt.date:
    days = WEEKS[week]
    return days[index % len(days)]


def kinky_url(ad_id: str) -> str:
    return f"https://{KINKY}/advertentie/{ad_id}"


def sexjobs_url(ad_id: str) -> str:
    return f"https://{SEXJOBS}/ads/{ad_id.lower()}"


def kinky_rows(week: str) -> list[list[str]]:
    rows = []
    for index, ad in enumerate(KINKY_ADS):
        if week not in ad["weeks"]:
            continue
        a = ad_in_week(ad, week)
        rows.append(
            [
                KINKY,
                a["id"],
                kinky_url(a["id"]),
                seen_on(week, index).strftime("%d-%m-%Y"),
                a["title"],
                a["text"],
                a["name"],
                a["age"],
                a["phone"],
                a["place"],
                a["licence"],
                a["price"],
                ";".join(a["photos"]),
            ]
        )
    return rows


def sexjobs_rows(week: str) -> list[list]:
    rows = []
    for index, ad in enumerate(SEXJOBS_ADS):
        if week not in ad["weeks"]:
            continue
        a = ad_in_week(ad, week)
        day = seen_on(week, index)
        stamp = dt.datetime(day.year, day.month, day.day, 5, 30) + dt.timedelta(minutes=7 * index)
        rows.append(
            [
                SEXJOBS,
                a["id"],
                sexjobs_url(a["id"]),
                stamp,
                a["title"],
                a["text"],
                a["name"],
                a["phone"],
                a["place"],
                a["nationality"],
            ]
        )
    return rows


def kinky_bytes(week: str) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=",", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(KINKY_HEADERS)
    writer.writerows(kinky_rows(week))
    return buf.getvalue().encode("utf-8")


def sexjobs_bytes(week: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Advertenties"
    ws.append(SEXJOBS_HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in sexjobs_rows(week):
        ws.append(row)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "dd-mm-yyyy hh:mm"
            cell.alignment = Alignment(vertical="top", wrap_text=cell.column == 6)
    for letter, width in zip("ABCDEFGHIJ", [22, 11, 42, 16, 36, 80, 10, 18, 12, 13]):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    saved = dt.datetime.combine(WEEKS[week][-1], dt.time(18, 0))
    wb.properties.creator = "sexjobs-midden crawler (voorbeeld)"
    wb.properties.created = saved
    raw = io.BytesIO()
    wb.save(raw)
    return reproducible_zip(raw.getvalue(), saved)


def labels_bytes() -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=",", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(["site", "ad_id", "label", "note"])
    for (site, ad_id), label, note in LABELS:
        writer.writerow([site, ad_id, label, note])
    return buf.getvalue().encode("utf-8")


def outputs() -> dict[Path, bytes]:
    files: dict[Path, bytes] = {}
    for week in WEEKS:
        files[OUT / f"ads_kinky_{week}.csv"] = kinky_bytes(week)
    for week in WEEKS:
        files[OUT / f"ads_sexjobs_{week}.xlsx"] = sexjobs_bytes(week)
    files[OUT / "labels.csv"] = labels_bytes()
    files[OUT / "README.md"] = README.encode("utf-8")
    return files


# --------------------------------------------------------------------------
# Validation: the data really contains the patterns PATTERNS and README claim.
# --------------------------------------------------------------------------
_SPELLED = {
    "nul": "0",
    "een": "1",
    "twee": "2",
    "drie": "3",
    "vier": "4",
    "vijf": "5",
    "zes": "6",
    "zeven": "7",
    "acht": "8",
    "negen": "9",
}


def phone_digits(phone: str, text: str) -> str:
    """The national digits of an ad's phone (cell, else spelled/broken up in the text)."""
    if phone:
        digits = re.sub(r"\D", "", phone)
    else:
        words = re.findall(r"[a-z]+|\d", text.lower())
        digits, best = "", ""
        for w in words:
            d = _SPELLED.get(w, w if w.isdigit() else None)
            digits = digits + d if d is not None else ""
            if len(digits) >= 10 and not best:
                best = digits[:10]
        digits = best
    if digits.startswith("316"):
        digits = "0" + digits[2:]
    return digits


def _all_versions():
    """Yield (site, id, week, fields) for every ad in every week it appears."""
    for site, ads in ((KINKY, KINKY_ADS), (SEXJOBS, SEXJOBS_ADS)):
        for ad in ads:
            for week in ad["weeks"]:
                yield site, ad["id"], week, ad_in_week(ad, week)


def _ratio(a: str, b: str) -> float:
    try:
        from rapidfuzz import fuzz

        return fuzz.ratio(a, b)
    except ImportError:  # pragma: no cover
        import difflib

        return 100 * difflib.SequenceMatcher(None, a, b).ratio()


def validate() -> None:
    ids = [(KINKY, a["id"]) for a in KINKY_ADS] + [(SEXJOBS, a["id"]) for a in SEXJOBS_ADS]
    assert len(ids) == len(set(ids)), "duplicate ad id"
    known = set(ids)
    for name, members in PATTERNS.items():
        assert set(members) <= known, name
    assert {key for key, _, _ in LABELS} <= known and len(LABELS) == len({k for k, _, _ in LABELS})

    # weeks: counts and dates
    for week, days in WEEKS.items():
        assert all(d.isocalendar()[:2] == (2026, int(week[-2:])) for d in days)
        assert max(days) <= LAST_DATE

    # phones: every phone valid-looking; only the controller phone is shared (by ad, over all weeks)
    phones: dict[str, set] = {}
    for site, ad_id, _week, a in _all_versions():
        digits = phone_digits(a["phone"], a["text"])
        assert re.fullmatch(r"06(1234|8765)\d{4}", digits), (ad_id, digits)
        phones.setdefault(digits, set()).add((site, ad_id))
    shared = {p: ads for p, ads in phones.items() if len(ads) > 1}
    assert shared == {CONTROLLER_PHONE: set(PATTERNS["shared_phone"])}, shared
    ctrl = [
        ad_in_week(a, "2026-W48")
        for a in KINKY_ADS + SEXJOBS_ADS
        if (KINKY if a in KINKY_ADS else SEXJOBS, a["id"]) in PATTERNS["shared_phone"]
    ]
    assert len(ctrl) == 4 and len({a["name"] for a in ctrl}) == 3 and len({a["place"] for a in ctrl}) == 3
    assert all(
        "2026-W48" in a["weeks"]
        for a in KINKY_ADS + SEXJOBS_ADS
        if ((KINKY if a in KINKY_ADS else SEXJOBS), a["id"]) in PATTERNS["shared_phone"]
    )

    # the signal phone is in the MMA example, and no other ad phone is in any signal example
    mma = (HERE / "mma_export_2026Q3.csv").read_bytes().decode("cp1252")
    row = next(r for r in csv.reader(io.StringIO(mma), delimiter=";") if r and r[0] == SIGNAL_REF)
    assert SIGNAL_PHONE in re.sub(r"[ \-]", "", row[6]).replace("+316", "06"), row
    assert phones[SIGNAL_PHONE] == set(PATTERNS["signal_phone"])
    signal_text = mma + (HERE / "veilig_thuis_export.csv").read_text("utf-8")
    try:
        from openpyxl import load_workbook

        wb = load_workbook(HERE / "watch_export_2026Q3.xlsx", read_only=True)
        signal_text += " ".join(str(v) for r in wb.active.iter_rows(values_only=True) for v in r)
    except ImportError:  # pragma: no cover
        pass
    signal_digits = re.sub(r"\D", "", signal_text.replace("+316", "06").replace("00316", "06"))
    for digits, ads in phones.items():
        if digits != SIGNAL_PHONE:
            assert digits not in signal_digits, (digits, ads)

    # photos: 16 hex chars; only SHARED_PHOTO shared, by exactly the two ads
    owners: dict[str, set] = {}
    for site, ad_id, _week, a in _all_versions():
        for h in a.get("photos", []):
            assert re.fullmatch(r"[0-9a-f]{16}", h), h
            owners.setdefault(h, set()).add((site, ad_id))
    assert {h: o for h, o in owners.items() if len(o) > 1} == {SHARED_PHOTO: set(PATTERNS["shared_photo"])}

    # texts: only the template pair is near-identical (latest text of each ad)
    latest = {}
    for site, ad_id, _week, a in _all_versions():
        latest[(site, ad_id)] = a["text"]
    keys = sorted(latest)
    for i, x in enumerate(keys):
        for y in keys[i + 1 :]:
            r = _ratio(latest[x], latest[y])
            if {x, y} == set(PATTERNS["shared_text"]):
                assert r >= 90, r
            else:
                assert r < 75, (x, y, r)

    # youth language only where intended; indicator words not leaking into low-risk ads
    youth = re.compile(r"\b(jong\w*|tiener\w*|net 18|schoolmeisje|barely legal)\b", re.I)
    for site, ad_id, _week, a in _all_versions():
        blob = a["title"] + " " + a["text"]
        assert bool(youth.search(blob)) == ((site, ad_id) in PATTERNS["under_21"]), ad_id
        if (site, ad_id) in PATTERNS["licensed"]:
            assert not re.search(
                r"24/7|dag en nacht|condoom|alles mogelijk|onze meisjes|"
                r"\bzij is\b|ze heet|alleen engels",
                blob,
                re.I,
            ), ad_id
            assert not re.search(r"\b(AF|BB)\b", blob), ad_id  # case-sensitive: "af en toe" is fine
        assert (
            "Vergunningnummer:" in a["text"]
            or bool(a.get("licence"))
            or "met vergunning" in a["text"].lower()
            or "vergunning aanwezig" in a["text"].lower()
        ) == ((site, ad_id) in PATTERNS["licensed"]), ad_id
        # sexjobs: the licence number must be in the text for every licensed ad
        if site == SEXJOBS and (site, ad_id) in PATTERNS["licensed"]:
            assert re.search(r"Vergunningnummer: [A-Z]{2}-\d{4}-\d{3}", a["text"]), ad_id
        # every ad states a price in euros somewhere
        assert a.get("price") or re.search(r"\d+ euro per uur", a["text"]), ad_id

    # text indicators: exactly the ads listed in PATTERNS use these phrases (in some week)
    phrase_checks = {
        "third_person": re.compile(r"\bzij is\b|\bze heet\b|onze meisjes", re.I),
        "always_available": re.compile(r"24/7|dag en nacht|altijd beschikbaar", re.I),
        "unsafe_services": re.compile(r"zonder condoom|alles mogelijk|\b(?-i:AF|BB)\b", re.I),
    }
    for name, rx in phrase_checks.items():
        hits = {(site, ad_id) for site, ad_id, _w, a in _all_versions() if rx.search(a["title"] + " " + a["text"])}
        assert hits == set(PATTERNS[name]), (name, hits ^ set(PATTERNS[name]))
    text_movement = re.compile(r"nieuw in|alleen deze week", re.I)
    places: dict[tuple, set] = {}
    for site, ad_id, _w, a in _all_versions():
        places.setdefault((site, ad_id), set()).add(a["place"])
        if text_movement.search(a["title"] + " " + a["text"]):
            places[(site, ad_id)].add("*text*")
    assert {k for k, v in places.items() if len(v) > 1} == set(PATTERNS["movement"])

    # ages 21-25
    def age_of(site, a):
        if site == KINKY and a["age"]:
            return int(a["age"])
        m = re.search(r"\((\d\d)\)|\b(\d\d) jaar", a["title"] + " " + a["text"])
        return int(m.group(1) or m.group(2)) if m else None

    young = {(site, ad_id) for site, ad_id, _w, a in _all_versions() if (age_of(site, a) or 0) in range(21, 26)}
    assert young == set(PATTERNS["age_21_25"]), young ^ set(PATTERNS["age_21_25"])

    # weekly counts stated in README
    counts = {(site, w): 0 for site in (KINKY, SEXJOBS) for w in WEEKS}
    for site, _id, week, _a in _all_versions():
        counts[(site, week)] += 1
    assert [counts[(KINKY, w)] for w in WEEKS] == [16, 17, 17], counts
    assert [counts[(SEXJOBS, w)] for w in WEEKS] == [15, 16, 16], counts
    assert sum(1 for _, label, _ in LABELS if label == "risky") == 16
    assert sum(1 for _, label, _ in LABELS if label == "not-risky") == 12


def check_files(files: dict[Path, bytes]) -> None:
    """Read back what would be written: CSV via csv, xlsx via openpyxl."""
    from openpyxl import load_workbook

    seen: dict[tuple, str] = {}
    for path, data in files.items():
        if path.suffix == ".csv" and path.name.startswith("ads_kinky"):
            rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
            assert rows[0] == KINKY_HEADERS
            for r in rows[1:]:
                assert len(r) == len(KINKY_HEADERS)
                day = dt.datetime.strptime(r[3], "%d-%m-%Y").date()
                assert day <= LAST_DATE and f"{day.isocalendar()[0]}-W{day.isocalendar()[1]}" in path.name
                assert seen.setdefault((r[0], r[1]), r[2]) == r[2]
        elif path.suffix == ".xlsx":
            ws = load_workbook(io.BytesIO(data)).worksheets[0]
            rows = list(ws.iter_rows(values_only=True))
            assert list(rows[0]) == SEXJOBS_HEADERS
            for r in rows[1:]:
                assert isinstance(r[3], dt.datetime) and r[3].date() <= LAST_DATE
                assert f"2026-W{r[3].isocalendar()[1]}" in path.name
                assert isinstance(r[1], str)
                assert seen.setdefault((r[0], r[1]), r[2]) == r[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the files on disk are up to date")
    args = parser.parse_args(argv)

    validate()
    files = outputs()
    check_files(files)
    return write_or_check(files, args.check, "make_ads_examples.py")


if __name__ == "__main__":
    sys.exit(main())

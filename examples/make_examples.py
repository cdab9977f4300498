"""Write the example input files in this folder.

    python examples/make_examples.py            # writes all example exports
    python examples/make_examples.py --check    # only checks that the files on disk match

Everything in these files is invented: people, phone numbers (06-1234xxxx /
06-8765xxxx and made-up foreign numbers), companies, accounts and web
addresses (on the reserved ``.example`` domain). Street and place names are
real places in Gooi en Vechtstreek so that place -> municipality mapping can be
tried on them.

Files written:
- ``mma_export_2026Q3.csv``    Meld Misdaad Anoniem, Windows-1252, ``;``, CRLF
- ``watch_export_2026Q3.xlsx`` Watch Nederland, first sheet, one real Excel date cell
- ``veilig_thuis_export.csv``  an "other source" export, UTF-8, ``,``, read with
  ``profile_veilig_thuis.toml`` (that profile is written by hand, not here)

``DUPLICATES`` lists the records that describe the same situation, so tests of
duplicate detection know what they should find. ``NEAR_MISSES`` are pairs that
look alike (same town and type, or same modus operandi) but are different
situations and must *not* be merged.

Only the standard library and openpyxl are needed; the output is byte-for-byte
reproducible (fixed timestamps in the .xlsx).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import re
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

MMA_FILE = HERE / "mma_export_2026Q3.csv"
WATCH_FILE = HERE / "watch_export_2026Q3.xlsx"
VT_FILE = HERE / "veilig_thuis_export.csv"

# --------------------------------------------------------------------------
# Meld Misdaad Anoniem (M.) export: Windows-1252, ';' separated.
# "Behandelaar" is not an mhtool field: it shows that unknown columns are kept.
# --------------------------------------------------------------------------
MMA_HEADERS = [
    "Meldingnummer",
    "Datum melding",
    "Categorie",
    "Plaats",
    "Adres",
    "Omschrijving",
    "Telefoonnummer",
    "Betrokkenen",
    "Kenteken",
    "Behandelaar",
]

MMA_ROWS = [
    [
        "M26-100101",
        "02-07-2026",
        "Mensenhandel - seksuele uitbuiting",
        "Hilversum",
        "Larenseweg 112",
        "Melder ziet sinds half juni 's avonds veel wisselende mannen bij een bovenwoning; ze blijven "
        "steeds ongeveer een half uur. Er wonen twee jonge vrouwen, vermoedelijk Oost-Europees, die bijna "
        "nooit alleen naar buiten gaan. Een man van rond de 40 brengt boodschappen en haalt geld op. "
        "Melder denkt aan prostitutie vanuit de woning.",
        "06-12340101",
        "Dennis Jansen (ca. 40 jr)",
        "K-482-XT",
        "AV",
    ],
    [
        "M26-100117",
        "8 juli 2026",
        "Mensenhandel",
        "Loosdrecht",
        "Oud-Loosdrechtsedijk 31",
        "Achter een bedrijfspand slapen zeker tien Poolse arbeidsmigranten in een loods met stapelbedden. "
        "Ze worden om 6 uur opgehaald met een bestelbus van een bouwbedrijf en komen pas 's avonds laat "
        'terug. Een van de mannen zei dat hun paspoort is ingenomen "voor de administratie".',
        "0612340117 / +48 512 340 117",
        "Piotr K.; Tomasz",
        "2-VBN-17",
        "JdK",
    ],
    [
        "M26-100124",
        "14/07/2026 10:15",
        "Arbeidsuitbuiting",
        "Bussum",
        "Havenstraat 9",
        "In de nagelstudio werken drie jonge Vietnamese meisjes van 's ochtends vroeg tot 's avonds laat, "
        "ook op zondag. Ze lijken boven de zaak te slapen en praten niet met klanten. De eigenaresse "
        '"Linh" neemt het geld aan en spreekt voor hen.',
        "035-1234124",
        "Linh (eigenaresse)",
        "",
        "AV",
    ],
    [
        "M26-100139",
        "2026-07-21",
        "Criminele uitbuiting",
        "Huizen",
        "Winkelcentrum Oostermeent",
        "Jongens van 15 à 16 jaar worden bij het winkelcentrum aangesproken door een man op een zwarte "
        "scooter. Ze krijgen een telefoon en moeten pakketjes rondbrengen; één jongen zei dat hij zo een "
        '"schuld" van 800 euro moet afbetalen. Vermoedelijk drugs.',
        "06 8765 0139",
        '"Rico"',
        "",
        "MV",
    ],
    [
        "M26-100142",
        "23-07-2026",
        "Gedwongen huwelijk",
        "Hilversum",
        "",
        "Een meisje van 17 vertelt op school dat haar ouders haar deze zomer in het land van herkomst "
        "willen laten trouwen met een neef. Ze is bang dat ze niet terug mag komen naar Nederland en "
        "durft thuis niets te zeggen.",
        "",
        "",
        "",
        "JdK",
    ],
    [
        "M26-100150",
        "27 jul. 2026",
        "Mensenhandel",
        "'s-Graveland",
        "Noordereinde 210",
        "Bij een tuinder aan het Noordereinde werken deze zomer mannen die ook in de kassen lijken te "
        "overnachten. Volgens een buurtbewoner krijgen ze 4 euro per uur en moeten ze huur betalen aan "
        "de baas.",
        "+31 6 87650150",
        "",
        "45-LRP-9",
        "AV",
    ],
    [
        "M26-100163",
        "30-07-2026 22:40",
        "Mensenhandel - seksuele uitbuiting",
        "HILVERSUM",
        "Stationsplein",
        "Meisje van ongeveer 16 wordt bijna elke avond bij het station opgehaald door een oudere jongen "
        "in een witte Golf. Hij koopt dure kleding en een tweede telefoon voor haar; ze spijbelt veel. "
        "Melder vermoedt een loverboy.",
        "06-87650163",
        "Bryan (ca. 22 jr)",
        "GZ-318-K",
        "MV",
    ],
    [
        "M26-100171",
        "3 augustus 2026",
        "Mensenhandel",
        "Laren",
        "Naarderstraat 40",
        "Massagesalon waar tot na middernacht mannen naar binnen gaan. Op internet staat een advertentie "
        'met "erotische massage" en dit adres. De vrouwen spreken geen Nederlands of Engels; een man in '
        "een zwarte Mercedes brengt ze 's ochtends en haalt ze 's nachts op.",
        "+31 6 12340171, 06-87650171",
        "",
        "73-TRV-4",
        "AV",
    ],
    [
        "M26-100185",
        "wo 5 aug 2026",
        "Criminele uitbuiting",
        "Eemnes",
        "Wakkerendijk 88",
        "In een schuur achter een woonboerderij zou een hennepkwekerij zitten. Er woont een jonge "
        "Vietnamese man die de planten verzorgt; hij mag het erf niet af en krijgt eens per week bezoek "
        "van twee mannen.",
        "",
        "",
        "",
        "JdK",
    ],
    [
        "M26-100192",
        "07-08-2026",
        "Mensenhandel",
        "Amersfoort",
        "",
        "Arbeidsmigranten van een uitzendbureau worden met busjes vanuit een pension in Amersfoort naar "
        "een distributiecentrum gebracht. Ze wonen met zes personen op één kamer en de huur wordt van hun "
        "loon afgehouden.",
        "06-12340192",
        "",
        "",
        "MV",
    ],
    [
        "M26-100204",
        "11.08.2026",
        "Mensenhandel",
        "",
        "",
        "Anonieme melder: een vriendin (19) moet van haar vriend als escort werken; hij zet de "
        'advertenties online en houdt het geld. Melder weet niet waar ze nu verblijft, "ergens in \'t Gooi".',
        "06-12340204 of 06-87650204",
        '"Mitch"',
        "",
        "AV",
    ],
    [
        "M26-100213",
        "14 aug 2026",
        "Arbeidsuitbuiting",
        "Naarden",
        "Amersfoortsestraatweg 150",
        "Schoonmaakbedrijf Blinkvast laat mannen uit Roemenië zonder contract kantoren schoonmaken. Ze "
        'wonen met acht personen in één huis; huur en "boetes" worden van het loon ingehouden.',
        "06-1234 0213",
        "R. de Wit (eigenaar); Schoonmaakbedrijf Blinkvast",
        "",
        "JdK",
    ],
    [
        "M26-100228",
        "18-08-2026",
        "Mensenhandel - seksuele uitbuiting",
        "Huizen",
        "flat bij de Oude Haven",
        "Thuisprostitutie vanuit een flat: er staan advertenties online met een Roemeens telefoonnummer. "
        'De vrouw noemt zich "Bianca"; buren horen \'s nachts ruzie en zien steeds andere mannen.',
        "+40 712 340 228",
        '"Bianca"',
        "",
        "MV",
    ],
    [
        "M26-100236",
        "20-08-2026",
        "Mensenhandel",
        "Kortenhoef",
        "Kortenhoefsedijk 77",
        "Een jonge vrouw uit Oekraïne woont als au pair bij een gezin en zorgt voor drie kinderen, ruim "
        "60 uur per week, zonder vrije dag. Ze krijgt geen loon, alleen kost en inwoning, en haar paspoort "
        "ligt bij het gezin.",
        "",
        "Olena (ca. 23 jr)",
        "",
        "AV",
    ],
    [
        "M26-100241",
        "21-08-2026",
        "Criminele uitbuiting",
        "Bussum",
        "Landstraat",
        "Scholieren worden via Snapchat benaderd om hun bankpas en pincode 'uit te lenen' voor € 200. "
        "Geld uit oplichting wordt via hun rekening doorgesluisd; ze worden geldezels zonder het te weten.",
        "06-87650241",
        "Snapchat: cashking_035",
        "",
        "JdK",
    ],
    [
        "M26-100255",
        "25-08-2026",
        "Mensenhandel",
        "Nederhorst den Berg",
        "Middenweg 12",
        "Bij een autowasstraat werken steeds dezelfde vier mannen die in een caravan achter het terrein "
        "slapen. Ze zijn via België gekomen en krijgen volgens een oud-medewerker contant € 20 per dag; "
        "de eigenaar bewaart hun identiteitsbewijzen.",
        "06-1234 0255",
        "",
        "",
        "MV",
    ],
    [
        "M26-100262",
        "28 augustus 2026 09.30",
        "Mensenhandel - seksuele uitbuiting",
        "Hilversumse Meent",
        "",
        "Via Snapchat wordt seks aangeboden met een meisje van 16 uit de Meent, voor 150 euro; afspraken "
        "worden in hotels gemaakt. De contactpersoon noemt zich Jayden en stuurt foto's van haar rond.",
        "06-1234 0262",
        'Jayden; meisje "Noa" (16)',
        "",
        "AV",
    ],
    [
        "M26-100270",
        "1 september 2026",
        "Mensenhandel",
        "Eemnes",
        "bij de supermarkt in het centrum",
        "Een vrouw met twee kleine kinderen zit elke dag te bedelen bij de supermarkt. Ze wordt 's ochtends "
        "door een busje gebracht en 's avonds opgehaald; de man in het busje neemt het geld in.",
        "",
        "",
        "buitenlands kenteken, onbekend",
        "JdK",
    ],
    [
        "M26-100276",
        "02-09-2026 14:03",
        "Mensenhandel - seksuele uitbuiting",
        "Hilversum",
        "",
        "Meisje (16 jr) uit Hilversum wordt op Snapchat aangeboden voor seksafspraken in hotels. Degene "
        "die de afspraken regelt heet Jaiden; melder heeft dezelfde foto's gezien als in een eerdere melding.",
        "+31 6 12340262",
        "Jaiden",
        "",
        "MV",
    ],
    [
        "M26-100283",
        "3 september 2026",
        "Mensenhandel - seksuele uitbuiting",
        "Muiden",
        "Herengracht",
        "Vanuit een vakantiewoning bij de jachthaven werkt een escortservice: elke week andere jonge "
        "vrouwen, mannen komen 's avonds met de auto. De verhuurder vindt het verdacht; het huisje is "
        'contant betaald door "Alex".',
        "06-12340283 / +31 6 87650283",
        "Alex",
        "8-KZN-27",
        "MV",
    ],
    [
        "M26-100297",
        "04-09-2026",
        "Arbeidsuitbuiting",
        "Blaricum",
        "bouwplaats Blaricummermeent",
        "Op een bouwplaats in de Blaricummermeent werken Roemeense bouwvakkers zonder veiligheidsschoenen "
        "en helm. Ze slapen in bouwketen op het terrein en zeggen dat ze pas na afloop van het project "
        "betaald worden.",
        "0031 6 87650297",
        "",
        "",
        "AV",
    ],
    [
        "M26-100305",
        "09-09-2026",
        "Mensenhandel",
        "Hilversum",
        "Kerkstraat",
        "Een jongen van 14 moet van een oudere neef in het centrum winkeldiefstallen plegen bij "
        "drogisterijen. De spullen worden via internet verkocht; als hij weigert wordt hij geslagen.",
        "",
        'neef "Sami" (ca. 20 jr)',
        "",
        "JdK",
    ],
    [
        "M26-100318",
        "15 sep. 2026",
        "Mensenhandel",
        "Huizen",
        "",
        "Melder maakt zich zorgen om een jonge vrouw in de flat naast haar. Ze wordt steeds door dezelfde "
        "man gebracht en opgehaald, lijkt angstig en heeft geen eigen sleutel.",
        "",
        "",
        "",
        "AV",
    ],
    [
        "M26-100326",
        "22-09-2026",
        "Mensenhandel - seksuele uitbuiting",
        "Naarden",
        "",
        "Vriendinnen van een meisje van 18 maken zich zorgen: haar nieuwe vriend laat haar naar eigen "
        "zeggen 'als escort' werken in hotels langs de A1. Ze heeft een tatoeage met zijn naam en komt "
        "niet meer naar café De Zwaan.",
        "06-87650326",
        '"Kevin"',
        "",
        "JdK",
    ],
    [
        "M26-100334",
        "29/09/2026",
        "Mensenhandel",
        "Hilversum",
        "",
        "Bulgaarse arbeidsmigranten werken op een bouwplaats in Hilversum-Noord. Een 'coördinator' heeft "
        "hun identiteitskaarten en deelt boetes uit; de geïnde huur is € 350 per bed. Een van de mannen is "
        "na een ongeluk zonder loon naar huis gestuurd.",
        "+359 88 123 4334",
        'Ivan; Georgi; coördinator "Dimitar"',
        "",
        "MV",
    ],
]

# --------------------------------------------------------------------------
# Watch Nederland export (.xlsx, first sheet). One date is a real Excel date
# cell (WN-26-0421); the others are text, as pasted from a web form.
# --------------------------------------------------------------------------
WATCH_HEADERS = [
    "Signaal ID",
    "Datum signaal",
    "Soort uitbuiting",
    "Plaats",
    "Samenvatting",
    "Telefoonnummers",
    "Aliassen",
    "Vindplaats",
    "Geslacht slachtoffer",
    "Leeftijd slachtoffer",
    "Nationaliteit slachtoffer",
]

WATCH_ROWS = [
    [
        "WN-26-0412",
        "04-07-2026",
        "Seksuele uitbuiting",
        "Hilversum",
        "Advertentie op een sekssite: 'twee nieuwe dames in Hilversum, discreet, eigen adres bij de "
        "Larenseweg'. Het telefoonnummer komt overeen met een eerder signaal; de man die de advertentie "
        "plaatst gebruikt de naam Dennis Janssen.",
        "+31 6 1234 0101",
        "Dennis Janssen; DJ",
        "https://sekssite.example/hilversum/adv/884213",
        "V",
        "20-25",
        "Oost-Europees",
    ],
    [
        "WN-26-0418",
        "10 juli 2026",
        "Arbeidsuitbuiting",
        "Nieuw-Loosdrecht",
        "Vacature in een Poolstalige Facebookgroep: bouwwerk in Loosdrecht, huisvesting 'geregeld' in een "
        "loods, vervoer met de bus van de werkgever. In de reacties klagen arbeidsmigranten over "
        "ingehouden paspoorten en achterstallig loon.",
        "+31612340117",
        "Piotr K.; Tomasz",
        "https://social.example/groups/praca-holandia/posts/5521",
        "M",
        "",
        "Pools",
    ],
    [
        "WN-26-0421",
        dt.date(2026, 7, 11),
        "Arbeidsuitbuiting",
        "Gooise Meren",
        "Vacature voor 'nagelstyliste, kost en inwoning' bij een nagelsalon in Bussum, geplaatst in het "
        "Vietnamees. Geen contract genoemd; werkdagen van 9 tot 21 uur, zes dagen per week.",
        "+31 35 123 4124",
        "Linh",
        "https://vacatures.example/nagelsalon-bussum-3321",
        "V",
        "18-25",
        "Vietnamees",
    ],
    [
        "WN-26-0426",
        "2026-07-19",
        "Seksuele uitbuiting",
        "Hilversum",
        "Advertentie 'nieuw in Hilversum, 21 jaar'. Dezelfde foto's stonden eerder met een ander nummer "
        "in Utrecht en Amersfoort; mogelijk wordt zij rondgereden.",
        "06-12349426",
        "Mia",
        "https://sekssite.example/hilversum/adv/889102",
        "V",
        21,
        "onbekend",
    ],
    [
        "WN-26-0433",
        "29-07-2026",
        "Mensenhandel",
        "Hilversum",
        "Instagram-account van een jongen (ca. 22) met een witte Golf toont een meisje van ongeveer 16 "
        "met dure cadeaus; in de reacties wordt naar 'afspraken' gevraagd. Mogelijk een loverboy; het "
        "account noemt zich Brian.",
        "0031 6 87650163",
        "Brian; b.golf035",
        "https://instagram.example/b.golf035",
        "V",
        "ca. 16",
        "Nederlands",
    ],
    [
        "WN-26-0437",
        "2 augustus 2026",
        "Arbeidsuitbuiting",
        "Blaricum",
        "In een Engelstalige groep worden 'klusjesmannen' gezocht voor tuinwerk bij villa's in Blaricum: "
        "8 euro per uur, cash, slapen in een caravan op het terrein.",
        "+31 6 87659437",
        "Mike",
        "https://social.example/groups/jobs-nl/posts/7710",
        "M",
        "",
        "Moldavisch",
    ],
    [
        "WN-26-0440",
        "01-08-2026",
        "Seksuele uitbuiting",
        "Laren",
        "Advertentie van een massagesalon in Laren met 'erotische massage, ook na 23.00 uur'; foto's van "
        "steeds andere jonge vrouwen. Het adres aan de Naarderstraat en beide telefoonnummers komen "
        "vaker voor.",
        "0031612340171 / 0031687650171",
        "",
        "https://massage.example/laren/salon-lotus",
        "V",
        "20-30",
        "Chinees",
    ],
    [
        "WN-26-0445",
        "06-08-2026",
        "Seksuele uitbuiting",
        "Amsterdam",
        "Escortadvertentie met standplaats Amsterdam, maar ook 'hotelbezoek in het Gooi'. Leeftijd in "
        "de tekst 19, de foto's lijken van een jonger meisje.",
        "06-12349445",
        "Lola",
        "https://sekssite.example/amsterdam/adv/901554",
        "V",
        19,
        "onbekend",
    ],
    [
        "WN-26-0449",
        "12 aug. 2026",
        "Criminele uitbuiting",
        "Huizen",
        "TikTok-account biedt jongeren uit Huizen 'snel geld' voor het uitlenen van hun bankpas "
        "(geldezel). Meerdere reacties van scholieren.",
        "",
        "snelgeld.huizen",
        "https://tiktok.example/@snelgeld.huizen",
        "M",
        "15-17",
        "Nederlands",
    ],
    [
        "WN-26-0452",
        "15-08-2026",
        "",
        "Ankeveen",
        "Paardenhouderij in Ankeveen zoekt 'stalhulp' uit Oost-Europa: kost en inwoning, geen contract, "
        "zeven dagen per week.",
        "06-12349452",
        "",
        "https://vacatures.example/stalhulp-ankeveen",
        "V",
        "",
        "Oost-Europees",
    ],
    [
        "WN-26-0457",
        "17-08-2026",
        "Arbeidsuitbuiting",
        "Naarden-Vesting",
        "Op Facebook zoekt 'Blinkvast Schoonmaak' mannen voor schoonmaakwerk in kantoren in Naarden: "
        "'huisvesting geregeld, inhouding op loon'. Reacties in het Roemeens over boetes.",
        "+31 6 12 34 02 13",
        "R. de Witt; Blinkvast",
        "https://social.example/blinkvast.schoonmaak",
        "M",
        "",
        "Roemeens",
    ],
    [
        "WN-26-0463",
        "05-09-2026",
        "Seksuele uitbuiting",
        "Muiden",
        "Escortadvertenties met 'nieuw meisje, privé vakantiehuisje Muiden, ook overnachting'. Het "
        "telefoonnummer is gelijk aan dat van eerdere advertenties; de contactpersoon noemt zich Aleks.",
        "0031687650283",
        "Aleks",
        "https://sekssite.example/muiden/adv/905870",
        "V",
        20,
        "Hongaars",
    ],
    [
        "WN-26-0468",
        "9 september 2026",
        "Seksuele uitbuiting",
        "Kortenhoef",
        "Telegramkanaal verkoopt naaktbeelden van een minderjarig meisje uit Kortenhoef; een volwassen "
        "beheerder regelt de betalingen.",
        "",
        "vechtvips",
        "https://telegram.example/vechtvips",
        "V",
        15,
        "Nederlands",
    ],
    [
        "WN-26-0471",
        "18-09-2026",
        "",
        "Laren",
        "Op een advertentiesite biedt iemand uit Laren een nier te koop aan 'om een schuld af te lossen'; "
        "de tekst lijkt door een ander geschreven.",
        "06-12349471",
        "",
        "https://advertenties.example/laren/8812",
        "M",
        "30-40",
        "onbekend",
    ],
    [
        "WN-26-0475",
        "24-09-2026",
        "Seksuele uitbuiting",
        "Bussum",
        "Profiel op een sugardaddy-site: studente (19) uit Bussum zoekt 'ondersteuning'. Berichten wijzen "
        "erop dat een ander haar profiel beheert en de afspraken maakt.",
        "",
        "Sophie_19",
        "https://sugar.example/profiel/sophie_19",
        "V",
        19,
        "Nederlands",
    ],
]

# --------------------------------------------------------------------------
# "Other source" example: a Veilig Thuis sheet, read with
# profile_veilig_thuis.toml (category fixed to Arbeidsuitbuiting).
# "Medewerker" is an extra column the profile does not name.
# --------------------------------------------------------------------------
VT_HEADERS = ["Dossiernummer", "Datum binnenkomst", "Samenvatting melding", "Woonplaats", "Telefoon", "Medewerker"]

VT_ROWS = [
    [
        "VT-2026-08812",
        "03-07-2026",
        "Moeder van een au pair uit de Filipijnen belt: haar dochter werkt in Blaricum 70 uur per week "
        "en krijgt 50 euro per maand.",
        "Blaricum",
        "06-12345812",
        "SB",
    ],
    [
        "VT-2026-09107",
        "22-07-2026",
        "Huisarts meldt een patiënt met rugletsel die bij een tuinder in de kassen werkt en daar ook "
        "slaapt; de werkgever houdt zijn loon in voor 'huur'.",
        "'s-Graveland",
        "06-87650150",
        "KL",
    ],
    [
        "VT-2026-09345",
        "14-08-2026",
        "Wijkteam: in een eengezinswoning wonen 14 arbeidsmigranten. Een 'huisbaas' van het uitzendbureau "
        "int de huur contant, ook van mannen die ziek thuis zitten.",
        "Hilversum",
        "035-1234345",
        "SB",
    ],
    [
        "VT-2026-09588",
        "02-09-2026",
        "Schoolmaatschappelijk werk: een leerling van 16 werkt na school tot middernacht onbetaald in het "
        "restaurant van een familielid en valt in de les in slaap.",
        "Huizen",
        "",
        "KL",
    ],
    [
        "VT-2026-09790",
        "23-09-2026",
        "Buurvrouw meldt dat een huishoudster uit Indonesië nooit vrij heeft, niet alleen naar buiten mag "
        "en op zolder slaapt.",
        "Laren",
        "06-87655790",
        "SB",
    ],
]

# --------------------------------------------------------------------------
# Ground truth for duplicate detection.
# --------------------------------------------------------------------------
DUPLICATES = [
    # (ref A, ref B, what differs)
    ("M26-100101", "WN-26-0412", "phone 06-12340101 vs +31 6 1234 0101; Jansen vs Janssen; 2 vs 4 Jul"),
    ("M26-100117", "WN-26-0418", "Loosdrecht vs Nieuw-Loosdrecht; phone 0612340117 vs +31612340117; 8 vs 10 Jul"),
    ("M26-100124", "WN-26-0421", "Bussum vs Gooise Meren; 035-1234124 vs +31 35 123 4124; Excel date cell"),
    ("M26-100163", "WN-26-0433", "HILVERSUM vs Hilversum; 06-87650163 vs 0031 6 87650163; Bryan vs Brian"),
    ("M26-100171", "WN-26-0440", "both phones, +31/06 vs 0031; 3 vs 1 Aug; generic vs given category"),
    ("M26-100213", "WN-26-0457", "Naarden vs Naarden-Vesting; De Wit vs De Witt; 14 vs 17 Aug"),
    ("M26-100283", "WN-26-0463", "two phones vs one in 0031 form; Alex vs Aleks; 3 vs 5 Sep"),
    # the same situation twice in one source
    ("M26-100262", "M26-100276", "Hilversumse Meent vs Hilversum; 06-1234 0262 vs +31 6 12340262; Jayden vs Jaiden"),
    # the same situation from a profile-read source
    ("M26-100150", "VT-2026-09107", "+31 6 87650150 vs 06-87650150; 27 vs 22 Jul; tuinder/kassen reworded"),
]

NEAR_MISSES = [
    ("M26-100297", "WN-26-0437", "both Blaricum labour, different work, people and phones"),
    ("M26-100241", "WN-26-0449", "both money mules, different town, account and date"),
    ("M26-100124", "M26-100213", "both labour in Gooise Meren, different business"),
]


# --------------------------------------------------------------------------
def mma_bytes() -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(MMA_HEADERS)
    writer.writerows(MMA_ROWS)
    return buf.getvalue().encode("cp1252")  # strict: fails on a character cp1252 lacks


def vt_bytes() -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=",", quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(VT_HEADERS)
    writer.writerows(VT_ROWS)
    return buf.getvalue().encode("utf-8")


FIXED_TIME = dt.datetime(2026, 10, 1, 9, 0, 0)


def watch_bytes() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Signalen"
    ws.append(WATCH_HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in WATCH_ROWS:
        ws.append(row)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "dd-mm-yyyy"
            cell.alignment = Alignment(vertical="top", wrap_text=cell.column == 5)
    widths = [13, 16, 22, 18, 70, 30, 24, 50, 10, 10, 16]
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.freeze_panes = "A2"
    wb.properties.creator = "Watch Nederland (voorbeeld)"
    wb.properties.created = FIXED_TIME

    raw = io.BytesIO()
    wb.save(raw)
    return reproducible_zip(raw.getvalue())


def reproducible_zip(data: bytes, when: dt.datetime = FIXED_TIME) -> bytes:
    """openpyxl stamps the save time into docProps/core.xml and the zip entries;
    replace both with `when` so that regenerating gives identical bytes."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\2", content)
            new = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            new.compress_type = zipfile.ZIP_DEFLATED
            new.external_attr = 0o644 << 16
            dst.writestr(new, content)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the files on disk are up to date")
    args = parser.parse_args(argv)

    outputs = {MMA_FILE: mma_bytes(), WATCH_FILE: watch_bytes(), VT_FILE: vt_bytes()}
    return write_or_check(outputs, args.check, "make_examples.py")


def write_or_check(outputs: dict[Path, bytes], check: bool, script: str) -> int:
    """Write the generated files, or with `check` only say which are out of date."""
    stale = []
    for path, data in outputs.items():
        if check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(path.name)
        else:
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
            print(f"wrote {path.relative_to(HERE.parent)} ({len(data)} bytes)")
    if stale:
        print("out of date: " + ", ".join(stale) + f" (run python examples/{script})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

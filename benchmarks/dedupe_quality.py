"""How well and how fast `mhtool signals dedupe` finds the same situation.

Generates a labelled set: situations reported 1 to 4 times by Meld Misdaad
Anoniem and Watch Nederland, each report with the noise real exports have
(phone formats and the odd mistyped digit, name typos, transliterations and
initials, a village instead of the municipality or no place at all,
reworded text, missing fields, dates days to weeks apart), plus hard
negatives: every report's text comes from a few templates per type, so
different situations share their wording; first names, surnames and streets
recur across situations. Imports the two files with `--no-dedupe`, times
`mhtool signals dedupe` over everything and an import of 1% more signals
(with its dedupe), and prints pairwise precision, recall and F1 against

- all same-situation pairs,
- the pairs whose reports are connected by a shared phone, person, address
  with number, plate or link, in any spelling (an initial with the last
  name names the person; a phone with a mistyped digit is still the
  situation's phone): what can be found without guessing, and what issue
  13's targets are set on. The rest (a report without a phone against one
  without a name, ...) only have place, date, type and wording in common,
  exactly like the hard negatives;
- the same, but with identifiers only as written exactly alike (a whole
  name, the phone with every digit right): what earlier runs printed.

It also prints what linking exactly the pairs connected by an identical
identifier, and nothing else, would score against all same-situation pairs
(precision 1): the ceiling of linking on identical identifiers. Evidence
that is not identical (a mistyped phone digit, an initial with the last
name) can take recall a little past it.

    python benchmarks/dedupe_quality.py                       # 100,000 signals, 100 municipalities
    python benchmarks/dedupe_quality.py --municipalities 7    # the bundled region only (very dense)
    python benchmarks/dedupe_quality.py --missing 0.1         # reports leave out fewer identifiers
    python benchmarks/dedupe_quality.py --signals 5000 --seed 7

Targets (issue 4): F1 at least 0.95; 100,000 signals deduplicated in under
30 s on 2 cores.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

# --- what situations are made of -----------------------------------------------------------------

REGION = {  # the bundled region: municipality -> places a report may name instead
    "Hilversum": ["Hilversum", "Hilversumse Meent"],
    "Gooise Meren": ["Bussum", "Naarden", "Muiden", "Muiderberg", "Naarden-Vesting"],
    "Huizen": ["Huizen"],
    "Wijdemeren": ["Loosdrecht", "Nieuw-Loosdrecht", "Kortenhoef", "Ankeveen", "Nederhorst den Berg", "'s-Graveland"],
    "Laren": ["Laren"],
    "Blaricum": ["Blaricum"],
    "Eemnes": ["Eemnes"],
}
FIRST = (
    "Mohamed Dennis Piotr Tomasz Ivan Georgi Andrei Mihai Linh Thanh Anna Maria Olena Bianca Kevin Bryan "
    "Jayden Mitchell Sami Youssef Ahmed Ali Omar Karim Rico Alex Daan Sem Lucas Milan Levi Noah Julia Emma "
    "Sophie Noa Lisa Mila Sara Fatima Aisha Elena Irina Natalia Katarzyna Agnieszka Magdalena Dimitar "
    "Nikolai Stefan Florin Ionut Bogdan Cristian Adrian Vasile Nguyen Minh Hoang Tuan Mehmet Mustafa "
    "Hasan Emre Burak Can Patrick Richard Marco Rachid Hamza Bilal Ayoub Mehdi Jan Piet Kees Willem Henk "
    "Johan Peter Frank Erik Ruud Thomas Bram Jesse Luuk Finn Tim Ruben Stijn Niels Jeroen Mark Bas Sander "
    "Laura Anouk Sanne Fleur Eva Iris Lotte Femke Esther Ingrid Monique Nadia Samira Yasmina Leila Olga "
    "Svetlana Tatiana Oksana Yulia Daria Ewa Joanna Marta Ioana Andreea Alina Roxana Diana Petra Vesna "
    "Ana Mirela Lan Hoa Mai Thuy Huong Jamal Tarik Nordin Soufiane Zakaria Anass Ilias Redouan"
).split()
LAST = (
    "Jansen De-Vries Van-Dijk Bakker Visser Smit Meijer De-Boer Mulder De-Groot Bos Vos Peters Hendriks "
    "Van-Leeuwen Dekker Brouwer De-Wit Dijkstra Smits De-Graaf Van-der-Meer Kok Jacobs De-Haan Vermeulen "
    "Van-den-Berg Schouten Willems Hoekstra Koster Prins Kowalski Nowak Wisniewski Wojcik Kaminski Popescu "
    "Ionescu Popa Dumitru Stoica Georgiev Ivanov Dimitrov Petrov Nguyen Tran Le Pham Hoang El-Amrani "
    "Bouzid Benali El-Idrissi Yilmaz Kaya Demir Sahin Celik Ozturk Aydin Arslan Dogan Kilic Mohammed "
    "Haddad Saidi Rahmani Kovacs Horvath Szabo Toth Petrovic Jovanovic Markovic Nikolic Shevchenko "
    "Kovalenko Bondarenko Tkachenko"
).split()
# A long tail of surnames, as a country has: stems and endings of several languages.
STEMS = (
    "Berg Bos Brink Hof Kamp Meer Veen Wijk Horst Beek Broek Hout Kerk Molen Steen Velde Water Zand Kowal "
    "Nowak Lewand Zielin Wozni Pop Ion Dumit Georg Petr Dimitr Stoj Ivan Marin Yild Kara Ozt Aksoy Benn "
    "Hadd Amr Idris Tahir Nagy Kis Farkas Kovac Horv Bondar Tkach Shev Melnik Koval Nguy Tran Pham Vo Dang "
    "Bui Do Hoang Lam Vu"
).split()
ENDINGS = (
    "man mans er ink ing sma stra ga ski ska czyk ak escu eanu u ov ova ev eva ic ovic enko uk oglu "
    "ci er an in ek as os ides aki"
).split()
PREFIXES = ["", "", "", "Van ", "Van der ", "De ", "Ter ", "Van den "]
STREETS = [
    a + b
    for a in (
        "Kerk Dorps School Molen Haven Stations Hoofd Prins Konings Oranje Beatrix Juliana Wilhelmina Linden "
        "Eiken Beuken Berken Iepen Kastanje Vogel Merel Lijster Zwaluw Spreeuw Reiger Zwanen Tulpen Rozen Lelie "
        "Heide Bos Veld Weide Akker Zand Veen Sloot Vaart Brink Markt Raadhuis Post Bakkers Smids Vissers Boeren "
        "Noorder Zuider Ooster Wester Nieuwe Oude Lange Korte Hoge Brede"
    ).split()
    for b in ("straat", "weg", "laan", "plein", "dijk", "pad", "kade", "singel", "hof", "dreef")
]
ABBREVIATED = {"straat": "str.", "laan": "ln.", "weg": "wg."}

TYPES = {"sexual": 55, "labour": 25, "criminal": 14, "other": 6}
CATEGORY = {
    "sexual": ("Mensenhandel - seksuele uitbuiting", "Seksuele uitbuiting"),
    "labour": ("Arbeidsuitbuiting", "Arbeidsuitbuiting"),
    "criminal": ("Criminele uitbuiting", "Criminele uitbuiting"),
    "other": ("Gedwongen huwelijk", "Overig"),
}
# The same wording about different situations: a report uses one of these.
TEMPLATES = {
    "sexual": [
        "Melder ziet 's avonds steeds wisselende mannen bij een woning in {place}; ze blijven kort. Er wonen "
        "{n} jonge vrouwen die bijna nooit alleen naar buiten gaan. Vermoedelijk prostitutie vanuit de woning.",
        "Advertentie op een sekssite: nieuwe dames in {place}, discreet, eigen adres. Het telefoonnummer komt "
        "vaker voor; de man die de advertentie plaatst noemt zich {name}.",
        "Meisje van ongeveer {age} wordt bijna elke avond opgehaald door een oudere jongen in een auto. Hij "
        "koopt dure kleding en een tweede telefoon voor haar. Melder vermoedt een loverboy.",
        "Escortadvertenties met 'nieuw meisje in {place}, ook hotelbezoek'. De foto's lijken van een jonger "
        "meisje; de contactpersoon heet {name}.",
        "Massagesalon in {place} waar tot na middernacht mannen naar binnen gaan. De vrouwen spreken geen "
        "Nederlands; een man brengt ze 's ochtends en haalt ze 's nachts op.",
    ],
    "labour": [
        "Achter een bedrijfspand in {place} slapen zeker {n} arbeidsmigranten in een loods. Ze worden om 6 uur "
        "opgehaald met een bestelbus en een van de mannen zei dat hun paspoort is ingenomen.",
        "In de nagelstudio werken {n} jonge vrouwen van 's ochtends vroeg tot 's avonds laat, ook op zondag. "
        "Ze lijken boven de zaak te slapen; de eigenaar {name} spreekt voor hen.",
        "Vacature in een Facebookgroep: bouwwerk in {place}, huisvesting geregeld, vervoer met de bus van de "
        "werkgever. In de reacties klagen arbeidsmigranten over achterstallig loon.",
        "Bij een tuinder werken mannen die ook in de kassen lijken te overnachten. Ze krijgen {n} euro per uur "
        "en moeten huur betalen aan de baas.",
        "Schoonmaakbedrijf laat mannen zonder contract kantoren schoonmaken in {place}. Ze wonen met {n} "
        "personen in een huis; huur en boetes worden van het loon ingehouden.",
    ],
    "criminal": [
        "Jongens van {age} jaar worden bij het winkelcentrum in {place} aangesproken door een man op een "
        "scooter. Ze moeten pakketjes rondbrengen om een schuld af te betalen. Vermoedelijk drugs.",
        "Scholieren worden via Snapchat benaderd om hun bankpas en pincode uit te lenen voor {n} euro. Ze "
        "worden geldezels zonder het te weten.",
        "In een schuur in {place} zou een hennepkwekerij zitten. Er woont een jonge man die de planten "
        "verzorgt; hij mag het erf niet af.",
        "Een jongen van {age} moet van een oudere neef winkeldiefstallen plegen bij drogisterijen. Als hij "
        "weigert wordt hij geslagen.",
    ],
    "other": [
        "Een meisje van {age} vertelt op school dat haar ouders haar deze zomer in het land van herkomst "
        "willen laten trouwen. Ze durft thuis niets te zeggen.",
        "Een vrouw woont als au pair bij een gezin in {place} en werkt ruim {n} uur per week zonder loon; haar "
        "paspoort ligt bij het gezin.",
    ],
}
EXTRA = [
    "Melder wil anoniem blijven.",
    "Dit speelt al enkele weken.",
    "Buren hebben het ook gezien.",
    "Er is eerder over gemeld.",
    "De melder maakt zich grote zorgen.",
    "",
]

MMA_HEADER = [
    "Meldingnummer",
    "Datum melding",
    "Categorie",
    "Plaats",
    "Adres",
    "Omschrijving",
    "Telefoonnummer",
    "Betrokkenen",
    "Kenteken",
]
WATCH_HEADER = [
    "Signaal ID",
    "Datum signaal",
    "Soort uitbuiting",
    "Plaats",
    "Samenvatting",
    "Telefoonnummers",
    "Aliassen",
    "Vindplaats",
]

FIRST_DAY = dt.date(2024, 1, 1)
LAST_DAY = dt.date(2026, 9, 1)


class World:
    """The municipalities, names, streets and phone numbers situations draw from."""

    def __init__(self, rng: random.Random, municipalities: int, missing: float):
        self.rng = rng
        self.missing = missing
        inhabitants = {
            "Hilversum": 94435,
            "Gooise Meren": 60370,
            "Huizen": 41193,
            "Wijdemeren": 24605,
            "Blaricum": 12724,
            "Laren": 11439,
            "Eemnes": 9900,
        }
        self.places = dict(REGION)
        others = [name for name in _national_names() if name not in REGION]
        for name in rng.sample(others, max(0, municipalities - len(REGION))):
            self.places[name] = [name]
            inhabitants[name] = int(rng.lognormvariate(10.3, 0.8))
        self.inhabitants = inhabitants
        self.gemeenten = list(self.places)
        self.gemeente_weights = [inhabitants[g] for g in self.gemeenten]
        surnames = {name.replace("-", " ") for name in LAST}
        while len(surnames) < 3000:
            surnames.add(rng.choice(PREFIXES) + rng.choice(STEMS) + rng.choice(ENDINGS))
        self.surnames = sorted(surnames)
        rng.shuffle(self.surnames)
        self.first_weights = [1 / (rank + 1) ** 0.6 for rank in range(len(FIRST))]
        self.last_weights = [1 / (rank + 1) ** 0.6 for rank in range(len(self.surnames))]
        self.used_phones: set[str] = set()

    def region_csv(self, path: Path) -> None:
        """The bundled region plus the other municipalities, for `mhtool region load`."""
        from importlib import resources

        text = resources.files("mhtool.data").joinpath("region_gooi_en_vechtstreek.csv").read_text("utf-8")
        rows = [line for line in text.splitlines() if line.strip()]
        for number, name in enumerate(self.gemeenten[len(REGION) :]):
            rows.append(f'"{name}",GMX{number:03d},{self.inhabitants[name]},2025-01-01,,,"{name}"')
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")

    def mentions(self) -> bool:
        """Whether a report mentions one of its situation's identifiers."""
        return self.rng.random() >= self.missing

    def person(self) -> tuple[str, str]:
        return (self.rng.choices(FIRST, self.first_weights)[0], self.rng.choices(self.surnames, self.last_weights)[0])

    def phone(self) -> str:
        rng = self.rng
        while True:
            roll = rng.random()
            if roll < 0.08:
                phone = (
                    "+48"
                    + rng.choice(["50", "51", "53", "60", "66", "69", "72", "73", "79", "88"])
                    + str(rng.randint(0, 9_999_999)).zfill(7)
                )
            elif roll < 0.13:
                phone = "+40" + str(rng.randint(720_000_000, 749_999_999))
            elif roll < 0.18:
                phone = "+3135" + str(rng.randint(1_000_000, 9_999_999))
            else:
                phone = "+316" + str(rng.randint(1, 5)) + str(rng.randint(0, 9_999_999)).zfill(7)
            if phone not in self.used_phones:
                self.used_phones.add(phone)
                return phone


def _national_names() -> list[str]:
    from importlib import resources

    text = resources.files("mhtool.data").joinpath("dutch_municipalities.txt").read_text("utf-8")
    return sorted(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


# --- noise --------------------------------------------------------------------------------------

VARIANTS = [
    ("ss", "s"),
    ("s", "ss"),
    ("mm", "m"),
    ("m", "mm"),
    ("tt", "t"),
    ("t", "tt"),
    ("c", "k"),
    ("k", "c"),
    ("y", "i"),
    ("i", "y"),
    ("ij", "y"),
    ("ph", "f"),
    ("x", "ks"),
    ("ks", "x"),
    ("oe", "u"),
    ("e", "a"),
    ("o", "u"),
    ("w", "v"),
    ("sz", "s"),
    ("cz", "tsj"),
]


def name_variant(rng: random.Random, name: str) -> str:
    """A spelling another writer might use: Jansen/Janssen, Popescu/Popesku, Bryan/Brian."""
    for _ in range(4):
        old, new = rng.choice(VARIANTS)
        at = name.lower().find(old, 1)
        if at > 0:
            return name[:at] + new + name[at + len(old) :]
    return name


def typo(rng: random.Random, word: str) -> str:
    """One slip of the keyboard: a letter dropped, doubled, swapped or replaced."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    if kind == 2:
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    return word[:i] + rng.choice("aeiounrstl") + word[i + 1 :]


def person_as_written(rng: random.Random, first: str, last: str) -> tuple[str, str]:
    """The name as this report has it, and its form: 'full' (first and last
    name), 'initial' (initial and last name) or 'first' (a first name only)."""
    if rng.random() < 0.25:
        first = name_variant(rng, first)
    if rng.random() < 0.25:
        last = name_variant(rng, last)
    if rng.random() < 0.05:
        last = typo(rng, last)
    form = rng.random()
    if form < 0.6:
        text, kind = f"{first} {last}", "full"
    elif form < 0.75:
        text, kind = f"{first[0]}. {last}", "initial"
    elif form < 0.9:
        text, kind = first, "first"
    else:
        text, kind = f'"{first}"', "first"
    if rng.random() < 0.15:
        text += f" (ca. {rng.randint(18, 55)} jr)"
    return text, kind


def phone_as_written(rng: random.Random, e164: str) -> tuple[str, str]:
    """+31612345678 as people write it, and the number it really is (now and then a digit is wrong)."""
    if rng.random() < 0.02:
        i = rng.randrange(len(e164) - 6, len(e164))
        e164 = e164[:i] + str((int(e164[i]) + 1) % 10) + e164[i + 1 :]
    if not e164.startswith("+31"):
        return rng.choice([e164, "00" + e164[1:], e164[:3] + " " + e164[3:6] + " " + e164[6:]]), e164
    digits = e164[3:]
    local = "0" + digits
    return rng.choice(
        [
            f"{local[:2]}-{local[2:]}",
            f"{local[:2]} {local[2:6]} {local[6:]}",
            f"+31 {digits[0]} {digits[1:]}",
            f"0031{digits}",
            f"+31{digits}",
            local,
            f"{local[:2]}-{local[2:6]} {local[6:]}",
        ]
    ), e164


def place_as_written(rng: random.Random, gemeente: str, place: str) -> str:
    roll = rng.random()
    if roll < 0.08:
        return ""  # counted under 'onbekend'
    if roll < 0.45:
        return gemeente
    if roll < 0.55:
        return place.upper()
    return place


def address_as_written(rng: random.Random, street: str, number: int) -> tuple[str, bool]:
    """The address as written, and whether it has the house number."""
    if rng.random() < 0.15:
        for full, short in ABBREVIATED.items():
            if street.endswith(full):
                street = street[: -len(full)] + short
                break
    if rng.random() < 0.1:
        return street, False
    return (f"{street} {number}" if rng.random() < 0.8 else f"{street.lower()} {number}"), True


# --- situations and their reports -------------------------------------------------------------------


def situation(world: World) -> dict:
    rng = world.rng
    kind = rng.choices(list(TYPES), list(TYPES.values()))[0]
    return {
        "gemeente": rng.choices(world.gemeenten, world.gemeente_weights)[0],
        "type": kind,
        "day": FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days)),
        "phones": [world.phone() for _ in range(rng.choices([0, 1, 2], [15, 60, 25])[0])],
        "people": [world.person() for _ in range(rng.choices([0, 1, 2, 3], [25, 45, 25, 5])[0])],
        "address": (rng.choice(STREETS), rng.randint(1, 150)) if rng.random() < 0.45 else None,
        "plate": (
            f"{rng.randint(1, 99)}-{''.join(rng.choices('BDFGHJKLNPRSTVXZ', k=3))}-{rng.randint(1, 9)}"
            if rng.random() < 0.15
            else None
        ),
        "url": (
            f"https://sekssite.example/adv/{rng.randint(100000, 999999)}"
            if rng.random() < (0.4 if kind == "sexual" else 0.05)
            else None
        ),
        "n": rng.randint(2, 14),
        "age": rng.randint(14, 19),
    }


def report(world: World, s: dict, first: bool, mma: bool) -> tuple[dict, set, set]:
    """One report about situation `s` as one writer puts it, and the
    identifiers it carries: in any spelling, and as written exactly alike
    (see the module docstring). Only M. exports have an address and a
    plate, only Watch exports a link."""
    rng = world.rng
    shift = 0 if first else min(60, int(rng.expovariate(1 / 8))) * rng.choice([-1, 1])
    day = min(s["day"] + dt.timedelta(days=shift), LAST_DAY)
    place = rng.choice(world.places[s["gemeente"]])
    carried, exact = set(), set()
    phones = []
    for phone in s["phones"]:
        if world.mentions():
            written, real = phone_as_written(rng, phone)
            phones.append(written)
            carried.add(("phone", phone))
            exact.add(("phone", real))
    people = []
    for number, person in enumerate(s["people"]):
        if world.mentions():
            written, kind = person_as_written(rng, *person)
            people.append(written)
            if kind != "first":
                carried.add(("person", number))
            if kind == "full":
                exact.add(("person", number))
    address = ""
    if mma and s["address"] and world.mentions():
        address, numbered = address_as_written(rng, *s["address"])
        if numbered:
            carried.add(("address", s["address"]))
    plate = s["plate"] if mma and s["plate"] and world.mentions() else ""
    url = s["url"] if not mma and s["url"] and world.mentions() else ""
    carried |= {("plate", plate)} if plate else set()
    carried |= {("url", url)} if url else set()
    exact |= carried - {item for item in carried if item[0] in ("phone", "person")}
    first_name = s["people"][0][0] if s["people"] else world.person()[0]
    text = rng.choice(TEMPLATES[s["type"]]).format(place=place, name=first_name, n=s["n"], age=s["age"])
    given = rng.random()
    row = {
        "day": day,
        "category": CATEGORY[s["type"]][0] if given < 0.5 else "Mensenhandel" if given < 0.8 else "",
        "place": place_as_written(rng, s["gemeente"], place),
        "address": address,
        "text": (text + " " + rng.choice(EXTRA)).strip(),
        "phones": " / ".join(phones),
        "persons": "; ".join(people),
        "plate": plate,
        "url": url,
    }
    return row, carried, exact


@dataclass
class Labelled:
    label: dict[str, int]  # ref -> situation number
    # ref -> (situation, part): the reports of a situation connected by shared identifiers
    # (phone, person, address with number, plate, link) in any spelling, i.e. what the data allows to find
    decidable: dict[str, tuple[int, int]]
    files: list[Path]  # mma.csv, watch.csv (the bulk), extra.csv (the last 1%)
    region: Path | None
    # the same, with identifiers only as written exactly alike (whole names, phones with every digit right)
    decidable_exact: dict[str, tuple[int, int]]


def _parts(carried: list[set]) -> list[int]:
    """Number the groups of reports connected by a shared identifier."""
    part = list(range(len(carried)))
    for i in range(len(carried)):
        for j in range(i):
            if carried[i] & carried[j]:
                old, new = part[i], part[j]
                part = [new if p == old else p for p in part]
    return part


def generate(folder: Path, signals: int, seed: int, municipalities: int, missing: float) -> Labelled:
    world = World(random.Random(seed), municipalities, missing)
    rng = world.rng
    label: dict[str, int] = {}
    decidable: dict[str, tuple[int, int]] = {}
    decidable_exact: dict[str, tuple[int, int]] = {}
    rows: dict[str, list] = {"mma": [], "watch": [], "extra": []}
    number = situation_no = 0
    last_bulk = None
    while number < signals:
        situation_no += 1
        if last_bulk is None and number >= signals * 0.99:
            last_bulk = situation_no - 1
        s = situation(world)
        carried_by_report, exact_by_report, refs = [], [], []
        for k in range(min(signals - number, rng.choices([1, 2, 3, 4], [55, 28, 11, 6])[0])):
            number += 1
            mma = rng.random() < 0.6
            r, carried, exact = report(world, s, k == 0, mma)
            carried_by_report.append(carried)
            exact_by_report.append(exact)
            ref = f"M-{number:07d}" if mma else f"WN-{number:07d}"
            label[ref] = situation_no
            refs.append(ref)
            target = "extra" if last_bulk is not None else "mma" if mma else "watch"
            if mma or target == "extra":
                rows[target].append(
                    [
                        ref,
                        r["day"].strftime("%d-%m-%Y"),
                        r["category"],
                        r["place"],
                        r["address"],
                        r["text"],
                        r["phones"],
                        r["persons"],
                        r["plate"],
                    ]
                )
            else:
                category = CATEGORY[s["type"]][1] if rng.random() < 0.7 else ""
                rows["watch"].append(
                    [ref, r["day"].isoformat(), category, r["place"], r["text"], r["phones"], r["persons"], r["url"]]
                )
        for ref, part in zip(refs, _parts(carried_by_report)):
            decidable[ref] = (situation_no, part)
        for ref, part in zip(refs, _parts(exact_by_report)):
            decidable_exact[ref] = (situation_no, part)
    files = []
    for name, header in (("mma", MMA_HEADER), ("watch", WATCH_HEADER), ("extra", MMA_HEADER)):
        path = folder / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows[name])
        files.append(path)
    region = None
    if municipalities > len(REGION):
        region = folder / "region.csv"
        world.region_csv(region)
    return Labelled(label, decidable, files, region, decidable_exact)


# --- measuring --------------------------------------------------------------------------------------


def pairs_within(groups: Counter) -> int:
    return sum(n * (n - 1) // 2 for n in groups.values())


def pairwise(db: Path, label: dict) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of the situations in `db` against `label`."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT ref, situation_id FROM signals").fetchall()
    finally:
        conn.close()
    together = pairs_within(Counter((label[ref], situation) for ref, situation in rows))
    found = pairs_within(Counter(situation for _, situation in rows))
    true = pairs_within(Counter(label[ref] for ref, _ in rows))
    precision = together / found if found else 1.0
    recall = together / true if true else 1.0
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def best_by_identifiers(data: Labelled) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 against all same-situation pairs of
    the `decidable_exact` partition itself: every pair connected
    (transitively, within its situation) by an identical identifier linked,
    and nothing else."""
    together = pairs_within(Counter(data.decidable_exact.values()))
    true = pairs_within(Counter(data.label.values()))
    recall = together / true if true else 1.0
    return 1.0, recall, 2 * recall / (1 + recall)


def count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM signals").fetchone()[0]
    finally:
        conn.close()


def mhtool(db: Path, *args) -> float:
    """Run one mhtool command in a child process; its wall-clock seconds."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mhtool", "--db", str(db), "--quiet", *map(str, args)], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"mhtool {' '.join(map(str, args))} failed:\n{done.stderr[-2000:]}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--signals", type=int, default=100_000)
    parser.add_argument(
        "--municipalities",
        type=int,
        default=100,
        help="7 = the bundled region only; more adds other Dutch municipalities (default 100)",
    )
    parser.add_argument(
        "--missing",
        type=float,
        default=0.2,
        help="chance that a report leaves out each phone, name, address, plate or link of its situation (default 0.2)",
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = generate(folder, args.signals, args.seed, args.municipalities, args.missing)
        sizes = Counter(Counter(data.label.values()).values())
        true = pairs_within(Counter(data.label.values()))
        print(
            f"{len(data.label):,} signals about {len(set(data.label.values())):,} situations in "
            f"{max(args.municipalities, len(REGION))} municipalities (reported once: {sizes[1]:,}, twice: "
            f"{sizes[2]:,}, 3x: {sizes[3]:,}, 4x: {sizes[4]:,}); {true:,} same-situation pairs, of which "
            f"{pairs_within(Counter(data.decidable.values())) / true:.1%} are connected by a shared phone, "
            "person, address with number, plate or link in any spelling "
            f"({pairs_within(Counter(data.decidable_exact.values())) / true:.1%} written exactly alike)"
        )
        p, r, f1 = best_by_identifiers(data)
        print(
            f"  if exactly the pairs connected by an identical identifier were linked: pairwise precision {p:.4f}, "
            f"recall {r:.4f}, F1 {f1:.4f}"
        )
        db = folder / "bench.db"
        if data.region:
            mhtool(db, "region", "load", data.region)
        mma, watch, extra = data.files
        seconds = mhtool(db, "signals", "import", "--source", "mma", "--no-dedupe", mma)
        seconds += mhtool(db, "signals", "import", "--source", "watch", "--no-dedupe", watch)
        print(f"import without dedupe: {seconds:.1f} s")
        seconds = mhtool(db, "signals", "dedupe")
        print(f"signals dedupe over {count(db):,} signals: {seconds:.1f} s")
        _quality(db, data)
        _possible(db, data)
        before = count(db)
        seconds = mhtool(db, "signals", "import", "--source", "mma", extra)
        print(f"import of {count(db) - before:,} more signals, with dedupe: {seconds:.1f} s")
        _quality(db, data)


def _quality(db: Path, data: Labelled) -> None:
    for name, truth in (
        ("all same-situation pairs", data.label),
        ("pairs connected by an identifier", data.decidable),
        ("pairs connected by an identifier written exactly alike", data.decidable_exact),
    ):
        p, r, f1 = pairwise(db, truth)
        print(f"  against {name}: pairwise precision {p:.4f}, recall {r:.4f}, F1 {f1:.4f}")
    print("  (issue 13 targets, against the pairs connected by an identifier: precision >= 0.99, F1 >= 0.97)")


def _possible(db: Path, data: Labelled) -> None:
    """How much of what the automatic links miss `signals dupes --possible` offers, and at what cost."""
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mhtool",
            "--db",
            str(db),
            "--quiet",
            "signals",
            "dupes",
            "--possible",
            "--format",
            "csv",
        ],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"signals dupes --possible failed:\n{done.stderr[-2000:]}")
    listed = [(row["a_ref"], row["b_ref"]) for row in csv.DictReader(io.StringIO(done.stdout))]
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT ref, situation_id FROM signals").fetchall()
    finally:
        conn.close()
    label = data.label
    missed = pairs_within(Counter(label[ref] for ref, _ in rows)) - pairs_within(
        Counter((label[ref], situation) for ref, situation in rows)
    )
    held = sum(label[a.partition(":")[2]] == label[b.partition(":")[2]] for a, b in listed)
    print(
        f"  signals dupes --possible: {len(listed):,} pairs in {seconds:.1f} s; they hold {held:,} of the "
        f"{missed:,} true pairs the automatic links miss ({held / missed if missed else 1:.1%}; target >= 70%), "
        f"{len(listed) / held if held else float('inf'):.1f} candidates per true pair held (target <= 3)"
    )


if __name__ == "__main__":
    main()

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mhtool.ads import extract
from mhtool.ads.extract import (
    age_from_cell,
    age_from_text,
    licence_from_cell,
    licence_from_text,
    normalise_ad_text,
    text_hash,
)
from mhtool.ads.obscured import (
    OBSCURED_BROKEN,
    OBSCURED_LETTER_L,
    OBSCURED_LETTER_O,
    OBSCURED_MIXED,
    OBSCURED_SPACED,
    OBSCURED_WORDS,
    obscured_phone,
)
from mhtool.ads.prices import price_and_minutes_from_text, price_from_cell, price_from_text

TRICKS = {OBSCURED_WORDS, OBSCURED_MIXED, OBSCURED_SPACED, OBSCURED_LETTER_O, OBSCURED_LETTER_L, OBSCURED_BROKEN}


# --------------------------------------------------------------------------- age


@pytest.mark.parametrize(
    "text, age",
    [
        ("23 jaar", 23),
        ("23jr", 23),
        ("23 jr.", 23),
        ("23 jr. jong", 23),
        ("Lisa (23)", 23),
        ("Lisa ( 23 )", 23),
        ("Lisa (23 jaar) uit Hilversum", 23),
        ("leeftijd: 23", 23),
        ("Leeftijd 23", 23),
        ("LEEFTIJD:23", 23),
        ("mijn leeftijd is 23", 23),
        ("lft. 31", 31),
        ("Ik ben 23", 23),
        ("ik ben 23, kom langs", 23),
        ("Hoi, ik ben 23.", 23),
        ("ik ben net 18!", 18),
        ("ik ben pas 19 en nieuw", 19),
        ("23 years", 23),
        ("23 years old", 23),
        ("23yo", 23),
        ("21 y/o", 21),
        ("age 23", 23),
        ("Age: 45", 45),
        ("I am 30", 30),
        ("I'm 21", 21),
        ("een 23-jarige studente", 23),
        ("23 jarige dame", 23),
        ("Sandra, 25 jaar oud", 25),
        ("Ik ben Sandra en 25 jaar", 25),
        ("Ik ben al 23 jaar oud", 23),
        ("Ik ben 14", 14),
        ("Ik ben 99", 99),
        # the first plausible stated age wins
        ("Ik ben 22 jaar. Mijn zus (25) is er ook", 22),
        ("al 15 jaar ervaring, ik ben 22", 22),
        ("klanten vanaf 25 jaar, ik ben 19", 19),
        ("bel 06-12345678, 24/7, 1 uur 150 euro, ik ben 26 jaar", 26),
        ("Lisa (12) ... nee grapje, ik ben 23", 23),
    ],
)
def test_age_from_text(text, age):
    assert age_from_text(text) == age


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "geen leeftijd genoemd",
        "Ik ben 24/7 beschikbaar",
        "ik ben 24 uur per dag bereikbaar",
        "24 uur",
        "170 cm 55 kg",
        "ik ben 170 cm",
        "Ik ben 55 kg",
        "ik ben 75c",
        "cup 75",
        "maat 36",
        "06-12345678",
        "06 12 34 56 78",
        "(06) 12345678",
        "100 euro",
        "€ 50",
        "1 uur",
        "30 min",
        "ik ben 30 min van Utrecht",
        "half uur (50)",
        "prijs (80)",
        "10.00 - 22.00 uur",
        "25-11-2026",
        "al 15 jaar ervaring",
        "ik werk al 20 jaar in het vak",
        "20 jaar geleden",
        "klanten vanaf 25 jaar",
        "heren tussen 25 en 50 jaar",
        "18 jaar of ouder",
        "minimaal 21 jaar",
        "23,5 jaar",
        "leeftijd 23,5",
        "leeftijd 20-25",
        "Ik ben 12 jaar",  # below 14
        "Ik ben 100 jaar",  # three digits
        "(10)",
    ],
)
def test_age_from_text_near_misses(text):
    assert age_from_text(text) is None


@pytest.mark.parametrize(
    "value, age",
    [
        (23, 23),
        ("23", 23),
        (" 23 ", 23),
        ("23 jaar", 23),
        ("23jr", 23),
        (23.0, 23),
        ("23,0", 23),
        ("Lisa (23)", 23),
        (14, 14),
        (99, 99),
    ],
)
def test_age_from_cell(value, age):
    assert age_from_cell(value) == age


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "   ",
        "onbekend",
        "abc",
        "jong",
        23.5,
        0,
        12,
        100,
        150,
        -23,
        True,
        False,
        float("nan"),
        float("inf"),
        "23.5",
        "??",
        [],
        {},
        10**400,
    ],
)
def test_age_from_cell_nonsense(value):
    assert age_from_cell(value) is None


# ----------------------------------------------------------------------- licence


@pytest.mark.parametrize(
    "text, number",
    [
        ("Vergunningnummer: HV-2024-017", "HV-2024-017"),
        ("Vergunningsnummer: HV-2024-017.", "HV-2024-017"),
        ("vergunningnr 778", "778"),
        ("vergunning nr. 12345", "12345"),
        ("Vergunning: 12345", "12345"),
        ("Registratienummer 2026/123", "2026/123"),
        ("registratie nr: 2026/123", "2026/123"),
        ("reg.nr: ABC123", "ABC123"),
        ("reg. nr. ABC123", "ABC123"),
        ("Reg nr 4455", "4455"),
        ("licentie: GM0402-55", "GM0402-55"),
        ("Licentienummer GM0402-55", "GM0402-55"),
        ("licence number 8812", "8812"),
        ("Exploitatievergunning HV 2024-017, gemeente Hilversum", "HV 2024-017"),
        ("vergunningnummer is 2024.0017", "2024.0017"),
        ("Lieve Lisa (23), 1 uur 150 euro. Vergunningnummer: HV-2024-017. Bel 06-12345678", "HV-2024-017"),
        # a negated mention first, the number later
        ("Geen vergunning nodig? Jawel: vergunningnummer HV-2024-017", "HV-2024-017"),
    ],
)
def test_licence_from_text(text, number):
    assert licence_from_text(text) == number


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "Lisa, 23 jaar, bel 06-12345678",
        "geen vergunning",
        "Geen vergunning, bel 06-12345678",
        "zonder vergunning 123",
        "Geen exploitatievergunning 123",
        "vergunning aangevraagd",
        "vergunning in aanvraag",
        "vergunning: nee",
        "Vergunning: NEE",
        "vergunningnummer:",
        "vergunningnummer: volgt",
        "vergunning: 0612345678",
        "Met vergunning 24/7 beschikbaar",
        "vergunninghouder 12345",  # another word
        "regio Gooi, 06-12345678",
        "registratie bij de KvK",
        "nr. 12345",  # a number without a licence keyword
    ],
)
def test_licence_from_text_near_misses(text):
    assert licence_from_text(text) is None


@pytest.mark.parametrize(
    "value, number",
    [
        ("HV-2024-017", "HV-2024-017"),
        ("  HV-2024-017  ", "HV-2024-017"),
        ("12345", "12345"),
        (12345, "12345"),
        (12345.0, "12345"),
        ("Vergunningnummer: HV-2024-017", "HV-2024-017"),
        ("2026/123", "2026/123"),
        ("GM0402-55", "GM0402-55"),
    ],
)
def test_licence_from_cell(value, number):
    assert licence_from_cell(value) == number


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "  ",
        "nee",
        "Nee",
        "NEE",
        "geen",
        "Geen",
        "-",
        "--",
        "n.v.t.",
        "N.V.T.",
        "nvt",
        "n/a",
        "0",
        "000",
        0,
        0.0,
        -5,
        "ja",
        "aangevraagd",
        "in aanvraag",
        "geen vergunning",
        "geen (aangevraagd 12-2025)",
        "nee, aangevraagd 2026",
        True,
        False,
        float("nan"),
        [],
    ],
)
def test_licence_from_cell_none(value):
    assert licence_from_cell(value) is None


# ------------------------------------------------------------------------- price


@pytest.mark.parametrize(
    "text, price",
    [
        ("100 euro per uur", 100),
        ("€100", 100),
        ("€ 100,-", 100),
        ("€100,00", 100),
        ("€ 99,50", 100),  # cents rounded half up
        ("€ 99,49", 99),
        ("100,- p/u", 100),
        ("100 eur", 100),
        ("100 EURO", 100),
        ("100 euro's", 100),
        ("100€ p/u", 100),
        ("EUR 100", 100),
        ("€ 1.000,-", 1000),
        ("1 uur 150", 150),
        ("1 uur: 150", 150),
        ("half uur 80", 80),
        ("30 min 80", 80),
        # several prices: the first per hour wins
        ("half uur 80, 1 uur 150", 150),
        ("half uur €80, uur €150", 150),
        ("half uur €80, 1 uur €150, 2 uur €280", 150),
        ("€ 80 half uur, € 150 per uur", 150),
        ("30 min 80 euro, 60 min 140 euro", 140),
        ("Toeslag €25, 150 euro p/u", 150),
        ("€150/uur", 150),
        ("150 euro het uur", 150),
        # none per hour: the first
        ("half uur €80, 2 uur €280", 80),
        ("Escort vanaf €250", 250),
        ("Lisa (23). Bel 06-12345678, 24/7. Open 10.00 - 22.00 uur. Half uur 80 euro, uur 150 euro.", 150),
    ],
)
def test_price_from_text(text, price):
    assert price_from_text(text) == price


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "prijs in overleg",
        "prijs 150",  # no euro mark, no duration
        "10.00 - 22.00 uur",
        "24/7",
        "25-11-2026",
        "06-12345678",
        "06-12345678 euro",
        "Lisa 23 jaar, 170 cm, 55 kg, cup 75, maat 36",
        "1 uur 30 min",
        "om 1 uur 30",
        "€ 0",
        "1 uur",
    ],
)
def test_price_from_text_near_misses(text):
    assert price_from_text(text) is None


@pytest.mark.parametrize(
    "value, price",
    [
        (100, 100),
        (100.0, 100),
        (99.5, 100),
        ("100", 100),
        (" 100 ", 100),
        ("€ 100", 100),
        ("€100,-", 100),
        ("100,00", 100),
        ("100.00", 100),
        ("100 euro", 100),
        ("100 EUR", 100),
        ("1.000", 1000),
        ("150 p/u", 150),
        ("half uur 80, 1 uur 150", 150),
    ],
)
def test_price_from_cell(value, price):
    assert price_from_cell(value) == price


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "  ",
        "in overleg",
        "gratis",
        "abc",
        0,
        "0",
        -50,
        True,
        False,
        float("nan"),
        float("inf"),
        10**6,
        [],
        10**400,
    ],
)
def test_price_from_cell_none(value):
    assert price_from_cell(value) is None


# ---------------------------------------------------------------- obscured phone


@pytest.mark.parametrize(
    "text, trick",
    [
        ("nul zes een twee drie vier vijf zes zeven acht", OBSCURED_WORDS),
        ("Bel me: nul zes - een twee - drie vier - vijf zes - zeven acht", OBSCURED_WORDS),
        ("zes-een-twee-drie-vier-vijf", OBSCURED_WORDS),
        ("NUL ZES TWAALF VIERENDERTIG ZESENVIJFTIG ACHTENZEVENTIG", OBSCURED_WORDS),
        ("nul zes één twee drie vier vijf zes zeven acht", OBSCURED_WORDS),
        ("zero six one two three four five six seven eight", OBSCURED_WORDS),
        ("0 6 1 2 3 4 5 6 7 8", OBSCURED_SPACED),
        ("0.6.1.2.3.4.5.6.7.8", OBSCURED_SPACED),
        ("0-6-1-2-3-4-5-6-7-8", OBSCURED_SPACED),
        ("06 1 2 3 4 5 6 7 8", OBSCURED_SPACED),
        ("O6-12345678", OBSCURED_LETTER_O),
        ("o6 12345678", OBSCURED_LETTER_O),
        ("06-1234567O", OBSCURED_LETTER_O),
        ("06-l2345678", OBSCURED_LETTER_L),
        ("06-I2345678", OBSCURED_LETTER_L),
        ("06 * 123 * 456 * 78", OBSCURED_BROKEN),
        ("06 [punt] 12 [punt] 345678", OBSCURED_BROKEN),
        ("06 punt 12 punt 34 punt 56 punt 78", OBSCURED_BROKEN),
        ("06💋12💋34💋56💋78", OBSCURED_BROKEN),
        ("06 twaalf 34 56 78", OBSCURED_MIXED),
        ("06 een twee 34 56 78", OBSCURED_MIXED),
        ("nul zes 12 34 56 78", OBSCURED_MIXED),
        ("Lisa (23), nieuw! Bel 06 * 123 * 456 * 78 voor een afspraak, 1 uur 150 euro", OBSCURED_BROKEN),
    ],
)
def test_obscured_phone(text, trick):
    assert obscured_phone(text) == trick


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "Hoi schatjes, ik ben Lisa",
        "06-12345678",
        "06 1234 5678",
        "+31 6 12345678",
        "+31 (0)6 12345678",
        "0031 6 12345678",
        "0612345678",
        "06 12 34 56 78",
        "06.12.34.56.78",
        "035-1234567",
        "020 123 4567",
        "+32 470 12 34 56",
        "06-12345678 of 06-87654321",
        "06 12 34 56 78 | 06 87 65 43 21",
        "100 euro",
        "€ 150 * 06 12345678",
        "10.00 - 22.00 uur",
        "09.00 - 17.00 uur * 24/7 * 06 12345678",
        "Bel 06-12345678, 24/7 * ook whatsapp",
        "24/7",
        "25-11-2026",
        "25-11-2026 10:00 - 22:00",
        "bel 0612345678 een uur 150 euro",
        "twee uur 250 euro, een uur 150",
        "een twee drie vier vijf",  # five number words
        "Vergunning GM0402-55",
        "IBAN NL91 ABNA 0417 1643 00",
        "Lengte 1.70 m, 55 kg, cup 75C, maat 36",
        "half uur 80, 1 uur 150, 2 uur 280",
    ],
)
def test_obscured_phone_near_misses(text):
    assert obscured_phone(text) is None


# --------------------------------------------------------------- text comparison


def test_normalise_ad_text():
    assert normalise_ad_text("  Héllo\u200b  WORLD\n\tçà  ") == "hello world ca"
    assert normalise_ad_text("Straße") == "strasse"
    assert normalise_ad_text(None) == ""
    assert normalise_ad_text("") == ""
    assert normalise_ad_text("   ") == ""


def test_text_hash():
    empty = hashlib.sha256(b"").hexdigest()
    assert text_hash("") == empty
    assert text_hash(None) == empty
    assert text_hash("   ") == empty
    assert text_hash("hallo wereld") == hashlib.sha256(b"hallo wereld").hexdigest()
    assert text_hash("Hállo  WERELD\n") == text_hash("hallo wereld")
    assert text_hash("hallo wereld") != text_hash("hallo wereld!")
    assert len(text_hash("x")) == 64


# -------------------------------------------------------------------- robustness

PATHOLOGICAL = [
    "1" * 50_000,
    "1" * 50_000 + " * 1",
    "0 " * 20_000,
    "1." * 20_000,
    "een " * 20_000,
    "o" * 50_000 + "1",
    "(" + " " * 50_000 + "23",
    "vergunning " + "A-" * 20_000 + "!",
]
TEXT_FUNCTIONS = [age_from_text, licence_from_text, price_from_text, obscured_phone, normalise_ad_text, text_hash]
CELL_FUNCTIONS = [age_from_cell, licence_from_cell, price_from_cell]

# Text made of the characters these functions care about, so that hypothesis
# reaches the interesting branches more often than with st.text() alone.
AD_ALPHABET = list("0123456789 oOlI€,.-/:()*+[]\n") + [
    "jaar",
    "jr",
    "ik ben ",
    "leeftijd",
    "vergunning",
    "nr",
    "reg.nr",
    "euro",
    "uur",
    "per uur",
    "p/u",
    "half",
    "1 uur",
    "nul",
    "zes",
    "een",
    "twaalf",
    "punt",
    "24/7",
    "06",
    "geen ",
    "İ",
    "é",
]
ad_text = st.one_of(st.text(), st.lists(st.sampled_from(AD_ALPHABET), max_size=40).map("".join))


@settings(max_examples=300, deadline=None)
@given(ad_text)
def test_text_functions_never_raise(text):
    age = age_from_text(text)
    assert age is None or extract.MIN_AGE <= age <= extract.MAX_AGE
    licence = licence_from_text(text)
    assert licence is None or any(c.isdigit() for c in licence)
    price = price_from_text(text)
    assert price is None or 1 <= price <= extract.MAX_PRICE
    trick = obscured_phone(text)
    assert trick is None or trick in TRICKS
    normal = normalise_ad_text(text)
    assert normalise_ad_text(normal) == normal
    assert len(text_hash(text)) == 64


cell_values = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), ad_text, st.text())


@settings(max_examples=200, deadline=None)
@given(cell_values)
def test_cell_functions_never_raise(value):
    age = age_from_cell(value)
    assert age is None or extract.MIN_AGE <= age <= extract.MAX_AGE
    licence = licence_from_cell(value)
    assert licence is None or (any(c.isdigit() for c in licence) and licence == licence.strip())
    price = price_from_cell(value)
    assert price is None or 1 <= price <= extract.MAX_PRICE


@pytest.mark.parametrize("function", TEXT_FUNCTIONS)
def test_text_functions_accept_non_text(function):
    function(12345)  # a number where text was expected: read as its digits, no error


@pytest.mark.parametrize("text", PATHOLOGICAL)
def test_pathological_text_is_read_without_error(text):
    """Texts that make careless patterns backtrack; how fast they are read is
    measured by benchmarks/pathological_text.py, not here."""
    for function in TEXT_FUNCTIONS:
        function(text)


@pytest.mark.parametrize(
    "text, found",
    [
        ("60 euro half uur", (60, 30)),
        ("€ 60 per half uur", (60, 30)),
        ("60,- / 30 min", (60, 30)),
        ("half uur €80", (80, 30)),
        ("half uur 80", (80, 30)),
        ("kwartier 50 euro", (50, 15)),
        ("€ 200 voor 2 uur", (200, 120)),
        ("anderhalf uur €200", (200, 90)),
        ("100 euro per uur", (100, 60)),
        ("1 uur 150", (150, 60)),
        ("€ 80 half uur, € 150 per uur", (150, 60)),
        ("Escort vanaf €250", (250, None)),
    ],
)
def test_price_and_the_minutes_it_buys(text, found):
    assert price_and_minutes_from_text(text) == found

"""A pseudonymized export with its free text (`export signals|ads
--pseudonymize --with-text`) leaves no identifier of a record readable:
not the record's own phone numbers, names, account names, address, plate,
link, reference or ad id in whatever spelling the text uses, and not phone
numbers, links, e-mail addresses, @handles, plates, postcodes, bank accounts
or citizen service numbers that only the text holds. Tokens stay stable, so
that partners can still link records; without --pseudonymize nothing changes.

Every hostile spelling goes into the text of a signal of its own, so that a
failure names the spelling that leaked."""

from __future__ import annotations

import datetime
import json
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

KEY = "sleutel-voor-de-lekkentest-van-de-regio"
TOKEN = re.compile(r"\b[A-Z]{1,2}-[0-9a-f]{12}\b")
SIGNAL_HEADER = [
    "Meldingnummer",
    "Datum melding",
    "Categorie",
    "Plaats",
    "Adres",
    "Omschrijving",
    "Telefoonnummer",
    "Betrokkenen",
    "Kenteken",
    "Link",
]
AD_HEADER = ["Site", "Advertentie ID", "URL", "Datum", "Tekst", "Naam", "Leeftijd", "Telefoon", "Plaats", "Vergunning"]

# What every signal below holds in its own columns.
PHONES = "06-12345678, +32 470 12 34 56"
PERSONS = "Jan de Vries; Snapchat: cashking_035"
ADDRESS = "Dorpsstraat 12a, 1211 AB Hilversum"
PLATE = "AB-123-C"
URL = "https://kinky-gooi.example/profiel/123"
REF = "MMA-2026-0412"

# label -> text; the signal's ref is REF-<n> and its own ref is in {ref}.
TEXTS = {
    # the record's own number, +31 6 12345678
    "en dash": "Bel 06–12345678 na tienen",
    "em dash": "Bel 06—12345678 na tienen",
    "figure dash": "Bel 06‒12345678 na tienen",
    "non-breaking hyphen": "Bel 06‑12345678 na tienen",
    "minus sign": "Bel 06−12345678 na tienen",
    "no-break space": "Bel 06\u00a012345678 na tienen",
    "narrow no-break spaces": "Bel 06\u202f1234\u202f5678 na tienen",
    "zero-width space": "Bel 06\u200b12345678 na tienen",
    "soft hyphen": "Bel 06\u00ad12345678 na tienen",
    "slash": "Bel 06/12345678 na tienen",
    "dots": "Bel 06.12.34.56.78 na tienen",
    "brackets": "Bel (06) 12345678 na tienen",
    "underscore": "Bel 06_12345678 na tienen",
    "spaced dash": "Bel 06 - 12 34 56 78 na tienen",
    "spaced digits": "Bel 0 6 1 2 3 4 5 6 7 8 na tienen",
    "glued before": "Klant zegt tel0612345678 werkt",
    "glued after": "Klant zegt 0612345678bel maar",
    "letter O": "Bel O6-12345678 na tienen",
    "letter o": "Bel o6 12345678 na tienen",
    "letter l": "Bel 06-l2345678 na tienen",
    "letter I": "Bel 06-I2345678 na tienen",
    "+31 (0)": "Bel +31 (0)6 1234 5678 na tienen",
    "+31": "Bel +31612345678 na tienen",
    "+31 dashes": "Bel +31-6-12345678 na tienen",
    "0031": "Bel 0031612345678 na tienen",
    "0031 spaced": "Bel 0031 6 12345678 na tienen",
    "31 without plus": "Appen naar 31612345678 kan",
    "whatsapp link": "Appen via https://wa.me/31612345678 kan",
    "without 0": "Bel 6-12345678 na tienen",
    "fullwidth": "Bel ０６－１２３４５６７８ na tienen",
    "arabic-indic digits": "Bel ٠٦١٢٣٤٥٦٧٨ na tienen",
    "asterisks": "Bel 06*12*34*56*78 na tienen",
    "comma": "Bel 06,12345678 na tienen",
    # the record's Belgian number, +32 470 12 34 56
    "belgian 0032": "Belgisch nummer 0032 470 12 34 56 ook",
    "belgian +32": "Belgisch nummer +32470123456 ook",
    "belgian (0)": "Belgisch nummer +32 (0)470 12.34.56 ook",
    "belgian national": "Belgisch nummer 0470/12.34.56 ook",
    # numbers only the text holds
    "other en dash": "Tweede nummer 06–87654321 erbij",
    "other slash": "Tweede nummer 06/87654321 erbij",
    "other glued before": "Tweede nummer tel0611112222 erbij",
    "other glued after": "Tweede nummer 0612345679bel erbij",
    "other non-breaking hyphen": "Tweede nummer 06‑87654321 erbij",
    "other letter O": "Tweede nummer O6-87654321 erbij",
    # the record's names
    "name upper": "Gesprek met JAN DE VRIES gehad",
    "name lower": "Gesprek met jan de vries gehad",
    "name accents": "Gesprek met Jàn de Vriës gehad",
    "initial": "Gesprek met J. de Vries gehad",
    "last name": "Meneer De Vries was er ook",
    "first name": "Jan was er ook",
    # account names
    "handle": "Zijn account @cashking_035 is actief",
    "handle case": "Zijn account CashKing_035 is actief",
    "handle without underscore": "Zijn account cashking035 is actief",
    "other handle": "Haar account @lola_hilversum is actief",
    "account-like word": "Ze heet online kimmy1998 zegt men",
    # the record's address, and addresses only the text holds
    "street and number": "Woning aan de Dorpsstraat 12a boven",
    "street and number spaced": "Woning aan de dorpsstraat 12 a boven",
    "street upper": "Woning aan de DORPSSTRAAT boven",
    "street abbreviated": "Woning aan de Dorpsstr. 12 boven",
    "postcode": "Postcode 1211 AB klopt",
    "postcode glued": "Postcode 1211ab klopt",
    "other street": "Ook gezien op Kerkweg 7 gisteren",
    "other long street": "Ook gezien op Oude Amersfoortseweg 112 gisteren",
    # plates
    "plate": "Auto met kenteken AB-123-C gezien",
    "plate lower no dashes": "Auto met kenteken ab123c gezien",
    "plate spaced": "Auto met kenteken AB 123 C gezien",
    "plate en dashes": "Auto met kenteken AB–123–C gezien",
    "other plate 7": "Tweede auto 12-ABC-3 gezien",
    "other plate 8": "Tweede auto 1-ABC-23 gezien",
    "other plate 9": "Tweede auto GH-456-K gezien",
    "other plate no dashes": "Tweede auto GH456K gezien",
    # links and e-mail
    "url without scheme": "Advertentie op kinky-gooi.example/profiel/123 staat",
    "url upper with slash": "Advertentie op KINKY-GOOI.EXAMPLE/profiel/123/ staat",
    "domain": "Advertentie op http://www.kinky-gooi.example staat",
    "www": "Zie www.x.nl voor meer",
    "other url": "Zie escort-lisa.nl/contact voor meer",
    "defanged url": "Zie hxxps://bad[.]example/a voor meer",
    "telegram": "Zie t.me/lola_hilversum voor meer",
    "email": "Mail lola.hilversum@gmail.com morgen",
    "obscured email": "Mail jan.devries[at]hotmail[dot]com morgen",
    # the record's reference, and other numbers that identify someone
    "own ref": "Vervolg op melding {ref} eerder",
    "own ref other spelling": "Vervolg op melding {ref_spaced} eerder",
    "iban": "Geld naar NL91 ABNA 0417 1643 00 gestort",
    "bsn": "Haar BSN 123456782 bekend",
}
# Checked in every cell of every exported row, after the tokens are taken out:
DIGITS_GONE = ["612345678", "470123456", "687654321", "611112222", "612345679"]
ALNUM_GONE = [
    "ab123c",
    "12abc3",
    "1abc23",
    "gh456k",
    "1211ab",
    "cashking035",
    "lolahilversum",
    "kimmy1998",
    "kinkygooi",
    "escortlisa",
    "badexample",
    "hotmail",
    "jandevries",
    "dorpsstr",
    "kerkweg7",
    "amersfoortseweg",
    "nl91abna",
    "0417164300",
    "123456782",
    "mma20260412",
]
WORDS_GONE = ["jan", "vries", "dorpsstraat"]
TEXT_GONE = ["x.nl", "wa.me"]


def day(days_ago: int) -> str:
    return (datetime.date.today() - datetime.timedelta(days=days_ago)).strftime("%d-%m-%Y")


def iso_day(days_ago: int) -> str:
    return (datetime.date.today() - datetime.timedelta(days=days_ago)).isoformat()


def digits(cell: str) -> str:
    """Every digit of any script as 0-9: what is left of a number once all else is gone."""
    return "".join(str(unicodedata.decimal(c)) for c in cell if c.isdecimal())


def folded(cell: str) -> str:
    cell = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", cell))
    return "".join(c for c in cell if not unicodedata.combining(c)).casefold()


def alnum(cell: str) -> str:
    return re.sub(r"[^0-9a-z]", "", folded(cell))


def leaks(cell) -> list[str]:
    """The identifiers still readable in one exported cell."""
    text = TOKEN.sub(" ", "" if cell is None else str(cell))
    found = [s for s in DIGITS_GONE if s in digits(text)]
    found += [s for s in ALNUM_GONE if s in alnum(text)]
    words = set(re.findall(r"[a-z]+", folded(text)))
    found += [s for s in WORDS_GONE if s in words]
    found += [s for s in TEXT_GONE if s in folded(text)]
    return found


def export(run, what, fmt, *extra) -> list[dict] | str:
    result = run("export", what, "--format", fmt, *extra)
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    if fmt == "json":
        return json.loads(result.stdout)
    return result.stdout


def rows_of(run, read_csv, what, fmt, *extra) -> list[dict]:
    out = export(run, what, fmt, *extra)
    return out if fmt == "json" else read_csv(out)


@pytest.fixture
def key(monkeypatch):
    monkeypatch.setenv("MHTOOL_KEY", KEY)


@pytest.fixture
def hostile(run, files):
    """One signal per hostile spelling, each holding the same identifiers in
    its columns; returns the label of each signal by its reported_on date."""
    rows, labels = [], {}
    for n, (label, text) in enumerate(TEXTS.items(), start=1):
        ref = f"{REF}-{n:02d}"
        text = text.format(ref=ref, ref_spaced=ref.lower().replace("-", " "))
        rows.append([ref, day(n), "Seksuele uitbuiting", "Hilversum", ADDRESS, text, PHONES, PERSONS, PLATE, URL])
        labels[iso_day(n)] = label
    # the place column holds a number too
    rows.append(
        [
            f"{REF}-99",
            day(99),
            "Seksuele uitbuiting",
            "Hilversum, tel 06–12345678",
            ADDRESS,
            "Zie plaats",
            PHONES,
            PERSONS,
            PLATE,
            URL,
        ]
    )
    labels[iso_day(99)] = "place column"
    result = run(
        "signals", "import", "--source", "mma", "--map", "Link=url", files.csv("hostile.csv", [SIGNAL_HEADER, *rows])
    )
    assert result.exit_code == 0, result.stderr
    return labels


AD_ID, AD_URL = "KG-88231", "https://kinky-gooi.example/profiel/88231"
AD_TEXTS = {
    "name": "Hoi, ik ben Lola Sweet",
    "name upper": "LOLA SWEET nieuw in Hilversum",
    "first name lower": "lola ontvangt thuis",
    "phone en dash": "Bel 06–23456789 voor afspraak",
    "phone glued": "Bel tel0623456789 voor afspraak",
    "phone letter O": "Bel O6 23456789 voor afspraak",
    "own url": "Zie kinky-gooi.example/profiel/88231 voor fotos",
    "own ad id": "Advertentie KG-88231 is nieuw",
    "own ad id other spelling": "Advertentie kg 88231 is nieuw",
    "licence": "Vergunning HV-2025-0173 aanwezig",
    "other url": "Ook op www.sexjobs-midden.example/lola te zien",
}
AD_ALNUM_GONE = ["623456789", "kinkygooiexampleprofiel", "88231", "hv20250173", "sexjobsmidden"]
AD_WORDS_GONE = ["lola", "sweet"]


@pytest.fixture
def hostile_ads(run, files):
    """The same ad on a site of its own for each text."""
    rows = [
        [
            f"bron{n}.example",
            AD_ID,
            AD_URL,
            day(n + 1),
            text,
            "Lola Sweet",
            "24",
            "06-23456789",
            "Hilversum",
            "HV-2025-0173",
        ]
        for n, text in enumerate(AD_TEXTS.values())
    ]
    result = run("ads", "import", files.csv("hostile_ads.csv", [AD_HEADER, *rows]))
    assert result.exit_code == 0, result.stderr
    return list(AD_TEXTS)


# --- nothing readable -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_no_identifier_of_a_signal_stays_readable(run, read_csv, key, hostile, fmt):
    rows = rows_of(run, read_csv, "signals", fmt, "--pseudonymize", "--with-text")
    assert len(rows) == len(TEXTS) + 1
    found = {}
    for row in rows:
        label = hostile[row["reported_on"][:10]]
        for column, cell in row.items():
            if leaks(cell):
                found[f"{label} ({column})"] = leaks(cell)
    assert found == {}
    # what is no identifier stays readable
    texts = {hostile[row["reported_on"][:10]]: row["text"] for row in rows}
    assert texts["en dash"].startswith("Bel T-") and texts["en dash"].endswith(" na tienen")
    assert texts["plate"].startswith("Auto met kenteken K-")
    assert {row["gemeente"] for row in rows} >= {"Hilversum"}


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_no_identifier_of_an_ad_stays_readable(run, read_csv, key, hostile_ads, fmt):
    rows = rows_of(run, read_csv, "ads", fmt, "--pseudonymize", "--with-text")
    assert len(rows) == len(AD_TEXTS)
    found = {}
    for row in rows:
        for column, cell in row.items():
            text = TOKEN.sub(" ", "" if cell is None else str(cell))
            words = set(re.findall(r"[a-z]+", folded(text)))
            leaked = [s for s in AD_ALNUM_GONE if s in alnum(text)] + [s for s in AD_WORDS_GONE if s in words]
            if leaked:
                found[f"{row['text']} ({column})"] = leaked
    assert found == {}
    assert {row["place"] for row in rows} == {"Hilversum"} and {str(row["age"]) for row in rows} == {"24"}


# --- stable tokens ----------------------------------------------------------------------------


@pytest.fixture
def two_spellings(run, files):
    rows = [
        [
            f"{REF}-1",
            day(3),
            "",
            "Huizen",
            "Kerkweg 7",
            "Bel O6–12345678, vraag naar JAN DE VRIËS",
            "06-12345678",
            "Jan de Vries",
            "",
            "",
        ],
        [
            f"{REF}-2",
            day(2),
            "",
            "Huizen",
            "kerkweg 7",
            "Nummer 0031612345678 (jan de Vries); kerkweg 7",
            "+31 6 1234 5678",
            "jan de vries",
            "",
            "",
        ],
    ]
    assert (
        run(
            "signals", "import", "--source", "mma", "--map", "Link=url", files.csv("two.csv", [SIGNAL_HEADER, *rows])
        ).exit_code
        == 0
    )
    ad = [
        [
            "kinky-gooi.example",
            "KG-1",
            "",
            day(1),
            "Bel 06 12 34 56 78",
            "JAN DE VRIES",
            "30",
            "06 12 34 56 78",
            "Huizen",
            "",
        ]
    ]
    assert run("ads", "import", files.csv("ad.csv", [AD_HEADER, *ad])).exit_code == 0


def test_same_phone_and_name_give_the_same_token_everywhere(run, read_csv, key, two_spellings):
    first, second = rows_of(run, read_csv, "signals", "csv", "--pseudonymize", "--with-text")
    (ad,) = rows_of(run, read_csv, "ads", "csv", "--pseudonymize", "--with-text")
    phone = first["phones"]
    assert re.fullmatch(r"T-[0-9a-f]{12}", phone)
    assert second["phones"] == ad["phone"] == phone
    assert phone in first["text"] and phone in second["text"] and phone in ad["text"]
    name = first["persons"]
    assert re.fullmatch(r"N-[0-9a-f]{12}", name)
    assert second["persons"] == ad["name"] == name
    assert name in first["text"] and name in second["text"]
    assert first["address"] == second["address"] and first["address"] in second["text"]


def test_tokens_are_stable_across_exports_and_formats(run, read_csv, key, two_spellings):
    csv_rows = rows_of(run, read_csv, "signals", "csv", "--pseudonymize", "--with-text")
    again = rows_of(run, read_csv, "signals", "csv", "--pseudonymize", "--with-text")
    json_rows = rows_of(run, read_csv, "signals", "json", "--pseudonymize", "--with-text")
    assert csv_rows == again
    assert [r["text"] for r in csv_rows] == [r["text"] for r in json_rows]
    assert "Bel T-" in csv_rows[0]["text"]


# --- references and record ids ----------------------------------------------------------------


def test_ref_and_record_ids_are_tokens(run, read_csv, key, two_spellings, monkeypatch):
    text = export(run, "signals", "csv", "--pseudonymize")
    first, second = read_csv(text)
    assert REF not in text and REF.lower() not in text.lower()
    assert re.fullmatch(r"R-[0-9a-f]{12}", first["ref"]) and first["ref"] != second["ref"]
    assert re.fullmatch(r"S-[0-9a-f]{12}", first["id"]) and first["id"] != second["id"]
    assert re.fullmatch(r"C-[0-9a-f]{12}", first["situation_id"])
    # the same key gives the same tokens; another key other ones
    assert read_csv(export(run, "signals", "csv", "--pseudonymize"))[0]["ref"] == first["ref"]
    monkeypatch.setenv("MHTOOL_KEY", "een-andere-sleutel-voor-een-andere-partner")
    assert read_csv(export(run, "signals", "csv", "--pseudonymize"))[0]["ref"] != first["ref"]


def test_without_pseudonymize_everything_stays_as_stored(run, read_csv, key, two_spellings):
    """The plain export is for the director: unchanged, every value as stored.
    (Paired with the pseudonymized export, whose ref and text differ.)"""
    plain = rows_of(run, read_csv, "signals", "csv")
    first = plain[0]
    assert first["ref"] == f"{REF}-1" and first["id"].isdigit() and first["situation_id"].isdigit()
    assert first["text"] == "Bel O6–12345678, vraag naar JAN DE VRIËS"
    assert first["phones"] == "'+31612345678"  # made spreadsheet safe, as before
    assert first["persons"] == "Jan de Vries"
    assert first["address"] == "Kerkweg 7" and first["place"] == "Huizen"
    (ad,) = rows_of(run, read_csv, "ads", "csv")
    assert ad["ad_id"] == "KG-1" and ad["text"] == "Bel 06 12 34 56 78" and ad["name"] == "JAN DE VRIES"
    pseudo = rows_of(run, read_csv, "signals", "csv", "--pseudonymize", "--with-text")[0]
    assert pseudo["ref"] != first["ref"] and pseudo["text"] != first["text"]
    assert {c: pseudo[c] for c in ("reported_on", "type", "gemeente", "place", "source")} == {
        c: first[c] for c in ("reported_on", "type", "gemeente", "place", "source")
    }


# --- any spelling -----------------------------------------------------------------------------

SEPARATORS = [
    "",
    " ",
    "-",
    "–",
    "—",
    "‑",
    "−",
    "\u00a0",
    "\u202f",
    "\u200b",
    "\u00ad",
    ".",
    "/",
    "(",
    ")",
    "_",
    "*",
    ",",
    "·",
]
PREFIXES = ["0", "+31", "+31 (0)", "0031", "0031 ", "+31-", "31", ""]


@st.composite
def spelling(draw) -> str:
    """06-12345678 with up to three separators between any two digits and another prefix."""
    digits = "612345678"
    parts = [draw(st.sampled_from(PREFIXES))]
    for digit in digits:
        parts += [*draw(st.lists(st.sampled_from(SEPARATORS), max_size=3)), digit]
    around = st.text(alphabet="abc XYZ:", max_size=8)
    return draw(around) + "".join(parts) + draw(around)


@settings(max_examples=300, deadline=None)
@given(text=spelling())
def test_the_records_number_is_gone_in_any_spelling(text):
    from mhtool.export.identifiers import Record
    from mhtool.export.pseudonymize import Pseudonymizer

    out = Pseudonymizer(KEY.encode()).text(text, Record(phones="06-12345678"))
    assert "612345678" not in digits(TOKEN.sub(" ", out)), (text, out)

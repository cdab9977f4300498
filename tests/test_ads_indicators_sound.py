"""Regression tests for the indicator defects of issue 12: each of these
failed on the code before the fix (templates counted as shared text, one
worker on two sites as a shared phone, phones compared as written, numbers in
unallocated ranges dropped, places folded two ways, half-hour prices read as
hourly, correlated phrases summed as if independent)."""

# ruff: noqa: F811  (the fixtures load and score are imported, then named as parameters)
from __future__ import annotations

import pytest
from test_ads_scoring import ad, fired, load, reason_of, score  # noqa: F401

# A site template: the same sentences, only name and place differ.
SITE_TEMPLATE = (
    "Hallo heren, ik ben {name} uit {place} en ik ontvang je graag in een schone en discrete ruimte. "
    "Ik ben een spontane meid die van gezelligheid houdt en ik neem altijd de tijd voor je. "
    "Douche en handdoeken zijn aanwezig en er is gratis parkeren voor de deur."
)
# Two ads that add the same own paragraph to the template.
OWN = (
    " Mijn vriend regelt de afspraken en brengt me naar het adres, ik werk elke dag "
    "van de week in een andere stad en bel je terug vanaf een ander nummer."
)
NAMES = ["Mila", "Daria", "Roxy", "Bella", "Nikita", "Lina", "Cleo", "Eva", "Jasmijn", "Noor", "Sara", "Lotte"]
PLACES = [
    "Hilversum",
    "Huizen",
    "Bussum",
    "Laren",
    "Blaricum",
    "Eemnes",
    "Naarden",
    "Muiden",
    "Weesp",
    "Loosdrecht",
    "Kortenhoef",
    "Ankeveen",
]


def test_a_template_used_by_many_advertisers_is_not_shared_text(load, score):
    rows = [
        ad(f"tpl{i}", SITE_TEMPLATE.format(name=n, place=p), name=n, place=p, phone=f"06-123456{i:02d}")
        for i, (n, p) in enumerate(zip(NAMES, PLACES))
    ]
    load(*rows)
    got = score()
    assert all("shared_text" not in fired(got, f"tpl{i}") for i in range(len(NAMES))), [
        got[f"tpl{i}"]["indicators"] for i in range(len(NAMES))
    ]


def test_own_wording_shared_by_a_small_group_on_top_of_a_template_fires(load, score):
    rows = [
        ad(f"tpl{i}", SITE_TEMPLATE.format(name=n, place=p), name=n, place=p, phone=f"06-123456{i:02d}")
        for i, (n, p) in enumerate(zip(NAMES, PLACES))
    ]
    rows[0][4] += OWN
    rows[1][4] += OWN
    load(*rows)
    got = score()
    assert "shared_text" in fired(got, "tpl0") and "shared_text" in fired(got, "tpl1")
    assert (
        reason_of(got["tpl0"], "shared_text")
        == "eigen tekst (geen sjabloon) gedeeld met 1 andere advertentie onder 1 andere naam"
    )
    assert all("shared_text" not in fired(got, f"tpl{i}") for i in range(2, len(NAMES)))


def test_one_worker_on_two_sites_under_one_name_and_place_is_not_a_shared_phone(load, score):
    load(
        ad("s1", name="Nikita", phone="06-12345651", place="Hilversum", site="a.example"),
        ad("s2", name="Nikita", phone="+31 6 1234 5651", place="Hilversum", site="b.example"),
        ad("o1", name="Nikita", phone="06-12345652", place="Hilversum"),
        ad("o2", name="Nikita", phone="06-12345652", place="Huizen"),
    )
    got = score()
    assert "shared_phone" not in fired(got, "s1") and "shared_phone" not in fired(got, "s2")
    assert "shared_phone" in fired(got, "o1") and "shared_phone" in fired(got, "o2")


def test_shared_photo_compares_phone_numbers_not_how_they_are_written(load, score):
    photo = "abcdef0123456789"
    load(
        ad("f1", name="Cleo", phone="06-12345661", photos=photo),
        ad("f2", name="Cleo", phone="+31 6 1234 5661", photos=photo),
    )
    got = score()
    assert "shared_photo" not in fired(got, "f1") and "shared_photo" not in fired(got, "f2")


def test_a_number_in_an_unallocated_range_is_still_shared_phone_evidence(load, score):
    from mhtool.parse.phones import parse_phones

    (phone,) = parse_phones("06-00000017")
    assert phone.e164 and not phone.valid  # parses, but is not a valid number
    load(
        ad("u1", name="Roxy", phone="06-00000017", place="Hilversum"),
        ad("u2", name="Bella", phone="06 0000 0017", place="Laren"),
    )
    got = score()
    assert "shared_phone" in fired(got, "u1") and "shared_phone" in fired(got, "u2")
    assert reason_of(got["u1"], "shared_phone") == "telefoonnummer in 2 advertenties onder 2 namen in 2 plaatsen"


def test_places_are_folded_one_way_so_s_graveland_is_one_place(load, score):
    load(
        ad("g1", name="Eva", phone="06-12345671", place="'s-Graveland"),
        ad("g2", name="Lina", phone="06-12345671", place="s Graveland"),
    )
    got = score()
    assert "movement" not in fired(got, "g1") and "movement" not in fired(got, "g2")
    assert reason_of(got["g1"], "shared_phone") == "telefoonnummer in 2 advertenties onder 2 namen in 1 plaats"


def test_a_half_hour_price_is_not_read_as_an_hourly_price(load, score):
    load(
        *[ad(f"n{i}", price="150") for i in range(9)],
        ad("half", "Hoi, ik ben Lot. 60 euro half uur, bel gerust.", price=""),
        ad("hour", "Hoi, ik ben Kim. 60 euro per uur, bel gerust.", price=""),
    )
    got = score()
    assert "low_price" not in fired(got, "half"), got["half"]["reasons"]
    assert "low_price" in fired(got, "hour")


def test_low_price_compares_half_hours_with_half_hours(load, score):
    load(
        *[ad(f"h{i}", f"Hoi, ik ben Anna{i}. Half uur 80 euro.", price="") for i in range(6)],
        ad("cheap", "Hoi, ik ben Lot. Half uur 50 euro.", price=""),
    )
    got = score()
    assert reason_of(got["cheap"], "low_price") == "prijs € 50 per half uur, ver onder de mediaan van € 80 per half uur"
    assert "low_price" not in fired(got, "h0")


def test_low_price_at_the_boundary_fires(load, score):
    from mhtool.ads.rules import load_rules

    fraction = load_rules().indicators["low_price"].params["fraction_of_median"]
    at = fraction * 200
    assert at.is_integer()
    load(
        *[ad(f"n{i}", price="200") for i in range(9)], ad("at", price=str(int(at))), ad("above", price=str(int(at) + 1))
    )
    got = score()
    assert "low_price" in fired(got, "at")
    assert "low_price" not in fired(got, "above")


TEMPLATE_PHRASES = "Zij is nieuw in de stad, 24/7 beschikbaar en alles kan. Bel voor haar."


def test_phrases_of_one_family_count_once_so_a_template_alone_is_not_risky(load, score):
    load(ad("tp", f"Hoi. {TEMPLATE_PHRASES}"))
    row = score()["tp"]
    assert fired({"tp": row}, "tp") >= {"third_person", "always_available", "unsafe_services", "movement"}
    assert row["score"] == 2 and row["risky"] == 0  # the strongest of the family: third_person / unsafe 2


def test_a_family_member_still_counts_with_other_evidence(load, score):
    load(ad("tp", f"Hoi. {TEMPLATE_PHRASES}", age="23", licence=""))
    row = score()["tp"]
    assert row["score"] == 6 and row["risky"] == 1  # 2 (age) + 2 (licence) + 2 (wording)


def test_a_rules_file_can_take_an_indicator_out_of_its_family(load, score, files):
    rules = files.text("rules.toml", 'extends = true\n[indicators.always_available]\nfamily = ""\nweight = 1\n')
    load(ad("tp", f"Hoi. {TEMPLATE_PHRASES}"))
    assert score("--all", "--rules", str(rules))["tp"]["score"] == 3


@pytest.mark.parametrize("nationality, expected", [("Roemeens", 3), ("", 2)])
def test_evidence_that_is_not_wording_is_outside_the_family(load, score, nationality, expected):
    load(ad("tp", f"Hoi. {TEMPLATE_PHRASES} Roemeense dame.", nationality=nationality))
    assert score()["tp"]["score"] == expected


# --- the use tables kept at import (issue 12, weekly cost) ----------------------------------


def test_purged_sightings_are_no_longer_evidence(load, score, run, query):
    load(
        ad("old", name="Bella", phone="06-12345681", place="Laren", date="10-01-2015", photos="ab12ab12ab12ab12"),
        ad("new", name="Roxy", phone="06-12345681", place="Huizen", photos="ab12ab12ab12ab12"),
    )
    assert {"shared_phone", "shared_photo"} <= fired(score(), "new")
    assert run("db", "purge", "--older-than", "5y").exit_code == 0
    assert query("SELECT count(*) FROM ad_phone_uses WHERE last_seen < '2016-01-01'") == [(0,)]
    assert query("SELECT count(*) FROM ad_photo_uses WHERE last_seen < '2016-01-01'") == [(0,)]
    assert not {"shared_phone", "shared_photo"} & fired(score(), "new")


def test_use_tables_hold_one_row_per_distinct_use(load, query):
    load(
        ad("w", name="Bella", phone="06-12345682", place="'s-Graveland", date="10-11-2026"),
        ad("w", name="bella", phone="06 1234 5682", place="s Graveland", date="17-11-2026"),
    )
    assert query("SELECT e164, name, place, last_seen FROM ad_phone_uses") == [
        ("+31612345682", "bella", "s graveland", "2026-11-17")
    ]
    assert query("SELECT place, last_seen FROM ad_place_uses") == [("s graveland", "2026-11-17")]

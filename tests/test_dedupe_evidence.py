"""Dedupe evidence on crafted pairs: every rule, the gate that text and
place alone never link, the hard negative (same wording, other people), and
the clustering (unlinks, oversized clusters, order independence)."""

from __future__ import annotations

import random

import pytest

from mhtool.signals.dedupe.blocking import candidate_pairs
from mhtool.signals.dedupe.clusters import MAX_CLUSTER, Clusters, cluster
from mhtool.signals.dedupe.evidence import MATCH, RULES, Verdict, compare, describe, name_match
from mhtool.signals.dedupe.matchkeys import (
    blocking_keys,
    make_profile,
    parse_address,
    parse_persons,
    parse_plates,
    parse_urls,
    phone_masks,
)
from mhtool.signals.dedupe.scoring import score_pairs

TEMPLATE = (
    "Melder ziet 's avonds steeds wisselende mannen bij een woning; ze blijven kort. Er wonen twee jonge "
    "vrouwen die bijna nooit alleen naar buiten gaan. Vermoedelijk prostitutie vanuit de woning."
)


def signal(
    id=1,
    day="2026-07-01",
    gemeente="Hilversum",
    type="sexual",
    origin="given",
    text="Iets gezien.",
    phones=(),
    persons=None,
    address=None,
    vehicle=None,
    url=None,
):
    row = {
        "id": id,
        "reported_on": day,
        "gemeente": gemeente,
        "type": type,
        "type_origin": origin,
        "text": text,
        "persons": persons,
        "address": address,
        "vehicle": vehicle,
        "url": url,
    }
    return make_profile(row, frozenset(phones))


def codes(verdict: Verdict) -> set[str]:
    return {code for code, _ in verdict.found}


def pair(a_kwargs: dict, b_kwargs: dict, text_similarity=None) -> Verdict:
    # Far apart in time, other municipalities and types unknown: only the rule under test speaks.
    base = {"day": "2025-01-01", "gemeente": "onbekend", "type": "unknown", "origin": "none"}
    a = signal(1, **{**base, **a_kwargs})
    b = signal(2, **{**base, "day": "2026-06-01", **b_kwargs})
    return compare(a, b, text_similarity)


# --- each rule ----------------------------------------------------------------------------------------


def test_same_phone_links_on_its_own_weight():
    verdict = pair({"phones": {"+31612340101"}}, {"phones": {"+31612340101", "+48512340117"}})
    assert "same_phone" in codes(verdict)
    assert verdict.strong
    assert ("same_phone", "+31612340101") in verdict.found


def test_different_phones_count_against():
    verdict = pair({"phones": {"+31612340101"}}, {"phones": {"+31687650163"}})
    assert codes(verdict) >= {"other_phones"}
    assert verdict.score < 0 and not verdict.linked


def test_phones_one_digit_apart_are_not_a_conflict():
    verdict = pair({"phones": {"+31612340101"}}, {"phones": {"+31612340107"}})
    assert "near_phone" in codes(verdict) and "other_phones" not in codes(verdict)
    swapped = pair({"phones": {"+31612340101"}}, {"phones": {"+31612341001"}})
    assert "near_phone" in codes(swapped)
    assert not swapped.strong


@pytest.mark.parametrize(
    "a, b",
    [
        ("Havenstraat 9", "havenstr. 9"),
        ("Oud-Loosdrechtsedijk 31", "Oud Loosdrechtsedijk 31, 1231 LA Loosdrecht"),
        ("Burg. de Bordesstraat 3", "Burgemeester de Bordesstraat 3"),
    ],
)
def test_same_address_in_the_same_municipality(a, b):
    verdict = pair({"address": a, "gemeente": "Gooise Meren"}, {"address": b, "gemeente": "Gooise Meren"})
    assert "same_address" in codes(verdict) and verdict.strong


def test_same_street_and_number_in_another_municipality_is_another_address():
    verdict = pair({"address": "Kerkstraat 1", "gemeente": "Laren"}, {"address": "Kerkstraat 1", "gemeente": "Huizen"})
    assert "other_address" in codes(verdict) and not verdict.strong


def test_other_house_number_counts_against_and_a_street_alone_only_supports():
    assert "other_address" in codes(pair({"address": "Kerkstraat 1"}, {"address": "Kerkstraat 12"}))
    street = pair({"address": "Larenseweg 112"}, {"address": "Larenseweg"})
    assert "same_street" in codes(street) and not street.strong


def test_plates_links_and_accounts():
    assert "same_plate" in codes(pair({"vehicle": "K-482-XT"}, {"vehicle": "k 482 xt / 2-VBN-17"}))
    assert "other_plates" in codes(pair({"vehicle": "K-482-XT"}, {"vehicle": "GZ-318-K"}))
    assert parse_plates("buitenlands kenteken, onbekend") == frozenset()
    assert "same_url" in codes(
        pair({"url": "https://www.sekssite.example/adv/1/"}, {"url": "http://sekssite.example/adv/1"})
    )
    assert "same_account" in codes(pair({"persons": "Snapchat: cashking_035"}, {"persons": "cashking_035"}))
    assert parse_urls("geen") == frozenset()


@pytest.mark.parametrize(
    "a, b",
    [
        ("Dennis Jansen (ca. 40 jr)", "Dennis Janssen; DJ"),
        ("Andrei Popescu", "Andrei Popesku"),
        ("Mohamed El Amrani", "Mohammed El-Amrani"),
        ("Muhammad Bakr", "Mohamed Bakr"),
        ("Bryan de Groot", "Brian de Groot"),
        ("Jansen Dennis", "Dennis Jansen"),
    ],
)
def test_names_with_typos_and_transliterations_agree(a, b):
    verdict = pair({"persons": a}, {"persons": b})
    assert "same_name" in codes(verdict) and verdict.strong


def test_name_match_kinds():
    (jansen,), _ = parse_persons("Dennis Jansen")
    (initial,), _ = parse_persons("D. Janssen")
    (first,), _ = parse_persons("Dennis")
    (other,), _ = parse_persons("Peter Jansen")
    assert [name_match(jansen, x) for x in (initial, first, other)] == ["initial", "single", None]


def test_name_strengths():
    assert "same_initial_name" in codes(pair({"persons": "R. de Wit (eigenaar)"}, {"persons": "R. de Witt"}))
    assert "same_initial_name" in codes(pair({"persons": "D. Jansen"}, {"persons": "Dennis Jansen"}))
    single = pair({"persons": "Linh (eigenaresse)"}, {"persons": "Linh"})
    assert "same_first_name" in codes(single) and not single.strong
    other = pair({"persons": "Dennis Jansen"}, {"persons": "Peter Jansen"})
    assert "other_names" in codes(other) and not other.strong
    assert "other_names" in codes(pair({"persons": "Ivan; Georgi"}, {"persons": "Mike"}))


def test_role_words_brackets_and_handles_are_not_names():
    names, handles = parse_persons('neef "Sami" (ca. 20 jr); coördinator "Dimitar"; b.golf035')
    assert [n.tokens for n in names] == [("sami",), ("dimitar",)]
    assert handles == frozenset({"b.golf035"})


def test_municipality_dates_and_type_only_support():
    near = compare(signal(1), signal(2, day="2026-07-03"))
    assert codes(near) == {"same_gemeente", "days_close", "same_type"}
    assert not near.strong and not near.linked
    assert "other_gemeente" in codes(compare(signal(1), signal(2, gemeente="Huizen")))
    assert "same_gemeente" not in codes(compare(signal(1), signal(2, gemeente="onbekend")))
    assert "days_far" in codes(compare(signal(1), signal(2, day="2024-01-01")))
    assert "other_type" in codes(compare(signal(1), signal(2, type="labour")))
    assert "other_type" not in codes(compare(signal(1), signal(2, type="labour", origin="inferred")))


def test_text_alone_never_links():
    # everything but an identifier agrees, and the texts are identical
    a = signal(1, text=TEMPLATE, address="Larenseweg", persons="Linh")
    b = signal(2, text=TEMPLATE, address="Larenseweg", persons="Linh", day="2026-07-02")
    verdict = compare(a, b, 100.0)
    assert verdict.score >= MATCH
    assert not verdict.strong and not verdict.linked


def test_hard_negative_same_wording_other_people_and_addresses():
    a = signal(1, text=TEMPLATE, phones={"+31612340101"}, persons="Dennis Jansen", address="Larenseweg 112")
    b = signal(
        2, text=TEMPLATE, phones={"+31687650163"}, persons="Kevin Bakker", address="Kerkstraat 3", day="2026-07-02"
    )
    verdict = compare(a, b, 100.0)
    assert {"other_phones", "other_address", "other_names", "same_text"} <= codes(verdict)
    assert verdict.score < 0 and not verdict.linked
    assert score_pairs({1: a, 2: b}, candidate_pairs([a, b])) == {}


def test_a_shared_phone_and_support_link_with_readable_evidence():
    a = signal(1, phones={"+31612340101"}, persons="Dennis Jansen")
    b = signal(2, phones={"+31612340101"}, persons="Dennis Janssen", day="2026-07-03")
    verdict = compare(a, b, 40.0)
    assert verdict.linked
    assert verdict.score == sum(RULES[c].weight for c in codes(verdict))
    text = describe(verdict.as_json()["rules"])
    assert text.startswith("zelfde telefoonnummer +31612340101 (+6)")
    assert "Dennis Jansen ~ Dennis Janssen (+4)" in text and "2 dagen verschil (+1.5)" in text


def test_address_parsing():
    assert parse_address("Havenstr. 9a").street == "havenstraat"
    assert parse_address("Havenstr. 9a").number == "9a"
    assert parse_address("flat bij de Oude Haven").number is None
    assert parse_address("") is None


# --- blocking -------------------------------------------------------------------------------------------


def test_blocking_finds_typo_pairs_and_skips_unrelated_ones():
    a = signal(1, persons="Dennis Jansen")
    b = signal(2, persons="Dennis Jamsen", day="2026-07-05")  # typo in the last name
    c = signal(3, persons="D. Jansen", day="2026-07-06")  # an initial
    d = signal(4, persons="Kevin Bakker")
    pairs = candidate_pairs([a, b, c, d])
    assert (1, 2) in pairs and (1, 3) in pairs
    assert not any(4 in p for p in pairs)
    assert pairs[(1, 2)] is False  # found through half the name: checked before scoring


def test_a_key_shared_by_too_many_signals_is_passed_over(monkeypatch):
    import mhtool.signals.dedupe.blocking as dedupe

    monkeypatch.setattr(dedupe, "MAX_KEY", 3)
    helpline = [signal(i, phones={"+31800700000"}) for i in range(1, 5)]
    assert candidate_pairs(helpline) == {}
    assert len(candidate_pairs(helpline[:3])) == 3


def test_a_large_block_is_compared_within_a_date_window(monkeypatch):
    import mhtool.signals.dedupe.blocking as dedupe

    monkeypatch.setattr(dedupe, "MAX_BLOCK", 4)
    monkeypatch.setattr(dedupe, "WINDOW", 2)
    same = [signal(i, day=f"2026-07-{i:02d}", phones={"+31612340101"}) for i in range(1, 8)]
    pairs = candidate_pairs(same)
    assert (1, 2) in pairs and (1, 3) in pairs and (1, 4) not in pairs
    assert len(pairs) == 6 + 5


# --- an address without a place, a mistyped phone ------------------------------------------------------


def test_an_address_without_a_place_meets_it_in_any_municipality():
    a = signal(1, gemeente="onbekend", address="Kerkstraat 3")
    b = signal(2, gemeente="Huizen", address="kerkstr. 3", day="2026-07-03")
    assert candidate_pairs([a, b]) == {(1, 2): True}
    verdicts = score_pairs({1: a, 2: b}, candidate_pairs([a, b]))
    assert verdicts[(1, 2)].linked and "same_address" in codes(verdicts[(1, 2)])


def test_an_address_outside_the_region_is_a_known_place():
    # 'buiten regio' (Amsterdam, say) is not a missing place: its Kerkstraat 3 is not the one in Laren
    outside = signal(1, gemeente="buiten regio", address="Kerkstraat 3", text="Melding over Amsterdam")
    laren = signal(2, gemeente="Laren", address="Kerkstraat 3", day="2026-07-02")
    assert candidate_pairs([outside, laren]) == {}
    assert "same_address" not in codes(compare(outside, laren, 100.0))
    unknown = signal(3, gemeente="onbekend", address="Kerkstraat 3", day="2026-07-03")
    assert candidate_pairs([outside, unknown]) == {(1, 3): True}


def test_two_known_municipalities_never_meet_on_an_address():
    laren = signal(1, gemeente="Laren", address="Kerkstraat 3")
    huizen = signal(2, gemeente="Huizen", address="Kerkstraat 3", day="2026-07-02")
    assert candidate_pairs([laren, huizen]) == {}
    assert not compare(laren, huizen).strong
    # a report without a place cannot say which of the two Kerkstraat 3 it means: it meets neither,
    # so it cannot join the two; it still meets another report without a place
    unknown = signal(3, gemeente="onbekend", address="Kerkstraat 3", day="2026-07-03")
    assert candidate_pairs([laren, huizen, unknown]) == {}
    other = signal(4, gemeente="onbekend", address="Kerkstraat 3", day="2026-07-04")
    assert candidate_pairs([laren, huizen, unknown, other]) == {(3, 4): True}
    assert "A:kerkstraat 3" in blocking_keys(laren) and "?A:kerkstraat 3" in blocking_keys(unknown)


def test_half_a_name_without_a_place_meets_it_in_any_municipality():
    unknown = signal(1, gemeente="onbekend", persons="D. Jansen", text=TEMPLATE)
    huizen = signal(2, gemeente="Huizen", persons="Dennis Janssen", text=TEMPLATE, day="2026-07-02")
    laren = signal(3, gemeente="Laren", persons="Dirk Jansen", day="2026-07-03")
    assert candidate_pairs([unknown, huizen]) == {(1, 2): False}  # checked before scoring
    verdicts = score_pairs({1: unknown, 2: huizen}, candidate_pairs([unknown, huizen]))
    assert "same_initial_name" in codes(verdicts[(1, 2)])
    assert candidate_pairs([huizen, laren]) == {}  # two known municipalities
    assert candidate_pairs([unknown, huizen, laren]) == {}  # which of the two: a guess


def test_phone_masks_bring_a_mistyped_or_swapped_digit_together():
    rng = random.Random(7)
    for _ in range(300):
        phone = rng.choice(["+316", "+3135", "+4850", "+40"]) + "".join(rng.choices("0123456789", k=8))
        i = rng.randrange(3, len(phone))
        typo = phone[:i] + str((int(phone[i]) + rng.randint(1, 9)) % 10) + phone[i + 1 :]
        j = rng.randrange(3, len(phone) - 1)
        swapped = phone[:j] + phone[j + 1] + phone[j] + phone[j + 2 :]
        assert set(phone_masks(phone)) & set(phone_masks(typo))
        assert set(phone_masks(phone)) & set(phone_masks(swapped))
    assert len(phone_masks("+31612345678")) == 6


NEAR = {"phones": {"+31612340101"}}


@pytest.mark.parametrize("other", ["+31612340107", "+31612341001"])  # a digit mistyped, two digits swapped
def test_a_near_phone_links_in_the_same_municipality_within_a_month(other):
    a = signal(1, **NEAR)
    b = signal(2, phones={other}, day="2026-07-20")
    pairs = candidate_pairs([a, b])
    assert pairs == {(1, 2): False}  # not the same number: checked before scoring
    verdict = score_pairs({1: a, 2: b}, pairs)[(1, 2)]
    assert verdict.linked and verdict.found[0] == ("near_phone_local", f"+31612340101 / {other}")
    assert describe(verdict.as_json()["rules"]).startswith(
        f"telefoonnummers op één cijfer na gelijk (+31612340101 / {other}), in dezelfde gemeente binnen een "
        "maand (+5); zelfde gemeente Hilversum (+1); 19 dagen verschil (+1)"
    )


@pytest.mark.parametrize(
    "b_kwargs, paired",
    [
        ({"gemeente": "Huizen"}, False),  # another municipality
        ({"gemeente": "onbekend"}, False),  # a municipality not known
        ({"day": "2026-08-02"}, True),  # 32 days apart
        ({"persons": "Kevin Bakker"}, True),  # other names
        ({"address": "Kerkstraat 12"}, True),  # another address
        ({"vehicle": "GZ-318-K"}, True),  # another plate
    ],
)
def test_a_near_phone_does_not_link_elsewhere_later_or_against_other_identifiers(b_kwargs, paired):
    a = signal(1, persons="Dennis Jansen", address="Kerkstraat 3", vehicle="K-482-XT", **NEAR)
    b = signal(2, **{"phones": {"+31612340107"}, "day": "2026-07-03", **b_kwargs})
    pairs = candidate_pairs([a, b])
    assert ((1, 2) in pairs) == paired
    assert score_pairs({1: a, 2: b}, {(1, 2): False}) == {}
    verdict = compare(a, b, 100.0)
    assert "near_phone" in codes(verdict) and not verdict.strong and not verdict.linked


def test_a_near_phone_does_not_link_when_both_reports_name_other_numbers_too():
    a = signal(1, phones={"+31612340101", "+31698765432"})
    b = signal(2, phones={"+31612340107", "+31655554444"}, day="2026-07-03")
    verdict = compare(a, b, 100.0)
    assert "near_phone" in codes(verdict) and not verdict.linked
    # one report naming a second number the other does not know is no disagreement
    c = signal(3, phones={"+31612340107"}, day="2026-07-03")
    assert compare(a, c, 100.0).linked


# --- clustering --------------------------------------------------------------------------------------------


def verdict(score: float) -> Verdict:
    return Verdict(score, True, (("same_phone", "x"),))


def test_union_find_root_is_the_smallest_id_and_unlinked_pairs_stay_apart():
    clusters = Clusters([5, 3, 9, 1], apart=[(1, 9)])
    assert clusters.join(5, 3) and clusters.find(5) == 3
    assert clusters.join(3, 1) and clusters.find(5) == 1
    assert not clusters.join(9, 5)
    assert clusters.groups() == {1: [1, 3, 5], 9: [9]}


def test_unlink_holds_against_a_chain_of_evidence():
    verdicts = {(1, 2): verdict(12), (2, 3): verdict(10), (1, 3): verdict(7)}
    refused: list = []
    assigned = cluster([1, 2, 3], verdicts, links=[], unlinks=[(1, 3)], refused=refused)
    assert assigned[1] != assigned[3]
    assert assigned[2] == assigned[1]  # the stronger link wins
    assert refused == [(2, 3), (1, 3)]


def test_links_join_without_evidence():
    assert cluster([1, 2, 3], {}, links=[(2, 3)], unlinks=[]) == {1: 1, 2: 2, 3: 2}


def test_oversized_cluster_is_split_at_a_stricter_threshold():
    size = MAX_CLUSTER + 2
    verdicts = {}
    groups = [list(range(1, size // 2 + 1)), list(range(size // 2 + 1, size + 1))]
    for group in groups:  # strong links inside each group
        for a, b in zip(group, group[1:]):
            verdicts[(a, b)] = verdict(12)
    verdicts[(groups[0][-1], groups[1][0])] = verdict(MATCH)  # one weak bridge
    assigned = cluster(range(1, size + 1), verdicts, [], [])
    assert {assigned[i] for i in groups[0]} == {1}
    assert {assigned[i] for i in groups[1]} == {groups[1][0]}
    small = cluster(range(1, 5), {(1, 2): verdict(MATCH), (3, 4): verdict(12), (2, 3): verdict(MATCH)}, [], [])
    assert set(small.values()) == {1}  # small clusters keep their weak links


def test_same_result_whatever_the_order():
    profiles = [
        signal(1, phones={"+31612340101"}),
        signal(2, phones={"+31612340101"}, persons="Dennis Jansen"),
        signal(3, persons="Dennis Janssen", day="2026-07-04"),
        signal(4, persons="D. Jansen", day="2026-07-05"),
        signal(5, phones={"+31687650163"}, address="Kerkstraat 3"),
        signal(6, address="Kerkstraat 3"),
        signal(7, text=TEMPLATE),
        signal(8, text=TEMPLATE),
    ]
    by_id = {p.id: p for p in profiles}

    def run(order):
        verdicts = score_pairs(by_id, candidate_pairs(order))
        return cluster([p.id for p in order], verdicts, [], [])

    expected = run(profiles)
    assert expected == {1: 1, 2: 1, 3: 1, 4: 1, 5: 5, 6: 5, 7: 7, 8: 8}
    rng = random.Random(4)
    for _ in range(5):
        shuffled = profiles[:]
        rng.shuffle(shuffled)
        assert run(shuffled) == expected


def test_docs_list_every_rule_with_its_weight():
    from pathlib import Path

    docs = (Path(__file__).resolve().parent.parent / "docs" / "dedupe.md").read_text("utf-8")
    table = {}
    for line in docs.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 4 and cells[0].startswith("`") and cells[1][:1] in "+-":
            table[cells[0].strip("`")] = (float(cells[1]), cells[2] == "yes")
    assert table == {code: (rule.weight, rule.strong) for code, rule in RULES.items()}
    assert f"at least **{MATCH:g}**" in docs

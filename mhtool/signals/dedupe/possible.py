"""Possible duplicates, for the director to decide: `signals dupes --possible`.

Pairs that share no identifier are never linked automatically (evidence.py),
but two reports about one situation often share nothing else than their
municipality, their dates, their type and their wording. Those pairs are
listed, ranked, with their evidence, and the director settles each one:
`signals link A B`, or `signals unlink A B` ("not the same"), which takes
the pair off this list for good (a decision on a pair is never listed).

Candidates: signals of one known municipality and one type (or one of the
two without a type), at most `WINDOW_DAYS` apart. A pair already in one
situation, or with a decision, is left out; so is a pair with a strong
identifier in common (the automatic dedupe has weighed it). Of the rest a
pair is listed only when

- no identifier disagrees (`DISAGREE`: two different phones, addresses,
  names or plates mean two different situations, however alike the
  wording: the same template text about different people or addresses,
  the hard negative, is never listed), and
- something besides municipality, dates, type and wording supports it
  (`SUPPORT`: the same first name, the same street without a house number,
  or phones one digit apart). Wording alone supports nothing: on
  benchmarks/dedupe_quality.py the pairs whose texts agree (token_set_ratio
  90 or more) but that share nothing else are 1 true pair in 70, because
  reports are written from a few templates; place, dates and type alone, 1
  in 90.

The listed pairs are ranked by their evidence score (evidence.py, the text
similarity included), then by date difference.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass

from mhtool.signals.dedupe.evidence import Verdict, compare
from mhtool.signals.dedupe.matchkeys import Profile, phone_masks

WINDOW_DAYS = 31
# Evidence that something identifies the two as one situation, short of a strong identifier.
SUPPORT = frozenset({"same_first_name", "same_street", "near_phone"})
# An identifier that disagrees: two different situations.
DISAGREE = frozenset({"other_phones", "other_address", "other_names", "other_plates"})

POSSIBLE_COLUMNS = ["rank", "a", "a_ref", "a_date", "b", "b_ref", "b_date", "gemeente", "score", "evidence"]


@dataclass(frozen=True)
class Possible:
    a: int
    b: int
    verdict: Verdict


def _groups(profiles: dict[int, Profile]) -> dict[tuple[str, str], list[Profile]]:
    """By (municipality, type), in date order; a signal without a type goes with every type of its municipality."""
    groups: dict[tuple[str, str], list[Profile]] = defaultdict(list)
    untyped: dict[str, list[Profile]] = defaultdict(list)
    types: dict[str, set[str]] = defaultdict(set)
    for p in profiles.values():
        if not p.known_gemeente:
            continue
        if p.type == "unknown":
            untyped[p.gemeente].append(p)
        else:
            groups[(p.gemeente, p.type)].append(p)
            types[p.gemeente].add(p.type)
    for gemeente, members in untyped.items():
        for kind in types[gemeente] or {"unknown"}:
            groups[(gemeente, kind)].extend(members)
    for members in groups.values():
        members.sort(key=lambda p: (p.day, p.id))
    return groups


def _may_support(a: Profile, b: Profile, masks: dict[int, frozenset[str]]) -> bool:
    """Cheap, before the evidence is weighed: whether SUPPORT can apply
    (names on both sides, one of them a single word: two whole names agree,
    which is strong, or disagree; one street; or phones one digit apart,
    which share a masked copy: matchkeys.phone_masks)."""
    if a.names and b.names and any(len(name.tokens) == 1 for name in (*a.names, *b.names)):
        return True
    if a.address and b.address and a.address.street == b.address.street:
        return True
    if not (a.phones and b.phones):
        return False
    for p in (a, b):
        if p.id not in masks:
            masks[p.id] = frozenset(mask for phone in p.phones for mask in phone_masks(phone))
    return not masks[a.id].isdisjoint(masks[b.id])


def possible_pairs(
    profiles: dict[int, Profile],
    situation: dict[int, int],
    decided: set[tuple[int, int]],
) -> list[Possible]:
    """The possible duplicates among `profiles`, best first."""
    from rapidfuzz import fuzz

    from mhtool.text import normalise_text

    seen: set[tuple[int, int]] = set()
    masks: dict[int, frozenset[str]] = {}
    found: list[tuple[Possible, int]] = []
    for members in _groups(profiles).values():
        days = [p.day for p in members]
        for index, a in enumerate(members):
            end = bisect.bisect_right(days, a.day + WINDOW_DAYS, lo=index + 1)
            for b in members[index + 1 : end]:
                pair = (a.id, b.id) if a.id < b.id else (b.id, a.id)
                if (
                    pair in seen
                    or pair in decided
                    or situation[a.id] == situation[b.id]
                    or not _may_support(a, b, masks)
                ):
                    continue
                seen.add(pair)
                first, second = profiles[pair[0]], profiles[pair[1]]
                codes = {code for code, _ in compare(first, second).found}
                if codes & DISAGREE or not codes & SUPPORT:
                    continue
                similarity = fuzz.token_set_ratio(normalise_text(first.text), normalise_text(second.text))
                verdict = compare(first, second, similarity)
                if not verdict.strong:
                    found.append((Possible(*pair, verdict), abs(a.day - b.day)))
    found.sort(key=lambda item: (-item[0].verdict.score, item[1], item[0].a, item[0].b))
    return [possible for possible, _ in found]


def possible_rows(db):
    """`signals dupes --possible`: rows in POSSIBLE_COLUMNS."""
    from mhtool.signals.dedupe.evidence import describe
    from mhtool.signals.dedupe.run import load_profiles

    conn = db.conn
    profiles, situation = load_profiles(conn)
    decided = set(conn.execute("SELECT a, b FROM signal_decisions"))
    found = possible_pairs(profiles, situation, decided)
    refs = {}
    wanted = sorted({i for p in found for i in (p.a, p.b)})
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for i, source, ref, day in conn.execute(
            f"SELECT id, source, ref, substr(reported_on, 1, 10) FROM signals WHERE id IN ({marks})", chunk
        ):
            refs[i] = (f"{source}:{ref}", day)
    for rank, p in enumerate(found, 1):
        rules = p.verdict.as_json()["rules"]
        yield {
            "rank": rank,
            "a": p.a,
            "a_ref": refs[p.a][0],
            "a_date": refs[p.a][1],
            "b": p.b,
            "b_ref": refs[p.b][0],
            "b_date": refs[p.b][1],
            "gemeente": profiles[p.a].gemeente,
            "score": p.verdict.score,
            "evidence": describe(rules),
        }

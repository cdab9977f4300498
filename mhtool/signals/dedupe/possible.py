"""Possible duplicates, for the director to decide: `signals dupes --possible`.

Pairs that share no identifier are never linked automatically (evidence.py),
but two reports about one situation often share nothing else than their
municipality, their dates, their type and their wording. Those pairs are
listed, ranked, with their evidence, and the director settles each one:
`signals link A B`, or `signals unlink A B` ("not the same"), which takes
the pair off this list for good (a decision on a pair is never listed).

Candidates: signals of one known municipality and one type (or one of the
two without a type), at most `WINDOW_DAYS` apart, their text similarity
computed in batches (rapidfuzz token_set_ratio on the normalised text) for
the score. A pair already in one situation, or with a decision, is left
out; so is a pair with a strong identifier in common (the automatic dedupe
has weighed it). The rest are ranked by their evidence score (evidence.py),
in which every identifier that disagrees counts against: the same template
text about different people or addresses (the hard negative) ranks low.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass

from mhtool.signals.dedupe.evidence import Verdict, compare
from mhtool.signals.dedupe.matchkeys import Profile

WINDOW_DAYS = 31
# Wording weighs in through the score (same_text, similar_text) rather than
# as a cut-off: on benchmarks/dedupe_quality.py a cut-off at 50% lost half
# the true pairs (reports about one situation are worded differently) and
# kept the template texts about different ones.
MIN_TEXT = 0.0
# Below this score a pair is not worth the director's time: something disagrees.
MIN_SCORE = 3.0

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


def possible_pairs(
    profiles: dict[int, Profile],
    situation: dict[int, int],
    decided: set[tuple[int, int]],
) -> list[Possible]:
    """The possible duplicates among `profiles`, best first."""
    from rapidfuzz import fuzz, process

    from mhtool.text import normalise_text

    texts = {i: normalise_text(p.text) for i, p in profiles.items()}
    seen: set[tuple[int, int]] = set()
    found: list[Possible] = []
    for members in _groups(profiles).values():
        days = [p.day for p in members]
        for index, a in enumerate(members):
            end = bisect.bisect_right(days, a.day + WINDOW_DAYS, lo=index + 1)
            others = members[index + 1 : end]
            if not others:
                continue
            for _, similarity, at in process.extract(
                texts[a.id],
                [texts[b.id] for b in others],
                scorer=fuzz.token_set_ratio,
                processor=None,
                limit=None,
                score_cutoff=MIN_TEXT,
            ):
                b = others[at]
                pair = (a.id, b.id) if a.id < b.id else (b.id, a.id)
                if pair in seen or pair in decided or situation[a.id] == situation[b.id]:
                    continue
                seen.add(pair)
                verdict = compare(profiles[pair[0]], profiles[pair[1]], similarity)
                if not verdict.strong and verdict.score >= MIN_SCORE:
                    found.append(Possible(*pair, verdict))
    found.sort(key=lambda p: (-p.verdict.score, p.a, p.b))
    return found


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

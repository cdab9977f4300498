"""Scoring: the verdict on each candidate pair, text similarity in batches."""

from __future__ import annotations

from collections import defaultdict

from mhtool.signals.dedupe.blocking import Pair
from mhtool.signals.dedupe.evidence import Verdict, compare, could_link
from mhtool.signals.dedupe.matchkeys import Profile


def score_pairs(profiles: dict[int, Profile], pairs: dict[Pair, bool]) -> dict[Pair, Verdict]:
    """The verdicts of the pairs that are linked."""
    from rapidfuzz import fuzz, process

    from mhtool.text import normalise_text

    hopeful: dict[int, list[int]] = defaultdict(list)
    for (a, b), strong in pairs.items():
        if strong or could_link(profiles[a], profiles[b]):
            hopeful[a].append(b)
    texts: dict[int, str] = {}

    def text(i: int) -> str:
        if i not in texts:
            texts[i] = normalise_text(profiles[i].text)
        return texts[i]

    verdicts = {}
    for a, others in hopeful.items():
        similarities = [0.0] * len(others)
        for _, similarity, index in process.extract(
            text(a), [text(b) for b in others], scorer=fuzz.token_set_ratio, processor=None, limit=None
        ):
            similarities[index] = similarity
        for b, similarity in zip(others, similarities):
            verdict = compare(profiles[a], profiles[b], similarity)
            if verdict.linked:
                verdicts[(a, b)] = verdict
    return verdicts

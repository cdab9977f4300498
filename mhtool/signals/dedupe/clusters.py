"""Clustering: linked pairs into situations (union-find), the director's
decisions first; an oversized cluster is split again at stricter thresholds."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from mhtool.signals.dedupe.blocking import Pair
from mhtool.signals.dedupe.evidence import Verdict
from mhtool.signals.dedupe.rules import active

MAX_CLUSTER = 10


class Clusters:
    """Union-find whose root is the smallest id, with pairs kept apart."""

    def __init__(self, ids: Iterable[int], apart: Iterable[Pair] = ()):
        self.parent = {i: i for i in ids}
        self.apart: dict[int, set[int]] = defaultdict(set)
        for a, b in apart:
            if a in self.parent and b in self.parent:
                self.apart[a].add(b)
                self.apart[b].add(a)

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(self, a: int, b: int) -> bool:
        """Join the clusters of a and b; False if that would join an unlinked pair."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if any(self.find(x) == rb for x in self.apart.get(ra, ())):
            return False
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        if rb in self.apart:
            self.apart[ra] |= self.apart.pop(rb)
        return True

    def groups(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for i in sorted(self.parent):
            out[self.find(i)].append(i)
        return out


def cluster(
    ids: Iterable[int],
    verdicts: dict[Pair, Verdict],
    links: list[Pair],
    unlinks: list[Pair],
    refused: list[Pair] | None = None,
    level: int = 0,
    components: dict[int, int] | None = None,
) -> dict[int, int]:
    """Situation id for every id; `refused` collects links an unlink stopped.
    `components` is given, for the signals of a group of linked signals
    that an unlink or the stricter thresholds split, the group's smallest
    id: a change within it can regroup all of it (components.py)."""
    rules = active()
    threshold = rules.match if level == 0 else rules.stricter[level - 1]
    clusters = Clusters(ids, unlinks)
    for a, b in links:
        if a in clusters.parent and b in clusters.parent:
            clusters.join(a, b)
    edges = sorted((-v.score, a, b) for (a, b), v in verdicts.items() if v.linked and v.score >= threshold)
    stopped = []
    for _, a, b in edges:
        if not clusters.join(a, b):
            stopped.append((a, b))
    if refused is not None and level == 0:
        refused.extend(stopped)
    groups = clusters.groups()
    oversized = set()
    if level < len(rules.stricter):
        oversized = {root for root, members in groups.items() if len(members) > MAX_CLUSTER}
    if components is not None:
        _split_groups(clusters, groups, oversized, stopped, components)
    inside: dict[int, dict[Pair, Verdict]] = defaultdict(dict)
    if oversized:
        for (a, b), verdict in verdicts.items():
            root = clusters.find(a)
            if root in oversized and clusters.find(b) == root:
                inside[root][(a, b)] = verdict
    result = {}
    for root, members in groups.items():
        if root in oversized:
            result.update(cluster(members, inside[root], links, unlinks, None, level + 1))
        else:
            result.update(dict.fromkeys(members, root))
    return result


def _split_groups(
    clusters: Clusters, groups: dict[int, list[int]], oversized: set[int], stopped: list[Pair], out: dict[int, int]
) -> None:
    """Into `out`, for every signal of a group that is split (too large, or
    two of its clusters kept apart by an unlink), the group's smallest id."""
    whole = Clusters({clusters.find(i) for pair in stopped for i in pair} | oversized)
    for a, b in stopped:
        whole.join(clusters.find(a), clusters.find(b))
    for group, roots in whole.groups().items():
        if len(roots) > 1 or group in oversized:
            out.update((i, group) for root in roots for i in groups[root])

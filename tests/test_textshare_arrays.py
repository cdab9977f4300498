"""shared_wording counts on numpy arrays; this checks it against the plain
definition with Python sets (the module docstring of mhtool.ads.textshare),
written out here as the specification, on texts drawn from a small
vocabulary so that wording is shared, common and own in every mix."""

from __future__ import annotations

from collections import Counter, defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from mhtool.ads.textshare import TextShare, shared_wording, shingle_hashes
from mhtool.text import normalise_text


def _shingles(text):
    words = normalise_text(text).split()
    if len(words) < 3:
        return {tuple(words)} if words else set()
    return set(zip(words, words[1:], words[2:]))


def reference(items, max_group, min_shingles, min_overlap):
    persona = {k: p for k, _, p, _ in items}
    name = {k: n for k, _, _, n in items}
    sets = {k: _shingles(t) for k, t, _, _ in items}
    used = defaultdict(set)
    for key, shingles in sets.items():
        for s in shingles:
            used[s].add(persona[key])
    common = {s for s, who in used.items() if len(who) > max_group}
    shared = {s for s, who in used.items() if 1 < len(who) <= max_group}
    own = {k: s - common for k, s in sets.items()}
    postings = defaultdict(list)
    for key in sorted(own):
        if len(own[key]) >= min_shingles:
            for s in own[key] & shared:
                postings[s].append(key)
    together = Counter()
    for keys in postings.values():
        if 1 < len(keys) <= 60:
            together.update((a, b) for i, a in enumerate(keys) for b in keys[i + 1 :])
    edges = defaultdict(set)
    for (a, b), n in together.items():
        if n >= min_shingles and n >= min_overlap * min(len(own[a]), len(own[b])):
            edges[a].add(b)
            edges[b].add(a)
    out, seen = {}, set()
    for start in sorted(edges):
        if start in seen:
            continue
        group, todo = set(), [start]
        while todo:
            key = todo.pop()
            if key not in group:
                group.add(key)
                todo.extend(edges[key])
        seen |= group
        personas = {persona[k] for k in group}
        if 2 <= len(personas) <= max_group:
            for key in group:
                others = [k for k in group if persona[k] != persona[key]]
                names = {name[k] for k in others if name[k] and name[k] != name[key]}
                out[key] = TextShare(len(others), len(names), len(personas))
    return out


WORDS = ["ik", "ontvang", "je", "discreet", "lekker", "nieuw", "hier", "bel", "mij", "snel"]
texts = st.lists(st.sampled_from(WORDS), max_size=14).map(" ".join)
item_lists = st.lists(
    st.tuples(texts, st.integers(0, 5), st.sampled_from(["", "mila", "roxy", "bella"])), max_size=30
).map(lambda drawn: [(i, text, who, label) for i, (text, who, label) in enumerate(drawn)])


@settings(max_examples=300, deadline=None)
@given(item_lists, st.integers(1, 4), st.integers(1, 4), st.sampled_from([0.0, 0.5, 0.9]))
def test_the_array_counting_gives_the_definition(items, max_group, min_shingles, min_overlap):
    found = shared_wording(items, max_group=max_group, min_shingles=min_shingles, min_overlap=min_overlap)
    assert found == reference(items, max_group, min_shingles, min_overlap)


def test_precomputed_shingles_give_the_same_groups():
    base = "ik ontvang je graag in mijn eigen appartement met jacuzzi en sauna aan de rand van de stad"
    items = [(1, base, "a", "mila"), (2, base + " bel", "b", "roxy"), (3, "heel iets anders hier", "c", "bella")]
    cut = {key: shingle_hashes(text) for key, text, _, _ in items}
    assert shared_wording(items, shingles=cut) == shared_wording(items)
    assert set(shared_wording(items)) == {1, 2}
    assert shared_wording(items)[1] == TextShare(ads=1, names=1, group=2)


def test_no_items_and_empty_texts():
    assert shared_wording([]) == {}
    assert shared_wording([(1, None, "a", ""), (2, "", "b", "")]) == {}

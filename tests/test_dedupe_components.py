"""A group of linked signals that the stricter grouping split into several
situations (clusters.py, MAX_CLUSTER) is grouped again as a whole when a
new signal links to one of its situations (signals/dedupe/components.py),
as a full run groups it: here MAX_CLUSTER is made 3."""

from __future__ import annotations

from processes import scalar
from test_dedupe_shifted import SAME, SEX, after_new, signal, together

from mhtool.signals.dedupe import clusters

PHONE = "06-12345678"
# One address, close dates, the same wording, four different names: each
# two score 7.5, below the stricter 8, so the group of four is split up.
CROWD = [
    signal(f"X{n}", f"0{n}-06-2026", SEX, "Hilversum", SAME, person, phone=PHONE if n == 1 else "")
    for n, person in enumerate(["Piet Bakker", "Klaas Smit", "Henk Mulder", "Gert Visser"], 1)
]
# The same phone as X1 only, in another municipality, about something else: 6.0, linked on its own.
CALLER = signal("N", "05-06-2026", "", "Huizen", "Drugsrunners in de straat", address="", phone=PHONE)


def test_a_new_link_into_a_split_group_regroups_the_whole_group(tmp_path, monkeypatch):
    monkeypatch.setattr(clusters, "MAX_CLUSTER", 3)
    before, incremental, full = after_new(tmp_path, CROWD, [CALLER])
    assert len(before[0]) == 4 and not before[1], "the four are split into four situations"
    assert scalar(tmp_path / "mh.db", "SELECT count(DISTINCT component_id) FROM situation_components") == 1
    assert scalar(tmp_path / "mh.db", "SELECT count(*) FROM situation_components") == 5, "the five split situations"
    assert not together(full, "N", "X1"), "a full run groups the five together, and splits them again"
    assert incremental == full


def test_a_group_that_stays_small_is_grouped_at_the_ordinary_threshold(tmp_path, monkeypatch):
    """The control: without the crowd the new signal links to X1 at 6.0."""
    monkeypatch.setattr(clusters, "MAX_CLUSTER", 3)
    before, incremental, full = after_new(tmp_path, CROWD[:1], [CALLER])
    assert together(full, "N", "X1")
    assert incremental == full

"""The one line a dedupe run reports."""

from __future__ import annotations


def summary(result) -> str:
    """One line, counts only (no personal data)."""
    if result.new is not None:
        line = f"dedupe: {result.new} new signals"
        if not result.changes and not result.links_added:
            line += ", no duplicates found"
    else:
        line = f"dedupe: {result.signals} signals"
    if result.changes or result.links_added or result.links_removed or result.new is None:
        line += (
            f"; {len(result.changes)} moved to another situation, {result.situations_changed} situations changed "
            f"({result.situations_before} -> {result.situations_after} situations); "
            f"{result.links_added} links added, {result.links_removed} removed"
        )
    if result.owed:
        line += f"; also linked {result.owed} signals an earlier command had left undone"
    if result.refused:
        line += f"; {len(result.refused)} links not followed because you unlinked those signals"
    if result.groups_owed:
        line += (
            "; run 'mhtool signals dedupe' once, so that situations split for their size are grouped again "
            "as a whole (this database is older than that record)"
        )
    if result.dry_run:
        line += " (dry run: nothing written)"
    return line

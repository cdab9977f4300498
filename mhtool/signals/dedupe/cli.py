"""`mhtool signals dedupe / dupes / link / unlink / decisions`.

Thin: options in, the logic of dedupe.py and decisions.py called, rows out.
"""

from __future__ import annotations

import click

from mhtool.cli.app import info, state
from mhtool.cli.help import examples
from mhtool.cli.output import emit, output_options
from mhtool.io.safety import echo
from mhtool.signals.dedupe.rules import rules_option
from mhtool.signals.dedupe.summary import summary

CHANGE_COLUMNS = ["id", "source", "ref", "old_situation", "new_situation"]


@click.command("dedupe")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@rules_option
@output_options
@examples(
    """
mhtool signals dedupe
mhtool signals dedupe --rules my_dedupe_rules.toml --dry-run --format table
mhtool signals dedupe --dry-run --format table
mhtool signals dedupe --format csv -o changes.csv
"""
)
def dedupe_command(dry_run, fmt, output, excel):
    """Group all signals about the same situation again, from scratch.

    Signals are linked on shared identifiers (phone number, address,
    licence plate, link, account, person name) weighed with municipality,
    dates, type and text; your own link/unlink decisions always win. Prints
    a summary; with --format or -o, also every signal that changes
    situation."""
    from mhtool.signals.dedupe.phases import close
    from mhtool.signals.dedupe.run import dedupe_all

    db = state().db
    try:
        result = dedupe_all(db, dry_run=dry_run)
    finally:
        close()
    if not (fmt or output != "-" or excel):
        echo(summary(result))
    else:
        info(summary(result))
        refs = {i: (s, r) for i, s, r in db.conn.execute("SELECT id, source, ref FROM signals")}
        rows = (
            {"id": c.id, "source": refs[c.id][0], "ref": refs[c.id][1], "old_situation": c.old, "new_situation": c.new}
            for c in result.changes
        )
        emit(rows, CHANGE_COLUMNS, fmt, output, excel, title="Wijzigingen")


@click.command("dupes")
@click.option(
    "--possible",
    is_flag=True,
    help="List the pairs that share no identifier but look alike (municipality, dates, type, and a "
    "first name, street or near phone; nothing that disagrees), best first, for you to decide.",
)
@output_options
@examples(
    """
mhtool signals dupes
mhtool signals dupes --format csv -o dubbele-meldingen.csv
mhtool signals dupes --possible --format table
mhtool signals dupes --possible --excel -o mogelijk-dubbel.csv
"""
)
def dupes_command(possible, fmt, output, excel):
    """Situations with more than one signal: every link with its evidence.

    'auto' links were found by dedupe (score and reasons); 'director' links
    are yours. Correct a wrong one with `mhtool signals unlink A B`, add a
    missed one with `mhtool signals link A B`.

    With --possible: pairs that were not linked because they share no
    identifier, but agree on municipality, dates within a month and type,
    have a first name, a street or phones one digit apart in common, and no
    identifier that disagrees; ranked by their evidence. Settle each with
    `signals link A B` (the same situation) or `signals unlink A B` (not the
    same: the pair leaves this list for good)."""
    if possible:
        from mhtool.signals.dedupe.possible import POSSIBLE_COLUMNS, possible_rows

        emit(possible_rows(state().db), POSSIBLE_COLUMNS, fmt, output, excel, title="Mogelijk dubbel")
        return
    from mhtool.signals.queries import DUPES_COLUMNS, dupes

    emit(dupes(state().db), DUPES_COLUMNS, fmt, output, excel, title="Dubbele meldingen")


@click.command("decisions")
@output_options
@examples("mhtool signals decisions\nmhtool signals decisions --format csv")
def decisions_command(fmt, output, excel):
    """Your link and unlink decisions, newest first."""
    from mhtool.signals.queries import DECISIONS_COLUMNS, decisions

    emit(decisions(state().db), DECISIONS_COLUMNS, fmt, output, excel, title="Besluiten")


def _decide(key_a: str, key_b: str, decision: str) -> None:
    from mhtool.signals.dedupe.decisions import decide

    done = decide(state().db, key_a, key_b, decision)
    name = lambda s: f"signal {s['id']} ({s['source']}:{s['ref']})"  # noqa: E731
    if decision == "link":
        echo(f"linked: {name(done.a)} and {name(done.b)} are in situation {done.situation_a}")
    else:
        echo(
            f"unlinked: {name(done.a)} is in situation {done.situation_a}, "
            f"{name(done.b)} in situation {done.situation_b}"
        )
    info(summary(done.result))


@click.command("link")
@click.argument("key_a", metavar="A")
@click.argument("key_b", metavar="B")
@rules_option
@examples("mhtool signals link M26-100101 watch:WN-26-0412\nmhtool signals link 12 40")
def link_command(key_a, key_b):
    """Put signals A and B in one situation (id, ref or SOURCE:REF).

    Your decision is kept: no later dedupe run separates them. It replaces
    an earlier unlink of the same two signals."""
    _decide(key_a, key_b, "link")


@click.command("unlink")
@click.argument("key_a", metavar="A")
@click.argument("key_b", metavar="B")
@rules_option
@examples("mhtool signals unlink M26-100124 M26-100213\nmhtool signals unlink 3 28")
def unlink_command(key_a, key_b):
    """Keep signals A and B in different situations (id, ref or SOURCE:REF).

    The situation is split at once, and no later dedupe run puts the two
    together again, whatever other evidence connects them. It replaces an
    earlier link of the same two signals. A pair listed by `signals dupes
    --possible` leaves that list for good."""
    _decide(key_a, key_b, "unlink")


COMMANDS = (dedupe_command, dupes_command, link_command, unlink_command, decisions_command)

"""`mhtool cases ...`: follow each situation up as a case."""

from __future__ import annotations

import click

from mhtool.cli.app import info, state
from mhtool.cli.group import MhtoolGroup
from mhtool.cli.help import examples
from mhtool.cli.options import DATE, date_range, date_range_options, gemeente_option, type_option
from mhtool.cli.output import RECORD, emit, emit_record, output_options
from mhtool.io.safety import visible

STATUS_HELP = "nieuw, 'in behandeling', doorgezet or afgesloten"


@click.group("cases", cls=MhtoolGroup)
def cases_group() -> None:
    """Case follow-up: state, owner, follow-up date and every handover of each situation."""


@cases_group.command("list")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    metavar="STATUS",
    help=f"Only cases in this state ({STATUS_HELP}); repeatable.",
)
@click.option("--owner", metavar="NAME", help="Only cases of this owner.")
@gemeente_option("Only situations in this municipality (a place is read as its municipality).")
@type_option()
@date_range_options("Reported")
@click.option("--due", is_flag=True, help="Only open cases to follow up this week or overdue (oldest first).")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many rows.")
@output_options
@examples(
    """
mhtool cases list --status nieuw
mhtool cases list --status 'in behandeling' --status doorgezet --owner ketenregisseur
mhtool cases list --gemeente Hilversum --from 1-7-2026 --to 30-9-2026 --excel -o casussen.csv
mhtool cases list --due --format json
"""
)
def cases_list(statuses, owner, gemeente, type_, date_from, date_to, due, limit, fmt, output, excel):
    """Every situation as a case: its state, owner, follow-up date, where it
    was passed on to and why it was closed. A situation nothing was done
    with yet is 'nieuw'."""
    import datetime as dt

    from mhtool.cases.lists import state as read_state
    from mhtool.cases.queries import LIST_COLUMNS, list_cases, week_end
    from mhtool.query import Filter

    selection = Filter(
        gemeente=gemeente,
        type=type_,
        period=date_range(date_from, date_to),
        status=tuple(read_state(s) for s in statuses),
    )
    due_by = week_end(dt.date.today()) if due else None
    rows = list_cases(state().db, selection, owner=owner, due_by=due_by, limit=limit)
    emit(rows, LIST_COLUMNS, fmt, output, excel, title="Casussen")


@cases_group.command("due")
@click.option("--owner", metavar="NAME", help="Only cases of this owner.")
@output_options
@examples("mhtool cases due\nmhtool cases due --owner ketenregisseur --excel -o maandag.csv")
def cases_due(owner, fmt, output, excel):
    """The Monday list: open cases whose follow-up date falls this week or has
    passed, oldest first, with the days overdue (negative: later this week)."""
    from mhtool.cases.queries import LIST_COLUMNS, due_cases

    rows = due_cases(state().db, owner=owner)
    info(f"{len(rows)} case(s) to follow up this week")
    emit(rows, [*LIST_COLUMNS, "days_overdue"], fmt, output, excel, title="Op te volgen")


@cases_group.command("show")
@click.argument("key", metavar="SITUATION")
@output_options(kind=RECORD)
@examples("mhtool cases show 12\nmhtool cases show M26-100101\nmhtool cases show 12 --format json")
def cases_show(key, fmt, output):
    """One case: the situation, its state, its signals, the ads with its phone
    numbers and every event. SITUATION is a situation id or one of its
    signals (id, ref or SOURCE:REF)."""
    from mhtool.cases.queries import case_details

    emit_record(case_details(state().db, key), fmt, output, _case_record)


def _case_record(details: dict, echo) -> None:
    for name, value in details.items():
        if name not in ("signals", "ads", "events"):
            echo(f"{name + ':':<16}{_clean(value)}")
    echo("signals:")
    for signal in details["signals"]:
        echo("  " + "  ".join(_clean(signal[k]) for k in ("id", "source", "ref", "reported_on", "gemeente")))
    echo("ads with the same phone number:")
    for ad in details["ads"]:
        echo(f"  {_clean(ad['site'])}:{_clean(ad['ad_id'])}  {ad['first_seen']} .. {ad['last_seen']}")
    echo("events:")
    for event in details["events"]:
        echo("  " + _event_line(event))


def _event_line(event: dict) -> str:
    parts = [event["happened_on"], event["kind"], f"-> {event['status']}"]
    if event["destination"]:
        parts.append(f"naar {event['destination']}" + (f" ({event['gemeente']})" if event["gemeente"] else ""))
    if event["reason"]:
        parts.append(f"reden: {event['reason']}")
    if event["owner"]:
        parts.append(f"eigenaar: {event['owner']}")
    if event["follow_up"]:
        parts.append(f"opvolgen: {event['follow_up']}")
    parts.append(f"door {event['os_user']}")
    line = "  ".join(_clean(p) for p in parts)
    return line + (f"\n      {_clean(event['note'])}" if event["note"] else "")


def _clean(value) -> str:
    """Text for the terminal: control characters from the data made visible."""
    return visible("" if value is None else value)


def _report(result: dict) -> None:
    info(
        f"situation {result['situation']}: {result['before']} -> {result['status']}"
        + (f", follow up on {result['follow_up']}" if result["follow_up"] else "")
    )


def _change_options(func):
    func = click.option("--note", metavar="TEXT", help="A note (personal data: never in the audit or an export).")(func)
    return click.option("--date", "on", type=DATE, metavar="DATE", help="The day it happened (default: today).")(func)


@cases_group.command("set")
@click.argument("key", metavar="SITUATION")
@click.option(
    "--status", metavar="STATUS", help="nieuw or 'in behandeling' (forward and close have their own commands)."
)
@click.option("--owner", metavar="NAME", help="Who handles the case (default: you).")
@click.option("--follow-up", "follow_up", type=DATE, metavar="DATE", help="When to look at the case again.")
@_change_options
@examples(
    """
mhtool cases set 12 --status 'in behandeling' --follow-up 7-12-2026
mhtool cases set 12 --owner 'J. de Vries' --note 'gebeld met wijkagent'
"""
)
def cases_set(key, status, owner, follow_up, on, note):
    """Change a case's state, owner or follow-up date, or add a note. Every
    change is a new event; nothing is overwritten."""
    from mhtool.cases.model import Change, set_case

    _report(set_case(state().db, key, Change(status=status, owner=owner, follow_up=follow_up, note=note, on=on)))


@cases_group.command("close")
@click.argument("key", metavar="SITUATION")
@click.option(
    "--reason",
    required=True,
    metavar="REASON",
    help="From mhtool/data/cases.toml: 'zorg geregeld', 'overgedragen aan politie', 'geen mensenhandel', ...",
)
@_change_options
@examples(
    "mhtool cases close 12 --reason 'zorg geregeld'\nmhtool cases close 14 --reason 'geen mensenhandel' --note 'navraag gedaan'"
)
def cases_close(key, reason, on, note):
    """Close a case with a reason (a later `cases set` opens it again)."""
    from mhtool.cases.model import close_case

    _report(close_case(state().db, key, reason, note=note, on=on))


@cases_group.command("forward")
@click.argument("key", metavar="SITUATION")
@click.option(
    "--to",
    "destination",
    required=True,
    metavar="DEST",
    help="From mhtool/data/cases.toml: politie, zorgcoordinator, gemeente, arbeidsinspectie, ...",
)
@gemeente_option("The municipality, with --to gemeente.")
@click.option("--follow-up", "follow_up", type=DATE, metavar="DATE", help="When to check the agreements were kept.")
@_change_options
@examples(
    """
mhtool cases forward 12 --to politie --follow-up 14-12-2026
mhtool cases forward 12 --to gemeente --gemeente Hilversum --date 1-12-2026 --note 'besproken in overleg'
"""
)
def cases_forward(key, destination, gemeente, follow_up, on, note):
    """Record that a case was passed on (state doorgezet), to whom and when."""
    from mhtool.cases.model import Change, forward_case

    change = Change(follow_up=follow_up, on=on, note=note, gemeente=gemeente)
    _report(forward_case(state().db, key, destination, change))


# `mhtool ads handover` / `ads feedback`: registered on the ads group in
# mhtool/ads/cli.py; the logic lives in mhtool/cases/handover.py.


@click.command("handover")
@gemeente_option("The municipality the ads go to (required).")
@click.option("--week", metavar="YEAR-Wnn", help="The scored week (default: the latest scored week).")
@click.option("--all", "everything", is_flag=True, help="Also the ads handed over before and unchanged since.")
@click.option("--dry-run", is_flag=True, help="Write the file but record nothing.")
@output_options
@examples(
    """
mhtool ads handover --gemeente Hilversum -o hilversum-w48.xlsx
mhtool ads handover --gemeente Huizen --week 2026-W48 --excel -o huizen-w48.csv
"""
)
def ads_handover(gemeente, week, everything, dry_run, fmt, output, excel):
    """The municipality's risky ads of the week, with the reasons in plain
    Dutch, for the municipality to check; records which ads went to it and
    when. An ad handed over before and unchanged since is left out (--all
    keeps it); the rest are marked 'nieuw' or 'gewijzigd'."""
    from mhtool.cases.handover import COLUMNS, prepare, record
    from mhtool.errors import UsageError
    from mhtool.periods import parse_week

    if not gemeente:
        raise UsageError("--gemeente is required: the municipality the ads go to")
    if output == "-" and not fmt and not excel:
        raise UsageError("-o FILE is required: the list for the municipality (.xlsx, or --excel for CSV)")
    db = state().db
    handover = prepare(db, gemeente, parse_week(week) if week else None, everything)
    emit(handover.rows, COLUMNS, fmt, output, excel, title=f"Risicovolle advertenties {gemeente} {handover.week}")
    if not dry_run:
        record(db, handover)
    info(
        f"{gemeente} {handover.week}: {len(handover.rows)} ad(s) handed over, "
        f"{handover.unchanged} unchanged since the last handover left out"
    )


@click.command("feedback")
@click.argument("key", metavar="SITE:AD_ID")
@click.option(
    "--outcome",
    metavar="OUTCOME",
    help="From mhtool/data/cases.toml: gecontroleerd, 'geen signalen', 'doorgezet naar politie', 'niet gevonden'.",
)
@click.option("--note", metavar="TEXT", help="A note (personal data: never in the audit or an export).")
@click.option("--date", "on", type=DATE, metavar="DATE", help="The day the municipality reported (default: today).")
@click.option("--review", type=click.Choice(["risky", "not-risky"]), help="Also a review label for `ads evaluate`.")
@click.option("--list", "show", is_flag=True, help="List the ad's handovers and feedback instead.")
@output_options
@examples(
    """
mhtool ads feedback kinky-gooi.example:418231 --outcome gecontroleerd --note "geen minderjarige"
mhtool ads feedback kinky-gooi.example:418231 --outcome 'doorgezet naar politie' --review risky
mhtool ads feedback kinky-gooi.example:418231 --list
"""
)
def ads_feedback(key, outcome, note, on, review, show, fmt, output, excel):
    """Record what the municipality did with a risky ad it was handed."""
    from mhtool.cases.handover import feedback, feedback_rows
    from mhtool.errors import UsageError

    db = state().db
    if show:
        emit(
            feedback_rows(db.conn, key),
            ["datum", "wat", "gemeente", "uitkomst", "notitie"],
            fmt,
            output,
            excel,
            title="Overdracht en terugkoppeling",
        )
        return
    if not outcome:
        raise UsageError("--outcome is required (or --list)")
    done = feedback(db, key, outcome, note, review, on)
    info(f"{key}: {done['outcome']}" + (f" (review label {review})" if review else ""))

"""`mhtool signals ...`: import, add, list and show signals."""

from __future__ import annotations

import datetime
import sys

import click

from mhtool.cli.app import err, info, state
from mhtool.cli.group import MhtoolGroup
from mhtool.cli.help import examples
from mhtool.cli.importreport import import_options, import_settings, report_import
from mhtool.cli.options import signal_filter, signal_filter_options
from mhtool.cli.output import RECORD, emit, emit_record, output_options
from mhtool.errors import UsageError
from mhtool.io.safety import echo
from mhtool.signals.dedupe.cli import COMMANDS as DEDUPE_COMMANDS
from mhtool.signals.dedupe.phases import import_with_phases
from mhtool.signals.dedupe.rules import rules_option
from mhtool.signals.dedupe.summary import summary as dedupe_summary


@click.group("signals", cls=MhtoolGroup)
def signals_group() -> None:
    """Signals (tips) of trafficking: import, add, list, show; duplicates."""


@signals_group.command("import")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "--source",
    "-s",
    required=True,
    metavar="NAME",
    help="mma (Meld Misdaad Anoniem), watch (Watch Nederland), or any name with --profile.",
)
@click.option("--profile", metavar="FILE", help="TOML profile with the headers of another source.")
@import_options
@click.option("--keywords", metavar="FILE", help="Your own keyword list for the type of exploitation (TOML).")
@click.option(
    "--no-dedupe",
    is_flag=True,
    help="Do not link the new signals to duplicates now; the next command that counts or "
    "changes signals does (or: signals dedupe).",
)
@rules_option
@examples(
    """
mhtool signals import --source mma examples/mma_export_2026Q3.csv
mhtool signals import --source watch examples/watch_export_2026Q3.xlsx
mhtool signals import --source mma --skip-bad --rejects rejected.csv export.csv
mhtool signals import --source veiligthuis --profile vt.toml vt_export.csv
cat export.csv | mhtool signals import --source mma -
mhtool signals import --source mma --rules my_dedupe_rules.toml export.csv
"""
)
def signals_import(
    files, source, profile, mappings, encoding, sheet, delimiter, skip_bad, rejects, dry_run, keywords, no_dedupe
):
    """Import signal exports (CSV, XLSX, JSON or - for stdin).

    All or nothing: if any row is invalid, nothing is written and every bad
    row is listed as FILE:ROW: column: reason (header = row 1). Importing the
    same file again adds nothing; a known reference with different content is
    reported as a conflict, never overwritten. Afterwards the new signals are
    linked to signals about the same situation (unless --no-dedupe)."""
    from mhtool.signals.fields import SIGNAL_FIELDS, resolve_spec
    from mhtool.signals.importer import import_signals

    options = import_settings(
        files, mappings, encoding, sheet, delimiter, skip_bad, rejects, dry_run, SIGNAL_FIELDS, keywords=keywords
    )
    spec = resolve_spec(source, profile)
    outcome = import_with_phases(import_signals, state().db, list(files), spec, options, dedupe=not no_dedupe)

    def summary(result) -> str:
        new_label = "new" if outcome.committed else "new (not written)"
        return (
            f"{result.file}: {result.read} read, {result.new} {new_label}, "
            f"{result.present} already present, {result.rejected} rejected"
        )

    report_import(outcome, summary, skip_bad=skip_bad, rejects=rejects, dry_run=dry_run)
    if outcome.dedupe is not None:
        echo(dedupe_summary(outcome.dedupe))


@signals_group.command("add")
@click.option("--ref", help="Reference (default: MAN-YEAR-NNNN).")
@click.option("--date", "reported_on", help="Date of the report (default: today).")
@click.option("--text", help="What was reported.")
@click.option("--category", help="Type or category as reported (else inferred from the text).")
@click.option("--place", help="Place (a village is mapped to its municipality).")
@click.option("--gemeente", help="Municipality.")
@click.option("--address", help="Street and house number.")
@click.option("--phones", help="Phone number(s), separated by , ; or /.")
@click.option("--persons", help="Names of people involved.")
@click.option("--vehicle", help="Licence plate or vehicle.")
@click.option("--url", help="Link to an ad or profile.")
@click.option("--victim-gender", help="man, vrouw, anders.")
@click.option("--victim-age", help="Age of the (possible) victim.")
@click.option("--victim-nationality", help="Nationality of the (possible) victim.")
@click.option("--reporter", help="Who reported it (organisation or role).")
@click.option("--source", default="manual", show_default=True, help="Source name to store.")
@click.option(
    "--no-dedupe",
    is_flag=True,
    help="Do not link the new signal to duplicates now (the next command that counts or changes signals does).",
)
@rules_option
@examples(
    """
mhtool signals add --date 24-11-2026 --place Bussum --reporter "wijkagent" \\
    --text "Buren zien 's nachts steeds andere mannen bij een woning" --phones "06-12345678"
mhtool signals add            # asks for the fields in a terminal
"""
)
# Long: fifteen fields as options and their prompts; the work is in signals.api.add_signal.
def signals_add(
    ref,
    reported_on,
    text,
    category,
    place,
    gemeente,
    address,
    phones,
    persons,
    vehicle,
    url,
    victim_gender,
    victim_age,
    victim_nationality,
    reporter,
    source,
    no_dedupe,
):
    """Record one signal received by phone or e-mail (source: manual).

    Options, or prompts for the missing fields when run in a terminal. The
    same validation as an import applies."""
    from mhtool.parse.categories import label
    from mhtool.signals.api import add_signal

    interactive = sys.stdin.isatty()
    if interactive:
        reported_on = reported_on or click.prompt("Datum", default=datetime.date.today().strftime("%d-%m-%Y"))
        text = text or click.prompt("Omschrijving")
        if place is None and gemeente is None:
            place = click.prompt("Plaats", default="", show_default=False)
        if phones is None:
            phones = click.prompt("Telefoonnummer(s)", default="", show_default=False)
        if reporter is None:
            reporter = click.prompt("Gemeld door", default="", show_default=False)
    if not text:
        raise UsageError("--text is required")
    reported_on = reported_on or datetime.date.today().isoformat()

    values = {
        "ref": ref,
        "reported_on": reported_on,
        "text": text,
        "category": category,
        "place": place,
        "gemeente": gemeente,
        "address": address,
        "phones": phones,
        "persons": persons,
        "vehicle": vehicle,
        "url": url,
        "victim_gender": victim_gender,
        "victim_age": victim_age,
        "victim_nationality": victim_nationality,
        "reporter": reporter,
    }
    added = add_signal(state().db, values, source=source, dedupe=not no_dedupe)
    for warning in added.warnings:
        err(f"warning: {warning.field}: {warning.reason}")
    row = added.row
    echo(f"signal {added.id} added: {source}:{added.ref}, {row.reported_on}, {label(row.type)}, {row.gemeente}")
    if added.situation_id != added.id:
        echo(f"same situation as signal {added.situation_id} (see: mhtool signals show {added.id})")
    if added.dedupe is not None:
        info(dedupe_summary(added.dedupe))


# Left out of a table, in this order, where the terminal is too narrow (80 columns: all five).
NARROW_DROPS = ("place", "situation_id", "source", "phones", "ref")


@signals_group.command("list")
@signal_filter_options
@click.option("--search", metavar="TEXT", help="Text in description, names, address, place, ref or phone.")
@click.option("--situation", type=int, metavar="ID", help="Only the signals of this situation.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many rows.")
@output_options
@examples(
    """
mhtool signals list --gemeente Hilversum --from 1-7-2026 --to 30-9-2026
mhtool signals list --type sexual --format csv -o seksueel.csv
mhtool signals list --search "06-12345678" --format json
mhtool signals list --situation 12
"""
)
def signals_list(source, gemeente, type_, date_from, date_to, search, situation, limit, fmt, output, excel):
    """List signals, oldest first, with filters."""
    from mhtool.signals.queries import LIST_COLUMNS, list_signals

    db = state().db
    found = signal_filter(source, gemeente, type_, date_from, date_to, search=search, situation=situation)
    rows = list_signals(db, found, limit)
    emit(rows, LIST_COLUMNS, fmt, output, excel, title="Signalen", optional=NARROW_DROPS)


@signals_group.command("show")
@click.argument("key", metavar="ID|REF")
@output_options(kind=RECORD)
@examples("mhtool signals show 12\nmhtool signals show M-2026-0815\nmhtool signals show watch:WN-0042 --format json")
def signals_show(key, fmt, output):
    """Every field of one signal, its phone numbers, its situation and the
    other signals in it (with the evidence that links them), and the raw record."""
    from mhtool.signals.queries import signal_details

    emit_record(signal_details(state().db, key), fmt, output, _signal_record)


def _signal_record(details: dict, echo) -> None:
    for name, value in details.items():
        if name in ("raw", "phones", "content_hash", "ads", "situation"):
            continue
        echo(f"{name + ':':<20}{'' if value is None else value}")
    echo("phones:")
    for phone in details["phones"]:
        marker = "" if phone["valid"] else "  (not valid, kept as written)"
        echo(f"  {phone['e164'] if phone['valid'] else phone['raw']}{marker}")
    echo("ads with the same phone number:")
    for ad in details["ads"]:
        echo(f"  {ad['site']}:{ad['ad_id']}  {ad['first_seen']} .. {ad['last_seen']}")
    situation = details["situation"]
    echo(f"situation {situation['id']}: {len(situation['signals']) + 1} signal(s)")
    for other in situation["signals"]:
        how = f"{other['link']}: {other['evidence']}" if other["link"] else "linked through other signals"
        echo(f"  {other['id']}  {other['source']}:{other['ref']}  {other['reported_on']}  {other['gemeente']}  ({how})")
    echo("raw record:")
    for name, value in details["raw"].items():
        echo(f"  {name}: {value}")


for _command in DEDUPE_COMMANDS:
    signals_group.add_command(_command)

"""`mhtool signals ...`: import, add, list and show signals."""

from __future__ import annotations

import datetime
import json
import sys

import click

from ..clitools import (
    MhtoolGroup,
    emit,
    err,
    examples,
    import_options,
    import_settings,
    import_with_progress,
    info,
    output_options,
    report_import,
    state,
)
from ..errors import MhtoolError, UsageError
from .dedupe_cli import COMMANDS as DEDUPE_COMMANDS, summary as dedupe_summary


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
@click.option("--no-dedupe", is_flag=True, help="Do not link the new signals to duplicates (see: signals dedupe).")
@examples(
    """
mhtool signals import --source mma examples/mma_export_2026Q3.csv
mhtool signals import --source watch examples/watch_export_2026Q3.xlsx
mhtool signals import --source mma --skip-bad --rejects rejected.csv export.csv
mhtool signals import --source veiligthuis --profile vt.toml vt_export.csv
cat export.csv | mhtool signals import --source mma -
"""
)
def signals_import(files, source, profile, mappings, encoding, sheet, delimiter, skip_bad, rejects, dry_run, keywords,
                   no_dedupe):
    """Import signal exports (CSV, XLSX, JSON or - for stdin).

    All or nothing: if any row is invalid, nothing is written and every bad
    row is listed as FILE:ROW: column: reason (header = row 1). Importing the
    same file again adds nothing; a known reference with different content is
    reported as a conflict, never overwritten. Afterwards the new signals are
    linked to signals about the same situation (unless --no-dedupe)."""
    from .fields import SIGNAL_FIELDS, resolve_spec
    from .importer import import_signals

    options = import_settings(files, mappings, encoding, sheet, delimiter, skip_bad, rejects, dry_run,
                              SIGNAL_FIELDS, keywords=keywords)
    spec = resolve_spec(source, profile)
    outcome = import_with_progress(import_signals, state().db, list(files), spec, options, dedupe=not no_dedupe)

    def summary(result) -> str:
        new_label = "new" if outcome.committed else "new (not written)"
        return (
            f"{result.file}: {result.read} read, {result.new} {new_label}, "
            f"{result.present} already present, {result.rejected} rejected"
        )

    report_import(outcome, summary, skip_bad=skip_bad, rejects=rejects, dry_run=dry_run)
    if outcome.dedupe is not None:
        click.echo(dedupe_summary(outcome.dedupe))


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
@click.option("--no-dedupe", is_flag=True, help="Do not link the new signal to duplicates.")
@examples(
    """
mhtool signals add --date 24-11-2026 --place Bussum --reporter "wijkagent" \\
    --text "Buren zien 's nachts steeds andere mannen bij een woning" --phones "06-12345678"
mhtool signals add            # asks for the fields in a terminal
"""
)
def signals_add(ref, reported_on, text, category, place, gemeente, address, phones, persons, vehicle, url,
                victim_gender, victim_age, victim_nationality, reporter, source, no_dedupe):
    """Record one signal received by phone or e-mail (source: manual).

    Options, or prompts for the missing fields when run in a terminal. The
    same validation as an import applies."""
    from ..db import transaction
    from ..parse.categories import label, load_classifier
    from ..region import load_region
    from .importer import SignalWriter
    from .normalise import normalise_signal

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

    app = state()
    db = app.db
    with transaction(db):
        ref = ref or _next_manual_ref(db, source)
        values = {
            "ref": ref, "reported_on": reported_on, "text": text, "category": category, "place": place,
            "gemeente": gemeente, "address": address, "phones": phones, "persons": persons,
            "vehicle": vehicle, "url": url, "victim_gender": victim_gender, "victim_age": victim_age,
            "victim_nationality": victim_nationality, "reporter": reporter,
        }
        columns = {name: "--" + name.replace("_", "-") for name in values}
        columns["reported_on"] = "--date"
        normalised = normalise_signal(
            values, {}, columns=columns, region=load_region(db), classifier=load_classifier()
        )
        for warning in normalised.warnings:
            err(f"warning: {warning.column}: {warning.reason}")
        if normalised.errors:
            raise MhtoolError("; ".join(f"{e.column}: {e.reason}" for e in normalised.errors))
        writer = SignalWriter(db, source)
        if writer.existing(ref):
            raise MhtoolError(f"{source}:{ref} already exists")
        signal_id = writer.insert(normalised.record, normalised.phones, None)
    record = normalised.record
    click.echo(
        f"signal {signal_id} added: {source}:{ref}, {record['reported_on']}, "
        f"{label(record['type'])}, {record['gemeente']}"
    )
    if not no_dedupe:
        from .dedupe import dedupe_new

        result = dedupe_new(db, [signal_id])
        situation = db.conn.execute("SELECT situation_id FROM signals WHERE id = ?", (signal_id,)).fetchone()[0]
        if situation != signal_id:
            click.echo(f"same situation as signal {situation} (see: mhtool signals show {signal_id})")
        info(dedupe_summary(result))


def _next_manual_ref(db, source: str) -> str:
    year = datetime.date.today().year
    prefix = f"MAN-{year}-"
    row = db.conn.execute(
        "SELECT max(CAST(substr(ref, ?) AS INTEGER)) FROM signals WHERE source = ? AND ref LIKE ?",
        (len(prefix) + 1, source, prefix + "%"),
    ).fetchone()
    return f"{prefix}{(row[0] or 0) + 1:04d}"


@signals_group.command("list")
@click.option("--source", help="Only this source (mma, watch, manual, ...).")
@click.option("--gemeente", help="Only this municipality (or onbekend / 'buiten regio').")
@click.option("--type", "type_", help="sexual, labour, criminal, other, unknown (or the Dutch label).")
@click.option("--from", "date_from", metavar="DATE", help="Reported on or after DATE.")
@click.option("--to", "date_to", metavar="DATE", help="Reported on or before DATE.")
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
    from ..parse.categories import type_from_user
    from ..parse.dates import option_day
    from ..parse.phones import normalise_phone
    from ..region import load_region
    from .queries import LIST_COLUMNS, SignalFilter, gemeente_filter_value, list_signals

    db = state().db
    day = lambda value, option: option_day(value, option).isoformat() if value else None  # noqa: E731
    signal_filter = SignalFilter(
        source=source,
        gemeente=gemeente_filter_value(load_region(db), gemeente) if gemeente else None,
        type=type_from_user(type_) if type_ else None,
        date_from=day(date_from, "--from"),
        date_to=day(date_to, "--to"),
        search=(normalise_phone(search) or search) if search else None,
        situation=situation,
        limit=limit,
    )
    rows = list_signals(db, signal_filter)
    chosen = fmt or ("table" if output == "-" and sys.stdout.isatty() and not excel else None)
    if chosen == "table":
        rows = ({**r, "text": _shorten(r["text"], 60)} for r in rows)
    emit(rows, LIST_COLUMNS, fmt, output, excel, title="Signalen")


def _shorten(text: str | None, width: int) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


@signals_group.command("show")
@click.argument("key", metavar="ID|REF")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@examples("mhtool signals show 12\nmhtool signals show M-2026-0815\nmhtool signals show watch:WN-0042 --format json")
def signals_show(key, fmt):
    """Every field of one signal, its phone numbers, its situation and the
    other signals in it (with the evidence that links them), and the raw record."""
    from .queries import signal_details

    details = signal_details(state().db, key)
    if fmt == "json":
        click.echo(json.dumps(details, ensure_ascii=False, indent=2, default=str))
        return
    for name, value in details.items():
        if name in ("raw", "phones", "content_hash", "ads", "situation"):
            continue
        click.echo(f"{name + ':':<20}{'' if value is None else value}")
    click.echo("phones:")
    for phone in details["phones"]:
        marker = "" if phone["valid"] else "  (not valid, kept as written)"
        click.echo(f"  {phone['e164'] if phone['valid'] else phone['raw']}{marker}")
    click.echo("ads with the same phone number:")
    for ad in details["ads"]:
        click.echo(f"  {ad['site']}:{ad['ad_id']}  {ad['first_seen']} .. {ad['last_seen']}")
    situation = details["situation"]
    click.echo(f"situation {situation['id']}: {len(situation['signals']) + 1} signal(s)")
    for other in situation["signals"]:
        how = f"{other['link']}: {other['evidence']}" if other["link"] else "linked through other signals"
        click.echo(f"  {other['id']}  {other['source']}:{other['ref']}  {other['reported_on']}  "
                   f"{other['gemeente']}  ({how})")
    click.echo("raw record:")
    for name, value in details["raw"].items():
        click.echo(f"  {name}: {value}")


for _command in DEDUPE_COMMANDS:
    signals_group.add_command(_command)

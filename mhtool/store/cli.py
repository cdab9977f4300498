"""`mhtool db ...`: information, integrity check and backup."""

from __future__ import annotations

import sys

import click

from mhtool.cli.app import err, info, state
from mhtool.cli.group import MhtoolGroup
from mhtool.cli.help import examples
from mhtool.cli.outpaths import check_backup
from mhtool.cli.output import emit, output_options
from mhtool.io.safety import echo


def _path(db_path):
    from mhtool.store.db import resolve_path  # sqlite-utils is slow to import; keep `mhtool --help` fast

    return resolve_path(db_path)


@click.group("db", cls=MhtoolGroup)
def db_group() -> None:
    """The database file: information, integrity check, backup."""


@db_group.command("info")
@output_options
@examples("mhtool db info\nmhtool --db other.db db info --format json")
def db_info(fmt, output, excel) -> None:
    """Path, schema version and row counts per table."""
    from mhtool.store.maintenance import info as db_information

    app = state()
    details = db_information(app.db, _path(app.db_path))
    if (fmt or "table") == "table" and output == "-" and not excel:
        echo(f"path:           {details['path']}")
        echo(f"size:           {details['size_bytes']:,} bytes (mode {details['mode']})")
        echo(f"schema version: {details['schema_version']} (latest {details['latest_schema_version']})")
    emit(details["tables"], ["table", "rows"], fmt, output, excel)


@db_group.command("check")
@examples("mhtool db check && echo sound")
def db_check() -> None:
    """Run SQLite's integrity and foreign-key checks; exit 1 when they fail."""
    from mhtool.store.maintenance import check

    problems = check(state().db)
    if problems:
        for problem in problems[:50]:
            err(f"integrity: {problem}")
        raise click.exceptions.Exit(1)
    info("ok: database is sound")


@db_group.command("backup")
@click.argument("dest", type=click.Path(dir_okay=False), callback=check_backup)
@click.option("--force", is_flag=True, help="Overwrite DEST if it exists.")
@examples("mhtool db backup backups/mhtool-2026-11-25.db")
def db_backup(dest: str, force: bool) -> None:
    """Copy the database to DEST (consistent while other commands write).

    The copy is readable by you only."""
    from mhtool.store.maintenance import backup

    target = backup(state().db, dest, force)
    info(f"backup written to {target}")


@db_group.command("restore")
@click.argument("source", type=click.Path(dir_okay=False))
@examples("mhtool db restore backups/mhtool-2026-11-25.db")
def db_restore(source: str) -> None:
    """Replace the database with SOURCE (a backup), after checking it.

    SOURCE must pass SQLite's integrity check and be an mhtool database. The
    current database is kept next to it as *.before-restore-TIMESTAMP."""
    from mhtool.store.maintenance import restore

    app = state()
    kept = restore(app.db, _path(app.db_path), source)
    app.reopen()  # the restored content may need its schema migrated
    info(f"restored from {source}; the previous database is kept as {kept}")


@db_group.command("purge")
@click.option("--older-than", metavar="AGE", help="Retention period, e.g. 5y, 18m (months) or 90d.")
@click.option("--before", metavar="DATE", help="Delete what lies before DATE.")
@click.option("--dry-run", is_flag=True, help="Only count what would be deleted.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=60,
    show_default=True,
    metavar="SECONDS",
    help="How long to wait for other commands that have the database open, to empty the "
    "write-ahead log that still holds the deleted rows.",
)
@examples("mhtool db purge --older-than 5y --dry-run\nmhtool db purge --before 1-1-2021 --yes")
def db_purge(older_than, before, dry_run, yes, wait) -> None:
    """Delete signals, ads, observations and scores past the retention period
    (AVG/GDPR), then reclaim the space so the data is gone from the file.

    Signals count by their report date, ad observations by the day seen,
    scores by the day they were made; an ad with no observation left goes."""
    from mhtool.ads.indicators import forget_purged_signals
    from mhtool.errors import UsageError
    from mhtool.store.maintenance import purge, truncate_wal

    if bool(older_than) == bool(before):
        raise UsageError("give one of --older-than and --before")
    cutoff = _cutoff(older_than, before)
    app = state()
    counts = purge(app.db, cutoff, dry_run=True)
    summary = ", ".join(f"{n} {table}" for table, n in counts.items())
    if dry_run:
        echo(f"would delete (before {cutoff}): {summary}")
        return
    if not yes and sys.stdin.isatty():
        click.confirm(f"Delete {summary} (before {cutoff})? This cannot be undone", abort=True)
    purge(app.db, cutoff, dry_run=False, forget_signals=forget_purged_signals)
    echo(f"deleted (before {cutoff}): {summary}")
    truncate_wal(app.db, wait, _Waiting(wait))
    info("space reclaimed: the deleted data is gone from the database file and its write-ahead log")


class _Waiting:
    """Says on stderr, every few seconds, that purge waits for readers."""

    def __init__(self, limit: float):
        self.limit = limit
        self.said = -5.0

    def __call__(self, waited: float) -> None:
        if waited - self.said >= 5:
            self.said = waited
            info(f"waiting for other mhtool commands to close the database ({waited:.0f} of {self.limit:g} s) ...")


def _cutoff(older_than: str | None, before: str | None) -> str:
    import datetime
    import re

    from dateutil.relativedelta import relativedelta

    from mhtool.errors import UsageError
    from mhtool.parse.dates import option_day

    if before:
        return option_day(before, "--before").isoformat()
    match = re.fullmatch(r"\s*(\d+)\s*([ymd])\s*", older_than or "", re.IGNORECASE)
    if not match:
        raise UsageError("--older-than: expected a number and y, m or d, e.g. 5y")
    amount, unit = int(match.group(1)), match.group(2).lower()
    delta = {"y": relativedelta(years=amount), "m": relativedelta(months=amount), "d": relativedelta(days=amount)}[unit]
    return (datetime.date.today() - delta).isoformat()


@db_group.command("audit")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="Most recent lines.")
@output_options
@examples("mhtool db audit\nmhtool db audit --limit 500 --format csv -o audit.csv")
def db_audit(limit, fmt, output, excel) -> None:
    """Every command that wrote to the database: when, who, which command and
    how many rows changed per table (no personal data), newest first."""
    from mhtool.store.audit import audit_rows

    emit(
        audit_rows(state().db, limit),
        ["id", "at", "os_user", "command", "status", "counts"],
        fmt,
        output,
        excel,
        title="Audit",
    )

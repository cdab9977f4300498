"""`mhtool db ...`: information, integrity check and backup."""

from __future__ import annotations

import click

from .clitools import MhtoolGroup, emit, err, examples, info, output_options, state
from .db import resolve_path


@click.group("db", cls=MhtoolGroup)
def db_group() -> None:
    """The database file: information, integrity check, backup."""


@db_group.command("info")
@output_options
@examples("mhtool db info\nmhtool --db other.db db info --format json")
def db_info(fmt, output, excel) -> None:
    """Path, schema version and row counts per table."""
    from .maintenance import info as db_information

    app = state()
    details = db_information(app.db, resolve_path(app.db_path))
    if (fmt or "table") == "table" and output == "-" and not excel:
        click.echo(f"path:           {details['path']}")
        click.echo(f"size:           {details['size_bytes']:,} bytes (mode {details['mode']})")
        click.echo(f"schema version: {details['schema_version']} (latest {details['latest_schema_version']})")
    emit(details["tables"], ["table", "rows"], fmt, output, excel)


@db_group.command("check")
@examples("mhtool db check && echo sound")
def db_check() -> None:
    """Run SQLite's integrity and foreign-key checks; exit 1 when they fail."""
    from .maintenance import check

    problems = check(state().db)
    if problems:
        for problem in problems[:50]:
            err(f"integrity: {problem}")
        raise click.exceptions.Exit(1)
    info("ok: database is sound")


@db_group.command("backup")
@click.argument("dest", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite DEST if it exists.")
@examples("mhtool db backup backups/mhtool-2026-11-25.db")
def db_backup(dest: str, force: bool) -> None:
    """Copy the database to DEST (consistent while other commands write).

    The copy is readable by you only."""
    from .maintenance import backup

    target = backup(state().db, dest, force)
    info(f"backup written to {target}")

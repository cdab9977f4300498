"""No output option may name the database (issue 10, item 3).

`check_output` is the click callback of every option that names an output
file (`-o`, `--rejects`, the report's `-o`); `check_backup` that of a backup
destination, next to which SQLite writes a -journal while it copies. A path
that is the database or one of its -wal/-shm/-journal files, however it is
spelled, is a usage error (exit 2) before anything is opened.
"""

from __future__ import annotations

import click

from mhtool.io.outfile import SQLITE_FILES, clash


def _check(ctx: click.Context, param: click.Parameter, value, side_files):
    if value is None or value == "-":
        return value
    from mhtool.cli.app import AppState
    from mhtool.store.db import resolve_path

    app = ctx.find_object(AppState)
    database = resolve_path(app.db_path if app is not None else None)
    hit = clash(value, database, side_files)
    if hit is not None:
        raise click.BadParameter(
            f"{value} is the database {database} or one of its files ({hit}); write to another file",
            ctx=ctx,
            param=param,
        )
    return value


def check_output(ctx: click.Context, param: click.Parameter, value):
    """click callback for an output file option."""
    return _check(ctx, param, value, ("",))


def check_backup(ctx: click.Context, param: click.Parameter, value):
    """click callback for a copy of the database."""
    return _check(ctx, param, value, SQLITE_FILES)

"""What every command shares: the global options, the lazily opened database, messages on stderr."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from mhtool.io.safety import echo

if TYPE_CHECKING:
    import sqlite_utils

    from mhtool.store.audit import PendingAudit


class AppState:
    """Lives in `ctx.obj`: global options and the lazily opened database."""

    def __init__(self, db_path: str | None, quiet: bool, debug: bool, no_wal: bool = False):
        self.db_path = db_path
        self.quiet = quiet
        self.debug = debug
        self.no_wal = no_wal
        self._db: sqlite_utils.Database | None = None
        self._audit: PendingAudit | None = None

    @property
    def db(self) -> Any:  # a sqlite_utils.Database; Any, because areas reach into .conn freely
        if self._db is None:
            from mhtool.store import db as store
            from mhtool.store import writelock
            from mhtool.store.audit import start_audit
            from mhtool.store.maintenance import leftovers

            command = click.get_current_context().command_path.partition(" ")[2]
            writelock.current_command = command or "mhtool"
            store.on_lock_wait = _say_waiting
            self._db = store.open_db(self.db_path, wal=not self.no_wal)
            path = store.resolve_path(self.db_path)
            if store.others_can_read(path):
                warn(f"{path} is readable by other users; run: chmod 600 {path}")
            for leftover, why in leftovers(path):
                warn(f"{leftover} {why}; delete it when you no longer need it")
            from mhtool.signals.dedupe.owed import settle_owed

            # An owed dedupe first, with an audit line of its own; the command's line counts only its own work.
            settle_owed(self._db, command, err, warn)
            self._audit = start_audit(self._db, command)
        return self._db

    def reopen(self) -> None:
        """Forget the connection (after the file was replaced, e.g. by restore)."""
        self.close()

    def finish(self, ok: bool) -> None:
        """Write the audit record of a command that changed the database,
        then close it: at the end of the command, not whenever the garbage
        collector gets to it (a late close checkpoints the WAL into the file
        while another command may be looking at it)."""
        try:
            if self._audit is None:
                return
            from mhtool.store.audit import finish_audit
            from mhtool.store.db import open_db

            if self._db is None:
                self._db = open_db(self.db_path, wal=not self.no_wal)
            finish_audit(self._db, self._audit, ok)
        finally:
            self.close()

    def close(self) -> None:
        if self._db is not None:
            self._db.conn.close()
            self._db = None


def _say_waiting(path) -> None:
    from mhtool.store.writelock import holder

    found = holder(path)
    who = f"{found.command} (process {found.pid})" if found else "another command"
    info(f"waiting for {who} to finish writing to the database ...")


def state() -> AppState:
    app = click.get_current_context().find_object(AppState)
    assert app is not None, "the root command sets the app state"
    return app


def err(message: str) -> None:
    echo(message, err=True)


def warn(message: str) -> None:
    echo(f"warning: {message}", err=True)


def info(message: str) -> None:
    if not state().quiet:
        echo(message, err=True)

"""The one place where errors become one line on stderr and an exit code."""

from __future__ import annotations

import errno
import sqlite3
import sys
from typing import Any

import click

from mhtool.cli.app import AppState, err
from mhtool.errors import MhtoolError

# Failed file operations that are the machine's state, not a bug: one line.
_PLAIN_OS_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM}


class MhtoolGroup(click.Group):
    """Turns our errors into one line on stderr and the right exit code.

    `lazy`: name -> "module:attribute" of commands imported only when they
    are run or listed, so a command does not pay for importing every
    other area's commands (click's lazy-loading recipe)."""

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            import importlib

            module, attribute = self.lazy[cmd_name].split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        if ctx.parent is not None:
            return self._invoke(ctx)
        ok = False
        try:
            result = self._invoke(ctx)
            ok = True
            return result
        except click.exceptions.Exit as exc:
            ok = exc.exit_code == 0
            raise
        finally:
            app = ctx.find_object(AppState)
            if app is not None:
                try:
                    app.finish(ok)
                except Exception:  # the audit must never turn a result into a crash
                    if app.debug:
                        raise

    def _invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MhtoolError as exc:
            err(f"Error: {exc}")
            ctx.exit(getattr(exc, "exit_code", 1))
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:
            sys.stderr.close()  # the reader went away (e.g. `| head`); not an error
            ctx.exit(0)
        except (sqlite3.Error, OSError) as exc:
            cause = _machine_state(exc)
            if cause is None:
                self._internal_error(ctx, exc)
            err(f"Error: {cause}")
            ctx.exit(1)
        except KeyboardInterrupt as exc:
            # An import saved before its dedupe was interrupted says what it kept (signals/dedupe/owed.py).
            err(f"Interrupted; {getattr(exc, 'kept', 'nothing from the unfinished command was saved')}.")
            ctx.exit(130)
        except Exception as exc:
            self._internal_error(ctx, exc)

    @staticmethod
    def _internal_error(ctx: click.Context, exc: Exception) -> None:
        app = ctx.find_object(AppState)
        if app is not None and app.debug:
            raise exc
        err(f"Internal error ({type(exc).__name__}); this is a bug in mhtool. Run again with --debug for details.")
        ctx.exit(1)


def _machine_state(exc: Exception) -> str | None:
    """A failure caused by the disk or the database file (full, read-only,
    busy), in plain words; None for anything that is a bug."""
    from mhtool.store.db import describe_os_error, plain_sqlite_error

    if isinstance(exc, sqlite3.Error):
        return plain_sqlite_error(exc)
    if isinstance(exc, OSError) and exc.errno in _PLAIN_OS_ERRORS:
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{describe_os_error(exc)}"
    return None

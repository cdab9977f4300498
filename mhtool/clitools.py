"""What every command shares: the database option, output options, messages
on stderr, progress bars and the one place where errors become exit codes."""

from __future__ import annotations

import errno
import sqlite3
import sys
from typing import Any, Callable, Iterable, Sequence

import click

from .errors import MhtoolError

OUTPUT_FORMATS = ("table", "csv", "tsv", "json", "ndjson", "markdown", "xlsx")
MAX_WARNINGS_SHOWN = 20
# Failed file operations that are the machine's state, not a bug: one line.
_PLAIN_OS_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM}


class AppState:
    """Lives in `ctx.obj`: global options and the lazily opened database."""

    def __init__(self, db_path: str | None, quiet: bool, debug: bool, no_wal: bool = False):
        self.db_path = db_path
        self.quiet = quiet
        self.debug = debug
        self.no_wal = no_wal
        self._db = None
        self._audit = None

    @property
    def db(self):
        if self._db is None:
            from . import db as store, writelock
            from .audit import start_audit
            from .maintenance import leftovers

            command = click.get_current_context().command_path.partition(" ")[2]
            writelock.current_command = command or "mhtool"
            store.on_lock_wait = _say_waiting
            self._db = store.open_db(self.db_path, wal=not self.no_wal)
            path = store.resolve_path(self.db_path)
            if store.others_can_read(path):
                warn(f"{path} is readable by other users; run: chmod 600 {path}")
            for leftover, why in leftovers(path):
                warn(f"{leftover} {why}; delete it when you no longer need it")
            self._audit = start_audit(self._db, command)
        return self._db

    def reopen(self) -> None:
        """Forget the connection (after the file was replaced, e.g. by restore)."""
        if self._db is not None:
            self._db.conn.close()
        self._db = None

    def finish(self, ok: bool) -> None:
        """Write the audit record of a command that changed the database."""
        if self._audit is None:
            return
        from .audit import finish_audit
        from .db import open_db

        db = self._db if self._db is not None else open_db(self.db_path, wal=not self.no_wal)
        finish_audit(db, self._audit, ok)


def _say_waiting(path) -> None:
    from .writelock import holder

    found = holder(path)
    who = f"{found.command} (process {found.pid})" if found else "another command"
    info(f"waiting for {who} to finish writing to the database ...")


def state() -> AppState:
    return click.get_current_context().find_object(AppState)


def err(message: str) -> None:
    click.echo(message, err=True)


def warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


def info(message: str) -> None:
    if not state().quiet:
        click.echo(message, err=True)


def report_problems(problems: Sequence[Any], label: str, limit: int | None = None,
                    total: int | None = None) -> None:
    """Print `FILE:ROW: column: reason` lines on stderr (optionally capped);
    `total` counts the problems when only the first ones were kept."""
    shown = problems if limit is None else problems[:limit]
    for problem in shown:
        err(f"{label}{problem}")
    total = len(problems) if total is None else total
    if total > len(shown):
        err(f"... and {total - len(shown)} more")


def report_import(outcome, summary: Callable[[Any], str], *, skip_bad: bool, rejects: str | None,
                  dry_run: bool) -> None:
    """Warnings, bad rows, a summary line per file, the rejects file, exit code."""
    warnings = [w for f in outcome.files for w in f.warnings]
    report_problems(warnings, "warning: ", MAX_WARNINGS_SHOWN, total=outcome.total("warning_count"))
    errors = [e for f in outcome.files for e in f.errors]
    report_problems(errors, "rejected: " if skip_bad else "")
    stopped = [f for f in outcome.files if f.stopped]
    if stopped:
        err(f"Error: nothing imported: stopped reading {stopped[0].file} after {stopped[0].rejected:,} bad rows "
            "(the first ones are listed above); is it the right file, and the right --source?")
        raise click.exceptions.Exit(1)
    for result in outcome.files:
        click.echo(summary(result))
    if rejects:
        _write_rejects(rejects, [r for f in outcome.files for r in f.rejects])
        info(f"rejected rows written to {rejects}")
    if dry_run:
        info("dry run: nothing was written")
    elif errors and not skip_bad:
        err(
            f"Error: nothing imported: {len(errors)} problem(s) in {outcome.total('rejected')} row(s); "
            "fix them, or use --skip-bad to import the valid rows"
        )
        raise click.exceptions.Exit(1)


def _write_rejects(path: str, rejected) -> None:
    problem_columns = ["file", "row", "column", "reason"]
    columns = list(problem_columns)
    rows = []
    for item in rejected:
        # An input column named like a problem column must not overwrite it.
        cells = {(f"{h} (input)" if h in problem_columns else h): v for h, v in item.cells.items()}
        for header in cells:
            if header not in columns:
                columns.append(header)
        problem = item.problem
        rows.append({**cells, "file": problem.file, "row": problem.row, "column": problem.column,
                     "reason": problem.reason})
    emit(rows, columns, "csv", path, excel=False)


def import_options(func: Callable) -> Callable:
    """The options every import command shares."""
    options = [
        click.option("--map", "mappings", multiple=True, metavar="HEADER=FIELD",
                     help="Read column HEADER as FIELD (repeatable)."),
        click.option("--encoding", metavar="NAME", help="Input encoding (default: detect UTF-8 or Windows-1252)."),
        click.option("--sheet", metavar="NAME", help="Sheet of an .xlsx file (default: the first)."),
        click.option("--delimiter", type=click.Choice([",", ";", "tab"]), help="CSV delimiter (default: detected)."),
        click.option("--skip-bad", is_flag=True, help="Import the valid rows; report the bad ones (see --rejects)."),
        click.option("--rejects", metavar="PATH", help="With --skip-bad: write the rejected rows and reasons to this CSV."),
        click.option("--dry-run", is_flag=True, help="Validate and report; write nothing."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def import_settings(files, mappings, encoding, sheet, delimiter, skip_bad, rejects, dry_run, known_fields, **extra):
    """Check the shared import options and turn them into ImportOptions."""
    from .errors import UsageError
    from .importing import ImportOptions
    from .io.headers import parse_map_options

    if rejects and not skip_bad:
        raise UsageError("--rejects goes with --skip-bad")
    if list(files).count("-") > 1:
        raise UsageError("stdin (-) can be read only once")
    return ImportOptions(
        encoding=encoding,
        sheet=sheet,
        delimiter="\t" if delimiter == "tab" else delimiter,
        user_map=parse_map_options(mappings, known_fields),
        skip_bad=skip_bad,
        dry_run=dry_run,
        **extra,
    )


def output_options(func: Callable) -> Callable:
    """`--format`, `--excel` and `-o` for every command that lists rows."""
    func = click.option(
        "-o", "--output", default="-", metavar="FILE", help="Write to FILE instead of stdout."
    )(func)
    func = click.option(
        "--excel",
        is_flag=True,
        help="CSV for Dutch Excel: ';' separator and a UTF-8 BOM (implies --format csv).",
    )(func)
    func = click.option(
        "-f",
        "--format",
        "fmt",
        type=click.Choice(OUTPUT_FORMATS),
        default=None,
        help="Output format (default: table on a terminal, csv otherwise; from -o FILE's extension).",
    )(func)
    return func


def resolve_format(fmt: str | None, output: str, excel: bool) -> str:
    if fmt:
        return fmt
    if excel:
        return "csv"
    if output and output != "-":
        suffix = output.rsplit(".", 1)[-1].lower() if "." in output else ""
        return {"csv": "csv", "tsv": "tsv", "json": "json", "ndjson": "ndjson", "md": "markdown", "xlsx": "xlsx"}.get(
            suffix, "csv"
        )
    return "table" if sys.stdout.isatty() else "csv"


def emit(
    rows: Iterable[dict],
    columns: Sequence[str],
    fmt: str | None,
    output: str,
    excel: bool,
    title: str | None = None,
) -> int:
    from .io.writers import write_rows

    chosen = resolve_format(fmt, output, excel)
    if output and output != "-":
        _create_private_file(output)
    return write_rows(rows, columns, chosen, output, excel=excel, title=title)


def _create_private_file(path: str) -> None:
    """Output files may hold personal data: create them owner-only."""
    import os

    try:
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.fchmod(fd, 0o600)  # an existing file keeps its mode otherwise
        os.close(fd)
    except OSError as exc:
        raise MhtoolError(f"{path}: cannot write ({exc.strerror or exc})") from None


def progress_enabled() -> bool:
    return not state().quiet and sys.stderr.isatty()


class Progress:
    """A rich progress bar on stderr, or nothing when it would only be noise."""

    def __init__(self, description: str):
        self.description = description
        self._progress = None
        self._task = None

    def __enter__(self) -> "Progress":
        if progress_enabled():
            from rich.console import Console
            from rich.progress import BarColumn, DownloadColumn, Progress as RichProgress, TimeRemainingColumn

            self._progress = RichProgress(
                "[progress.description]{task.description}",
                BarColumn(),
                DownloadColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._progress.__enter__()
        return self

    def start(self, description: str, total: int | None) -> None:
        if self._progress is not None:
            self._task = self._progress.add_task(description, total=total)

    def update(self, completed: int) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, completed=completed)

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)


def import_with_progress(import_function, *args, **kwargs):
    """Run an import with a progress bar per file on stderr (when useful)."""
    with Progress("import") as progress:
        return import_function(
            *args,
            on_file=lambda f: progress.start(f.name, f.total_bytes),
            on_progress=lambda f: progress.update(f.bytes_read),
            **kwargs,
        )


def examples(text: str) -> Callable:
    """Append an Examples block to a command's help, kept verbatim by click."""

    def decorate(func: Callable) -> Callable:
        import inspect

        lines = "\n".join("  " + line if line else "" for line in text.strip("\n").splitlines())
        # cleandoc first: the docstring's own indentation must not leak into the help.
        func.__doc__ = inspect.cleandoc(func.__doc__ or "") + "\n\n\b\nExamples:\n" + lines + "\n"
        return func

    return decorate


class MhtoolGroup(click.Group):
    """Turns our errors into one line on stderr and the right exit code."""

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
        except KeyboardInterrupt:
            err("Interrupted; nothing from the unfinished command was saved.")
            ctx.exit(130)
        except Exception as exc:
            self._internal_error(ctx, exc)

    @staticmethod
    def _internal_error(ctx: click.Context, exc: Exception) -> None:
        app = ctx.find_object(AppState)
        if app is not None and app.debug:
            raise exc
        err(
            f"Internal error ({type(exc).__name__}); this is a bug in mhtool. "
            "Run again with --debug for details."
        )
        ctx.exit(1)


def _machine_state(exc: Exception) -> str | None:
    """A failure caused by the disk or the database file (full, read-only,
    busy), in plain words; None for anything that is a bug."""
    from .db import describe_os_error, plain_sqlite_error

    if isinstance(exc, sqlite3.Error):
        return plain_sqlite_error(exc)
    if isinstance(exc, OSError) and exc.errno in _PLAIN_OS_ERRORS:
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{describe_os_error(exc)}"
    return None

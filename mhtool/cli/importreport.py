"""The import options every import command shares, and reporting what an import did."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import click

from mhtool.cli.app import err, info
from mhtool.cli.outpaths import check_output
from mhtool.cli.progress import Progress
from mhtool.io.safety import echo
from mhtool.io.writers import write_rows

MAX_WARNINGS_SHOWN = 20


def report_problems(problems: Sequence[Any], label: str, limit: int | None = None, total: int | None = None) -> None:
    """Print `FILE:ROW: column: reason` lines on stderr (optionally capped);
    `total` counts the problems when only the first ones were kept."""
    shown = problems if limit is None else problems[:limit]
    for problem in shown:
        err(f"{label}{problem}")
    total = len(problems) if total is None else total
    if total > len(shown):
        err(f"... and {total - len(shown)} more")


def report_import(
    outcome, summary: Callable[[Any], str], *, skip_bad: bool, rejects: str | None, dry_run: bool
) -> None:
    """Warnings, bad rows, a summary line per file, the rejects file, exit code."""
    warnings = [w for f in outcome.files for w in f.warnings]
    report_problems(warnings, "warning: ", MAX_WARNINGS_SHOWN, total=outcome.total("warning_count"))
    errors = [e for f in outcome.files for e in f.errors]
    report_problems(errors, "rejected: " if skip_bad else "")
    stopped = [f for f in outcome.files if f.stopped]
    if stopped:
        err(
            f"Error: nothing imported: stopped reading {stopped[0].file} after {stopped[0].rejected:,} bad rows "
            "(the first ones are listed above); is it the right file, and the right --source?"
        )
        raise click.exceptions.Exit(1)
    for result in outcome.files:
        echo(summary(result))
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
        rows.append(
            {**cells, "file": problem.file, "row": problem.row, "column": problem.column, "reason": problem.reason}
        )
    write_rows(rows, columns, "csv", path)  # --rejects is CSV whatever its name


def import_options(func: Callable) -> Callable:
    """The options every import command shares."""
    options = [
        click.option(
            "--map", "mappings", multiple=True, metavar="HEADER=FIELD", help="Read column HEADER as FIELD (repeatable)."
        ),
        click.option("--encoding", metavar="NAME", help="Input encoding (default: detect UTF-8 or Windows-1252)."),
        click.option("--sheet", metavar="NAME", help="Sheet of an .xlsx file (default: the first)."),
        click.option("--delimiter", type=click.Choice([",", ";", "tab"]), help="CSV delimiter (default: detected)."),
        click.option("--skip-bad", is_flag=True, help="Import the valid rows; report the bad ones (see --rejects)."),
        click.option(
            "--rejects",
            metavar="PATH",
            callback=check_output,
            help="With --skip-bad: write the rejected rows and reasons to this CSV.",
        ),
        click.option("--dry-run", is_flag=True, help="Validate and report; write nothing."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def import_settings(files, mappings, encoding, sheet, delimiter, skip_bad, rejects, dry_run, known_fields, **extra):
    """Check the shared import options and turn them into ImportOptions."""
    from mhtool.errors import UsageError
    from mhtool.imports.model import ImportOptions
    from mhtool.io.headers import parse_map_options

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


def import_with_progress(import_function, *args, **kwargs):
    """Run an import with a progress bar per file on stderr (when useful)."""
    with Progress("import") as progress:
        return import_function(
            *args,
            on_file=lambda f: progress.start(f.name, f.total_bytes),
            on_progress=lambda f: progress.update(f.bytes_read),
            **kwargs,
        )

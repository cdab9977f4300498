"""The root `mhtool` command group; each area adds its own commands."""

from __future__ import annotations

import click

from mhtool import __version__
from mhtool.cli.app import AppState
from mhtool.cli.group import MhtoolGroup
from mhtool.signals.dedupe.phases import QUIET_META

# Each area's commands are imported when they are run (or listed by --help).
COMMANDS = {
    "ads": "mhtool.ads.cli:ads_group",
    "cases": "mhtool.cases.cli:cases_group",
    "db": "mhtool.store.cli:db_group",
    "export": "mhtool.export.cli:export_group",
    "region": "mhtool.region.cli:region_group",
    "report": "mhtool.report.cli:report_group",
    "signals": "mhtool.signals.cli:signals_group",
    "stats": "mhtool.stats.cli:stats_command",
}


@click.group(cls=MhtoolGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="mhtool")
@click.option(
    "--db",
    "db_path",
    metavar="PATH",
    envvar="MHTOOL_DB",
    show_envvar=True,
    help="SQLite database file (default: ./mhtool.db). Created on first use, readable by you only.",
)
@click.option(
    "--no-wal",
    is_flag=True,
    envvar="MHTOOL_NO_WAL",
    help="Use SQLite's rollback journal instead of WAL mode: only for a database on a network "
    "drive that one person uses, one command at a time.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bars or summaries on stderr.")
@click.option("--debug", is_flag=True, help="Show a traceback for internal errors.")
@click.pass_context
def cli(ctx: click.Context, db_path: str | None, no_wal: bool, quiet: bool, debug: bool) -> None:
    """mhtool: signals, sex-ad scoring and quarterly figures for the regional
    chain director for human trafficking (ketenregisseur mensenhandel).

    \b
    Examples:
      mhtool signals import --source mma examples/mma_export_2026Q3.csv
      mhtool signals list --gemeente Hilversum --format csv
      mhtool ads import examples/ads/ads_kinky_2026-W48.csv
      mhtool ads score --excel -o risico-advertenties.csv
      mhtool stats --by gemeente --period 2026Q3
      mhtool report quarterly 2026Q3 -o rapportage.xlsx
      mhtool --db /secure/mh.db db info
    """
    ctx.obj = AppState(db_path, quiet, debug, no_wal)
    ctx.meta[QUIET_META] = quiet  # for the phases of long work (signals/dedupe/phases.py)


def main() -> None:
    cli(prog_name="mhtool")

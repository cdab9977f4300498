"""`mhtool export ...`: lists for partners, pseudonymized on request."""

from __future__ import annotations

import click

from mhtool.cli.app import state
from mhtool.cli.group import MhtoolGroup
from mhtool.cli.help import examples
from mhtool.cli.options import ad_filter, ad_filter_options, signal_filter, signal_filter_options
from mhtool.cli.output import emit, output_options
from mhtool.errors import UsageError


def pseudonym_options(func):
    func = click.option(
        "--with-text",
        is_flag=True,
        help="With --pseudonymize: include the free text. The record's own phones, names, account "
        "names, address, plate, link and ref are replaced in any spelling, and so is anything "
        "shaped like a phone number, link, e-mail, @handle, plate, postcode, street with "
        "number, IBAN or BSN. Other names (unless after 'genaamd', 'meneer', ...) and "
        "descriptions are not: read the text before sharing (docs/pseudonymize.md).",
    )(func)
    func = click.option("--key-file", metavar="FILE", help="Key for --pseudonymize (else $MHTOOL_KEY).")(func)
    func = click.option(
        "--pseudonymize",
        is_flag=True,
        help="Replace phone numbers, names, account names, addresses, links, refs and ids by keyed "
        "tokens (HMAC-SHA256); place, gemeente, dates, type and victim data stay.",
    )(func)
    return func


def _pseudonymizer(pseudonymize: bool, key_file: str | None, with_text: bool):
    from mhtool.export.pseudonymize import Pseudonymizer, load_key

    if not pseudonymize:
        if key_file or with_text:
            raise UsageError("--key-file and --with-text go with --pseudonymize")
        return None
    return Pseudonymizer(load_key(key_file))


@click.group("export", cls=MhtoolGroup)
def export_group() -> None:
    """Lists for partners; --pseudonymize replaces personal data by tokens."""


@export_group.command("signals")
@signal_filter_options
@pseudonym_options
@output_options
@examples(
    """
export MHTOOL_KEY="$(cat ~/.mhtool-key)"
mhtool export signals --pseudonymize --from 1-7-2026 --to 30-9-2026 --excel -o signalen-Q3.csv
"""
)
def export_signals_command(
    source, gemeente, type_, date_from, date_to, pseudonymize, key_file, with_text, fmt, output, excel
):
    """Signals with every field; pseudonymized tokens are stable across exports
    made with the same key. Without --with-text the free text is left out."""
    from mhtool.export.records import SIGNAL_COLUMNS, export_signals

    p = _pseudonymizer(pseudonymize, key_file, with_text)
    columns = [c for c in SIGNAL_COLUMNS if c != "text" or not p or with_text]
    rows = export_signals(
        state().db, signal_filter(source, gemeente, type_, date_from, date_to), pseudonymizer=p, with_text=with_text
    )
    emit(rows, columns, fmt, output, excel, title="Signalen")


@export_group.command("ads")
@ad_filter_options
@pseudonym_options
@output_options
@examples("mhtool export ads --pseudonymize --since 1-11-2026 --gemeente Hilversum -o ads.csv")
def export_ads_command(site, gemeente, since, pseudonymize, key_file, with_text, fmt, output, excel):
    """Ads with their latest score; pseudonymized on request."""
    from mhtool.export.records import AD_COLUMNS, export_ads

    p = _pseudonymizer(pseudonymize, key_file, with_text)
    columns = [c for c in AD_COLUMNS if c != "text" or not p or with_text]
    rows = export_ads(state().db, ad_filter(site, gemeente, since), pseudonymizer=p, with_text=with_text)
    emit(rows, columns, fmt, output, excel, title="Advertenties")

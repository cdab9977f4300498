"""`mhtool ads ...`: import, score, review and evaluate online sex ads."""

from __future__ import annotations

import datetime
import sys
from typing import TYPE_CHECKING

import click

from mhtool.cli.app import err, info, state
from mhtool.cli.group import MhtoolGroup
from mhtool.cli.help import examples
from mhtool.cli.importreport import import_options, import_settings, import_with_progress, report_import
from mhtool.cli.options import ad_filter, ad_filter_options, gemeente_option, since_option
from mhtool.cli.output import RECORD, emit, emit_record, output_options
from mhtool.errors import MhtoolError, UsageError
from mhtool.io.safety import echo

if TYPE_CHECKING:
    from mhtool.periods import Period

RULES_OPTION = click.option(
    "--rules",
    "rules_file",
    metavar="FILE",
    help="Your own rules file (TOML): replaces the bundled rules, or extends them when it says extends = true.",
)


@click.group("ads", cls=MhtoolGroup)
def ads_group() -> None:
    """Online sex ads: weekly import, risk scoring with reasons, review."""


@ads_group.command("import")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@import_options
@examples(
    """
mhtool ads import examples/ads/ads_kinky_2026-W48.csv examples/ads/ads_sexjobs_2026-W48.xlsx
mhtool ads import --skip-bad --rejects rejected.csv weekly_export.csv
"""
)
def ads_import(files, mappings, encoding, sheet, delimiter, skip_bad, rejects, dry_run):
    """Import weekly ad exports (CSV, XLSX, JSON or - for stdin).

    (site, ad_id) identifies an ad: a weekly re-export adds an observation and
    moves last_seen, never a second ad. Changes of phone, place or text are
    kept as history. All or nothing, like `signals import`."""
    from mhtool.ads.fields import AD_FIELDS
    from mhtool.ads.importer import import_ads

    options = import_settings(files, mappings, encoding, sheet, delimiter, skip_bad, rejects, dry_run, AD_FIELDS)
    outcome = import_with_progress(import_ads, state().db, list(files), options)

    def summary(result) -> str:
        suffix = "" if outcome.committed else " (not written)"
        return (
            f"{result.file}: {result.read} read, {result.new} new ads, {result.seen_again} seen again, "
            f"{result.changed} changed, {result.present} already present, {result.rejected} rejected{suffix}"
        )

    report_import(outcome, summary, skip_bad=skip_bad, rejects=rejects, dry_run=dry_run)


@ads_group.command("score")
@click.option("--week", metavar="YYYY-Www", help="Ads seen in this ISO week (default: the latest week with ads).")
@since_option("Ads seen")
@click.option("--all", "all_ads", is_flag=True, help="Every ad in the database.")
@gemeente_option("Only ads in this municipality (a place is read as its municipality).")
@click.option("--min-score", type=float, help="Only ads with at least this score.")
@click.option("--risky-only", is_flag=True, help="Only ads that reach the threshold.")
@click.option("--no-store", is_flag=True, help="Do not store the scores (a look only).")
@RULES_OPTION
@output_options
@examples(
    """
mhtool ads score
mhtool ads score --week 2026-W48 --gemeente Hilversum --excel -o hilversum-w48.csv
mhtool ads score --risky-only --format json
mhtool ads score --all --rules my_rules.toml --no-store
"""
)
def ads_score(week, since, all_ads, gemeente, min_score, risky_only, no_store, rules_file, fmt, output, excel):
    """Score the ads of a week: risky ones first, each with its reasons.

    An ad is risky when the weights of its indicators add up to the threshold
    (see `mhtool ads rules`). Scores are stored with the rules version and
    time. The `new` column marks ads first seen in the period."""
    from mhtool.ads.rules import load_rules
    from mhtool.ads.scoring import SCORE_COLUMNS, latest_week, output_row, score_period, week_period
    from mhtool.periods import everything
    from mhtool.periods import since as since_period

    if sum(bool(x) for x in (week, since, all_ads)) > 1:
        raise UsageError("choose one of --week, --since and --all")
    db = state().db
    rules = load_rules(rules_file)
    period: Period | None
    if week:
        period = week_period(week)
    elif since:
        period = since_period(since)
    elif all_ads:
        period = everything()
    else:
        period = latest_week(db)
        if period is None:
            raise MhtoolError("no ads in the database yet; import them with: mhtool ads import FILE")
    scores = score_period(db, rules, period, gemeente=gemeente, store=not no_store)
    rows = [output_row(s, period) for s in scores]
    if min_score is not None:
        rows = [r for r in rows if r["score"] >= min_score]
    if risky_only:
        rows = [r for r in rows if r["risky"]]
    risky = sum(1 for s in scores if s.risky)
    info(
        f"{period.label}: {len(scores)} ads scored, {risky} risky (threshold {rules.threshold:g}, rules {rules.version})"
    )
    from mhtool.cli.output import resolve_format

    columns = SCORE_COLUMNS
    if resolve_format(fmt, output, excel) == "table":
        columns = ["site", "ad_id", "name", "age", "gemeente", "score", "risky", "new", "reasons"]
    narrow = ("new", "name", "age")  # left out of a table on a narrow terminal (80 columns)
    emit(rows, columns, fmt, output, excel, title=f"Advertenties {period.label}", optional=narrow)


@ads_group.command("rules")
@RULES_OPTION
@output_options
@examples("mhtool ads rules\nmhtool ads rules --rules my_rules.toml --format markdown")
def ads_rules(rules_file, fmt, output, excel):
    """Print the indicator rules in force: code, weight, explanation, source."""
    from mhtool.ads.rules import load_rules

    rules = load_rules(rules_file)
    info(f"rules {rules.version}; an ad is risky at a score of {rules.threshold:g} or more")
    rows = [
        {"code": i.code, "weight": i.weight, "explanation": i.explanation, "source": i.source}
        for i in rules.indicators.values()
    ]
    emit(rows, ["code", "weight", "explanation", "source"], fmt, output, excel, title="Indicatoren")


@ads_group.command("review")
@click.argument("key", metavar="SITE:AD_ID", required=False)
@click.option("--label", type=click.Choice(["risky", "not-risky"]), help="Your judgement.")
@click.option("--note", help="Why (kept with the review).")
@click.option(
    "--file",
    "labels_file",
    metavar="FILE",
    help="Many judgements at once: a CSV/XLSX with columns site, ad_id, label, note. "
    "All or nothing; a later label for an ad replaces the earlier one (both are kept).",
)
@examples(
    """
mhtool ads review kinky-gooi.example:KG-1043 --label risky --note "zelfde nummer als signaal"
mhtool ads review --file examples/ads/labels.csv
"""
)
def ads_review(key, label, note, labels_file):
    """Store your own judgement of an ad, or of many from a file (used by
    `mhtool ads evaluate` and `mhtool ads tune`)."""
    if labels_file:
        if key or label or note:
            raise UsageError(
                "--file takes the ads, labels and notes from the file; give no SITE:AD_ID, --label or --note"
            )
        _review_file(labels_file)
        return
    if not key or not label:
        raise UsageError("give SITE:AD_ID and --label risky|not-risky, or --file FILE")
    from mhtool.ads.review import add_review

    add_review(state().db, key, label, note)
    echo(f"{key}: reviewed as {label}")


def _review_file(path: str) -> None:
    from mhtool.ads.labels import import_labels
    from mhtool.cli.importreport import report_problems

    outcome = import_labels(state().db, path)
    if outcome.problems:
        report_problems(outcome.problems, "")
        err(f"Error: nothing stored: {len(outcome.problems)} problem(s) in {outcome.file}; fix them and run again")
        raise click.exceptions.Exit(1)
    click.echo(
        f"{outcome.file}: {outcome.read} labels stored ({outcome.risky} risky, {outcome.not_risky} not-risky), "
        f"{outcome.replaced} replace an earlier label"
    )


@ads_group.command("evaluate")
@click.option("--by-indicator", is_flag=True, help="Per indicator: how often it fires on risky and not-risky ads.")
@click.option("--cv", is_flag=True, help="Cross-validated: the figures per fold (stratified, fixed seed) and over all.")
@click.option("--folds", type=click.IntRange(2, 20), default=5, show_default=True, help="Folds for --cv.")
@RULES_OPTION
@output_options
@examples(
    "mhtool ads evaluate\nmhtool ads evaluate --by-indicator --format csv\nmhtool ads evaluate --rules tuned.toml\n"
    "mhtool ads evaluate --cv --folds 10"
)
def ads_evaluate(by_indicator, cv, folds, rules_file, fmt, output, excel):
    """Precision, recall, F1 and the confusion matrix of the rules against
    every ad you reviewed; with --by-indicator, each indicator's firing rate
    on reviewed risky versus not-risky ads (to tune weights); with --cv, the
    figures per fold, to see how much they vary."""
    from mhtool.cli.output import resolve_format

    if cv:
        if by_indicator:
            raise UsageError("choose one of --cv and --by-indicator")
        from mhtool.ads.tune_cli import evaluate_cv

        evaluate_cv(rules_file, folds, fmt, output, excel)
        return
    from mhtool.ads.review import evaluate_rules, indicator_rows, metric_rows
    from mhtool.ads.rules import load_rules

    rules = load_rules(rules_file)
    result = evaluate_rules(state().db, rules)
    indicator_columns = [
        "indicator",
        "weight",
        "fires_on_risky",
        "share_of_risky",
        "fires_on_not_risky",
        "share_of_not_risky",
    ]
    if by_indicator:
        emit(indicator_rows(result, rules), indicator_columns, fmt, output, excel, title="Indicatoren")
        return
    emit(metric_rows(result), ["measure", "value"], fmt, output, excel, title="Evaluatie")
    if resolve_format(fmt, output, excel) == "table" and output == "-":
        echo(
            f"\n                 labelled risky  labelled not-risky\n"
            f"scored risky     {result.tp:>14}  {result.fp:>18}\n"
            f"scored not risky {result.fn:>14}  {result.tn:>18}\n"
        )
        emit(indicator_rows(result, rules), indicator_columns, fmt, output, excel, title="Indicatoren")


@ads_group.command("list")
@ad_filter_options
@click.option("--search", metavar="TEXT", help="Text, name, phone or ad id.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many rows.")
@output_options
@examples("mhtool ads list --gemeente Hilversum\nmhtool ads list --search 06-12345678 --format json")
def ads_list(site, gemeente, since, search, limit, fmt, output, excel):
    """List ads, most recently seen first, with their latest score and review."""
    from mhtool.ads.queries import LIST_COLUMNS, list_ads

    rows = list_ads(state().db, ad_filter(site, gemeente, since, search=search), limit)
    emit(rows, LIST_COLUMNS, fmt, output, excel, title="Advertenties")


def seen_until(observation) -> str:
    """' .. 2026-11-24 (3x)' when a version was seen more than once."""
    if observation["times_seen"] <= 1:
        return ""
    return f" .. {observation['seen_until']} ({observation['times_seen']}x)"


@ads_group.command("show")
@click.argument("key", metavar="SITE:AD_ID")
@output_options(kind=RECORD)
@examples("mhtool ads show kinky-gooi.example:KG-1043\nmhtool ads show sexjobs-midden.example:SJ-88 --format json")
def ads_show(key, fmt, output):
    """One ad: every observation (with what changed), its scores, reviews and
    the signals that share its phone number."""
    from mhtool.ads.queries import ad_details

    emit_record(ad_details(state().db, key), fmt, output, _ad_record)


def _ad_record(details: dict, echo) -> None:
    echo(f"ad:          {details['site']}:{details['ad_id']}")
    echo(f"seen:        {details['first_seen']} .. {details['last_seen']} ({details['entered']})")
    echo(f"phones:      {', '.join(details['phones']) or '-'}")
    echo("observations:")
    for o in details["observations"]:
        changed = f"  [gewijzigd: {o['changed']}]" if o["changed"] else ""
        echo(
            f"  {o['seen_on']}{seen_until(o)}  {o['name'] or '-'}, {o['age'] or '?'} jr, {o['phone'] or '-'}, "
            f"{o['place'] or '-'} ({o['gemeente']}), € {o['price'] or '?'}, "
            f"vergunning {o['licence'] or '-'}{changed}"
        )
    if details["observations"]:
        echo(f"latest text: {details['observations'][-1]['text']}")
    echo("scores:")
    for s in details["scores"]:
        echo(
            f"  {s['scored_at']}  {s['period']}  score {s['score']:g}{' RISKY' if s['risky'] else ''} "
            f"(rules {s['rules_version']})"
        )
        for reason in s["reasons"]:
            echo(f"      - {reason}")
    echo("reviews:")
    for r in details["reviews"]:
        echo(f"  {r['reviewed_at']}  {r['label']}  {r['note'] or ''}")
    echo("handed over:")
    for h in details["handovers"]:
        echo(f"  {h['handed_at'][:10]}  {h['gemeente']}")
    echo("feedback:")
    for f in details["feedback"]:
        echo(f"  {f['given_on']}  {f['gemeente'] or ''}  {f['outcome']}  {f['note'] or ''}")
    echo("signals with the same phone number:")
    for s in details["signals"]:
        echo(f"  {s['source']}:{s['ref']}  {s['reported_on']}  {s['gemeente']}")


@ads_group.command("add")
@click.option("--site", default="handmatig", show_default=True, help="Site the ad was copied from.")
@click.option("--ad-id", help="The site's ad id (default: MAN-YEAR-NNNN).")
@click.option("--url", help="Link to the ad.")
@click.option("--date", "seen_on", help="Date seen (default: today).")
@click.option("--title", help="Title of the ad.")
@click.option("--text", help="Text of the ad.")
@click.option("--name", help="Working name.")
@click.option("--age", help="Age as stated.")
@click.option("--phone", help="Phone number(s).")
@click.option("--place", help="Place.")
@click.option("--licence", help="Licence or registration number.")
@click.option("--nationality", help="Nationality or origin as stated.")
@click.option("--price", help="Price in euros.")
@click.option("--photo-hashes", help="Photo hashes, separated by ; or ,.")
@examples(
    """
mhtool ads add --site kinky-gooi.example --ad-id KG-2001 --date 24-11-2026 --name Mila --age 22 \\
    --phone 06-12345678 --place Huizen --text "Nieuw in Huizen, 24/7 beschikbaar"
mhtool ads add          # asks for the fields in a terminal
"""
)
def ads_add(site, ad_id, url, seen_on, title, text, name, age, phone, place, licence, nationality, price, photo_hashes):
    """Record an ad copied by hand from a site (options, or prompts in a terminal).

    The same validation as an import applies."""
    from mhtool.ads.api import add_ad

    if sys.stdin.isatty():
        text = text or click.prompt("Tekst")
        name = name if name is not None else click.prompt("Naam", default="", show_default=False)
        age = age if age is not None else click.prompt("Leeftijd", default="", show_default=False)
        phone = phone if phone is not None else click.prompt("Telefoon", default="", show_default=False)
        place = place if place is not None else click.prompt("Plaats", default="", show_default=False)
    if not text:
        raise UsageError("--text is required")
    values = {
        "site": site,
        "ad_id": ad_id,
        "url": url,
        "seen_on": seen_on or datetime.date.today().isoformat(),
        "title": title,
        "text": text,
        "name": name,
        "age": age,
        "phone": phone,
        "place": place,
        "licence": licence,
        "nationality": nationality,
        "price": price,
        "photo_hashes": photo_hashes,
    }
    added = add_ad(state().db, values)
    for warning in added.warnings:
        err(f"warning: {warning.field}: {warning.reason}")
    echo(f"{added.site}:{added.ad_id}: {added.outcome.replace('_', ' ')}")


# The weekly handover to the municipalities belongs to case follow-up (mhtool/cases/).
from mhtool.cases.cli import ads_feedback, ads_handover  # noqa: E402

ads_group.add_command(ads_handover)
ads_group.add_command(ads_feedback)


def _register() -> None:
    from mhtool.ads.tune_cli import ads_tune

    ads_group.add_command(ads_tune)


_register()

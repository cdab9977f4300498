"""`mhtool ads tune` and `mhtool ads evaluate --cv`: the commands around
`mhtool.ads.tune` (numpy and scipy are imported only when they run)."""

from __future__ import annotations

import click

from mhtool.cli.app import info, state, warn
from mhtool.cli.help import examples
from mhtool.cli.output import emit
from mhtool.errors import MhtoolError

FORMATS = click.Choice(["table", "csv", "json", "markdown"])
COLUMNS = ["section", "measure", "current", "tuned"]


def _ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _load(rules_file, min_labels: int):
    from mhtool.ads.review import labelled_examples
    from mhtool.ads.rules import load_rules

    rules = load_rules(rules_file)
    examples_ = labelled_examples(state().db, rules)
    n, risky = len(examples_), sum(e.risky for e in examples_)
    if n < min_labels:
        raise MhtoolError(
            f"only {n} reviewed ads; tuning needs at least {min_labels} "
            "(label more with: mhtool ads review --file labels.csv, or lower --min-labels)"
        )
    fewest = min(risky, n - risky)
    if fewest < max(10, n // 5):
        label = "risky" if risky <= n - risky else "not-risky"
        warn(f"only {fewest} of {n} reviewed ads are labelled {label}: the figures are unsteady")
    return rules, examples_


def _cv_rows(cv, n_train: int, curve) -> list[dict]:
    rows = []
    for measure in ("precision", "recall", "f1"):
        rows.append(
            {
                "section": "cross-validation",
                "measure": measure,
                "current": _ratio(getattr(cv.current, measure)),
                "tuned": _ratio(getattr(cv.tuned, measure)),
            }
        )
    for cell in ("tp", "fp", "fn", "tn"):
        rows.append(
            {
                "section": "cross-validation",
                "measure": cell,
                "current": getattr(cv.current, cell),
                "tuned": getattr(cv.tuned, cell),
            }
        )
    for percent in curve:
        rows.append(
            {
                "section": "learning curve",
                "measure": f"f1 at {percent}% (~{round(n_train * percent / 100)} labels)",
                "current": "",
                "tuned": _ratio(cv.curve[percent].f1),
            }
        )
    return rows


@click.command("tune")
@click.option("-o", "--output", "rules_out", metavar="FILE", help="Write the tuned rules (TOML) to FILE.")
@click.option(
    "--min-labels",
    type=click.IntRange(min=2),
    default=80,
    show_default=True,
    help="Refuse below this many reviewed ads.",
)
@click.option(
    "--folds", type=click.IntRange(2, 20), default=5, show_default=True, help="Folds of the cross-validation."
)
@click.option("--rules", "rules_file", metavar="FILE", help="Tune these rules instead of the bundled ones.")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=FORMATS,
    default=None,
    help="Format of the figures (default: table on a terminal, csv otherwise).",
)
@examples(
    """
mhtool ads review --file labels.csv
mhtool ads tune -o tuned.toml
mhtool ads score --rules tuned.toml
mhtool ads tune --folds 10 --format json
"""
)
def ads_tune(rules_out, min_labels, folds, rules_file, fmt):
    """Learn weights and the threshold from your own reviews.

    Weights stay non-negative (every reason is a reason for risk), under_21
    stays at or above the threshold, every other indicator below it. Prints
    the current and the tuned rules side by side under k-fold
    cross-validation (precision, recall, F1, confusion matrix) and the
    learning curve (F1 with 25, 50 and 100% of the labels: still rising at
    100% means more labels will help). With -o, writes the tuned rules for
    `ads score --rules FILE`."""
    from mhtool.ads.tune import cross_validate, fit
    from mhtool.ads.tunefile import render, write_private

    rules, data = _load(rules_file, min_labels)
    codes = list(rules.indicators)
    families = {code: i.family for code, i in rules.indicators.items()}
    current = {code: i.weight for code, i in rules.indicators.items()}
    curve = (25, 50, 100)
    cv = cross_validate(data, codes, families, current, rules.threshold, k=folds, curve=curve)
    tuned = fit(data, codes, families, rules.threshold)
    rows = _cv_rows(cv, round(len(data) * (folds - 1) / folds), curve)
    rows.append({"section": "rules", "measure": "threshold", "current": rules.threshold, "tuned": tuned.threshold})
    rows += [
        {"section": "weight", "measure": code, "current": current[code], "tuned": tuned.weights[code]} for code in codes
    ]
    risky = sum(e.risky for e in data)
    info(f"{len(data)} reviewed ads ({risky} risky); {folds}-fold cross-validation, rules {rules.version}")
    emit(rows, COLUMNS, fmt, "-", False, title="Tuning")
    if rules_out:
        comment = [
            f"From {len(data)} reviewed ads ({risky} risky, {len(data) - risky} not-risky).",
            f"{folds}-fold cross-validation: current rules F1 {_ratio(cv.current.f1)} (precision "
            f"{_ratio(cv.current.precision)}, recall {_ratio(cv.current.recall)}); tuned F1 {_ratio(cv.tuned.f1)} "
            f"(precision {_ratio(cv.tuned.precision)}, recall {_ratio(cv.tuned.recall)}).",
            "Learning curve, tuned F1 at " + ", ".join(f"{p}%: {_ratio(cv.curve[p].f1)}" for p in curve) + ".",
        ]
        write_private(rules_out, render(rules, tuned.weights, tuned.threshold, comment))
        info(f"tuned rules written to {rules_out}; use them with: mhtool ads score --rules {rules_out}")


def evaluate_cv(rules_file, folds: int, fmt, output, excel) -> None:
    """`ads evaluate --cv`: the rules' figures per fold and over all folds."""
    from mhtool.ads.review import labelled_examples
    from mhtool.ads.rules import load_rules
    from mhtool.ads.tune import Confusion, score
    from mhtool.ads.tune import folds as make_folds

    rules = load_rules(rules_file)
    data = labelled_examples(state().db, rules)
    if len(data) < folds:
        raise MhtoolError(f"only {len(data)} reviewed ads; --cv needs at least one per fold ({folds})")
    weights = {code: i.weight for code, i in rules.indicators.items()}
    rows, total, f1s = [], Confusion(), []
    for number, test in enumerate(make_folds(data, folds), start=1):
        fold = Confusion()
        for i in test:
            fold.add(score(data[i], weights) >= rules.threshold, data[i].risky)
            total.add(score(data[i], weights) >= rules.threshold, data[i].risky)
        f1s.append(fold.f1)
        rows.append(_fold_row(str(number), fold))
    rows.append(_fold_row("all", total))
    known = [f for f in f1s if f is not None]
    spread = f"{min(known):.3f}..{max(known):.3f}" if known else "n/a"
    info(f"rules {rules.version}: {len(data)} reviewed ads, {folds} folds; F1 per fold {spread}")
    if rules_file and _tuned_file(rules_file):
        warn(
            "these rules were tuned on reviews: on the same reviews the figures are optimistic; "
            "the cross-validated figures of the tuning are in the file's header"
        )
    emit(
        rows,
        ["fold", "ads", "precision", "recall", "f1", "tp", "fp", "fn", "tn"],
        fmt,
        output,
        excel,
        title="Kruisvalidatie",
    )


def _fold_row(name: str, c) -> dict:
    return {
        "fold": name,
        "ads": c.tp + c.fp + c.fn + c.tn,
        "precision": _ratio(c.precision),
        "recall": _ratio(c.recall),
        "f1": _ratio(c.f1),
        "tp": c.tp,
        "fp": c.fp,
        "fn": c.fn,
        "tn": c.tn,
    }


def _tuned_file(path: str) -> bool:
    from mhtool.ads.tunefile import TUNED_MARK

    try:
        with open(path, encoding="utf-8-sig") as handle:
            return handle.readline().startswith(TUNED_MARK)
    except OSError:
        return False

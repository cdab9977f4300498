"""`mhtool ads review` and `mhtool ads evaluate`: the director's labels and how
well the rules agree with them. Every expected figure below is worked out by
hand from the built-in weights (threshold 5; under_21 5, age_21_25 2,
no_licence 2, third_person 2, unsafe_services 2, always_available 1,
movement 0.5; the last four are one family of wording and count once, at
the strongest)."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

SITE = "test.example"
AD_HEADER = ["Site", "Advertentie ID", "Datum", "Tekst", "Naam", "Leeftijd", "Vergunningnummer", "Prijs", "Plaats"]


def ad(ad_id, text=None, *, age="35", licence="HV-2025-001", date="18-11-2026"):
    text = text if text is not None else f"Hoi, ik ben Anna{ad_id}. Ontvangst op afspraak."
    return [SITE, ad_id, date, text, f"Anna{ad_id}", age, licence, "150", "Hilversum"]


# ad id: (row, what the rules score it, the director's label)
LABELLED = {
    "tp1": (ad("tp1", age="19"), 5, "risky"),  # under_21
    "tp2": (ad("tp2", "Hoi. Zij is lief.", age="23", licence=""), 6, "risky"),  # 2 + 2 + 2
    "tp3": (ad("tp3", "Hoi. Zij is 24/7 beschikbaar.", age="23", licence=""), 6, "risky"),  # 2 + 2 + max(2, 1)
    "fp": (ad("fp", "Hoi. Ook AF.", age="22", licence=""), 6, "not-risky"),  # 2 + 2 + 2
    "fn": (ad("fn", "Hoi. Nieuw in Laren."), 0.5, "risky"),  # movement only
    "tn1": (ad("tn1"), 0, "not-risky"),
    "tn2": (ad("tn2", age="24", licence=""), 4, "not-risky"),  # 2 + 2
}
UNREVIEWED = ad("other", "Hoi. Zij is 24/7 beschikbaar, AF.", age="19", licence="")


@pytest.fixture
def ads(run, files):
    rows = [row for row, _, _ in LABELLED.values()] + [UNREVIEWED]
    result = run("ads", "import", files.csv("ads.csv", [AD_HEADER, *rows]))
    assert result.exit_code == 0, result.stderr


@pytest.fixture
def labelled(ads, run):
    for ad_id, (_, _, label) in LABELLED.items():
        result = run("ads", "review", f"{SITE}:{ad_id}", "--label", label, "--note", f"notitie {ad_id}")
        assert result.exit_code == 0, result.stderr


def metrics(run, *args) -> dict[str, str]:
    result = run("ads", "evaluate", "--format", "csv", *args)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "measure,value"
    return dict(line.split(",", 1) for line in lines[1:])


def by_indicator(run, *args) -> dict[str, dict]:
    result = run("ads", "evaluate", "--by-indicator", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return {r["indicator"]: r for r in json.loads(result.stdout)}


def test_the_crafted_scores_are_what_the_figures_assume(labelled, run):
    result = run("ads", "score", "--all", "--no-store", "--format", "json")
    scores = {r["ad_id"]: r["score"] for r in json.loads(result.stdout)}
    assert {k: scores[k] for k in LABELLED} == {k: v[1] for k, v in LABELLED.items()}


def test_review_is_stored(ads, run, query):
    result = run("ads", "review", f"{SITE}:fp", "--label", "not-risky", "--note", "vergunning gezien")
    assert result.exit_code == 0, result.stderr
    assert f"{SITE}:fp" in result.stdout and "not-risky" in result.stdout
    rows = query(
        "SELECT a.ad_id, r.label, r.note, r.reviewed_at, r.os_user FROM ad_reviews r JOIN ads a ON a.id = r.ad"
    )
    assert len(rows) == 1
    ad_id, label, note, reviewed_at, os_user = rows[0]
    assert (ad_id, label, note) == ("fp", "not-risky", "vergunning gezien")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", reviewed_at) and os_user


def test_review_without_note(ads, run, query):
    assert run("ads", "review", f"{SITE}:tn1", "--label", "risky").exit_code == 0
    assert query("SELECT label, note FROM ad_reviews") == [("risky", None)]


def test_review_shows_in_list_and_show(labelled, run):
    listed = {r["ad_id"]: r["review"] for r in json.loads(run("ads", "list", "--format", "json").stdout)}
    assert listed == {**{k: v[2] for k, v in LABELLED.items()}, "other": None}
    shown = json.loads(run("ads", "show", f"{SITE}:fp", "--format", "json").stdout)
    assert [(r["label"], r["note"]) for r in shown["reviews"]] == [("not-risky", "notitie fp")]


def test_review_of_an_unknown_ad(ads, run, count):
    result = run("ads", "review", f"{SITE}:nope", "--label", "risky")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [f"Error: no ad '{SITE}:nope'"]
    result = run("ads", "review", "other.example:tp1", "--label", "risky")
    assert result.exit_code == 1
    assert count("ad_reviews") == 0


@pytest.mark.parametrize("args", [("--label", "maybe"), ()])
def test_review_needs_a_valid_label(ads, run, count, args):
    result = run("ads", "review", f"{SITE}:tp1", *args)
    assert result.exit_code == 2
    assert "--label" in result.stderr
    assert count("ad_reviews") == 0


def test_evaluate_without_reviews(ads, run):
    result = run("ads", "evaluate")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "no reviewed ads" in lines[0] and "ads review" in lines[0]


def test_evaluate_figures_computed_by_hand(labelled, run):
    # scored risky (>= 5): tp1, tp2, tp3, fp; labelled risky: tp1, tp2, tp3, fn
    # TP = 3, FP = 1 (fp), FN = 1 (fn), TN = 2 (tn1, tn2); the unreviewed ad does not count
    # precision = 3 / (3 + 1) = 0.75; recall = 3 / (3 + 1) = 0.75; F1 = 2pr / (p + r) = 0.75
    got = metrics(run)
    assert got["rules_version"] == "2026.2"
    assert float(got["threshold"]) == 5
    assert got["reviewed"] == "7" and got["labelled_risky"] == "4"
    assert (got["true_positive"], got["false_positive"], got["false_negative"], got["true_negative"]) == (
        "3",
        "1",
        "1",
        "2",
    )
    assert got["precision"] == "0.750" and got["recall"] == "0.750" and got["f1"] == "0.750"


def test_latest_review_counts(labelled, run, count):
    # the director changes her mind about "fp": TP = 4, FP = 0, FN = 1, TN = 2
    # precision = 4/4 = 1.000; recall = 4/5 = 0.800; F1 = 2 * 1 * 0.8 / 1.8 = 0.889
    assert run("ads", "review", f"{SITE}:fp", "--label", "risky", "--note", "toch wel").exit_code == 0
    assert count("ad_reviews") == len(LABELLED) + 1
    got = metrics(run)
    assert got["reviewed"] == "7" and got["labelled_risky"] == "5"
    assert (got["true_positive"], got["false_positive"], got["false_negative"], got["true_negative"]) == (
        "4",
        "0",
        "1",
        "2",
    )
    assert (got["precision"], got["recall"], got["f1"]) == ("1.000", "0.800", "0.889")


def test_evaluate_with_tuned_rules(labelled, run, files):
    # movement weight 5: "fn" (0 + 5) becomes risky -> TP = 4, FP = 1, FN = 0, TN = 2
    # precision = 4/5 = 0.800; recall = 4/4 = 1.000; F1 = 2 * 0.8 / 1.8 = 0.889
    rules = files.text("tuned.toml", "extends = true\n[indicators.movement]\nweight = 5\n")
    got = metrics(run, "--rules", rules)
    assert (got["true_positive"], got["false_positive"], got["false_negative"], got["true_negative"]) == (
        "4",
        "1",
        "0",
        "2",
    )
    assert (got["precision"], got["recall"], got["f1"]) == ("0.800", "1.000", "0.889")
    assert got["rules_version"].startswith("2026.2+")
    # and the bundled rules are unchanged
    assert metrics(run)["precision"] == "0.750"


def test_evaluate_with_nothing_scored_risky(ads, run):
    # only not-risky-scored ads reviewed: TP = FP = 0, so precision is undefined
    for ad_id, label in (("fn", "risky"), ("tn1", "not-risky")):
        run("ads", "review", f"{SITE}:{ad_id}", "--label", label)
    got = metrics(run)
    assert (got["true_positive"], got["false_positive"], got["false_negative"], got["true_negative"]) == (
        "0",
        "0",
        "1",
        "1",
    )
    assert (got["precision"], got["recall"], got["f1"]) == ("n/a", "0.000", "n/a")


def test_by_indicator_counts(labelled, run):
    # risky-labelled: tp1 (under_21), tp2 and tp3 (age_21_25, no_licence, third_person; tp3 also
    # always_available), fn (movement); not-risky: fp (age_21_25, no_licence, unsafe_services),
    # tn2 (age_21_25, no_licence), tn1 (nothing). 4 labelled risky, 3 labelled not-risky.
    rows = by_indicator(run)
    assert len(rows) == 14
    expected = {
        "under_21": (1, "0.250", 0, "0.000"),
        "age_21_25": (2, "0.500", 2, "0.667"),
        "no_licence": (2, "0.500", 2, "0.667"),
        "third_person": (2, "0.500", 0, "0.000"),
        "always_available": (1, "0.250", 0, "0.000"),
        "unsafe_services": (0, "0.000", 1, "0.333"),
        "movement": (1, "0.250", 0, "0.000"),
    }
    for code, row in rows.items():
        want = expected.get(code, (0, "0.000", 0, "0.000"))
        got = (row["fires_on_risky"], row["share_of_risky"], row["fires_on_not_risky"], row["share_of_not_risky"])
        assert got == want, code
    assert rows["under_21"]["weight"] == 5 and rows["movement"]["weight"] == 0.5


def test_evaluate_table_shows_the_confusion_matrix(labelled, run):
    result = run("ads", "evaluate", "--format", "table")
    assert result.exit_code == 0, result.stderr
    assert re.search(r"scored risky\s+3\s+1\b", result.stdout), result.stdout
    assert re.search(r"scored not risky\s+1\s+2\b", result.stdout), result.stdout
    assert "under_21" in result.stdout  # the per-indicator table follows


# --- the example labels ---------------------------------------------------------------------


def test_example_labels_agree_with_the_scores(run):
    """Import the example weeks, review the 28 ads of labels.csv, and check the
    confusion matrix against `ads score --all` and the labels."""
    root = Path(__file__).resolve().parent.parent / "examples"
    spec = importlib.util.spec_from_file_location("make_ads_examples", root / "make_ads_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert run("ads", "import", *sorted((root / "ads").glob("ads_*"))).exit_code == 0
    for (site, ad_id), label, note in module.LABELS:
        assert run("ads", "review", f"{site}:{ad_id}", "--label", label, "--note", note).exit_code == 0
    scored = {
        (r["site"], r["ad_id"]): r["risky"]
        for r in json.loads(run("ads", "score", "--all", "--no-store", "--format", "json").stdout)
    }
    cells = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    for key, label, _ in module.LABELS:
        predicted, actual = scored[key] == 1, label == "risky"
        cells[
            {(True, True): "tp", (True, False): "fp", (False, True): "fn", (False, False): "tn"}[predicted, actual]
        ] += 1
    got = metrics(run)
    assert got["reviewed"] == "28" and got["labelled_risky"] == "16"
    assert (
        int(got["true_positive"]),
        int(got["false_positive"]),
        int(got["false_negative"]),
        int(got["true_negative"]),
    ) == (cells["tp"], cells["fp"], cells["fn"], cells["tn"])
    precision = cells["tp"] / (cells["tp"] + cells["fp"])
    recall = cells["tp"] / (cells["tp"] + cells["fn"])
    assert got["precision"] == f"{precision:.3f}" and got["recall"] == f"{recall:.3f}"
    # "deliberately not all in line with the rules"
    assert cells["fp"] + cells["fn"] > 0

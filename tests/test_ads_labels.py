"""`mhtool ads review --file`: many labels at once, all or nothing, bad rows
named by file:row: column, a later label replaces an earlier one and both
stay in the history."""

# ruff: noqa: F811  (the fixture `ads` is imported, then named as a parameter)
from __future__ import annotations

from pathlib import Path

from test_ads_review import SITE, ads, metrics  # noqa: F401

HEADER = ["site", "ad_id", "label", "note"]
EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "ads"


def test_the_example_labels_file_is_stored(run, count):
    assert run("ads", "import", *sorted(str(p) for p in EXAMPLES.glob("ads_*"))).exit_code == 0
    result = run("ads", "review", "--file", str(EXAMPLES / "labels.csv"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().endswith("28 labels stored (16 risky, 12 not-risky), 0 replace an earlier label")
    assert count("ad_reviews") == 28
    got = metrics(run)
    assert got["reviewed"] == "28" and got["labelled_risky"] == "16"


def test_a_later_label_replaces_the_earlier_and_both_are_kept(ads, run, files, query):
    assert run("ads", "review", f"{SITE}:tp1", "--label", "risky").exit_code == 0
    path = files.csv(
        "labels.csv",
        [
            HEADER,
            [SITE, "tp1", "not-risky", "toch niet"],
            [SITE, "tp2", "risky", ""],
            [SITE, "tp2", "not-risky", "tweede blik"],
        ],
    )
    result = run("ads", "review", "--file", path)
    assert result.exit_code == 0, result.stderr
    assert "3 labels stored (1 risky, 2 not-risky), 2 replace an earlier label" in result.stdout
    history = query("SELECT a.ad_id, r.label, r.note FROM ad_reviews r JOIN ads a ON a.id = r.ad ORDER BY r.id")
    assert history == [
        ("tp1", "risky", None),
        ("tp1", "not-risky", "toch niet"),
        ("tp2", "risky", None),
        ("tp2", "not-risky", "tweede blik"),
    ]
    got = metrics(run)
    assert got["reviewed"] == "2" and got["labelled_risky"] == "0"


def test_bad_rows_are_named_and_nothing_is_stored(ads, run, files, count):
    secret = "Geheime-Naam-123"
    path = files.csv(
        "labels.csv",
        [
            ["Site", "Advertentie ID", "Oordeel", "Notitie"],
            [SITE, "tp1", "risky", "goed"],
            [SITE, "tp2", secret, "fout label"],
            [SITE, secret, "risky", "onbekende advertentie"],
            ["", "tp3", "", ""],
        ],
    )
    result = run("ads", "review", "--file", path)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    name = str(path)
    assert lines == [
        f"{name}:3: Oordeel: must be risky or not-risky",
        f"{name}:4: Advertentie ID: no such ad in the database",
        f"{name}:5: Site: empty",
        f"{name}:5: Oordeel: empty",
        f"Error: nothing stored: 4 problem(s) in {name}; fix them and run again",
    ]
    assert secret not in result.stderr and "Traceback" not in result.stderr
    assert count("ad_reviews") == 0


def test_labels_from_an_excel_file(ads, run, files, count):
    path = files.xlsx("labels.xlsx", {"Labels": [HEADER, [SITE, "tp1", "risky", "x"], [SITE, "fp", "not-risky", None]]})
    result = run("ads", "review", "--file", path)
    assert result.exit_code == 0, result.stderr
    assert count("ad_reviews") == 2


def test_a_missing_column_is_one_line(ads, run, files, count):
    path = files.csv("labels.csv", [["site", "ad_id", "note"], [SITE, "tp1", "x"]])
    result = run("ads", "review", "--file", path)
    assert result.exit_code != 0
    (line,) = result.stderr.strip().splitlines()
    assert "required column 'label' is missing" in line
    assert count("ad_reviews") == 0


def test_file_and_single_review_do_not_mix(ads, run, files):
    path = files.csv("labels.csv", [HEADER, [SITE, "tp1", "risky", ""]])
    for args in (["--file", str(path), f"{SITE}:tp1"], ["--file", str(path), "--label", "risky"], [f"{SITE}:tp1"], []):
        result = run("ads", "review", *args)
        assert result.exit_code == 2, args
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr

"""One filter layer and one municipality option: list, export, score and
stats select the same records for the same options (issue 11)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture
def demo(run):
    for source, name in (("mma", "mma_export_2026Q3.csv"), ("watch", "watch_export_2026Q3.xlsx")):
        assert run("signals", "import", "--source", source, EXAMPLES / name).exit_code == 0
    ads = sorted((EXAMPLES / "ads").glob("ads_*_2026-W48.*"))
    assert run("ads", "import", *ads).exit_code == 0


def ids(result, key="id") -> list:
    assert result.exit_code == 0, result.stderr
    return [row[key] for row in json.loads(result.stdout)]


@pytest.mark.parametrize("spelling", ["Gooise Meren", "gooise-meren", "GOOISE MEREN", " gooise_meren "])
def test_list_and_export_agree_on_a_municipality_in_any_spelling(demo, run, spelling):
    listed = ids(run("signals", "list", "--gemeente", spelling, "--format", "json"))
    exported = ids(run("export", "signals", "--gemeente", spelling, "--format", "json"))
    assert listed and listed == exported


def test_list_and_export_agree_on_dates_and_type(demo, run):
    options = ["--from", "1-8-2026", "--to", "31 augustus 2026", "--type", "sexual"]
    listed = ids(run("signals", "list", *options, "--format", "json"))
    exported = ids(run("export", "signals", *options, "--format", "json"))
    assert listed and listed == exported


def test_a_place_is_read_as_its_municipality(demo, run):
    by_place = run("signals", "list", "--gemeente", "Bussum", "--format", "json")
    assert "Bussum ligt in Gooise Meren" in by_place.stderr
    assert ids(by_place) == ids(run("signals", "list", "--gemeente", "Gooise Meren", "--format", "json"))


@pytest.mark.parametrize(
    "command",
    [
        ["signals", "list"],
        ["export", "signals"],
        ["export", "ads"],
        ["ads", "list"],
        ["ads", "score", "--no-store"],
        ["stats", "--by", "type"],
    ],
)
def test_a_misspelt_municipality_is_a_usage_error_with_a_suggestion(demo, run, command):
    result = run(*command, "--gemeente", "Hilversm", "--format", "csv")
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: --gemeente: unknown municipality 'Hilversm': bedoelt u Hilversum?"
    place = run(*command, "--gemeente", "Loosdrect", "--format", "csv")
    assert place.exit_code == 2 and "bedoelt u Loosdrecht (Wijdemeren)?" in place.stderr
    nothing_like = run(*command, "--gemeente", "Zwolle", "--format", "csv")
    assert nothing_like.exit_code == 2 and "known: Blaricum" in nothing_like.stderr


def test_stats_for_one_municipality_match_its_row_in_the_whole_region(demo, run):
    region = {
        row["gemeente"]: int(row["count"])
        for row in json.loads(run("stats", "--by", "gemeente", "--period", "2026Q3", "--format", "json").stdout)
    }
    one = json.loads(
        run("stats", "--by", "type", "--gemeente", "Hilversum", "--period", "2026Q3", "--format", "json").stdout
    )
    assert sum(int(row["count"]) for row in one) == region["Hilversum"] > 0
    by_gemeente = json.loads(
        run("stats", "--by", "gemeente", "--gemeente", "Hilversum", "--period", "2026Q3", "--format", "json").stdout
    )
    assert [row["gemeente"] for row in by_gemeente] == ["Hilversum"]


def test_ads_list_and_export_agree(demo, run):
    listed = ids(run("ads", "list", "--gemeente", "Hilversum", "--format", "json"), "ad_id")
    exported = ids(run("export", "ads", "--gemeente", "Hilversum", "--format", "json"), "ad_id")
    assert listed and sorted(listed) == sorted(exported)


def test_a_bad_date_option_is_one_line(run):
    result = run("signals", "list", "--from", "gisteren ofzo")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: --from")

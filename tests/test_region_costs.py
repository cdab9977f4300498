"""`mhtool region split` and `mhtool region fte`: the region's own numbers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mhtool.errors import UsageError
from mhtool.region.costs import largest_remainder, parse_amount

# The region's own 2026 split of EUR 90,593 (domain brief); Eemnes took no part.
DOMAIN_TABLE = {
    "Blaricum": (12724, 4709),
    "Gooise Meren": (60370, 22344),
    "Hilversum": (94435, 34952),
    "Huizen": (41193, 15246),
    "Laren": (11439, 4234),
    "Wijdemeren": (24605, 9107),
}


@pytest.fixture
def split(run, read_csv):
    def _split(*args):
        result = run("region", "split", *args, "--format", "csv")
        assert result.exit_code == 0, result.stderr
        return read_csv(result.stdout)

    return _split


def test_reproduces_the_region_table(split):
    rows = split("90593", "--exclude", "Eemnes", "--date", "2026-06-30")
    assert [r["gemeente"] for r in rows] == list(DOMAIN_TABLE)
    for row in rows:
        inhabitants, euros = DOMAIN_TABLE[row["gemeente"]]
        assert int(row["inhabitants"]) == inhabitants
        assert abs(int(row["amount"]) - euros) <= 1, row
    assert sum(int(r["amount"]) for r in rows) == 90593


def test_exact_parts_by_hand(split):
    # 90593 * inhabitants / 244766: Blaricum 4709.42, Gooise Meren 22344.20, Hilversum 34952.36,
    # Huizen 15246.39, Laren 4233.81, Wijdemeren 9106.82. Whole euros 90590; the 3 left go to the
    # largest fractions: Wijdemeren (.82), Laren (.81), Blaricum (.42).
    rows = split("90593", "--exclude", "eemnes", "--date", "2026-06-30")
    assert {r["gemeente"]: int(r["amount"]) for r in rows} == {
        "Blaricum": 4710,
        "Gooise Meren": 22344,
        "Hilversum": 34952,
        "Huizen": 15246,
        "Laren": 4234,
        "Wijdemeren": 9107,
    }
    assert {r["gemeente"]: r["share_pct"] for r in rows}["Hilversum"] == "38.58"  # 94435 / 244766


def test_totals_row(split, run):
    rows = split("1000", "--date", "2026-06-30", "--totals")
    assert rows[-1] == {"gemeente": "totaal", "inhabitants": "254666", "share_pct": "100.0", "amount": "1000"}
    table = run("region", "split", "1000", "--date", "2026-06-30", "--format", "table").stdout
    assert "totaal" in table
    assert all(r["gemeente"] != "totaal" for r in split("1000", "--date", "2026-06-30"))


def test_after_the_merger(split):
    rows = {r["gemeente"]: r for r in split("254666", "--date", "2027-01-01")}
    assert "Wijdemeren" not in rows
    assert rows["Hilversum"]["inhabitants"] == "119040"
    assert rows["Hilversum"]["amount"] == "119040"  # one euro per inhabitant


@pytest.mark.parametrize("text", ["90593", "90.593", "90,593", "EUR 90.593", "€ 90.593,00", "90593.00", " 90593 "])
def test_amount_forms(text):
    assert parse_amount(text) == 90593


@pytest.mark.parametrize("text", ["90.59", "90593,50", "-5", "negentig", "", "9.05.93"])
def test_bad_amounts(text):
    with pytest.raises(UsageError):
        parse_amount(text)


@pytest.mark.parametrize(
    "args, message",
    [
        (["1000", "--exclude", "Amersfoort"], "--exclude 'Amersfoort'"),
        (
            [
                "1000",
                "--date",
                "2026-06-30",
                "--exclude",
                "Wijdemeren",
                "--exclude",
                "Hilversum",
                "--exclude",
                "Eemnes",
                "--exclude",
                "Blaricum",
                "--exclude",
                "Laren",
                "--exclude",
                "Huizen",
                "--exclude",
                "Gooise Meren",
            ],
            "every municipality",
        ),
        (["12,5"], "whole euros"),
        (["1000", "--date", "31-2-2026"], "--date"),
    ],
)
def test_split_errors(run, args, message):
    result = run("region", "split", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1


def test_split_of_zero(split):
    assert {r["amount"] for r in split("0", "--date", "2026-06-30")} == {"0"}


@given(
    amount=st.integers(min_value=0, max_value=10**9),
    weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12).filter(any),
)
def test_largest_remainder_adds_up_and_stays_within_a_euro(amount, weights):
    named = {f"g{i}": w for i, w in enumerate(weights)}
    parts = largest_remainder(amount, named)
    assert sum(parts.values()) == amount
    total = sum(weights)
    for name, weight in named.items():
        exact = amount * weight / total
        assert exact - 1 < parts[name] < exact + 1


def test_fte_norm(run, read_csv):
    result = run("region", "fte", "--date", "2026-06-30", "--format", "csv")
    rows = {r["task"]: r for r in read_csv(result.stdout)}
    # 254,666 inhabitants (all seven) * 0.1 / 100,000 = 0.2547
    assert rows["zorgcoördinatie"]["inhabitants"] == "254666"
    assert rows["zorgcoördinatie"]["fte_min"] == rows["zorgcoördinatie"]["fte_max"] == "0.25"
    assert (rows["ketenregie"]["fte_min"], rows["ketenregie"]["fte_max"]) == ("0.5", "1.0")
    assert (rows["totaal"]["fte_min"], rows["totaal"]["fte_max"]) == ("0.75", "1.25")


def test_fte_follows_the_region_table(run, files, read_csv):
    region = files.csv(
        "big.csv",
        [
            ["gemeente", "cbs_code", "inhabitants", "inhabitants_on", "valid_from", "valid_to", "places"],
            ["Grootstad", "GM9999", "1200000", "2025-01-01", "", "", "Grootstad"],
        ],
    )
    assert run("region", "load", region).exit_code == 0
    rows = {r["task"]: r for r in read_csv(run("region", "fte", "--format", "csv").stdout)}
    assert rows["zorgcoördinatie"]["fte_min"] == "1.2"
    assert rows["totaal"]["fte_max"] == "2.2"

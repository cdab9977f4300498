"""Hostile settings files (issue 10, items 13 and 15): ad rules, import
profiles, keyword lists and region tables that are refused with one line
naming the file, the key and the reason, and that are read with a size
bound (/dev/zero as any of them fails at once, in bounded memory).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_hostile_input import one_line, run_limited

BAD = Path(__file__).resolve().parent / "data" / "bad"
MMA_CSV = "Meldingnummer,Datum melding,Omschrijving\nS-1,01-07-2026,rustige woning\n"


def error_line(result) -> str:
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


RULES = [
    ("rules_weight_nan.toml", "indicators.no_licence.weight: must be a finite number, not nan"),
    ("rules_weight_inf.toml", "indicators.age_21_25.weight: must be a finite number, not inf"),
    ("rules_weight_negative.toml", "indicators.under_21.weight: must be at least 0"),
    ("rules_threshold_nan.toml", "threshold: must be a finite number, not nan"),
    (
        "rules_phrases_numbers.toml",
        "indicators.third_person.phrases: must be a list of texts, not a list holding a number",
    ),
    ("rules_fraction_inf.toml", "indicators.low_price.fraction_of_median: must be a finite number, not -inf"),
]


@pytest.mark.parametrize("name, reason", RULES)
@pytest.mark.parametrize("command", [("ads", "rules"), ("ads", "score", "--all"), ("ads", "evaluate")])
def test_hostile_rules_are_refused(run, name, reason, command):
    path = BAD / name
    assert error_line(run(*command, "--rules", path)) == f"Error: {path}: {reason}"


def test_threshold_of_zero_is_refused(run, files):
    path = files.text("rules.toml", "extends = true\nthreshold = 0\n")
    assert error_line(run("ads", "rules", "--rules", path)) == (
        f"Error: {path}: threshold: must be more than 0 (at 0 every ad is risky)"
    )


PROFILES = [
    ("profile_headers_number.toml", "headers: must be a table ([headers]), not a number"),
    ("profile_fixed_text.toml", "fixed: must be a table ([fixed]), not text"),
    ("profile_ref_number.toml", "headers.ref: must be a list of texts, not a number"),
    ("profile_top_level_ref.toml", "ref: unknown key (known: source, date_order, headers, fixed)"),
]


@pytest.mark.parametrize("name, reason", PROFILES)
def test_hostile_profiles_are_refused(run, files, name, reason):
    path = BAD / name
    data = files.text("export.csv", MMA_CSV)
    line = error_line(run("signals", "import", "--source", "veiligthuis", "--profile", path, data))
    assert line == f"Error: {path}: {reason}"


def test_profile_fixed_values_must_be_text(run, files):
    path = files.text(
        "p.toml",
        'source = "x"\n[headers]\nref = "ID"\nreported_on = "Datum"\ntext = "Tekst"\n[fixed]\ncategory = [1]\n',
    )
    line = error_line(run("signals", "import", "--profile", path, "--source", "x", files.text("a.csv", MMA_CSV)))
    assert line == f"Error: {path}: fixed.category: must be text, not a list holding a number"


KEYWORDS = [
    ("keywords_numbers.toml", "category.sexual: must be a list of texts, not a list holding a number"),
    ("keywords_text_not_list.toml", "text.labour: must be a list of texts, not text"),
]


@pytest.mark.parametrize("name, reason", KEYWORDS)
def test_hostile_keywords_are_refused(run, files, name, reason):
    path = BAD / name
    data = files.text("export.csv", MMA_CSV)
    line = error_line(run("signals", "import", "--source", "mma", "--keywords", path, data))
    assert line == f"Error: {path}: {reason}"


REGIONS = [
    ("region_zero_inhabitants.csv", "2: inhabitants: must be between 1 and 10,000,000"),
    ("region_negative_inhabitants.csv", "3: inhabitants: must be between 1 and 10,000,000"),
    ("region_huge_inhabitants.csv", "2: inhabitants: must be between 1 and 10,000,000"),
    ("region_inverted_dates.csv", "2: valid_to: lies before valid_from"),
    (
        "region_duplicate_place.csv",
        "3: places: 'Bussum' is also in row 2 for the same dates (a place lies in one municipality at a time)",
    ),
    (
        "region_onbekend.csv",
        "3: gemeente: 'onbekend' is what mhtool counts signals without a region "
        "municipality under; it cannot be a municipality or place",
    ),
    (
        "region_reserved_place.csv",
        "2: places: 'Buiten Regio' is what mhtool counts signals without a region "
        "municipality under; it cannot be a municipality or place",
    ),
]


@pytest.mark.parametrize("name, reason", REGIONS)
def test_hostile_regions_are_refused_and_the_stored_one_kept(run, name, reason):
    before = run("region", "show", "--format", "csv")
    path = BAD / name
    assert error_line(run("region", "load", path)) == f"Error: {path}:{reason}"
    assert run("region", "show", "--format", "csv").stdout == before.stdout


def test_a_boundary_change_is_not_a_duplicate(run):
    """The bundled table itself: Loosdrecht moves from Wijdemeren to Hilversum on 2027-01-01."""
    from mhtool.region.municipalities import default_region

    assert any(m.valid_from == "2027-01-01" for m in default_region())


# --- item 13: settings files are read with a bound ----------------------------------------

SETTINGS_COMMANDS = {
    "profile": ("signals", "import", "--source", "x", "--profile", "{file}", "{data}"),
    "keywords": ("signals", "import", "--source", "mma", "--keywords", "{file}", "{data}"),
    "rules": ("ads", "rules", "--rules", "{file}"),
    "region": ("region", "load", "{file}"),
}


@pytest.mark.parametrize("kind", SETTINGS_COMMANDS)
def test_dev_zero_as_a_settings_file_fails_at_once(tmp_path, kind):
    data = tmp_path / "export.csv"
    data.write_text(MMA_CSV)
    args = [a.format(file="/dev/zero", data=data) for a in SETTINGS_COMMANDS[kind]]
    line = one_line(run_limited(tmp_path, *args))
    assert line == f"Error: /dev/zero: larger than 4 MB; not a {kind} file"


@pytest.mark.parametrize("kind", SETTINGS_COMMANDS)
def test_a_settings_file_of_megabytes_is_refused(run, files, kind):
    path = files.text(f"big-{kind}.toml", "# " + "x" * (5 << 20) + "\n")
    data = files.text("export.csv", MMA_CSV)
    args = [a.format(file=path, data=data) for a in SETTINGS_COMMANDS[kind]]
    assert error_line(run(*args)) == f"Error: {path}: larger than 4 MB; not a {kind} file"


@pytest.mark.parametrize("kind", SETTINGS_COMMANDS)
def test_a_folder_or_a_missing_file(run, files, tmp_path, kind):
    data = files.text("export.csv", MMA_CSV)
    for path, reason in ((tmp_path, f"is a folder, not a {kind} file"), (tmp_path / "nope", f"{kind} file not found")):
        args = [a.format(file=path, data=data) for a in SETTINGS_COMMANDS[kind]]
        result = run(*args)
        if kind == "region" and path == tmp_path:  # click refuses it first, as a usage error
            assert result.exit_code == 2 and "is a directory" in result.stderr
            continue
        assert error_line(result) == f"Error: {path}: {reason}"

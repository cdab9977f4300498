"""The dedupe rules in a file: mhtool/data/dedupe_rules.toml, replaced or
extended with `--rules FILE`, every mistake in such a file one line naming
the file, the key and the reason; and the rule table in docs/dedupe.md
agrees with the bundled file."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "mhtool" / "data" / "dedupe_rules.toml"

# Two reports that share only a phone number (and place and dates): linked by the bundled rules.
PAIR = [
    ["R-1", "01-07-2026", "", "Huizen", "Woning met veel bezoek", "06-12345678"],
    ["R-2", "03-07-2026", "", "Huizen", "Mannen 's nachts bij een huis", "+31 6 1234 5678"],
]


def test_the_docs_table_is_the_bundled_file():
    rules = tomllib.loads(BUNDLED.read_text("utf-8"))
    docs = (ROOT / "docs" / "dedupe.md").read_text("utf-8")
    table = {}
    for line in docs.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 4 and cells[0].startswith("`") and cells[1][:1] in "+-":
            table[cells[0].strip("`")] = (float(cells[1]), cells[2] == "yes")
    assert table == {code: (float(rule["weight"]), rule["strong"]) for code, rule in rules["rules"].items()}
    assert f"at least **{rules['match']:g}**" in docs
    for limit in ("close", "near", "apart", "far"):
        assert f"days.{limit} = {rules['days'][limit]}" in docs


def linked(query) -> bool:
    return query("SELECT count(DISTINCT situation_id) FROM signals") == [(1,)]


def test_bundled_rules_link_a_shared_phone(import_mma, query):
    import_mma(PAIR)
    assert linked(query)


def test_an_extending_file_changes_one_weight(run, files, query):
    rules = files.text("mijn_regels.toml", "extends = true\n[rules.same_phone]\nweight = 2\n")
    path = files.mma("pair.csv", PAIR)
    result = run("signals", "import", "--source", "mma", "--rules", rules, path)
    assert result.exit_code == 0, result.stderr
    assert not linked(query)
    # the same data with the bundled rules: a full run links them
    assert run("signals", "dedupe").exit_code == 0
    assert linked(query)
    # and --rules on dedupe undoes it again, with the weight it used in the evidence
    assert run("signals", "dedupe", "--rules", rules).exit_code == 0
    assert not linked(query)


def test_a_replacing_file_must_hold_every_rule_and_can_change_thresholds(run, files, query):
    text = BUNDLED.read_text("utf-8").replace("match = 6 ", "match = 20 ").replace("[8, 11]", "[25]")
    rules = files.text("eigen.toml", text)
    path = files.mma("pair.csv", PAIR)
    assert run("signals", "import", "--source", "mma", "--rules", rules, path).exit_code == 0
    assert not linked(query)
    assert run("signals", "link", "R-1", "R-2", "--rules", rules).exit_code == 0
    assert linked(query)  # the director's decision wins over any rules


@pytest.mark.parametrize(
    "content,message",
    [
        ("match = 6\n", "eigen.toml: rules.same_phone is missing (without extends = true a file replaces every rule)"),
        (
            "extends = true\n[rules.same_phone]\nweight = 'zes'\n",
            "eigen.toml: rules.same_phone.weight must be a number",
        ),
        ("extends = true\n[rules.same_colour]\nweight = 1\n", "eigen.toml: rules.same_colour: not a rule mhtool knows"),
        ("extends = true\n[rules.same_phone]\nwieght = 1\n", "eigen.toml: rules.same_phone.wieght: unknown key"),
        (
            "extends = true\n[rules.same_phone]\nstrong = 'ja'\n",
            "eigen.toml: rules.same_phone.strong must be true or false",
        ),
        ("extends = true\nmatch = 'hoog'\n", "eigen.toml: match must be a number"),
        ("extends = true\nstricter = [4]\n", "eigen.toml: stricter must go up, each above match"),
        ("extends = true\n[days]\nclose = 40\n", "eigen.toml: days: close <= near <= apart <= far"),
        ("extends = true\n[text]\nsame = 120\n", "eigen.toml: text: similar <= same <= 100"),
        ("extends = true\ntreshold = 5\n", "eigen.toml: treshold: unknown key"),
        ("extends = true\n[rules.same_phone\n", "eigen.toml: not valid TOML"),
    ],
)
def test_a_bad_rules_file_is_one_line(run, files, content, message):
    rules = files.text("eigen.toml", content)
    path = files.mma("pair.csv", PAIR)
    for args in (
        ("signals", "import", "--source", "mma", "--rules", rules, path),
        ("signals", "dedupe", "--rules", rules),
    ):
        result = run(*args)
        assert result.exit_code == 1
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"Error: {rules}".replace("eigen.toml", "")), result.stderr
        assert message in lines[0], lines[0]


def test_a_missing_rules_file(run, files):
    result = run("signals", "dedupe", "--rules", files.path("weg.toml"))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {files.path('weg.toml')}: rules file not found"

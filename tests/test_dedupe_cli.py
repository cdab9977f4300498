"""`mhtool signals dedupe / dupes / link / unlink / decisions`, dedupe after
`signals import` and `signals add`, and what `signals show` / `list` say about
situations: on the example exports (their known duplicate pairs and near
misses) and on small crafted files."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

_spec = importlib.util.spec_from_file_location("make_examples", EXAMPLES / "make_examples.py")
make_examples = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_examples)
DUPLICATES = [(a, b) for a, b, _ in make_examples.DUPLICATES]
NEAR_MISSES = [(a, b) for a, b, _ in make_examples.NEAR_MISSES]

IMPORTS = [
    ("--source", "mma", EXAMPLES / "mma_export_2026Q3.csv"),
    ("--source", "watch", EXAMPLES / "watch_export_2026Q3.xlsx"),
    (
        "--source",
        "veiligthuis",
        "--profile",
        EXAMPLES / "profile_veilig_thuis.toml",
        EXAMPLES / "veilig_thuis_export.csv",
    ),
]


@pytest.fixture
def import_examples(run):
    def _import(*extra, order=(0, 1, 2)):
        for i in order:
            result = run("signals", "import", *extra, *IMPORTS[i])
            assert result.exit_code == 0, result.stderr
        return result

    return _import


def groups(query) -> set[frozenset[str]]:
    """The situations with more than one signal, as sets of refs."""
    by_situation: dict[int, set[str]] = {}
    for ref, situation in query("SELECT ref, situation_id FROM signals"):
        by_situation.setdefault(situation, set()).add(ref)
    return {frozenset(refs) for refs in by_situation.values() if len(refs) > 1}


def situation_of(query, ref) -> int:
    return query("SELECT situation_id FROM signals WHERE ref = ?", (ref,))[0][0]


def as_json(result):
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# --- the example exports ---------------------------------------------------------------------------


def test_import_finds_the_example_duplicates_and_keeps_near_misses_apart(import_examples, query):
    import_examples()
    assert groups(query) == {frozenset(pair) for pair in DUPLICATES}
    for a, b in NEAR_MISSES:
        assert situation_of(query, a) != situation_of(query, b)


def test_situation_ids_and_the_situations_table(import_examples, query):
    import_examples()
    # the id of a situation is its smallest signal id, and every situation has its row
    assert query(
        "SELECT count(*) FROM signals WHERE situation_id NOT IN (SELECT min(id) FROM signals GROUP BY situation_id)"
    ) == [(0,)]
    assert query("SELECT count(*) FROM situations") == query("SELECT count(DISTINCT situation_id) FROM signals")
    situation = situation_of(query, "M26-100101")
    assert query("SELECT signal_count, sources, reported_on FROM situations WHERE id = ?", (situation,)) == [
        (2, "mma,watch", "2026-07-02")
    ]
    # M. said only "Mensenhandel" (type inferred); Watch gave the type: the given one wins
    situation = situation_of(query, "M26-100171")
    assert query("SELECT type_origin FROM situations WHERE id = ?", (situation,)) == [("given",)]


def test_import_says_what_dedupe_did_without_personal_data(import_examples, run):
    first = run("signals", "import", *IMPORTS[0])
    assert first.exit_code == 0, first.stderr
    assert "dedupe: 25 new signals; 1 moved to another situation" in first.stdout
    second = run("signals", "import", *IMPORTS[1])
    assert "dedupe: 15 new signals; 7 moved to another situation" in second.stdout
    again = run("signals", "import", *IMPORTS[1])
    assert "dedupe: 0 new signals, no duplicates found" in again.stdout
    for result in (first, second):
        for leak in ("+316", "06-", "Jansen", "Larenseweg"):
            assert leak not in result.stdout + result.stderr


def test_no_dedupe_on_import_then_dedupe_on_demand(import_examples, run, query):
    import_examples("--no-dedupe")
    assert groups(query) == set()
    assert query("SELECT count(*) FROM signal_matches") == [(0,)]
    dry = run("signals", "dedupe", "--dry-run", "--format", "csv")
    assert dry.exit_code == 0, dry.stderr
    assert "(dry run: nothing written)" in dry.stderr
    changes = dry.stdout.splitlines()
    assert changes[0] == "id,source,ref,old_situation,new_situation"
    assert len(changes) == 1 + len(DUPLICATES)
    assert groups(query) == set()  # the dry run wrote nothing
    done = run("signals", "dedupe")
    assert done.exit_code == 0, done.stderr
    assert f"{len(DUPLICATES)} moved to another situation" in done.stdout
    assert f"{len(DUPLICATES)} links added, 0 removed" in done.stdout
    assert "(45 -> 36 situations)" in done.stdout
    assert groups(query) == {frozenset(pair) for pair in DUPLICATES}
    again = run("signals", "dedupe")
    assert (
        "0 moved to another situation, 0 situations changed (36 -> 36 situations); 0 links added, 0 removed"
        in again.stdout
    )


def test_same_situations_whatever_the_import_order(import_examples, run, query, tmp_path):
    import_examples(order=(2, 1, 0))
    by_refs = groups(query)
    assert by_refs == {frozenset(pair) for pair in DUPLICATES}
    matches = query("SELECT a, b, score, evidence FROM signal_matches ORDER BY a, b")
    run("signals", "dedupe")
    assert query("SELECT a, b, score, evidence FROM signal_matches ORDER BY a, b") == matches
    assert groups(query) == by_refs


def test_dupes_lists_each_link_with_its_evidence(import_examples, run):
    import_examples()
    rows = as_json(run("signals", "dupes", "--format", "json"))
    assert {frozenset((r["a_ref"].split(":")[1], r["b_ref"].split(":")[1])) for r in rows} == {
        frozenset(pair) for pair in DUPLICATES
    }
    first = next(r for r in rows if r["a_ref"] == "mma:M26-100101")
    assert first["b_ref"] == "watch:WN-26-0412" and first["link"] == "auto" and first["signals"] == 2
    assert first["situation_id"] == first["a"]
    assert "zelfde telefoonnummer +31612340101 (+6)" in first["evidence"]
    assert "naam Dennis Jansen ~ Dennis Janssen (+4)" in first["evidence"]
    csv_text = run("signals", "dupes", "--format", "csv").stdout
    assert csv_text.splitlines()[0].startswith("situation_id,signals,a,a_ref")


def test_show_gives_the_situation_and_its_siblings(import_examples, run):
    import_examples()
    details = as_json(run("signals", "show", "M26-100101", "--format", "json"))
    situation = details["situation"]
    assert situation["id"] == details["situation_id"] and situation["signal_count"] == 2
    [sibling] = situation["signals"]
    assert (sibling["source"], sibling["ref"], sibling["link"]) == ("watch", "WN-26-0412", "auto")
    assert "zelfde telefoonnummer" in sibling["evidence"]
    text = run("signals", "show", "M26-100101").stdout
    assert "situation " in text and "watch:WN-26-0412" in text.split("situation ")[1]
    alone = as_json(run("signals", "show", "M26-100142", "--format", "json"))
    assert alone["situation"]["signals"] == []


def test_list_has_a_situation_column_and_filter(import_examples, run):
    import_examples()
    rows = as_json(run("signals", "list", "--format", "json"))
    assert all("situation_id" in r for r in rows)
    situation = next(r["situation_id"] for r in rows if r["ref"] == "M26-100101")
    only = as_json(run("signals", "list", "--situation", situation, "--format", "json"))
    assert sorted(r["ref"] for r in only) == ["M26-100101", "WN-26-0412"]


# --- an address without a place, a mistyped phone --------------------------------------------------------

CRAFTED = [
    "Meldingnummer",
    "Datum melding",
    "Categorie",
    "Plaats",
    "Adres",
    "Omschrijving",
    "Telefoonnummer",
    "Betrokkenen",
]


def test_an_address_without_a_place_and_a_near_phone_link(run, files, query):
    first = [
        ["M-2", "03-07-2026", "", "Hilversum", "Kerkstraat 3", "Wisselende mannen bij de woning", "", ""],
        ["M-3", "01-07-2026", "", "Huizen", "Larenseweg 5", "Vrouwen die niet naar buiten gaan", "", ""],
        ["M-4", "02-07-2026", "", "Laren", "Larenseweg 5", "Vrouwen die niet naar buiten gaan", "", ""],
        ["M-5", "01-07-2026", "", "Blaricum", "", "Advertentie op een sekssite", "06-12340101", ""],
        ["M-6", "20-07-2026", "", "Blaricum", "", "Nieuwe dames, eigen adres", "06-12340107", ""],
        ["M-7", "01-07-2026", "", "Huizen", "", "Massagesalon tot na middernacht", "06-87650163", ""],
        ["M-8", "02-07-2026", "", "Laren", "", "Massagesalon tot na middernacht", "06-87650136", ""],
        ["M-9", "01-06-2026", "", "Eemnes", "", "Loods met arbeidsmigranten", "06-55550101", ""],
        ["M-10", "03-07-2026", "", "Eemnes", "", "Loods met arbeidsmigranten", "06-55550102", ""],
        ["M-11", "01-07-2026", "", "Bussum", "", "Nagelstudio tot laat open", "06-44440101", "Dennis Jansen"],
        ["M-12", "02-07-2026", "", "Bussum", "", "Nagelstudio tot laat open", "06-44440107", "Kevin Bakker"],
    ]
    files.csv("first.csv", [CRAFTED, *first])
    assert run("signals", "import", "--source", "mma", files.path("first.csv")).exit_code == 0
    # one digit mistyped, same municipality, 19 days apart, nothing that disagrees: one situation;
    # the same near numbers in two municipalities, 32 days apart or with other names: apart
    assert groups(query) == {frozenset({"M-5", "M-6"})}
    # added later, without a place: it joins the Kerkstraat 3 in Hilversum, the only one
    files.csv("second.csv", [CRAFTED, ["M-1", "05-07-2026", "", "", "kerkstr. 3", "Mannen bij een woning", "", ""]])
    assert run("signals", "import", "--source", "mma", files.path("second.csv")).exit_code == 0
    assert query("SELECT gemeente FROM signals WHERE ref = 'M-1'") == [("onbekend",)]
    assert groups(query) == {frozenset({"M-5", "M-6"}), frozenset({"M-1", "M-2"})}
    rows = as_json(run("signals", "dupes", "--format", "json"))
    near = next(r for r in rows if r["a_ref"] == "mma:M-5")
    assert near["evidence"].startswith(
        "telefoonnummers op één cijfer na gelijk (+31612340101 / +31612340107), "
        "in dezelfde gemeente binnen een maand (+5); zelfde gemeente Blaricum (+1)"
    )
    # a full run gives the same, and the director's unlink holds against a near phone too
    assert "0 moved to another situation" in run("signals", "dedupe").stdout
    assert run("signals", "unlink", "M-5", "M-6").exit_code == 0
    run("signals", "dedupe")
    assert groups(query) == {frozenset({"M-1", "M-2"})}


def test_an_address_without_a_place_lets_go_when_a_second_municipality_has_it(run, files, query):
    files.csv(
        "first.csv",
        [
            CRAFTED,
            ["M-1", "05-07-2026", "", "", "Kerkstraat 3", "Mannen bij een woning", "", ""],
            ["M-2", "03-07-2026", "", "Laren", "Kerkstraat 3", "Wisselende mannen", "", ""],
        ],
    )
    assert run("signals", "import", "--source", "mma", files.path("first.csv")).exit_code == 0
    assert groups(query) == {frozenset({"M-1", "M-2"})}
    # now Huizen has a Kerkstraat 3 too: which one M-1 meant is a guess, as a full run would say
    files.csv("second.csv", [CRAFTED, ["M-3", "04-07-2026", "", "Huizen", "Kerkstraat 3", "Iets anders", "", ""]])
    assert run("signals", "import", "--source", "mma", files.path("second.csv")).exit_code == 0
    assert groups(query) == set()
    assert "0 moved to another situation" in run("signals", "dedupe", "--dry-run").stdout


# --- the director's decisions ---------------------------------------------------------------------------


def test_unlink_splits_and_survives_dedupe_and_reimport(import_examples, run, query):
    import_examples()
    result = run("signals", "unlink", "M26-100101", "watch:WN-26-0412")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("unlinked: signal")
    assert situation_of(query, "M26-100101") != situation_of(query, "WN-26-0412")
    run("signals", "dedupe")
    run("signals", "import", *IMPORTS[1])
    assert situation_of(query, "M26-100101") != situation_of(query, "WN-26-0412")
    assert frozenset(("M26-100101", "WN-26-0412")) not in groups(query)
    assert len(groups(query)) == len(DUPLICATES) - 1
    decisions = as_json(run("signals", "decisions", "--format", "json"))
    assert [(d["a_ref"], d["b_ref"], d["decision"], d["same_situation"]) for d in decisions] == [
        ("mma:M26-100101", "watch:WN-26-0412", "unlink", 0)
    ]


def test_unlink_holds_against_other_evidence(run, files, query):
    # A-B share a phone, B-C share a phone: C ends up with A unless A and C are unlinked
    rows = [
        ["M-1", "01-07-2026", "", "Hilversum", "Woning met wisselende mannen", "06-12340101"],
        ["M-2", "02-07-2026", "", "Hilversum", "Zelfde woning, nu twee nummers", "06-12340101 / 06-87650163"],
        ["M-3", "03-07-2026", "", "Hilversum", "Advertentie met dit nummer", "06-87650163"],
    ]
    assert run("signals", "import", "--source", "mma", files.mma("in.csv", rows)).exit_code == 0
    assert groups(query) == {frozenset({"M-1", "M-2", "M-3"})}
    result = run("signals", "unlink", "M-1", "M-3")
    assert result.exit_code == 0, result.stderr
    again = run("signals", "dedupe")
    assert "1 links not followed because you unlinked those signals" in again.stdout
    assert situation_of(query, "M-1") != situation_of(query, "M-3")
    assert len(groups(query)) == 1


def test_link_joins_and_survives_dedupe(import_examples, run, query):
    import_examples()
    a, b = NEAR_MISSES[0]
    result = run("signals", "link", a, b)
    assert result.exit_code == 0, result.stderr
    assert situation_of(query, a) == situation_of(query, b)
    run("signals", "dedupe")
    assert situation_of(query, a) == situation_of(query, b)
    rows = as_json(run("signals", "dupes", "--format", "json"))
    mine = [r for r in rows if r["link"] == "director"]
    assert len(mine) == 1 and mine[0]["evidence"] == "gekoppeld door de ketenregisseur"
    # and a later unlink of the same pair replaces the link
    assert run("signals", "unlink", b, a).exit_code == 0
    assert situation_of(query, a) != situation_of(query, b)
    assert query("SELECT decision FROM signal_decisions") == [("unlink",)]


def test_link_refused_when_it_would_join_an_unlinked_pair(import_examples, run, query):
    import_examples()
    assert run("signals", "unlink", "M26-100101", "WN-26-0412").exit_code == 0
    before = query("SELECT id, situation_id FROM signals ORDER BY id")
    # M26-100101's phone links nothing else; join WN-26-0412 to a third signal, then try to join the lot
    assert run("signals", "link", "WN-26-0412", "M26-100142").exit_code == 0
    result = run("signals", "link", "M26-100142", "M26-100101")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot link:") and len(result.stderr.splitlines()) == 1
    assert situation_of(query, "M26-100101") != situation_of(query, "WN-26-0412")
    assert len(before) == len(query("SELECT id FROM signals"))


def test_unlink_refused_when_your_own_links_join_them(import_examples, run):
    import_examples()
    assert run("signals", "link", "M26-100142", "M26-100305").exit_code == 0
    assert run("signals", "link", "M26-100305", "M26-100318").exit_code == 0
    result = run("signals", "unlink", "M26-100142", "M26-100318")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot unlink:")


@pytest.mark.parametrize(
    "args, code, message",
    [
        (("link", "M26-100101", "M26-100101"), 2, "Error: A and B are the same signal"),
        (("unlink", "M26-100101", "NOPE-1"), 1, "Error: no signal with id or reference 'NOPE-1'"),
    ],
)
def test_decision_errors_are_one_line(import_examples, run, query, args, code, message):
    import_examples()
    result = run("signals", *args)
    assert result.exit_code == code
    assert result.stderr.splitlines() == [message]
    assert query("SELECT count(*) FROM signal_decisions") == [(0,)]


# --- signals add ---------------------------------------------------------------------------------------------


def test_add_with_a_known_phone_joins_its_situation(import_examples, run, query):
    import_examples()
    result = run(
        "signals",
        "add",
        "--date",
        "05-07-2026",
        "--place",
        "Hilversum",
        "--text",
        "Telefoontje",
        "--phones",
        "0612340101",
    )
    assert result.exit_code == 0, result.stderr
    assert f"same situation as signal {situation_of(query, 'M26-100101')}" in result.stdout
    assert len(next(g for g in groups(query) if "M26-100101" in g)) == 3
    alone = run(
        "signals", "add", "--date", "05-07-2026", "--text", "Iets anders", "--phones", "0612340101", "--no-dedupe"
    )
    assert "same situation" not in alone.stdout

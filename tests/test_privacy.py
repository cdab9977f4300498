"""Privacy and database hygiene (AVG/GDPR): private file modes, a warning when
others can read the database, purge that really removes data from the file,
keyed pseudonyms for partners, an audit trail without personal data, a
checked restore, and user text that is never SQL."""

from __future__ import annotations

import datetime
import getpass
import json
import os
import re
import sqlite3
import stat
from pathlib import Path

import pytest

MMA_HEADER = [
    "Meldingnummer",
    "Datum melding",
    "Categorie",
    "Plaats",
    "Adres",
    "Omschrijving",
    "Telefoonnummer",
    "Betrokkenen",
    "Link",
]
AD_HEADER = ["Site", "Advertentie ID", "URL", "Datum", "Tekst", "Naam", "Leeftijd", "Telefoon", "Plaats"]
TOKEN = r"[0-9a-f]{12}"


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def day(days_ago: int) -> str:
    return (datetime.date.today() - datetime.timedelta(days=days_ago)).strftime("%d-%m-%Y")


def iso_day(days_ago: int) -> str:
    return (datetime.date.today() - datetime.timedelta(days=days_ago)).isoformat()


def raw_bytes(db_path: Path) -> bytes:
    """Everything SQLite keeps on disk for this database."""
    data = b""
    for suffix in ("", "-wal", "-journal"):
        path = Path(str(db_path) + suffix)
        if path.exists():
            data += path.read_bytes()
    return data


def snapshot(db_path: Path) -> dict:
    conn = sqlite3.connect(str(db_path))
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {
            t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
            for t in tables
            if t not in ("audit", "sqlite_sequence")
        }
    finally:
        conn.close()


@pytest.fixture
def umask_zero():
    """Make the product, not the umask, responsible for private modes."""
    old = os.umask(0)
    yield
    os.umask(old)


# --- file modes -------------------------------------------------------------------------------


def test_new_database_is_private(run, files, db_path, umask_zero):
    result = run(
        "signals",
        "import",
        "--source",
        "mma",
        files.csv("in.csv", [MMA_HEADER, ["P-1", day(3), "", "Huizen", "", "Iets", "", "", ""]]),
    )
    assert result.exit_code == 0, result.stderr
    assert mode(db_path) == 0o600
    for suffix in ("-wal", "-shm"):
        side = Path(str(db_path) + suffix)
        if side.exists():
            assert mode(side) == 0o600, suffix


def test_backup_is_private_and_complete(run, import_mma, db_path, tmp_path, umask_zero):
    assert import_mma([["B-1", day(3), "", "Huizen", "Back me up", ""]]).exit_code == 0
    target = tmp_path / "backup.db"
    result = run("db", "backup", target)
    assert result.exit_code == 0, result.stderr
    assert mode(target) == 0o600
    conn = sqlite3.connect(str(target))
    try:
        assert conn.execute("SELECT ref FROM signals").fetchall() == [("B-1",)]
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()
    # overwriting a world-readable file with --force makes it private as well
    target.chmod(0o644)
    assert run("db", "backup", "--force", target).exit_code == 0
    assert mode(target) == 0o600


def test_output_files_are_private(run, import_mma, tmp_path, umask_zero):
    assert import_mma([["O-1", day(3), "", "Huizen", "Uitvoer", ""]]).exit_code == 0
    for name in ("out.csv", "out.xlsx", "out.json"):
        target = tmp_path / name
        assert run("signals", "list", "-o", target).exit_code == 0
        assert mode(target) == 0o600, name


@pytest.mark.parametrize("loose", [0o644, 0o640, 0o604])
def test_warning_when_others_can_read_the_database(run, import_mma, db_path, loose):
    assert import_mma([["W-1", day(3), "", "Huizen", "Lezen", ""]]).exit_code == 0
    db_path.chmod(loose)
    result = run("signals", "list", "--format", "csv")
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, result.stderr
    assert str(db_path) in warnings[0] and "readable" in warnings[0] and "chmod 600" in warnings[0]
    db_path.chmod(0o600)
    result = run("signals", "list", "--format", "csv")
    assert "warning" not in result.stderr


# --- purge ------------------------------------------------------------------------------------

OLD_TEXT = "OUDMARKER-kelderbox-vol-matrassen"
OLD_PERSON = "Oudnaam Vergeetmij"
OLD_ADDRESS = "Vergeetstraat 99"
NEW_TEXT = "NIEUWMARKER-blijft-bewaard"
OLD_AD_TEXT = "OUDADVERTENTIE-alleen-vandaag"


@pytest.fixture
def aged(run, files, query, db_path):
    """Signals and ads from 2015 (past any retention period) and from last month."""
    old = "12-03-2015"
    rows = [
        ["OLD-1", old, "Seksuele uitbuiting", "Huizen", OLD_ADDRESS, OLD_TEXT, "06-55512345", OLD_PERSON, ""],
        [
            "OLD-2",
            "14-03-2015",
            "Seksuele uitbuiting",
            "Huizen",
            OLD_ADDRESS,
            OLD_TEXT + " opnieuw",
            "+31 6 55512345",
            OLD_PERSON,
            "",
        ],
        [
            "NEW-1",
            day(30),
            "Arbeidsuitbuiting",
            "Bussum",
            "Blijfstraat 1",
            NEW_TEXT,
            "06-44412345",
            "Nieuw Persoon",
            "",
        ],
    ]
    assert run("signals", "import", "--source", "mma", files.csv("aged.csv", [MMA_HEADER, *rows])).exit_code == 0
    ads = [
        ["old.example", "AD-OLD", "", "01-02-2015", OLD_AD_TEXT, "Oudje", "30", "06-55598765", "Huizen"],
        ["both.example", "AD-BOTH", "", "01-02-2015", OLD_AD_TEXT + " (toen)", "Tweede", "31", "06-55598766", "Huizen"],
        ["both.example", "AD-BOTH", "", day(7), "Nu anders geschreven", "Tweede", "31", "06-55598766", "Huizen"],
        ["new.example", "AD-NEW", "", day(7), "Vers", "Nieuw", "25", "06-44498765", "Huizen"],
    ]
    assert run("ads", "import", files.csv("aged_ads.csv", [AD_HEADER, *ads])).exit_code == 0
    assert run("ads", "score", "--all", "--format", "csv").exit_code == 0
    # one score made long ago
    conn = sqlite3.connect(str(db_path))
    with conn:
        run = conn.execute(
            "INSERT INTO ad_score_runs (period, scored_at, rules_version) VALUES ('all', '2015-02-02T10:00:00', 'old')"
        ).lastrowid
        conn.execute("UPDATE ad_scores SET run = ? WHERE ad = (SELECT id FROM ads WHERE ad_id = 'AD-OLD')", (run,))
    conn.close()
    return query


def test_purge_dry_run_counts_and_deletes_nothing(run, aged, db_path):
    before = snapshot(db_path)
    result = run("db", "purge", "--older-than", "5y", "--dry-run")
    assert result.exit_code == 0, result.stderr
    counts = dict((table, int(n)) for n, table in re.findall(r"(\d+) (\w+)", result.stdout))
    assert counts == {"signals": 2, "ad_sightings": 2, "ad_observations": 2, "ad_scores": 1, "ads": 1}, result.stdout
    assert snapshot(db_path) == before


def test_purge_really_removes_the_data_from_the_file(run, aged, db_path):
    data = raw_bytes(db_path)
    for marker in (OLD_TEXT, OLD_PERSON, OLD_ADDRESS, OLD_AD_TEXT, NEW_TEXT):
        assert marker.encode() in data, marker  # else the check after the purge proves nothing
    dry = run("db", "purge", "--older-than", "5y", "--dry-run").stdout
    result = run("db", "purge", "--older-than", "5y", "--yes")
    assert result.exit_code == 0, result.stderr
    assert re.findall(r"(\d+) (\w+)", dry.split(":", 1)[1]) == re.findall(
        r"(\d+) (\w+)", result.stdout.split(":", 1)[1]
    )
    query = aged
    assert query("SELECT ref FROM signals ORDER BY ref") == [("NEW-1",)]
    assert query("SELECT ad_id FROM ads ORDER BY ad_id") == [("AD-BOTH",), ("AD-NEW",)]
    assert query("SELECT count(*) FROM ad_observations WHERE seen_on < '2016-01-01'") == [(0,)]
    assert query("SELECT count(*) FROM ad_score_runs WHERE scored_at < '2016'") == [(0,)]
    # no verdict outlives its scores (its reasons can name signals)
    assert query("SELECT count(*) FROM ad_verdicts WHERE id NOT IN (SELECT verdict FROM ad_scores)") == [(0,)]
    assert query("SELECT count(*) FROM signal_phones WHERE raw LIKE '%555%'") == [(0,)]
    assert query("SELECT first_seen FROM ads WHERE ad_id = 'AD-BOTH'")[0][0] > "2016"
    data = raw_bytes(db_path)
    for marker in (OLD_TEXT, OLD_PERSON, OLD_ADDRESS, OLD_AD_TEXT, "Oudje"):
        assert marker.encode() not in data, marker
    assert NEW_TEXT.encode() in data
    check = run("db", "check")
    assert check.exit_code == 0, check.stderr


def test_purge_before_a_date(run, aged, db_path):
    dry = run("db", "purge", "--before", "13-03-2015", "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "1 signals" in dry.stdout and "2015-03-13" in dry.stdout
    result = run("db", "purge", "--before", "13-03-2015", "--yes")
    assert result.exit_code == 0, result.stderr
    assert aged("SELECT ref FROM signals ORDER BY ref") == [("NEW-1",), ("OLD-2",)]


@pytest.mark.parametrize(
    "args",
    [[], ["--older-than", "5y", "--before", "1-1-2020"], ["--older-than", "vijf jaar"], ["--before", "31-02-2020"]],
)
def test_purge_bad_usage(run, aged, db_path, args):
    before = snapshot(db_path)
    result = run("db", "purge", "--yes", *args)
    assert result.exit_code == 2
    assert snapshot(db_path) == before


# --- pseudonymized export ---------------------------------------------------------------------

KEY = "een-geheime-sleutel-van-de-ketenregisseur"
OTHER_KEY = "een-andere-sleutel-voor-een-andere-partner"
PEOPLE = [
    # same person twice: other phone format, other spelling case
    [
        "PS-1",
        "Seksuele uitbuiting",
        "Hilversum",
        "Dorpsstraat 1",
        "Vrouw in woning",
        "06-12345678",
        "Jan de Vries",
        "https://ads.example/profiel/991",
    ],
    [
        "PS-2",
        "Seksuele uitbuiting",
        "Hilversum",
        "dorpsstraat 1",
        "Bel 06-12345678 of www.ads.example/x",
        "+31 6 1234 5678",
        "jan de Vries",
        "https://ads.example/profiel/991/",
    ],
    [
        "PS-3",
        "Arbeidsuitbuiting",
        "Bussum",
        "Kerkweg 7",
        "Ander verhaal",
        "0031 6 87654321",
        "Piet Pietersen",
        "https://other.example/p",
    ],
]
SECRETS = [
    "12345678",
    "87654321",
    "Jan de Vries",
    "jan de Vries",
    "Dorpsstraat",
    "dorpsstraat",
    "Kerkweg",
    "Pietersen",
    "ads.example",
    "other.example",
]


@pytest.fixture
def people(run, files):
    rows = [
        [ref, day(10 + i), cat, place, addr, text, phone, person, url]
        for i, (ref, cat, place, addr, text, phone, person, url) in enumerate(PEOPLE)
    ]
    assert (
        run(
            "signals", "import", "--source", "mma", "--map", "Link=url", files.csv("people.csv", [MMA_HEADER, *rows])
        ).exit_code
        == 0
    )
    ads = [
        [
            "ads.example",
            "AD-991",
            "https://ads.example/profiel/991",
            day(5),
            "Nieuw hier",
            "Jan de Vries",
            "25",
            "06 12 34 56 78",
            "Hilversum",
        ]
    ]
    assert run("ads", "import", files.csv("people_ads.csv", [AD_HEADER, *ads])).exit_code == 0


def export(run, read_csv, what="signals", *extra):
    """The output, and its rows: signals by their ref (a token in the output:
    found back by the date), ads by their ad id token."""
    result = run("export", what, "--pseudonymize", "--format", "csv", *extra)
    assert result.exit_code == 0, result.stderr
    refs = {iso_day(10 + i): person[0] for i, person in enumerate(PEOPLE)}
    return result.stdout, {refs[r["reported_on"]] if "ref" in r else r["ad_id"]: r for r in read_csv(result.stdout)}


def test_pseudonymized_signals(run, people, read_csv, monkeypatch):
    monkeypatch.setenv("MHTOOL_KEY", KEY)
    text, rows = export(run, read_csv)
    for secret in SECRETS:
        assert secret not in text, secret
    assert "text" not in next(iter(rows.values()))  # free text only with --with-text
    one, two, three = rows["PS-1"], rows["PS-2"], rows["PS-3"]
    assert re.fullmatch(f"T-{TOKEN}", one["phones"]) and re.fullmatch(f"N-{TOKEN}", one["persons"])
    assert re.fullmatch(f"A-{TOKEN}", one["address"]) and re.fullmatch(f"U-{TOKEN}", one["url"])
    # the same person: the same tokens, whatever the format
    for column in ("phones", "persons", "address", "url"):
        assert one[column] == two[column], column
        assert one[column] != three[column], column
    # non-personal fields stay readable
    assert one["gemeente"] == "Hilversum" and one["reported_on"]


def test_pseudonyms_are_stable_across_exports_and_key_sources(run, people, read_csv, monkeypatch, tmp_path):
    monkeypatch.setenv("MHTOOL_KEY", KEY)
    first, _ = export(run, read_csv)
    second, _ = export(run, read_csv)
    assert first == second
    key_file = tmp_path / "key.txt"
    key_file.write_text(KEY + "\n")
    monkeypatch.delenv("MHTOOL_KEY")
    from_file, _ = export(run, read_csv, "signals", "--key-file", key_file)
    assert from_file == first


def test_another_key_gives_other_tokens(run, people, read_csv, monkeypatch):
    monkeypatch.setenv("MHTOOL_KEY", KEY)
    _, mine = export(run, read_csv)
    monkeypatch.setenv("MHTOOL_KEY", OTHER_KEY)
    _, theirs = export(run, read_csv)
    for column in ("phones", "persons", "address", "url"):
        assert mine["PS-1"][column] != theirs["PS-1"][column], column


def test_same_phone_same_token_in_signals_and_ads(run, people, read_csv, monkeypatch):
    monkeypatch.setenv("MHTOOL_KEY", KEY)
    _, signals = export(run, read_csv)
    text, ads = export(run, read_csv, "ads")
    for secret in ("12 34 56 78", "Jan de Vries", "ads.example/profiel"):
        assert secret not in text, secret
    # The ad id is a token too (with the site it would rebuild the URL).
    assert "AD-991" not in ads
    (ad,) = ads.values()
    assert re.fullmatch(f"AD-{TOKEN}", ad["ad_id"])
    assert ad["phone"] == signals["PS-1"]["phones"]
    assert ad["name"] == signals["PS-1"]["persons"]
    assert re.fullmatch(f"U-{TOKEN}", ad["url"])


def test_with_text_replaces_phones_and_links_in_the_text(run, people, read_csv, monkeypatch):
    monkeypatch.setenv("MHTOOL_KEY", KEY)
    text, rows = export(run, read_csv, "signals", "--with-text")
    assert "12345678" not in text and "www.ads.example" not in text
    assert "Bel T-" in rows["PS-2"]["text"]


@pytest.mark.parametrize("what", ["signals", "ads"])
def test_pseudonymize_without_a_key_is_refused(run, people, monkeypatch, what):
    monkeypatch.delenv("MHTOOL_KEY", raising=False)
    result = run("export", what, "--pseudonymize", "--format", "csv")
    assert result.exit_code == 2
    assert "MHTOOL_KEY" in result.stderr and "--key-file" in result.stderr
    assert result.stdout == ""


def test_too_short_key_and_missing_key_file(run, people, monkeypatch, tmp_path):
    monkeypatch.setenv("MHTOOL_KEY", "kort")
    assert run("export", "signals", "--pseudonymize").exit_code == 2
    monkeypatch.delenv("MHTOOL_KEY")
    result = run("export", "signals", "--pseudonymize", "--key-file", tmp_path / "nope.key")
    assert result.exit_code == 1 and "nope.key" in result.stderr


def test_key_never_stored(run, people, read_csv, monkeypatch, db_path, tmp_path):
    monkeypatch.setenv("MHTOOL_KEY", KEY)
    export(run, read_csv)
    export(run, read_csv, "ads", "--with-text")
    key_file = tmp_path / "key.txt"
    key_file.write_text(OTHER_KEY)
    export(run, read_csv, "signals", "--key-file", key_file)
    data = raw_bytes(db_path)
    assert data  # the database is there
    for key in (KEY, OTHER_KEY):
        assert key.encode() not in data
        assert key.encode("utf-16-le") not in data
    audit = run("db", "audit", "--format", "json").stdout
    assert KEY not in audit and OTHER_KEY not in audit and "key.txt" not in audit


# --- audit trail ------------------------------------------------------------------------------


def test_audit_lists_writing_commands_without_personal_data(run, files, monkeypatch):
    secret_text, secret_phone, secret_name = "Geheimtekst over kamer 12", "06-13572468", "Henk Geheimnaam"
    path = files.csv(
        "audit-Henk-Geheimnaam.csv",
        [MMA_HEADER, ["AU-1", day(4), "", "Huizen", "Pad 3", secret_text, secret_phone, secret_name, ""]],
    )
    assert run("signals", "import", "--source", "mma", path).exit_code == 0
    assert run("signals", "list", "--search", secret_name, "--format", "csv").exit_code == 0
    assert run("signals", "import", "--source", "mma", files.path("nope.csv")).exit_code == 1
    ad = files.csv(
        "ads.csv", [AD_HEADER, ["x.example", "AD-1", "", day(3), "Tekst", "Mila", "22", secret_phone, "Huizen"]]
    )
    assert run("ads", "import", ad).exit_code == 0
    assert run("ads", "score", "--all", "--format", "csv").exit_code == 0

    result = run("db", "audit", "--format", "json")
    assert result.exit_code == 0, result.stderr
    entries = json.loads(result.stdout)
    assert [e["command"] for e in entries] == ["ads score", "ads import", "signals import", "signals import"]
    assert [e["status"] for e in entries] == ["ok", "ok", "failed", "ok"]
    first = entries[-1]
    assert first["os_user"] == getpass.getuser()
    assert datetime.datetime.fromisoformat(first["at"]).date() == datetime.date.today()
    counts = json.loads(first["counts"])
    assert counts["signals"] == 1 and counts["signal_phones"] == 1 and counts["imports"] == 1
    assert json.loads(entries[0]["counts"]).get("ad_scores") == 1

    everything = result.stdout + "".join(run("db", "audit", "--format", f).stdout for f in ("csv", "markdown"))
    for secret in (secret_text, secret_phone, "13572468", secret_name, "Geheimnaam", "Pad 3", str(path)):
        assert secret not in everything, secret


def test_audit_limit(run, import_mma):
    for i in range(3):
        assert import_mma([[f"L-{i}", day(3), "", "Huizen", "Iets", ""]], name=f"l{i}.csv").exit_code == 0
    rows = json.loads(run("db", "audit", "--limit", "2", "--format", "json").stdout)
    assert len(rows) == 2 and rows[0]["id"] > rows[1]["id"]


# --- restore ----------------------------------------------------------------------------------


@pytest.fixture
def backed_up(run, import_mma, tmp_path):
    assert import_mma([["R-1", day(9), "", "Huizen", "Voor de back-up", ""]], name="r1.csv").exit_code == 0
    backup = tmp_path / "backup.db"
    assert run("db", "backup", backup).exit_code == 0
    assert import_mma([["R-2", day(8), "", "Huizen", "Na de back-up", ""]], name="r2.csv").exit_code == 0
    return backup


def kept_files(db_path: Path) -> list[Path]:
    return sorted(db_path.parent.glob(db_path.name + ".before-restore-*"))


def test_restore_replaces_and_keeps_the_old_file(run, backed_up, db_path, query, umask_zero):
    result = run("db", "restore", backed_up)
    assert result.exit_code == 0, result.stderr
    assert query("SELECT ref FROM signals ORDER BY ref") == [("R-1",)]
    assert mode(db_path) == 0o600
    kept = kept_files(db_path)
    assert len(kept) == 1 and str(kept[0]) in result.stderr
    assert mode(kept[0]) == 0o600
    conn = sqlite3.connect(str(kept[0]))
    try:
        assert conn.execute("SELECT ref FROM signals ORDER BY ref").fetchall() == [("R-1",), ("R-2",)]
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()
    check = run("db", "check")
    assert check.exit_code == 0, check.stderr
    # the restored database is usable for writing
    assert run("signals", "import", "--source", "mma", backed_up.parent / "r2.csv").exit_code == 0


def _not_sqlite(path: Path, backup: Path) -> Path:
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    return path


def _text(path: Path, backup: Path) -> Path:
    path.write_text("Meldingnummer,Datum melding\nM-1,1-1-2026\n")
    return path


def _truncated(path: Path, backup: Path) -> Path:
    data = backup.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _damaged_page(path: Path, backup: Path) -> Path:
    data = bytearray(backup.read_bytes())
    page = 4096
    assert len(data) >= 4 * page
    data[2 * page : 3 * page] = b"\xa5" * page
    path.write_bytes(bytes(data))
    return path


def _other_sqlite(path: Path, backup: Path) -> Path:
    conn = sqlite3.connect(str(path))
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('geen mhtool')")
    conn.commit()
    conn.close()
    return path


def _missing(path: Path, backup: Path) -> Path:
    return path


@pytest.mark.parametrize(
    "make",
    [_not_sqlite, _text, _truncated, _damaged_page, _other_sqlite, _missing],
    ids=lambda f: f.__name__.strip("_"),
)
def test_restore_refuses_a_bad_source(run, backed_up, db_path, tmp_path, make):
    source = make(tmp_path / "source.db", backed_up)
    before = snapshot(db_path)
    result = run("db", "restore", source)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and str(source) in lines[0], result.stderr
    assert snapshot(db_path) == before
    assert kept_files(db_path) == []
    assert run("db", "check").exit_code == 0


# --- user text is never SQL -------------------------------------------------------------------

INJECTION = "'); DROP TABLE signals;--"


@pytest.fixture
def injected(run, files, count):
    rows = [
        [INJECTION, day(6), INJECTION, "Huizen", INJECTION, INJECTION, "", INJECTION, ""],
        ["SAFE-1", day(5), "", "Huizen", "", "100% zeker_niet", "", "", ""],
    ]
    result = run("signals", "import", "--source", "mma", files.csv("inj.csv", [MMA_HEADER, *rows]))
    assert result.exit_code == 0, result.stderr
    assert count("signals") == 2
    return count


def test_injection_as_a_cell_is_stored_verbatim(run, injected, query):
    assert query("SELECT text, persons, address FROM signals WHERE ref = ?", (INJECTION,)) == [
        (INJECTION, INJECTION, INJECTION)
    ]
    shown = run("signals", "show", INJECTION, "--format", "json")
    assert shown.exit_code == 0, shown.stderr
    assert json.loads(shown.stdout)["text"] == INJECTION


def test_injection_as_a_search(run, injected, read_csv):
    result = run("signals", "list", "--search", INJECTION, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert [r["ref"] for r in read_csv(result.stdout)] == [INJECTION]  # found as plain text
    assert injected("signals") == 2
    result = run("ads", "list", "--search", INJECTION, "--format", "csv")
    assert result.exit_code == 0
    assert injected("signals") == 2


@pytest.mark.parametrize("wildcard", ["%", "_"])
def test_like_wildcards_are_plain_text(run, injected, read_csv, wildcard):
    rows = read_csv(run("signals", "list", "--search", wildcard, "--format", "csv").stdout)
    assert [r["ref"] for r in rows] == ["SAFE-1"]


@pytest.mark.parametrize("command", [["signals", "list", "--gemeente"], ["ads", "score", "--all", "--gemeente"]])
def test_injection_as_a_municipality_is_refused(run, injected, command):
    result = run(*command, INJECTION)
    assert result.exit_code == 2
    assert "unknown municipality" in result.stderr
    assert injected("signals") == 2


def test_injection_in_other_filters(run, injected, read_csv):
    for args in (["export", "signals", "--gemeente", INJECTION], ["export", "ads", "--gemeente", INJECTION]):
        result = run(*args, "--format", "csv")
        assert result.exit_code == 2 and "unknown municipality" in result.stderr, (args, result.stderr)
    for args in (["signals", "list", "--source", INJECTION], ["ads", "list", "--site", INJECTION]):
        result = run(*args, "--format", "csv")
        assert result.exit_code == 0, (args, result.stderr)
        assert read_csv(result.stdout) == [], args
    assert injected("signals") == 2
    result = run("signals", "add", "--source", INJECTION, "--text", INJECTION, "--date", day(2))
    assert result.exit_code == 0, result.stderr
    assert injected("signals") == 3
    assert run("db", "check").exit_code == 0


def test_injection_in_stats_options(run, injected):
    for args in (
        ["--by", "place; DROP TABLE signals"],
        ["--by", "gemeente", "--period", INJECTION],
        ["--by", "gemeente", "--from", INJECTION],
    ):
        result = run("stats", *args, "--format", "csv")
        assert result.exit_code == 2, (args, result.stdout, result.stderr)
    result = run("stats", "--by", "place", "--count", "signals", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert INJECTION not in result.stdout or injected("signals") == 2
    assert injected("signals") == 2


def test_restore_from_a_file_name_with_uri_characters(run, db_path, tmp_path):
    # '#', '?' and '%' in a backup's name must not make SQLite open another file.
    run("signals", "add", "--text", "eerste", "--date", "01-10-2026", "--place", "Huizen")
    backup = tmp_path / "bk#1?x%41.db"
    assert run("db", "backup", str(backup)).exit_code == 0
    decoy = tmp_path / "bk"
    decoy.write_bytes(b"")
    run("signals", "add", "--text", "tweede", "--date", "02-10-2026", "--place", "Huizen")
    result = run("db", "restore", str(backup))
    assert result.exit_code == 0, result.stderr
    import sqlite3

    with sqlite3.connect(str(db_path)) as conn:
        assert [r[0] for r in conn.execute("SELECT text FROM signals")] == ["eerste"]
    assert decoy.read_bytes() == b""


def test_existing_output_file_is_made_owner_only(run, tmp_path):
    run("signals", "add", "--text", "iets", "--date", "01-10-2026", "--place", "Huizen")
    target = tmp_path / "out.csv"
    target.write_text("old")
    target.chmod(0o644)
    assert run("signals", "list", "--format", "csv", "-o", str(target)).exit_code == 0
    assert mode(target) == 0o600
    assert "iets" in target.read_text()


def test_a_command_that_wrote_nothing_leaves_no_audit_line(run, files, query):
    ad = files.csv(
        "ads.csv", [AD_HEADER, ["x.example", "AD-1", "", day(3), "Tekst", "Mila", "22", "06-13572468", "Huizen"]]
    )
    assert run("ads", "import", ad).exit_code == 0
    assert run("ads", "score", "--all", "--no-store", "--format", "csv").exit_code == 0
    assert query("SELECT command FROM audit") == [("ads import",)]
    assert run("signals", "link", "1", "2").exit_code == 1  # failed: recorded, though nothing changed
    assert query("SELECT command, status FROM audit ORDER BY id") == [("ads import", "ok"), ("signals link", "failed")]

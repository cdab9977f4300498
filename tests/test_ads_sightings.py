"""Sightings: an ad seen again unchanged adds a sighting (a day), not a copy
of the observation; a changed ad adds an observation; scoring a week, purge
and an older database (before `ad_sightings`) follow."""

from __future__ import annotations

import datetime
import json
import sqlite3
from pathlib import Path

import sqlite_utils

from mhtool.store.schema import migrations

ROOT = Path(__file__).resolve().parent.parent
ADS = ROOT / "examples" / "ads"
AD_HEADER = ["Site", "Advertentie ID", "Datum", "Tekst", "Naam", "Leeftijd", "Telefoon", "Plaats", "Prijs"]


def ad(ad_id, date, *, price="150", place="Hilversum", phone="06-12345601", text=None):
    text = text or f"Hoi, ik ben {ad_id}. Ontvangst op afspraak in een rustige kamer."
    return ["test.example", ad_id, date, text, ad_id, "30", phone, place, price]


def scored(run, week) -> dict[str, dict]:
    result = run("ads", "score", "--no-store", "--format", "json", "--week", week)
    assert result.exit_code == 0, result.stderr
    return {row["ad_id"]: row for row in json.loads(result.stdout)}


def history(run, ad_id) -> list[dict]:
    result = run("ads", "show", f"test.example:{ad_id}", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["observations"]


def test_seen_again_unchanged_adds_a_sighting_not_an_observation(run, files, count, query):
    assert run("ads", "import", files.csv("w46.csv", [AD_HEADER, ad("A", "10-11-2026")])).exit_code == 0
    before = {t: count(t) for t in ("ad_observations", "ad_phones", "ad_phone_uses")}
    result = run("ads", "import", files.csv("w47.csv", [AD_HEADER, ad("A", "17-11-2026")]))
    assert result.exit_code == 0, result.stderr
    assert "1 seen again" in result.stdout
    assert {t: count(t) for t in before} == before
    assert query("SELECT o.seen_on, s.seen_on FROM ad_sightings s JOIN ad_observations o ON o.id = s.observation") == [
        ("2026-11-10", "2026-11-10"),
        ("2026-11-10", "2026-11-17"),
    ]
    assert query("SELECT first_seen, last_seen FROM ads") == [("2026-11-10", "2026-11-17")]
    # the later week still sees the ad, with its first and last day
    w47 = scored(run, "2026-W47")
    assert set(w47) == {"A"} and (w47["A"]["first_seen"], w47["A"]["last_seen"], w47["A"]["new"]) == (
        "2026-11-10",
        "2026-11-17",
        0,
    )
    assert set(scored(run, "2026-W46")) == {"A"}


def test_a_week_the_ad_was_not_seen_does_not_score_it(run, files):
    rows = [ad("A", "10-11-2026"), ad("A", "24-11-2026"), ad("B", "18-11-2026", phone="06-12345602")]
    assert run("ads", "import", files.csv("in.csv", [AD_HEADER, *rows])).exit_code == 0
    assert len(history(run, "A")) == 1  # one version, seen in W46 and W48
    assert set(scored(run, "2026-W46")) == {"A"}
    assert set(scored(run, "2026-W47")) == {"B"}
    assert set(scored(run, "2026-W48")) == {"A"}


def test_a_change_adds_an_observation_and_a_change_back_another(run, files, count):
    weeks = [ad("A", "10-11-2026"), ad("A", "17-11-2026", place="Bussum"), ad("A", "24-11-2026")]
    for number, row in enumerate(weeks):
        result = run("ads", "import", files.csv(f"w{number}.csv", [AD_HEADER, row]))
        assert result.exit_code == 0, result.stderr
    assert "1 changed" in result.stdout
    assert count("ad_observations") == 3 and count("ad_sightings") == 3
    assert [(o["seen_on"], o["place"], o["changed"]) for o in history(run, "A")] == [
        ("2026-11-10", "Hilversum", ""),
        ("2026-11-17", "Bussum", "plaats"),
        ("2026-11-24", "Hilversum", "plaats"),
    ]
    # each week is scored with the version seen in it
    assert [scored(run, f"2026-W{week}")["A"]["place"] for week in (46, 47, 48)] == ["Hilversum", "Bussum", "Hilversum"]
    # a price is no change of phone, place or text, but it is a new version
    again = run("ads", "import", files.csv("w3.csv", [AD_HEADER, ad("A", "01-12-2026", price="90")]))
    assert "1 seen again" in again.stdout, again.stdout
    assert count("ad_observations") == 4
    assert [(o["price"], o["changed"]) for o in history(run, "A")][-1] == (90, "prijs")


def test_an_older_export_imported_late_extends_the_version_seen_after_it(run, files, count, query):
    assert run("ads", "import", files.csv("w47.csv", [AD_HEADER, ad("A", "17-11-2026")])).exit_code == 0
    result = run("ads", "import", files.csv("w46.csv", [AD_HEADER, ad("A", "10-11-2026")]))
    assert "1 seen again" in result.stdout, result.stdout
    assert count("ad_observations") == 1
    assert query("SELECT seen_on FROM ad_observations") == [("2026-11-10",)]
    assert query("SELECT first_seen, last_seen FROM ads") == [("2026-11-10", "2026-11-17")]
    assert run("ads", "import", files.path("w46.csv")).exit_code == 0  # the same file again
    assert count("ad_sightings") == 2


def test_the_same_week_twice_is_already_present(run, files, count):
    rows = [ad("A", "10-11-2026"), ad("B", "11-11-2026", phone="06-12345602")]
    assert run("ads", "import", files.csv("a.csv", [AD_HEADER, *rows])).exit_code == 0
    again = run("ads", "import", files.csv("b.csv", [AD_HEADER, *reversed(rows)]))  # another file, same rows
    assert "2 already present" in again.stdout, again.stdout
    assert (count("ad_observations"), count("ad_sightings")) == (2, 2)


def test_purge_erases_old_sightings_and_keeps_the_version_still_seen(run, files, count, query):
    recent = datetime.date.today().replace(day=1).strftime("%d-%m-%Y")
    rows = [ad("A", "02-02-2015"), ad("A", recent), ad("OLD", "03-02-2015", phone="06-12345602")]
    assert run("ads", "import", files.csv("in.csv", [AD_HEADER, *rows])).exit_code == 0
    assert run("ads", "score", "--week", "2015-W06", "--format", "csv").exit_code == 0
    dry = run("db", "purge", "--older-than", "5y", "--dry-run")
    assert "2 ad_sightings, 1 ad_observations" in dry.stdout, dry.stdout
    result = run("db", "purge", "--older-than", "5y", "--yes")
    assert result.exit_code == 0, result.stderr
    assert query("SELECT ad_id FROM ads") == [("A",)]
    assert query("SELECT count(*) FROM ad_sightings WHERE seen_on < '2016'") == [(0,)]
    assert query("SELECT count(*) FROM ad_observations WHERE seen_on < '2016'") == [(0,)]
    assert query("SELECT first_seen FROM ads")[0][0] > "2016"
    assert count("ad_observations") == 1 and count("ad_sightings") == 1
    assert scored(run, "2015-W06") == {}
    assert run("db", "check").exit_code == 0


def test_a_price_is_compared_with_the_prices_of_its_week(run, files):
    """`low_price` for `ads score --week`: the median of the week's ads."""
    market = [ad(f"M{i}", "10-11-2026", phone=f"06-123457{i:02d}") for i in range(9)]  # 150 in W46
    market += [ad(f"N{i}", "17-11-2026", phone=f"06-123458{i:02d}", price="100") for i in range(9)]  # 100 in W47
    cheap = [ad("X", "10-11-2026", price="100"), ad("X", "17-11-2026", price="100")]
    assert run("ads", "import", files.csv("in.csv", [AD_HEADER, *market, *cheap])).exit_code == 0
    assert "low_price" in scored(run, "2026-W46")["X"]["indicators"].split(";")  # 100 <= 0.7 x 150
    assert "low_price" not in scored(run, "2026-W47")["X"]["indicators"].split(";")  # the week's median is 100


def test_raw_keeps_the_row_without_repeating_the_text(run, files, query):
    row = ad("A", "10-11-2026")
    assert run("ads", "import", files.csv("in.csv", [[*AD_HEADER, "Extra"], [*row, "iets"]])).exit_code == 0
    ((raw, text),) = query("SELECT raw, text FROM ad_observations")
    cells = json.loads(raw)
    assert text == row[3] and "Tekst" not in cells
    assert cells["Extra"] == "iets" and cells["Naam"] == "A" and cells["Datum"] == "10-11-2026"


# --- a database from before ad_sightings (schema up to m013) ------------------------------------


def _old_database(fresh: Path, old: Path) -> None:
    """What the importer before m014 wrote for the same exports: one full
    observation (with its phones and photos) for every sighting."""
    db = sqlite_utils.Database(str(old))
    migrations.apply(db, stop_before="m014_ad_sightings")
    conn = db.conn
    conn.execute("ATTACH DATABASE ? AS f", (str(fresh),))
    copied = {"ad_observations", "ad_phones", "ad_photos", "ad_sightings", "ad_scores"}  # fresh has no scores
    for table in db.table_names():
        if not table.startswith(("_", "sqlite_")) and table not in copied:
            conn.execute(f'INSERT INTO main."{table}" SELECT * FROM f."{table}"')
    columns = [c for c in db["ad_observations"].columns_dict if c not in ("id", "seen_on")]
    sightings = conn.execute(
        "SELECT s.observation, s.seen_on FROM f.ad_sightings s ORDER BY s.seen_on, s.observation"
    ).fetchall()
    for observation, seen_on in sightings:
        new = conn.execute(
            f"INSERT INTO main.ad_observations (seen_on, {', '.join(columns)}) "
            f"SELECT ?, {', '.join(columns)} FROM f.ad_observations WHERE id = ?",
            (seen_on, observation),
        ).lastrowid
        for table, rest in (("ad_phones", "position, raw, e164, valid"), ("ad_photos", "hash")):
            conn.execute(
                f"INSERT INTO main.{table} (observation, {rest}) SELECT ?, {rest} FROM f.{table} WHERE observation = ?",
                (new, observation),
            )
    conn.execute(
        "UPDATE main.ads SET latest_observation_id = (SELECT id FROM main.ad_observations o "
        "WHERE o.ad = ads.id ORDER BY seen_on DESC, id DESC LIMIT 1)"
    )
    # a score stored on the old rows (on a copy that the migration collapses)
    conn.execute(
        "INSERT INTO main.ad_scores (ad, observation, period, scored_at, rules_version, score, risky, indicators, "
        "reasons) SELECT id, latest_observation_id, '2026-W48', '2026-11-30T10:00:00', 'old', 0, 0, '', '[]' FROM ads"
    )
    conn.commit()
    conn.execute("DETACH DATABASE f")
    conn.close()


def _versions(path: Path) -> list[tuple]:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute(
            "SELECT a.site, a.ad_id, o.seen_on, o.content_hash, a.latest_observation_id = o.id, "
            "(SELECT group_concat(seen_on) FROM (SELECT seen_on FROM ad_sightings WHERE observation = o.id "
            "ORDER BY seen_on)), (SELECT group_concat(e164) FROM (SELECT e164 FROM ad_phones "
            "WHERE observation = o.id ORDER BY position)) "
            "FROM ads a JOIN ad_observations o ON o.ad = a.id ORDER BY a.site, a.ad_id, o.seen_on"
        ).fetchall()
    finally:
        conn.close()


def test_an_older_database_is_collapsed_and_scores_the_same(run_raw, tmp_path):
    fresh, old = tmp_path / "fresh.db", tmp_path / "old.db"
    for week in ("2026-W46", "2026-W47", "2026-W48"):
        for name in (f"ads_kinky_{week}.csv", f"ads_sexjobs_{week}.xlsx"):
            assert run_raw("--db", fresh, "ads", "import", ADS / name).exit_code == 0
    _old_database(fresh, old)
    conn = sqlite3.connect(str(old))
    old_rows = conn.execute("SELECT count(*) FROM ad_observations").fetchone()[0]
    conn.close()
    assert old_rows == 16 + 17 + 17 + 15 + 16 + 16  # one row per sighting

    def week_scores(db: Path, week: str) -> list[dict]:
        result = run_raw("--db", db, "ads", "score", "--no-store", "--format", "json", "--week", week)
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    assert run_raw("--db", old, "db", "check").exit_code == 0  # opens the database: migrates it
    assert _versions(old) == _versions(fresh)
    assert len(_versions(old)) < old_rows
    for week in ("2026-W46", "2026-W47", "2026-W48"):
        assert week_scores(old, week) == week_scores(fresh, week)
    conn = sqlite3.connect(str(old))
    try:
        orphaned = "SELECT count(*) FROM ad_scores WHERE observation NOT IN (SELECT id FROM ad_observations)"
        assert conn.execute(orphaned).fetchone()[0] == 0
        assert (
            conn.execute(
                "SELECT count(*) FROM ad_scores sc JOIN ads a ON a.id = sc.ad WHERE sc.observation = a.latest_observation_id"
            ).fetchone()[0]
            == conn.execute("SELECT count(*) FROM ads").fetchone()[0]
        )
        phones = "SELECT count(*) FROM ad_phones WHERE observation NOT IN (SELECT id FROM ad_observations)"
        assert conn.execute(phones).fetchone()[0] == 0
    finally:
        conn.close()
    # and importing into it goes on as into the fresh one
    for db in (old, fresh):
        assert run_raw("--db", db, "ads", "import", ADS / "ads_kinky_2026-W48.csv").exit_code == 0
    assert _versions(old) == _versions(fresh)

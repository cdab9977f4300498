"""Lists for partners: signals and ads, optionally pseudonymized."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mhtool import query
from mhtool.export.identifiers import Record, compact
from mhtool.export.pseudonymize import Pseudonymizer
from mhtool.parse.categories import label
from mhtool.query import Filter

SIGNAL_COLUMNS = [
    "id",
    "situation_id",
    "source",
    "ref",
    "reported_on",
    "type",
    "gemeente",
    "place",
    "address",
    "phones",
    "persons",
    "url",
    "victim_gender",
    "victim_age",
    "victim_nationality",
    "text",
]
AD_COLUMNS = [
    "site",
    "ad_id",
    "url",
    "name",
    "age",
    "phone",
    "place",
    "gemeente",
    "first_seen",
    "last_seen",
    "score",
    "risky",
    "indicators",
    "text",
]
# Pseudonymized, every column that names a person or a record is a token (see
# docs/pseudonymize.md); type, source, dates, place, gemeente, victim fields,
# site, age and score stay readable. `place` and `text` keep their words, with
# the identifiers in them replaced.


def export_signals(
    db, selection: Filter, *, pseudonymizer: Pseudonymizer | None, with_text: bool
) -> Iterator[dict[str, Any]]:
    where, params = query.where(selection, query.SIGNALS)
    sql = (
        "SELECT s.id, s.situation_id, s.source, s.ref, s.reported_on, s.type, s.gemeente, s.place, s.address, "
        "(SELECT group_concat(CASE WHEN valid THEN e164 ELSE raw END, ', ') FROM "
        " (SELECT e164, raw, valid FROM signal_phones WHERE signal_id = s.id ORDER BY position)) AS phones, "
        "s.persons, s.url, s.victim_gender, s.victim_age, s.victim_nationality, s.text, s.vehicle "
        f"FROM signals s{where} ORDER BY s.reported_on, s.id"
    )
    for row in db.query(sql, params):
        row["type"] = label(row["type"])
        if pseudonymizer:
            _pseudonymize_signal(row, pseudonymizer, with_text)
        yield row


def _pseudonymize_signal(row: dict[str, Any], p: Pseudonymizer, with_text: bool) -> None:
    record = Record(
        phones=row["phones"],
        persons=row["persons"],
        address=row["address"],
        vehicle=row["vehicle"],
        url=row["url"],
        others=((row["ref"], "R", compact(row["ref"])),),
    )
    situation = row["situation_id"]
    # The ids would link lists made for partners with different keys.
    row.update(
        id=p.token("S", str(row["id"])),
        situation_id=situation and p.token("C", str(situation)),
        ref=p.ref(row["ref"]),
        address=p.address(row["address"]),
        phones=p.phone(row["phones"]),
        persons=p.persons(row["persons"]),
        url=p.url(row["url"]),
        place=p.text(row["place"], record),
        text=p.text(row["text"], record) if with_text else None,
    )


def export_ads(
    db, selection: Filter, *, pseudonymizer: Pseudonymizer | None, with_text: bool
) -> Iterator[dict[str, Any]]:
    where, params = query.where(selection, query.ADS)
    sql = (
        "SELECT a.site, a.ad_id, o.url, o.name, o.age, o.phone, o.place, o.gemeente, a.first_seen, a.last_seen, "
        "sc.score, sc.risky, sc.indicators, o.text, o.licence FROM ads a "
        "JOIN ad_observations o ON o.id = a.latest_observation_id "
        "LEFT JOIN ad_scores latest ON latest.ad = a.id AND latest.run = (SELECT max(run) FROM ad_scores WHERE ad = a.id) "
        "LEFT JOIN ad_verdicts sc ON sc.id = latest.verdict"
        f"{where} ORDER BY a.site, a.ad_id"
    )
    for row in db.query(sql, params):
        if pseudonymizer:
            _pseudonymize_ad(row, pseudonymizer, with_text)
        yield row


def _pseudonymize_ad(row: dict[str, Any], p: Pseudonymizer, with_text: bool) -> None:
    # The ad id would rebuild the tokenised URL: it becomes a token too.
    ad = f"{row['site']}:{row['ad_id']}"
    record = Record(
        phones=row["phone"],
        persons=row["name"],
        url=row["url"],
        others=((row["ad_id"], "AD", ad), (row["licence"], "L", compact(row["licence"] or ""))),
    )
    row.update(
        ad_id=p.token("AD", ad),
        url=p.url(row["url"]),
        name=p.persons(row["name"]),
        phone=p.phone(row["phone"]),
        place=p.text(row["place"], record),
        text=p.text(row["text"], record) if with_text else None,
    )

"""The ads that the texts being scored are compared with, for ``shared_text``.

`ads score` for a period compares the ads seen in that period with each
other: the ads that are online together, whose wording is what the sites
show now; both the cost and the template statistics then follow the week,
not the history. `ads evaluate` and `ads tune` compare each reviewed ad's
latest text with the latest text of every ad in the database (see
:mod:`mhtool.ads.textshare` for what counts as shared wording)."""

from __future__ import annotations

from typing import Any, cast

from mhtool.ads.evidence import name_key, phones_of_observations
from mhtool.ads.rules import Rules
from mhtool.ads.textshare import MAX_GROUP, MIN_OVERLAP, MIN_SHINGLES, TextShare, shared_wording


def text_params(rules: Rules) -> dict[str, Any]:
    indicator = rules.indicators.get("shared_text")
    params = indicator.params if indicator else {}
    return {
        "max_group": int(params.get("max_group", MAX_GROUP)),
        "min_shingles": int(params.get("min_shingles", MIN_SHINGLES)),
        "min_overlap": float(params.get("min_overlap", MIN_OVERLAP)),
    }


def text_shares(
    conn,
    rows: list[dict[str, Any]],
    phones_of_observation,
    rules: Rules,
    *,
    others: bool = True,
    shingles: dict[int, Any] | None = None,
) -> dict[int, TextShare]:
    """Shared wording of the ads in `rows`: among themselves, and with the
    latest text of every other ad when `others`. `shingles`: those of the
    rows' texts, if cut beforehand."""
    if "shared_text" not in rules.indicators:
        return {}
    scored = {row["ad"]: (row["observation"], row["text"], row["name"]) for row in rows}
    if not others:
        items = [
            (ad, text, (name_key(name), phones_of_observation.get(obs, frozenset())), name_key(name))
            for ad, (obs, text, name) in scored.items()
        ]
        return cast(dict[int, TextShare], shared_wording(items, **text_params(rules), shingles=shingles))
    other_ads = [
        (ad, observation, text, name)
        for ad, observation, text, name in conn.execute(
            "SELECT a.id, o.id, o.text, o.name FROM ads a JOIN ad_observations o ON o.id = a.latest_observation_id"
        )
        if ad not in scored
    ]
    phones = {**phones_of_observation, **phones_of_observations(conn, [o for _, o, _, _ in other_ads])}
    items = [
        (ad, text, (name_key(name), phones.get(obs, frozenset())), name_key(name))
        for ad, (obs, text, name) in scored.items()
    ]
    items += [
        (ad, text, (name_key(name), phones.get(obs, frozenset())), name_key(name)) for ad, obs, text, name in other_ads
    ]
    found = shared_wording(items, **text_params(rules), shingles=shingles)
    return {cast(int, ad): share for ad, share in found.items() if ad in scored}

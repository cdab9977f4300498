"""The risk indicators: which fire for one ad, each with a reason in plain
(Dutch) words that a municipality can read.

`Evidence` holds what one ad looks like plus what the rest of the database
says about it (shared phones, photos, texts, the median price, signals); the
functions here only decide. `mhtool.ads.scoring` gathers the evidence.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field

from mhtool.ads.obscured import obscured_phone
from mhtool.ads.rules import Indicator, Rules
from mhtool.parse.categories import fold


@dataclass
class Evidence:
    ad: int
    text: str
    title: str | None = None
    age: int | None = None
    licence: str | None = None
    price: int | None = None
    price_minutes: int | None = None  # what the price buys (None: not said, read as an hour)
    nationality: str | None = None
    median_prices: dict[int, float] = field(default_factory=dict)  # minutes -> median price
    phone_ads: int = 0  # ads (this one included) that use one of its phones
    phone_names: int = 0
    phone_places: int = 0
    photo_others: int = 0  # other ads with one of its photos and another name or phone
    text_ads: int = 0  # other ads (other name or phone) sharing its own wording
    text_names: int = 0  # distinct other names among them
    ad_places: int = 0  # places this ad was seen in over time
    signals: list[str] = field(default_factory=list)  # "mma:M26-100283"
    # indicator code -> what its check found in the wording alone (a phrase,
    # how a phone was hidden), when looked for beforehand (textwork.py); else found here
    text_finds: dict[str, str] | None = None

    @property
    def full_text(self) -> str:
        return " ".join(filter(None, [self.title, self.text]))


@dataclass
class Fired:
    code: str
    weight: float
    reason: str
    family: str | None = None  # set when it fired on wording of a family: counts once


class Worded(str):
    """A reason found in the wording (a phrase): counts in its family."""


def score_of(fired: list[Fired]) -> float:
    """The sum of the weights; indicators of one family that fired on their
    wording count once, at the strongest (one template often has them all)."""
    total = 0.0
    strongest: dict[str, float] = {}
    for item in fired:
        if item.family:
            strongest[item.family] = max(strongest.get(item.family, 0.0), item.weight)
        else:
            total += item.weight
    return round(total + sum(strongest.values()), 2)


def folded_text(text: str) -> str:
    return fold(text).replace("'", "").replace("\u2019", "")


def _phrase(indicator: Indicator | None, evidence: Evidence, folded: str) -> str | None:
    if indicator is None:
        return None
    if evidence.text_finds is not None:
        return evidence.text_finds.get(indicator.code)
    return indicator.find_phrase(evidence.full_text, folded)


def evaluate(evidence: Evidence, rules: Rules) -> list[Fired]:
    """Every indicator in `rules` that fires for this ad."""
    # (the wording's finds may have been found beforehand: then it is not needed)
    folded = folded_text(evidence.full_text) if evidence.text_finds is None else ""
    fired: list[Fired] = []
    for code, indicator in rules.indicators.items():
        check = _CHECKS.get(code, _phrase_only)
        reason = check(evidence, indicator, folded)
        if reason:
            family = indicator.family if isinstance(reason, Worded) else None
            fired.append(Fired(code, indicator.weight, str(reason), family))
    return fired


def _under_21(e: Evidence, ind: Indicator, folded: str) -> str | None:
    if e.age is not None and e.age < 21:
        return f"leeftijd {e.age} (onder 21)"
    phrase = _phrase(ind, e, folded)
    return Worded(f"jeugdige taal: '{phrase}'") if phrase else None


def _age_21_25(e: Evidence, ind: Indicator, folded: str) -> str | None:
    return f"leeftijd {e.age} (21-25)" if e.age is not None and 21 <= e.age <= 25 else None


def _no_licence(e: Evidence, ind: Indicator, folded: str) -> str | None:
    return None if e.licence else "geen vergunningnummer"


def _shared_phone(e: Evidence, ind: Indicator, folded: str) -> str | None:
    # Under other names or places: one worker on two sites under one name in
    # one place is not a sign.
    if e.phone_ads < 2 or (e.phone_names < 2 and e.phone_places < 2):
        return None
    names = f" onder {e.phone_names} {'naam' if e.phone_names == 1 else 'namen'}" if e.phone_names else ""
    places = f" in {e.phone_places} {'plaats' if e.phone_places == 1 else 'plaatsen'}" if e.phone_places else ""
    return f"telefoonnummer in {e.phone_ads} advertenties{names}{places}"


def _shared_photo(e: Evidence, ind: Indicator, folded: str) -> str | None:
    if not e.photo_others:
        return None
    return f"foto ook in {e.photo_others} andere advertentie(s) met een andere naam of telefoon"


def _shared_text(e: Evidence, ind: Indicator, folded: str) -> str | None:
    if not e.text_ads:
        return None
    ads = f"{e.text_ads} andere {'advertentie' if e.text_ads == 1 else 'advertenties'}"
    if e.text_names:
        who = f"onder {e.text_names} andere {'naam' if e.text_names == 1 else 'namen'}"
    else:
        who = "met een ander telefoonnummer"
    return f"eigen tekst (geen sjabloon) gedeeld met {ads} {who}"


def _worded(label: str):
    def check(e: Evidence, ind: Indicator, folded: str) -> str | None:
        phrase = _phrase(ind, e, folded)
        return Worded(f"{label}: '{phrase}'") if phrase else None

    return check


UNIT_NAMES = {
    15: "kwartier",
    20: "20 minuten",
    30: "half uur",
    45: "45 minuten",
    60: "uur",
    90: "anderhalf uur",
    120: "2 uur",
}


def _low_price(e: Evidence, ind: Indicator, folded: str) -> str | None:
    """At or below `fraction_of_median` of the median price for the same
    time (per half hour against half hours); without enough prices for that
    time, against the hourly median scaled to it."""
    if e.price is None:
        return None
    minutes = e.price_minutes or 60
    median, scaled = e.median_prices.get(minutes), False
    if median is None and minutes != 60 and 60 in e.median_prices:
        median, scaled = e.median_prices[60] * minutes / 60, True
    if not median:
        return None
    fraction = float(ind.params.get("fraction_of_median", 0.6))
    if e.price > fraction * median + 1e-9:
        return None
    if minutes == 60 and not e.price_minutes:
        return f"prijs € {e.price}, ver onder de mediaan van € {median:.0f}"
    unit = UNIT_NAMES.get(minutes, f"{minutes} minuten")
    basis = "de mediaan per uur, omgerekend" if scaled else "de mediaan"
    return f"prijs € {e.price} per {unit}, ver onder {basis} van € {median:.0f} per {unit}"


@functools.lru_cache(maxsize=8)
def _folded_set(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(fold(n) for n in names)


def _language_origin(e: Evidence, ind: Indicator, folded: str) -> str | None:
    ignored = _folded_set(tuple(ind.params.get("ignore_nationalities", [])))
    if e.nationality and fold(e.nationality) not in ignored:
        return f"herkomst genoemd: {e.nationality}"
    phrase = _phrase(ind, e, folded)
    return Worded(f"taal of herkomst genoemd: '{phrase}'") if phrase else None


def _movement(e: Evidence, ind: Indicator, folded: str) -> str | None:
    phrase = _phrase(ind, e, folded)
    if phrase:
        return Worded(f"wisselende werkplek: '{phrase}'")
    if e.ad_places >= 2:
        return f"advertentie gezien in {e.ad_places} plaatsen"
    if e.phone_places >= 2:
        return f"telefoonnummer gezien in {e.phone_places} plaatsen"
    return None


def _obscured_phone(e: Evidence, ind: Indicator, folded: str) -> str | None:
    trick = e.text_finds.get(ind.code) if e.text_finds is not None else obscured_phone(e.full_text)
    return f"telefoonnummer verhuld ({trick})" if trick else None


SIGNAL_REASON = "telefoonnummer komt voor in signaal "
_MORE = re.compile(r" en (\d+) meer$")


def _signal_reason(named: list[str], more: int) -> str:
    if not named:
        return f"telefoonnummer komt voor in {more} {'signaal' if more == 1 else 'signalen'}"
    return SIGNAL_REASON + ", ".join(named) + (f" en {more} meer" if more else "")


def _signal_phone(e: Evidence, ind: Indicator, folded: str) -> str | None:
    if not e.signals:
        return None
    return _signal_reason(e.signals[:3], max(len(e.signals) - 3, 0))


def forget_signals(reasons: list[str], purged: set[str]) -> list[str] | None:
    """`reasons` with the purged signals (SOURCE:REF) no longer named, or
    None when none of them was."""
    out, changed = [], False
    for reason in reasons:
        if reason.startswith(SIGNAL_REASON):
            listed = reason[len(SIGNAL_REASON) :]
            more = _MORE.search(listed)
            extra = int(more.group(1)) if more else 0
            named = (listed[: more.start()] if more else listed).split(", ")
            kept = [ref for ref in named if ref not in purged]
            if len(kept) != len(named):
                reason, changed = _signal_reason(kept, extra + len(named) - len(kept)), True
        out.append(reason)
    return out if changed else None


def forget_purged_signals(conn, purged: set[str]) -> None:
    """Stored ad scores name the signals that share the ad's phone; a purged
    signal must not live on there."""
    from mhtool.store.adscores import replace_reasons

    changed = []
    for verdict_id, reasons in conn.execute(
        "SELECT id, reasons FROM ad_verdicts WHERE ';' || indicators || ';' LIKE '%;signal_phone;%'"
    ):
        kept = forget_signals(json.loads(reasons), purged)
        if kept is not None:
            changed.append((verdict_id, json.dumps(kept, ensure_ascii=False)))
    replace_reasons(conn, changed)


def _phrase_only(e: Evidence, ind: Indicator, folded: str) -> str | None:
    phrase = _phrase(ind, e, folded)
    return Worded(f"{ind.code}: '{phrase}'") if phrase else None


_CHECKS = {
    "under_21": _under_21,
    "age_21_25": _age_21_25,
    "no_licence": _no_licence,
    "shared_phone": _shared_phone,
    "shared_photo": _shared_photo,
    "shared_text": _shared_text,
    "third_person": _worded("geschreven over haar, niet door haar"),
    "always_available": _worded("altijd beschikbaar"),
    "unsafe_services": _worded("onveilige diensten"),
    "low_price": _low_price,
    "language_origin": _language_origin,
    "movement": _movement,
    "obscured_phone": _obscured_phone,
    "signal_phone": _signal_phone,
}

"""The region's own numbers: a cost split by inhabitants and the staffing norm.

The split uses the largest remainder method in whole euros: every
municipality gets the whole euros of its exact share, and the euros left over
go to the largest fractions, so the parts add up to exactly the amount.
"""

from __future__ import annotations

import re

from mhtool.errors import UsageError
from mhtool.region.municipalities import TOTAL, Municipality, Region, normalise_place

# CoMensha's staffing norm for a region's approach to trafficking.
CARE_FTE_PER_100K = 0.1
DIRECTION_FTE = (0.5, 1.0)

_GROUPED = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")


def parse_amount(text: str) -> int:
    """Whole euros: 90593, 90.593, 90,593, EUR 90.593 or € 90.593,00."""
    value = re.sub(r"^(?:€|eur(?:o)?)\s*", "", text.strip(), flags=re.IGNORECASE).replace(" ", "")
    value = re.sub(r"[.,](?:00|-)$", "", value)
    if value.isdigit():
        return int(value)
    if _GROUPED.fullmatch(value):
        return int(re.sub(r"[.,]", "", value))
    raise UsageError(f"AMOUNT {text!r}: expected whole euros, e.g. 90593 or 90.593")


def largest_remainder(amount: int, weights: dict[str, int]) -> dict[str, int]:
    """Split `amount` in proportion to `weights`; the parts add up to `amount`.

    Integer arithmetic throughout, so no rounding error can creep in. Ties
    for a left-over euro go to the larger weight, then alphabetically."""
    total = sum(weights.values())
    if total <= 0:
        raise UsageError("cannot split: the municipalities have no inhabitants")
    parts = {name: amount * weight // total for name, weight in weights.items()}
    left_over = amount - sum(parts.values())
    by_fraction = sorted(weights, key=lambda n: (-(amount * weights[n] % total), -weights[n], n))
    for name in by_fraction[:left_over]:
        parts[name] += 1
    return parts


def _pick(region: Region, day: str, exclude: tuple[str, ...]) -> list[Municipality]:
    in_force = region.in_force(day)
    by_key = {normalise_place(m.gemeente): m for m in in_force}
    dropped = set()
    for name in exclude:
        record = by_key.get(normalise_place(name))
        if record is None:
            known = ", ".join(m.gemeente for m in in_force)
            raise UsageError(f"--exclude {name!r}: not a municipality of the region on {day} (known: {known})")
        dropped.add(record.gemeente)
    chosen = [m for m in in_force if m.gemeente not in dropped]
    if not chosen:
        raise UsageError("every municipality is excluded; nothing to split over")
    return chosen


def cost_split(region: Region, amount: int, day: str, exclude: tuple[str, ...] = ()) -> list[dict]:
    """One row per municipality in force on `day`: inhabitants, share, euros."""
    if amount < 0:
        raise UsageError("AMOUNT must not be negative")
    chosen = _pick(region, day, exclude)
    inhabitants = {m.gemeente: m.inhabitants for m in chosen}
    parts = largest_remainder(amount, inhabitants)
    total = sum(inhabitants.values())
    return [
        {
            "gemeente": name,
            "inhabitants": people,
            "share_pct": round(100 * people / total, 2),
            "amount": parts[name],
        }
        for name, people in inhabitants.items()
    ]


def split_total(rows: list[dict], amount: int) -> dict:
    return {
        "gemeente": TOTAL,
        "inhabitants": sum(r["inhabitants"] for r in rows),
        "share_pct": 100.0,
        "amount": amount,
    }


def fte_norm(region: Region, day: str) -> list[dict]:
    """CoMensha: 0.1 FTE care coordination per 100,000 inhabitants, and
    0.5 to 1 FTE chain direction for the region."""
    inhabitants = sum(m.inhabitants for m in region.in_force(day))
    care = round(inhabitants / 100_000 * CARE_FTE_PER_100K, 2)
    low, high = DIRECTION_FTE
    return [
        {
            "task": "zorgcoördinatie",
            "norm": "0,1 fte per 100.000 inwoners",
            "inhabitants": inhabitants,
            "fte_min": care,
            "fte_max": care,
        },
        {"task": "ketenregie", "norm": "0,5 tot 1 fte per regio", "inhabitants": None, "fte_min": low, "fte_max": high},
        {
            "task": TOTAL,
            "norm": None,
            "inhabitants": None,
            "fte_min": round(care + low, 2),
            "fte_max": round(care + high, 2),
        },
    ]

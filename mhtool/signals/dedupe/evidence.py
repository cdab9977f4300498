"""How much two signals look like one situation, and why.

Every rule that applies to a pair adds its weight (negative for evidence
against); the pair is linked when the total reaches `MATCH` *and* the two
share at least one strong identifier: a phone number, an address with a
house number, a licence plate, a link, an account name or a full person name.
Municipality, dates, type and text only support: the same wording about
different people or addresses must not merge, and conflicting identifiers
(two different phones, two different addresses) count against.

Phones one digit apart (a mistyped or swapped digit) are weak evidence on
their own (`near_phone`), but strong (`near_phone_local`) when the two
signals are in the same known municipality, at most `LOCAL_DAYS` apart, and
no other identifier disagrees (`CONFLICTS`: addresses, names or plates, and
no number on either side without its near twin on the other).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from mhtool.region.municipalities import UNKNOWN
from mhtool.signals.dedupe.matchkeys import Name, Profile, skeleton
from mhtool.signals.dedupe.rules import active


def __getattr__(name: str):
    """MATCH, STRICTER, LOCAL_DAYS and RULES: those of the rules in force (rules.py)."""
    rules = active()
    values = {"MATCH": rules.match, "STRICTER": rules.stricter, "LOCAL_DAYS": rules.local_days, "RULES": rules.rules}
    if name in values:
        return values[name]
    raise AttributeError(name)


@dataclass(frozen=True)
class Verdict:
    score: float
    strong: bool  # at least one strong identifier shared
    found: tuple[tuple[str, str], ...]  # (rule code, detail)

    @property
    def linked(self) -> bool:
        return self.strong and self.score >= active().match

    def as_json(self) -> dict:
        weights = active().rules
        return {
            "score": self.score,
            "rules": [{"code": code, "weight": weights[code].weight, "detail": detail} for code, detail in self.found],
        }


def describe(rules: list[dict]) -> str:
    """'zelfde telefoonnummer +316... (+6); 2 dagen verschil (+1.5)' from stored evidence."""
    parts, known = [], active().rules
    for rule in rules:
        says = known[rule["code"]].says if rule["code"] in known else rule["code"] + " {}"
        parts.append(f"{says.format(rule['detail']).strip()} ({rule['weight']:+g})")
    return "; ".join(parts)


# --- names ---------------------------------------------------------------------


def _same_word(x: str, y: str) -> bool:
    if x == y:
        return True
    if len(x) == 1 or len(y) == 1:  # an initial
        return x[0] == y[0]
    similarity = fuzz.ratio(x, y)
    return similarity >= 85 or (similarity >= 65 and skeleton(x) == skeleton(y))


def name_match(a: Name, b: Name) -> str | None:
    """How two names agree: 'full' (first and last name, in either order),
    'initial' (last name and first initial), 'single' (a one-word name found
    in the other name), or None."""
    ta, tb = a.tokens, b.tokens
    if len(ta) >= 2 and len(tb) >= 2:
        for first, last in ((tb[0], tb[-1]), (tb[-1], tb[0])):
            if _same_word(ta[-1], last) and _same_word(ta[0], first):
                if min(len(ta[0]), len(first)) > 1 and max(len(ta[-1]), len(last)) > 1:
                    return "full"
                return "initial"
        return None
    word, other = (ta[0], tb) if len(ta) == 1 else (tb[0], ta)
    if len(word) < 3:
        return None
    return "single" if any(len(t) >= 3 and _same_word(word, t) for t in other) else None


_NAME_RULES = {"full": "same_name", "initial": "same_initial_name", "single": "same_first_name"}
_NAME_ORDER = ("full", "initial", "single")


def _names(a: Profile, b: Profile, found: list) -> None:
    if not (a.names and b.names):
        return
    best, shown = None, ""
    for x in a.names:
        for y in b.names:
            kind = name_match(x, y)
            if kind and (best is None or _NAME_ORDER.index(kind) < _NAME_ORDER.index(best)):
                best, shown = kind, f"{x.shown} ~ {y.shown}" if x.shown != y.shown else x.shown
    found.append((_NAME_RULES[best], shown) if best else ("other_names", ""))


def full_name_shared(a: Profile, b: Profile) -> bool:
    """A first name (or initial) and a last name in common."""
    return any(name_match(x, y) in ("full", "initial") for x in a.names for y in b.names)


# --- a near phone made strong by its circumstances ---------------------------------

# Identifiers that disagree: they keep a near phone from linking.
CONFLICTS = frozenset({"other_address", "other_names", "other_plates"})


def _local(a: Profile, b: Profile) -> bool:
    """Same known municipality, at most `LOCAL_DAYS` apart."""
    return a.known_gemeente and a.gemeente == b.gemeente and abs(a.day - b.day) <= active().local_days


def could_link(a: Profile, b: Profile) -> bool:
    """Whether a pair without a shared strong key may still link (cheap, no
    text): a full name in common, or phones one digit apart in one
    municipality within a month (compare checks the rest)."""
    if a.phones and b.phones and _local(a, b) and any(one_digit_apart(x, y) for x in a.phones for y in b.phones):
        return True
    return full_name_shared(a, b)


# --- the pair --------------------------------------------------------------------


def one_digit_apart(x: str, y: str) -> bool:
    """A mistyped digit, or two neighbouring digits swapped."""
    if len(x) != len(y):
        return False
    diff = [i for i, (p, q) in enumerate(zip(x, y)) if p != q]
    return len(diff) == 1 or (
        len(diff) == 2 and diff[1] == diff[0] + 1 and x[diff[0]] == y[diff[1]] and x[diff[1]] == y[diff[0]]
    )


def _other_phones_on_both_sides(a: frozenset, b: frozenset) -> bool:
    """Each side has a number with no near twin on the other: besides the
    near pair, the two reports name different phones."""
    alone_in_a = any(not any(one_digit_apart(x, y) for y in b) for x in a)
    alone_in_b = any(not any(one_digit_apart(x, y) for x in a) for y in b)
    return alone_in_a and alone_in_b


def _phones(a: frozenset, b: frozenset, found: list) -> None:
    if not (a and b):
        return
    if a & b:
        found.append(("same_phone", ", ".join(sorted(a & b))))
        return
    near = sorted(f"{x} / {y}" for x in a for y in b if one_digit_apart(x, y))
    found.append(("near_phone", near[0]) if near else ("other_phones", ""))


def _shared(a: frozenset, b: frozenset, same: str, other: str | None, found: list) -> None:
    if not (a and b):
        return
    common = a & b
    if common:
        found.append((same, ", ".join(sorted(common))))
    elif other:
        found.append((other, ""))


def _address(a: Profile, b: Profile, found: list) -> None:
    x, y = a.address, b.address
    if not (x and y):
        return
    if x.number and y.number:
        # 'buiten regio' is a place, only not one of the region's: not where a Laren address is
        places_agree = a.gemeente == b.gemeente or UNKNOWN in (a.gemeente, b.gemeente)
        if places_agree and (x.street, x.number) == (y.street, y.number):
            found.append(("same_address", x.shown))
        else:
            found.append(("other_address", ""))
    elif x.street == y.street:
        found.append(("same_street", x.shown))


def _days(days: int, found: list, limits: dict[str, int]) -> None:
    detail = "1 dag" if days == 1 else f"{days} dagen"
    if days <= limits["close"]:
        found.append(("days_close", detail))
    elif days <= limits["near"]:
        found.append(("days_near", detail))
    elif days > limits["far"]:
        found.append(("days_far", detail))
    elif days > limits["apart"]:
        found.append(("days_apart", detail))


def compare(a: Profile, b: Profile, text_similarity: float | None = None) -> Verdict:
    """Score a pair; `text_similarity` (0-100) comes from the caller's batch
    (None: leave the text out, to see cheaply whether a pair could link)."""
    rules = active()
    found: list[tuple[str, str]] = []
    _phones(a.phones, b.phones, found)
    _address(a, b, found)
    _shared(a.plates, b.plates, "same_plate", "other_plates", found)
    _shared(a.urls, b.urls, "same_url", None, found)
    _shared(a.handles, b.handles, "same_account", None, found)
    _names(a, b, found)
    if a.known_gemeente and b.known_gemeente:
        found.append(
            ("same_gemeente", a.gemeente)
            if a.gemeente == b.gemeente
            else ("other_gemeente", f"{a.gemeente} / {b.gemeente}")
        )
    _days(abs(a.day - b.day), found, rules.days)
    if a.type != "unknown" and b.type != "unknown":
        if a.type == b.type:
            found.append(("same_type", ""))
        elif a.type_origin == b.type_origin == "given":
            found.append(("other_type", ""))
    if text_similarity is None:
        pass
    elif text_similarity >= rules.text["same"]:
        found.append(("same_text", str(round(text_similarity))))
    elif text_similarity >= rules.text["similar"]:
        found.append(("similar_text", str(round(text_similarity))))
    if (
        found[:1]
        and found[0][0] == "near_phone"
        and _local(a, b)
        and not any(c in CONFLICTS for c, _ in found)
        and not _other_phones_on_both_sides(a.phones, b.phones)
    ):
        # a mistyped or swapped digit, in the same municipality within a month,
        # and no other identifier that disagrees: as good as the same number
        found[0] = ("near_phone_local", found[0][1])
    weights = rules.rules
    score = sum(weights[code].weight for code, _ in found)
    strong = any(weights[code].strong for code, _ in found)
    return Verdict(round(score, 2), strong, tuple(found))

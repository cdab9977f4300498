"""What dedupe compares: identifiers read from a signal's fields.

Pure functions, no database: person names (with a phonetic key that forgives
the usual spelling variants), street and house number, licence plates, web
links and account names. `Profile` bundles them for one signal and lists its
blocking keys: the values two reports about one situation are likely to
share exactly, so that only signals sharing a key are ever compared.
"""

from __future__ import annotations

import datetime
import re
import sys
from dataclasses import dataclass
from functools import lru_cache

from mhtool.region.municipalities import OUTSIDE, UNKNOWN
from mhtool.text import fold_words

# --- person names ------------------------------------------------------------

_NAME_SPLIT = re.compile(r"\s*(?:[;,/&+\n]|\s(?:en|and|of|or)\s)\s*", re.IGNORECASE)
_BRACKETS = re.compile(r"\([^)]*\)?|\[[^\]]*\]?")
_LABEL = re.compile(r"^[\w .-]{1,20}:\s*")  # "Snapchat: x", "alias: x"
_HANDLE = re.compile(r"^@?(?=\S*[a-z])\S*[\d_.@]\S*$")  # one word with digits, '_' or '.': an account name
_WORD = re.compile(r"[a-z]+")
# Words around a name that say who someone is, not what they are called.
ROLE_WORDS = frozenset(
    "meisje jongen vrouw man neef nicht oom tante broer zus vader moeder zoon dochter vriend vriendin "
    "eigenaar eigenaresse baas coordinator coördinator chauffeur pooier alias bijnaam genaamd mevrouw "
    "meneer mevr mw dhr heer de".split()
)
# Name particles: left out of comparisons ("R. de Wit" = "R. Wit").
PARTICLES = frozenset("de den der van von het ten ter te el al la le da dos du di t op in bin ben".split())

# Spelling variants that sound alike, applied in this order.
_SOUNDS = (
    ("ph", "f"),
    ("ck", "k"),
    ("ch", "k"),
    ("c", "k"),
    ("q", "k"),
    ("x", "ks"),
    ("z", "s"),
    ("ij", "i"),
    ("y", "i"),
    ("w", "v"),
    ("dt", "t"),
    ("th", "t"),
    ("kh", "k"),
    ("gh", "g"),
    ("oe", "u"),
    ("ou", "u"),
)
_DOUBLES = re.compile(r"(.)\1+")
_VOWELS_H = re.compile(r"[aeiouh]")


def plain(text: str) -> str:
    """Casefolded, accents dropped, anything but letters and digits as single spaces."""
    return fold_words(text)


@lru_cache(maxsize=65536)  # names recur: each spelling is worked out once
def sound(word: str) -> str:
    """Jansen/Janssen, Popescu/Popesku, Bryan/Brian, Alex/Aleks -> one spelling."""
    for old, new in _SOUNDS:
        word = word.replace(old, new)
    return _DOUBLES.sub(r"\1", word)


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """First letter and consonants of `sound(word)`: Mohamed/Muhammad -> 'mmd'."""
    return word[:1] + _VOWELS_H.sub("", word[1:])


NOTHING: frozenset[str] = frozenset()


def frozen(values: set[str]) -> frozenset[str]:
    """Share one empty set between the 100,000s of signals that have none."""
    return frozenset(values) if values else NOTHING


@dataclass(frozen=True, slots=True)
class Name:
    shown: str  # as written, for the evidence
    tokens: tuple[str, ...]  # sound() of each word, particles and role words left out


@lru_cache(maxsize=16384)
def parse_persons(cell: str | None) -> tuple[tuple[Name, ...], frozenset[str]]:
    """Names and account names ('cashking_035', 'b.golf035') in a persons cell."""
    names, handles = [], set()
    for part in _NAME_SPLIT.split(cell or ""):
        part = _BRACKETS.sub(" ", part).strip(" \"'“”‘’«».-")
        part = _LABEL.sub("", part).strip(" \"'“”‘’«»")
        if not part:
            continue
        low = part.casefold()
        if " " not in low and _HANDLE.match(low):
            handles.add(low.lstrip("@"))
            continue
        words = _WORD.findall(plain(part))
        while words and words[0] in ROLE_WORDS:
            words.pop(0)
        tokens = tuple(sound(w) for w in words if w not in PARTICLES)
        if sum(len(t) for t in tokens) >= 3 and any(len(t) >= 2 for t in tokens):
            names.append(Name(part, tokens))
    return tuple(names), frozen(handles)


def word_key(token: str) -> str:
    """The skeleton, unless it is too short to keep a block small ('linh', 'sami')."""
    key = skeleton(token)
    return key if len(key) >= 3 else token


def name_keys(name: Name) -> list[str]:
    """Blocking keys of a name of two or more words (one word is never
    enough to link): the whole name; and first initial with last name, and
    first name with last initial, so that a typo in one of the two words or
    an initial ('D. Jansen') still meets the other spelling. The last two
    are meant to be combined with the municipality."""
    tokens = name.tokens
    if len(tokens) < 2:
        return []
    first, last = tokens[0], tokens[-1]
    keys = ["n:" + " ".join(sorted(skeleton(t) for t in tokens)), f"i:{first[0]} {word_key(last)}"]
    if len(first) > 1:
        keys.append(f"j:{word_key(first)} {last[0]}")
    return keys


# --- addresses -----------------------------------------------------------------

_POSTCODE = re.compile(r"\b\d{4} ?[a-z]{2}\b")
_STREET_NUMBER = re.compile(r"([a-z][a-z ]*?[a-z]) ?(\d{1,5})(?: ?([a-z])\b)?")
_ABBREVIATIONS = {
    "str": "straat",
    "ln": "laan",
    "wg": "weg",
    "pl": "plein",
    "burg": "burgemeester",
    "v": "van",
    "st": "sint",
    "gr": "gracht",
}


@dataclass(frozen=True, slots=True)
class Address:
    shown: str
    street: str  # words joined without spaces: 'oudloosdrechtsedijk'
    number: str | None  # '112', '112a'; None when only a street is given


def parse_address(cell: str | None) -> Address | None:
    if not cell:
        return None
    text = _POSTCODE.sub(" ", plain(cell))
    match = _STREET_NUMBER.search(text)
    if match:
        street, number = match.group(1), match.group(2) + (match.group(3) or "")
    else:
        street, number = text, None
    words = [_ABBREVIATIONS.get(w, w) for w in street.split()]
    if words and words[-1].endswith("str") and len(words[-1]) > 4:
        words[-1] += "aat"
    street = "".join(words)
    if len(street) < 4:
        return None
    return Address(cell.strip(), street, number)


# --- plates, links -------------------------------------------------------------

_PLATE_SPLIT = re.compile(r"[;,/\n]|\s(?:en|of)\s", re.IGNORECASE)
_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


def parse_plates(cell: str | None) -> frozenset[str]:
    """Licence plates: 4 to 8 letters and digits, at least one of each."""
    plates = set()
    for part in _PLATE_SPLIT.split(cell or ""):
        plate = _NOT_ALNUM.sub("", part.upper())
        if 4 <= len(plate) <= 8 and not plate.isdigit() and not plate.isalpha():
            plates.add(plate)
    return frozen(plates)


_URL_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?")


def parse_urls(cell: str | None) -> frozenset[str]:
    urls = set()
    for part in re.split(r"[\s;,]+", cell or ""):
        url = _URL_PREFIX.sub("", part.strip().casefold()).rstrip("/")
        if "." in url and len(url) >= 6:
            urls.add(url)
    return frozen(urls)


# --- one signal ----------------------------------------------------------------

NOT_A_MUNICIPALITY = frozenset({UNKNOWN, OUTSIDE})


@dataclass(slots=True)  # one per signal, 100,000s at a time
class Profile:
    """Everything dedupe compares about one signal."""

    id: int
    day: int  # date as an ordinal
    gemeente: str
    type: str
    type_origin: str
    text: str
    phones: frozenset[str] = frozenset()
    names: tuple[Name, ...] = ()
    handles: frozenset[str] = frozenset()
    address: Address | None = None
    plates: frozenset[str] = frozenset()
    urls: frozenset[str] = frozenset()

    @property
    def known_gemeente(self) -> bool:
        return self.gemeente not in NOT_A_MUNICIPALITY


def make_profile(row: dict, phones: frozenset[str]) -> Profile:
    """`row` holds the signals columns dedupe reads (see dedupe.PROFILE_SQL)."""
    names, handles = parse_persons(row["persons"])
    return Profile(
        id=row["id"],
        day=datetime.date.fromisoformat(row["reported_on"][:10]).toordinal(),
        gemeente=sys.intern(row["gemeente"]),
        type=sys.intern(row["type"]),
        type_origin=sys.intern(row["type_origin"]),
        text=row["text"] or "",
        phones=phones,
        names=names,
        handles=handles,
        address=parse_address(row["address"]),
        plates=parse_plates(row["vehicle"]),
        urls=parse_urls(row["url"]),
    )


# A one-sided key pairs a signal that *seeks* on it (the key is returned with
# a leading '?') with every other signal in its block, never two signals that
# only *listen* (see dedupe.candidate_pairs).
SEEKS = "?"


def phone_masks(phone: str) -> list[str]:
    """`phone` with three neighbouring digits masked, window by window from
    the first digit after a two-digit country code, in two series one digit
    apart: +31612345678 -> '+31___345678', '+31612___678', '+31612345___',
    '+316___45678', '+316123___78', '+316123456__'. Two numbers one digit
    apart, or with two neighbouring digits swapped, always share one of
    them; the few other numbers that do are weeded out by
    evidence.could_link. Six keys a number, so blocks stay small."""
    n = len(phone)
    return [phone[:at] + "___"[: n - at] + phone[at + 3 :] for at in (*range(3, n, 3), *range(4, n, 3))]


def blocking_keys(p: Profile) -> list[str]:
    """The values worth comparing on.

    - Anywhere: phones, plates, links, account names and whole names.
    - Within one municipality: street and house number ('a:'); first initial
      and last name, and first name and last initial ('i:', 'j:').
    - The same three without the municipality ('A:', 'I:', 'J:'), as
      one-sided keys: a signal whose place is not known ('onbekend') seeks
      on them, every other signal only listens ('buiten regio' is a known
      place, just not one of the region's). So an
      address or a name without a place meets the same address or name in
      any municipality (if in one municipality only: see
      dedupe.candidate_pairs), while two signals of two different known
      municipalities never meet on them.
    - Within one known municipality: each phone with three neighbouring
      digits masked ('q:', see `phone_masks`), for a mistyped or swapped
      digit.
    """
    keys = [f"p:{phone}" for phone in p.phones]
    keys += [f"v:{plate}" for plate in p.plates]
    keys += [f"u:{url}" for url in p.urls]
    keys += [f"h:{handle}" for handle in p.handles]
    seeks = SEEKS if p.gemeente == UNKNOWN else ""
    if p.address and p.address.number:
        place = f"{p.address.street} {p.address.number}"
        keys += [f"a:{p.gemeente}|{place}", f"{seeks}A:{place}"]
    for name in p.names:
        for key in name_keys(name):
            if key.startswith("n:"):
                keys.append(key)
            else:  # 'i:d jnsn' -> 'i:d jnsn|Huizen' and 'I:d jnsn'
                keys += [f"{key}|{p.gemeente}", f"{seeks}{key[0].upper()}{key[1:]}"]
    if p.known_gemeente:
        prefix = f"q:{p.gemeente}|"
        keys += [prefix + mask for phone in p.phones for mask in phone_masks(phone)]
    return sorted(set(keys))

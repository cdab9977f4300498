"""Identifiers in free text: where each one stands and its canonical value.

For pseudonymized exports (see `mhtool.pseudonymize`): `find(text, record)`
returns the stretches of `text` to replace, each with what it holds (a phone
number, a name, ...) as the canonical value its token is made from, so that
every spelling of one value gives one token.

Two searches run over a text: one for the identifiers `record` holds in its
own columns, in any spelling (see `_own`), one for anything shaped like an
identifier (see `_FINDERS`). Both read normalised views of the text
(`_views`: Unicode dashes and spaces unified, digits of any script as 0-9,
case and accents folded) whose positions are traced back to the original.
Names are parsed as dedupe parses them (`mhtool.signals.matchkeys`), phone
numbers as the import reads them (`mhtool.parse.phones`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator, NamedTuple

import phonenumbers

from .parse.phones import parse_phone, split_phone_cell
from .signals.matchkeys import (
    PARTICLES,
    ROLE_WORDS,
    Address,
    Name,
    parse_address,
    parse_persons,
    parse_plates,
    parse_urls,
    sound,
)


# --- canonical forms: what a token is made from ----------------------------------------------

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_URL_PREFIX = re.compile(r"^(?:h[tx]{2}ps?://)?(?:www\.)?")
_DEFANGED_DOT = re.compile(r"\[\.\]|\(\.\)|\[dot\]|\(dot\)")


def fold(value: str) -> str:
    """Casefolded, accents dropped, anything but letters and digits as single spaces."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", value))
    text = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(_NOT_ALNUM.sub(" ", text).split())


def compact(value: str) -> str:
    """Only the letters and digits: 'AB-123-C' and 'ab 123 c' -> 'ab123c'."""
    return fold(value).replace(" ", "")


def phone_key(raw: str) -> str:
    """E.164 when the import's parser reads the number (valid or not), else its digits."""
    return parse_phone(raw).e164 or re.sub(r"\D", "", raw) or raw.strip()


def name_key(name: Name) -> str:
    """The words as dedupe compares them: particles left out, spelling variants as one."""
    return " ".join(name.tokens)


def address_key(street: str, number: str | None) -> str:
    return f"{street} {number}" if number else street


def url_key(value: str) -> str:
    text = _DEFANGED_DOT.sub(".", value.strip().casefold())
    return _URL_PREFIX.sub("", text).rstrip("/")


# --- text views: the text normalised, each position traced back --------------------------------

# Dash-like characters outside category Pd, and dots and slashes that NFKC leaves alone.
_CHAR_MAP = {"\u2212": "-", "\u2043": "-", "\u00b7": ".", "\u2022": ".", "\u2219": ".", "\u2044": "/",
             "\u2215": "/"}


@lru_cache(maxsize=4096)
def _normal_char(char: str) -> str:
    """NFKC; dashes as '-', spaces as ' ', digits of any script as 0-9, zero-width characters dropped."""
    out = []
    for c in unicodedata.normalize("NFKC", char):
        category = unicodedata.category(c)
        if category == "Cf":
            continue
        if category == "Pd" or c in _CHAR_MAP:
            c = _CHAR_MAP.get(c, "-")
        elif c.isspace():
            c = " "
        elif c.isdecimal():
            c = str(unicodedata.decimal(c))
        out.append(c)
    return "".join(out)


@lru_cache(maxsize=4096)
def _folded_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", _normal_char(char))
    text = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _NOT_ALNUM.sub(" ", text)


class _View:
    """A text mapped character by character, every position traced back to the original."""

    __slots__ = ("text", "_origin")

    def __init__(self, text: str, origin: list[int] | None):
        self.text = text
        self._origin = origin  # None: the same positions as the original

    @classmethod
    def of(cls, original: str, char_map, ascii_map) -> "_View":
        if original.isascii():  # most texts: one call in C, positions unchanged
            return cls(ascii_map(original), None)
        parts, origin = [], []
        for at, char in enumerate(original):
            mapped = char_map(char)
            parts.append(mapped)
            origin.extend([at] * len(mapped))
        return cls("".join(parts), origin)

    def derived(self, text: str) -> "_View":
        """Another text of the same length over the same positions."""
        return _View(text, self._origin)

    def span(self, start: int, end: int) -> tuple[int, int]:
        if self._origin is None:
            return start, end
        return self._origin[start], self._origin[end - 1] + 1


# A lone O/o or l/I next to a digit is read as 0 or 1: "O6-12345678", "06-l2345678".
_LETTER_DIGIT = re.compile(r"(?<![^\W\d_])[OoIl](?=\d)|(?<=\d)[OoIl](?![^\W\d_])")
_AS_DIGIT = str.maketrans("OoIl", "0011")


class _Views(NamedTuple):
    base: _View    # NFKC, dashes and spaces unified, digits as 0-9
    phone: _View   # base, with lone O/o/l/I next to digits as digits
    folded: _View  # base casefolded without accents; anything but a-z0-9 as a space


def _views(text: str) -> _Views:
    base = _View.of(text, _normal_char, lambda s: s)
    phone = base.derived(_LETTER_DIGIT.sub(lambda m: m[0].translate(_AS_DIGIT), base.text))
    folded = _View.of(text, _folded_char, lambda s: _NOT_ALNUM.sub(lambda m: " " * len(m[0]), s.lower()))
    return _Views(base, phone, folded)


class Found(NamedTuple):
    start: int   # in the original text
    end: int
    kind: str
    key: str     # the canonical value the token is made from


def _found(view: _View, start: int, end: int, kind: str, key: str) -> Found:
    return Found(*view.span(start, end), kind, key)


# --- phone numbers ------------------------------------------------------------------------------

# Digits with at most three separators between them; a '+' may lead.
_RUN = re.compile(r"(?:\+ ?)?[0-9](?:[-./()\[\]_* ]{0,3}[0-9])*")
_GROUP = re.compile(r"[0-9]+")
_DIGITS = re.compile(r"[0-9]")
# A date with a four-digit year splits a run: "01-12-2026 10.30" is no number.
_DATE = re.compile(r"(?<![0-9])(?:0?[1-9]|[12][0-9]|3[01])([-./])(?:0?[1-9]|1[0-2])\1(?:19|20)[0-9]{2}(?![0-9])")
_MIN_PHONE_DIGITS = 9
_MAX_PHONE_DIGITS = 15


@lru_cache(maxsize=16384)
def _phone_candidate(digits: str, plus: bool) -> str | None:
    """E.164 of digits shaped like a Dutch or international number that
    phonenumbers finds possible, else None. Only these shapes are tried, so
    that amounts and ids are left alone: +.., 00.., 0.. of 9 to 11 digits,
    31/32 and a national number (wa.me links), 6 and 8 digits (a mobile
    number without its 0)."""
    if plus:
        text = "+" + digits
    elif digits.startswith("00"):
        text = "+" + digits[2:]
    elif digits.startswith("0"):
        text = digits if len(digits) <= 11 else None
    elif digits.startswith(("31", "32")) and len(digits) in (10, 11):
        text = "+" + digits
    elif digits.startswith("6") and len(digits) == 9:
        text = "0" + digits
    else:
        text = None
    if text is None:
        return None
    e164 = parse_phone(text).e164
    if e164 is None or not phonenumbers.is_possible_number(phonenumbers.parse(e164)):
        return None
    return e164


def _run_parts(run: str) -> Iterator[list[re.Match]]:
    """The digit groups of a run, split where a date stands."""
    at = 0
    for date in _DATE.finditer(run):
        yield list(_GROUP.finditer(run, at, date.start()))
        at = date.end()
    yield list(_GROUP.finditer(run, at))


def _longest_phone(groups: list[re.Match], first: int, plus: bool) -> tuple[int, str] | None:
    """The last group and E.164 of the longest number starting at groups[first]."""
    digits, ends = "", []
    for group in groups[first:]:
        digits += group[0]
        if len(digits) > _MAX_PHONE_DIGITS:
            break
        ends.append(digits)
    for last in range(len(ends) - 1, -1, -1):
        if len(ends[last]) >= _MIN_PHONE_DIGITS and (e164 := _phone_candidate(ends[last], plus)):
            return first + last, e164
    return None


def _few_digits(text: str) -> bool:
    return len(_DIGITS.findall(text)) < _MIN_PHONE_DIGITS


def _phones_in_runs(view: _View) -> Iterator[Found]:
    """Tolerant: glued to letters, any separators, a lone O or l for a digit."""
    for run in _RUN.finditer(view.text):
        text = run[0]
        if _few_digits(text):
            continue
        for groups in _run_parts(text):
            first = 0
            while first < len(groups):
                # the '+' that opens the run belongs to its first group
                plus = text.startswith("+") and groups[first].start() <= 2
                found = _longest_phone(groups, first, plus)
                if not found:
                    first += 1
                    continue
                last, e164 = found
                start = 0 if plus else groups[first].start()
                yield _found(view, run.start() + start, run.start() + groups[last].end(), "T", e164)
                first = last + 1


def _matched_phones(view: _View) -> Iterator[Found]:
    """phonenumbers' own finder, for what it reads that the runs do not
    (its own separators and groupings). Leniency VALID: POSSIBLE would read
    '01-12-2026 10.30' as a number."""
    if _few_digits(view.text):
        return
    for match in phonenumbers.PhoneNumberMatcher(view.text, "NL", leniency=phonenumbers.Leniency.VALID):
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        yield _found(view, match.start, match.end, "T", e164)


_GAP = r"[^0-9]{0,3}"
_E164 = re.compile(r"\+[1-9][0-9]{5,14}")  # what parse_phone gives: phonenumbers parses it


@lru_cache(maxsize=4096)
def _own_phone_pattern(key: str) -> re.Pattern | None:
    """One of the record's numbers however it is broken up: any three
    characters between its digits, with or without its prefix (0, +31, 0031, 31)."""
    if _E164.fullmatch(key):
        number = phonenumbers.parse(key)
        country, national = str(number.country_code), str(number.national_number)
        country_part = _GAP.join(country)
        prefix = rf"(?:(?:\+|00)?{_GAP}{country_part}{_GAP}(?:\(?0\)?{_GAP})?|0{_GAP})?"
    else:  # a number the import could not read: its digits
        national, prefix = re.sub(r"[^0-9]", "", key).lstrip("0"), rf"(?:0{_GAP})?"
    if len(national) < 6:
        return None
    return re.compile(rf"(?<![0-9]){prefix}{_GAP.join(national)}(?![0-9])")


# --- links, e-mail, accounts ---------------------------------------------------------------------

_TLDS = ("nl|be|de|eu|com|net|org|info|biz|io|co|me|tv|cc|to|ly|uk|fr|es|it|pl|ro|bg|hu|cz|sk|ru|ua|tr|ch|at|dk"
         "|se|no|fi|pt|gr|lt|lv|ee|online|site|club|top|xyz|live|app|shop|store|link|click|sex|xxx|porn|adult"
         "|dating|onion|example")
_DOT = r"(?:\.|\[\.\]|\(\.\)|\[dot\]|\(dot\))"
_URL = re.compile(
    r"\b(?:https?|hxxps?)://[^\s<>\"']+"
    rf"|(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?{_DOT})+(?P<tld>{_TLDS})(?![a-z0-9-])"
    r"(?::[0-9]{1,5})?(?P<path>/[^\s<>\"']*)?",
    re.IGNORECASE,
)
# TLDs that are also words: "bang.De man" (a missing space) is no link.
_WORD_TLDS = frozenset("de it es no to at be me co".split())
_URL_END = ".,;:!?)]}'\""
_EMAIL = re.compile(r"[\w.+-]+(?:@|\[at\]|\(at\))[\w-]+(?:(?:\.|\[dot\]|\[\.\]|\(dot\))[\w-]+)+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w.@])@([a-z0-9_](?:[a-z0-9_.]*[a-z0-9_])?)", re.IGNORECASE)
# Words that look like a user name: "cash_king", "kimmy1998" (not "tel0612345678").
_ACCOUNT = re.compile(r"(?<![\w@.])(?:[a-z0-9]+_[a-z0-9_]+|[a-z]{3,}[0-9]{2,6})(?![\w@])", re.IGNORECASE)


def _urls(view: _View) -> Iterator[Found]:
    for match in _URL.finditer(view.text):
        text = match[0].rstrip(_URL_END)
        tld = match["tld"]
        if tld and tld.casefold() in _WORD_TLDS and tld != tld.lower() and not match["path"]:
            continue
        yield _found(view, match.start(), match.start() + len(text), "U", url_key(text))


def _emails(view: _View) -> Iterator[Found]:
    for match in _EMAIL.finditer(view.text):
        key = _DEFANGED_DOT.sub(".", match[0].casefold()).replace("[at]", "@").replace("(at)", "@")
        yield _found(view, match.start(), match.end(), "E", key)


def _handles(view: _View) -> Iterator[Found]:
    for match in _HANDLE.finditer(view.text):
        handle = match[1].rstrip(".")
        if len(handle) >= 2:
            yield _found(view, match.start(), match.start(1) + len(handle), "H", handle.casefold())
    for match in _ACCOUNT.finditer(view.text):
        yield _found(view, match.start(), match.end(), "H", match[0].casefold())


# Account names in links to these sites: instagram.com/NAME, t.me/NAME, tiktok.com/@NAME.
_SOCIAL = re.compile(r"^(?:instagram\.com|t\.me|tiktok\.com|snapchat\.com/add|onlyfans\.com|twitter\.com|x\.com"
                     r"|facebook\.com|telegram\.me|wa\.me)/@?([^/?#]+)")


def _social_handles(urls: Iterable[str]) -> set[str]:
    return {m[1] for url in urls if (m := _SOCIAL.match(url)) and not m[1].isdigit()}


# --- plates, postcodes, streets, numbers --------------------------------------------------------

# Dutch side codes 1 to 14: X a letter, 9 a digit.
_SIDE_CODES = ("XX-99-99 99-99-XX 99-XX-99 XX-99-XX XX-XX-99 99-XX-XX 99-XXX-9 9-XXX-99 XX-999-X X-999-XX "
               "XXX-99-X X-99-XXX 9-XX-999 999-XX-9").split()


def _side_code_pattern() -> re.Pattern:
    codes = [*_SIDE_CODES, *(code.replace("-", "") for code in _SIDE_CODES)]  # with dashes, or none at all
    forms = [code.replace("X", "[a-z]").replace("9", "[0-9]") for code in codes]
    return re.compile(r"(?<![a-z0-9-])(?:" + "|".join(forms) + r")(?![a-z0-9-])", re.IGNORECASE)


_PLATE = _side_code_pattern()
_POSTCODE = re.compile(r"(?<![\w])([1-9][0-9]{3})( ?)([a-z]{2})(?![\w])", re.IGNORECASE)
_STREET_WORDS = ("straat|str\\.?|weg|laan|plein|gracht|dijk|kade|singel|dreef|hof|pad|steeg|park|markt|baan|ring"
                 "|wal|plantsoen|haven|allee|boulevard")
_STREET = re.compile(
    rf"(?<![\w-])(?:[A-Z][\w'.-]*\s){{0,2}}[A-Z][\w'-]*?(?:{_STREET_WORDS})\s+[0-9]{{1,5}}(?:\s?[a-zA-Z](?!\w))?"
)
_IBAN = re.compile(r"(?<![a-z0-9])[a-z]{2}[0-9]{2}(?: ?[a-z0-9]{4}){2,7}(?: ?[a-z0-9]{1,3})?(?![a-z0-9])",
                   re.IGNORECASE)
_BSN = re.compile(r"(?<![0-9.])(?:[0-9]{9}|[0-9]{4}\.[0-9]{2}\.[0-9]{3})(?![0-9])")


def _plates(view: _View) -> Iterator[Found]:
    for match in _PLATE.finditer(view.text):
        yield _found(view, match.start(), match.end(), "K", compact(match[0]))


def _postcodes(view: _View) -> Iterator[Found]:
    """'1211 AB', '1211AB', '1211ab'; not '2026 en' (letters after a space must be capitals)."""
    for match in _POSTCODE.finditer(view.text):
        if match[2] and not match[3].isupper():
            continue
        yield _found(view, match.start(), match.end(), "P", compact(match[0]))


def _streets(view: _View) -> Iterator[Found]:
    for match in _STREET.finditer(view.text):
        address = parse_address(match[0])
        if address:
            yield _found(view, match.start(), match.end(), "A", address_key(address.street, address.number))


def _ibans(view: _View) -> Iterator[Found]:
    for match in _IBAN.finditer(view.text):
        iban = compact(match[0]).upper()
        rearranged = iban[4:] + iban[:4]
        if int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1:
            yield _found(view, match.start(), match.end(), "B", iban)


def _bsns(view: _View) -> Iterator[Found]:
    """Nine digits that pass the eleven test of the Dutch citizen service number."""
    for match in _BSN.finditer(view.text):
        number = match[0].replace(".", "")
        total = sum(int(d) * w for d, w in zip(number, range(9, 1, -1))) - int(number[8])
        if number[0] != "0" and total % 11 == 0:
            yield _found(view, match.start(), match.end(), "I", number)


# --- names ------------------------------------------------------------------------------------

_WORD = re.compile(r"[a-z]+")
_TERM = re.compile(r"[a-z0-9]+")
# Words after which a name follows: "genaamd Kees", "meneer Yilmaz", "haar vriend Marco".
_NAME_CUE = re.compile(
    r"\b(?:genaamd|heet|heten|roepnaam|bijnaam|alias|naam|meneer|mevrouw|mijnheer|(?:dhr|mevr|mw|mr)\.?"
    r"|vriend|vriendje|vriendin|broer|zus|neef|nicht|oom|tante|pooier|baas)(?=[\s:])[:\s]\s*",
    re.IGNORECASE,
)
_CUE_WORDS = re.compile(r"[\w'-]+")
_MAX_CUE_WORDS = 4


def _capitalised_after(text: str, at: int) -> tuple[int, int] | None:
    """The span of the capitalised words (particles between them allowed) that start at `at`."""
    start = end = None
    previous = at
    for count, word in enumerate(_CUE_WORDS.finditer(text, at)):
        if count >= _MAX_CUE_WORDS or text[previous:word.start()].strip():
            break
        if word[0][0].isupper():
            start, end = (word.start() if start is None else start), word.end()
        elif start is None or word[0].casefold() not in PARTICLES:
            break
        previous = word.end()
    return None if start is None else (start, end)


def _cued_names(view: _View) -> Iterator[Found]:
    """Capitalised words after a cue word."""
    for cue in _NAME_CUE.finditer(view.text):
        span = _capitalised_after(view.text, cue.end())
        names = parse_persons(view.text[span[0]:span[1]])[0] if span else ()
        if names:
            yield _found(view, *span, "N", name_key(names[0]))


class _Word(NamedTuple):
    text: str
    start: int
    end: int
    sound: str


def _words(view: _View) -> list[_Word]:
    return [_Word(m[0], m.start(), m.end(), sound(m[0])) for m in _WORD.finditer(view.text)]


def _whole_names(view: _View, words: list[_Word], names: Iterable[Name]) -> Iterator[Found]:
    """'JAN DE VRIES', 'Jan Vries', 'jan de vriës': the tokens in order, particles between."""
    for name in names:
        tokens = name.tokens
        if len(tokens) < 2:
            continue
        for first, word in enumerate(words):
            if word.sound != tokens[0]:
                continue
            matched, at = 1, first + 1
            while matched < len(tokens) and at < len(words):
                if words[at].sound == tokens[matched]:
                    matched += 1
                elif words[at].text not in PARTICLES:
                    break
                at += 1
            if matched == len(tokens):
                yield _found(view, word.start, words[at - 1].end, "N", name_key(name))


def _name_parts(view: _View, words: list[_Word], names: Iterable[Name]) -> Iterator[Found]:
    """Each first or last name on its own, in any case or spelling variant."""
    parts = {t for name in names for t in name.tokens if len(t) >= 2}
    for word in words:
        if word.sound in parts and word.text not in PARTICLES and word.text not in ROLE_WORDS:
            yield _found(view, word.start, word.end, "N", word.sound)


# --- the record's own identifiers ---------------------------------------------------------------

_MIN_SPELLED = 4


@lru_cache(maxsize=4096)
def _spelled(value: str) -> re.Pattern | None:
    """`value`'s letters and digits in order, in the folded view, with up
    to three separators between any two: 'AB-123-C' finds 'ab123c', 'AB 123 C'."""
    chars = compact(value)
    if len(chars) < _MIN_SPELLED:
        return None
    return re.compile(r"(?<![a-z0-9])" + " {0,3}".join(chars) + r"(?![a-z0-9])")


@lru_cache(maxsize=4096)
def _words_pattern(value: str) -> re.Pattern:
    """`value`'s words in order in the folded view, whatever stands between them."""
    return re.compile(r"(?<![a-z0-9])" + " +".join(fold(value).split()) + r"(?![a-z0-9])")


_HOUSE_NUMBER = re.compile(r"[0-9]{1,5}[a-z]?")
_MAX_STREET_WORDS = 4
_MIN_STREET_SUFFIX = 8


def _street_number(view: _View, terms: list[re.Match], after: int) -> tuple[str | None, int]:
    """The house number (and a lone letter after it) following terms[after]: (number, last term)."""
    if after + 1 >= len(terms) or not _HOUSE_NUMBER.fullmatch(terms[after + 1][0]):
        return None, after
    number, last = terms[after + 1][0], after + 1
    if number.isdigit() and last + 1 < len(terms) and re.fullmatch(r"[a-z]", terms[last + 1][0]) \
            and not view.text[terms[last].end():terms[last + 1].start()].strip():
        number, last = number + terms[last + 1][0], last + 1
    return number, last


def _own_address(view: _View, address: Address) -> Iterator[Found]:
    """The street, as parse_address reads it from a few words of the text
    that end in a piece of it ('burg grothestr'), and the number after it."""
    terms = list(_TERM.finditer(view.text))
    hits = [i for i, t in enumerate(terms) if len(t[0]) >= 4 and t[0] in address.street]
    for first, last in ((first, h) for h in hits for first in range(max(0, h - _MAX_STREET_WORDS + 1), h + 1)):
        if any(t[0][0].isdigit() for t in terms[first:last + 1]):
            continue
        found = parse_address(" ".join(t[0] for t in terms[first:last + 1]))
        if not found or not (found.street == address.street or (
                len(found.street) >= _MIN_STREET_SUFFIX and address.street.endswith(found.street))):
            continue
        number, end = _street_number(view, terms, last)
        yield _found(view, terms[first].start(), terms[end].end(), "A", address_key(address.street, number))


def _find_pattern(view: _View, pattern: re.Pattern | None, kind: str, key: str) -> Iterator[Found]:
    if pattern is None:
        return
    for match in pattern.finditer(view.text):
        yield _found(view, match.start(), match.end(), kind, key)


@dataclass(frozen=True)
class Record:
    """What one exported record holds in its own columns, to be found in its text."""

    phones: str | None = None
    persons: str | None = None
    address: str | None = None
    vehicle: str | None = None
    url: str | None = None
    others: tuple[tuple[str | None, str, str], ...] = ()  # (as written, kind, key): ref, ad id, licence


def _own(record: Record, views: _Views) -> Iterator[Found]:
    for part in split_phone_cell(record.phones or ""):
        key = phone_key(part)
        yield from _find_pattern(views.phone, _own_phone_pattern(key), "T", key)
    names, handles = parse_persons(record.persons)
    words = _words(views.folded)
    yield from _whole_names(views.folded, words, names)
    yield from _name_parts(views.folded, words, names)
    urls = parse_urls(record.url)
    for handle in handles | _social_handles(urls):
        yield from _find_pattern(views.folded, _spelled(handle), "H", handle.casefold())
    address = parse_address(record.address)
    if address:
        yield from _own_address(views.folded, address)
    for postcode in _POSTCODE.finditer(record.address or ""):
        yield from _find_pattern(views.folded, _spelled(postcode[0]), "P", compact(postcode[0]))
    for plate in parse_plates(record.vehicle):
        yield from _find_pattern(views.folded, _spelled(plate), "K", plate.casefold())
    for url in urls:
        yield from _find_pattern(views.folded, _words_pattern(url), "U", url)
    for value, kind, key in record.others:
        yield from _find_pattern(views.folded, _spelled(value or ""), kind, key)


_FINDERS = (  # (view, finder) for what any text may hold
    ("phone", _phones_in_runs), ("phone", _matched_phones), ("base", _urls), ("base", _emails),
    ("base", _handles), ("base", _plates), ("base", _postcodes), ("base", _streets), ("base", _ibans),
    ("base", _bsns), ("base", _cued_names),
)


def _anywhere(views: _Views) -> Iterator[Found]:
    for view, finder in _FINDERS:
        yield from finder(getattr(views, view))


def find(text: str, record: Record = Record()) -> list[tuple[int, int, list[Found]]]:
    """(start, end, what stands there) for every identifier in `text`, in order, none overlapping."""
    views = _views(text)
    return _merge([*_own(record, views), *_anywhere(views)])


def _merge(found: Iterable[Found]) -> list[tuple[int, int, list[Found]]]:
    """Overlapping spans become one, so no part of any of them stays in
    clear; a span inside another adds no token of its own."""
    merged: list[tuple[int, int, list[Found]]] = []
    for item in sorted(found, key=lambda f: (f.start, -f.end)):
        if merged and item.start < merged[-1][1]:
            start, end, items = merged[-1]
            if item.end > end:
                merged[-1] = (start, item.end, [*items, item])
        else:
            merged.append((item.start, item.end, [item]))
    return merged

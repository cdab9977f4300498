"""Phone numbers written to dodge scrapers: spelled out, broken up, letters
for digits (the ``obscured_phone`` indicator). Pure functions like those in
`mhtool.ads.extract`."""

from __future__ import annotations

import re

from mhtool.ads.extract import _as_text, _strip_accents

OBSCURED_WORDS = "nummer uitgeschreven in woorden"
OBSCURED_MIXED = "nummer deels uitgeschreven in woorden"
OBSCURED_SPACED = "cijfers uit elkaar gezet"
OBSCURED_LETTER_O = "letter O in plaats van 0"
OBSCURED_LETTER_L = "letter l in plaats van 1"
OBSCURED_BROKEN = "nummer in stukken met tekst ertussen"

_UNITS_NL = ["nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"]
_UNITS_EN = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS_NL = [
    "tien",
    "elf",
    "twaalf",
    "dertien",
    "veertien",
    "vijftien",
    "zestien",
    "zeventien",
    "achttien",
    "negentien",
]
_TEENS_EN = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS_NL = {
    2: "twintig",
    3: "dertig",
    4: "veertig",
    5: "vijftig",
    6: "zestig",
    7: "zeventig",
    8: "tachtig",
    9: "negentig",
}
_TENS_EN = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty", 7: "seventy", 8: "eighty", 9: "ninety"}


def _number_words() -> dict[str, str]:
    """Number word (accents removed, lower case) -> the digits it stands for."""
    words: dict[str, str] = {}
    for units in (_UNITS_NL, _UNITS_EN):
        words.update({w: str(i) for i, w in enumerate(units)})
    for teens in (_TEENS_NL, _TEENS_EN):
        words.update({w: str(10 + i) for i, w in enumerate(teens)})
    for tens in (_TENS_NL, _TENS_EN):
        words.update({w: str(10 * t) for t, w in tens.items()})
    for t, ten in _TENS_NL.items():  # eenentwintig, tweeentwintig (tweeëntwintig), ...
        for u in range(1, 10):
            words[_UNITS_NL[u] + "en" + ten] = str(10 * t + u)
    return words


_NUMBER_WORDS = _number_words()


def _accented_variants(word: str) -> list[str]:
    out = [word]
    if word.startswith("een"):
        out.append("één" + word[3:])
        out.append("eén" + word[3:])
    for unit in ("twee", "drie"):
        if word.startswith(unit + "en") and len(word) > len(unit) + 2:
            out.extend(v.replace(unit + "en", unit + "ën", 1) for v in list(out))
    return out


def _trie_pattern(words) -> str:
    """A regex matching any of the words, factored by common prefixes so that
    the engine does not try a couple of hundred alternatives at every position."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:  # a word ends here and longer ones go on: prefer the longer ones
            body = ("(?:" + body + ")?") if len(branches) == 1 else body + "?"
        return body

    return build(trie)


_NUMBER_WORD_PATTERN = _trie_pattern({v for w in _NUMBER_WORDS for v in _accented_variants(w)})
# Words written between the pieces of a number: "06 [punt] 12", "06 sterretje 12".
_SEPARATOR_WORDS = (
    "punt|dot|stip|streepje|streep|koppelteken|dash|hyphen|spatie|space|komma|comma|sterretje|ster|star|slash"
)
# The text is lower-cased first (case-insensitive matching is slow), so "O"
# and "I" show up as "o" and "i".
# A digit group, possibly with o for 0 and l/i for 1 ("O6", "l2345678").
# Possessive (no backtracking): a long string of digits must not take quadratic time.
_DIGITISH = r"(?=[oil]*\d)[\doil]++"
_ATOM = rf"\b(?:{_DIGITISH}|{_NUMBER_WORD_PATTERN})\b"
_SEP = rf"(?:[^\w\n]|_|\b(?:{_SEPARATOR_WORDS})\b){{1,15}}"
_RUN = re.compile(rf"{_ATOM}(?:{_SEP}{_ATOM})+")
_ATOM_RE = re.compile(_ATOM)
_NORMAL_SEP = re.compile(r"[\s()]*+[-./–]?[\s()]*+")
# Groups of two or more digits with normal separators: no trick anywhere in it.
_PLAIN_RUN = re.compile(r"\d{2,}+(?:(?=\D)[\s()]*+[-./–]?[\s()]*+\d{2,}+)*+")
_DIGIT_TRANS = str.maketrans("oil", "011")

# Numbers that are not phone numbers but look like digit runs ("10.00 - 22.00",
# "25-11-2026", "24/7", "€ 100"): blanked inside a run before it is read.
# Each branch starts after the first character, which the engine finds in C.
_NOT_PHONE = re.compile(
    r"""
    [\d€](?:
        (?<=€)\s*\d+(?:[.,]\d+)*(?:[.,]-+)?                             # €100,-
      | (?<=2)(?<![\d/]2)4\s*/\s*7(?![\d/])                             # 24/7
      | (?<=\d)(?<![\d.:]\d)\d?[.:]\d{2}(?![\d.:])                      # 10.00, 9:30
      | (?<=\d)(?<![\d./-]\d)\d?([-/.])\d{1,2}\1\d{2,4}(?![\d./-])      # 25-11-2026
      | (?<=\d)(?<![\d.,]\d)\d*(?:[.,]\d+)*(?:[.,]-+)?\s*eur(?:o|os)?\b  # 100 euro
      | (?<=\d)(?<![\d.,]\d)\d*[.,]-+(?!\d)                             # 100,-
    )""",
    re.VERBOSE,
)
# A newline is neither a number piece nor a separator, so it ends a run; it is
# not a word character either, so the pieces next to it stay whole.
_BARRIER = "\n"
_CONTEXT = 4  # characters before a run that may belong to a number to blank ("€ 100")
_PHONE_SHAPE = re.compile(r"0[1-9]\d{8}|(?:00)?31[1-9]\d{8}|(?:00)?32[1-9]\d{7,8}")
_MIN_WORDS_IN_A_ROW = 6
_MIN_PHONE_DIGITS = 9
_LETTER = re.compile(r"[^\W\d_]")
_NOT_DIGIT = re.compile(r"\D+")
_MIN_SINGLE_DIGITS = 5


def obscured_phone(text: str | None) -> str | None:
    """How a phone number in the text was written to dodge scrapers, or None.

    Returns one of OBSCURED_WORDS, OBSCURED_MIXED, OBSCURED_LETTER_O,
    OBSCURED_LETTER_L, OBSCURED_SPACED, OBSCURED_BROKEN. A number written the
    normal way ("06-12345678", "06 12 34 56 78", "+31 6 12345678") and
    prices, times and dates give None.
    """
    text = _as_text(text)
    if not text:
        return None
    low = text.lower()
    for run in _RUN.finditer(low):
        piece = run[0]
        if len(piece) < _MIN_PHONE_DIGITS or (
            not _LETTER.search(piece) and len(_NOT_DIGIT.sub("", piece)) < _MIN_PHONE_DIGITS
        ):
            continue  # too short to hold a phone number: most runs are "80, 1" or "10.00 - 02.00"
        if _PLAIN_RUN.fullmatch(piece):
            continue  # "06-12345678", "06 12 34 56 78": written the normal way
        trick = _run_trick(_blank_not_phone(low, run.start(), run.end()))
        if trick:
            return trick
    return None


def _blank_not_phone(low: str, start: int, end: int) -> str:
    """low[start:end] with times, dates, "24/7" and prices replaced by barriers
    (same length), read with the text around it as context."""
    first = max(0, start - _CONTEXT)
    blanks = [m.span() for m in _NOT_PHONE.finditer(low, first, end + 2 * _CONTEXT)]
    if not blanks:
        return low[start:end]
    chars = list(low[start:end])
    for b_start, b_end in blanks:
        for i in range(max(b_start, start), min(b_end, end)):
            chars[i - start] = _BARRIER
    return "".join(chars)


def _run_trick(run: str) -> str | None:
    """The trick in a run of number pieces, if some stretch of it spells a phone number."""
    if _BARRIER in run:  # blanked pieces split it into several runs
        return next(filter(None, map(_run_trick, run.split(_BARRIER))), None)
    atoms = []  # (text, digits, is_word)
    seps = []  # seps[i] lies between atoms[i] and atoms[i + 1]
    last_end = None
    for m in _ATOM_RE.finditer(run):
        piece = m[0]
        if last_end is not None:
            seps.append(run[last_end : m.start()])
        last_end = m.end()
        word = _NUMBER_WORDS.get(_strip_accents(piece))
        if word is not None:
            atoms.append((piece, word, True))
        else:
            atoms.append((piece, piece.translate(_DIGIT_TRANS), False))

    in_a_row = 0
    for _, _, is_word in atoms:
        in_a_row = in_a_row + 1 if is_word else 0
        if in_a_row >= _MIN_WORDS_IN_A_ROW:
            return OBSCURED_WORDS

    for i in range(len(atoms)):
        digits = ""
        for j in range(i, len(atoms)):
            digits += atoms[j][1]
            if len(digits) > 13:
                break
            if len(digits) >= _MIN_PHONE_DIGITS and _PHONE_SHAPE.fullmatch(digits):
                trick = _window_trick(atoms[i : j + 1], seps[i:j])
                if trick:
                    return trick
    return None


def _window_trick(atoms: list[tuple[str, str, bool]], seps: list[str]) -> str | None:
    words = sum(1 for a in atoms if a[2])
    pieces = [a[0] for a in atoms if not a[2]]
    if any("o" in p for p in pieces):
        return OBSCURED_LETTER_O
    if any("l" in p or "i" in p for p in pieces):
        return OBSCURED_LETTER_L
    if words == len(atoms):
        return OBSCURED_WORDS
    if words:
        return OBSCURED_MIXED
    if sum(1 for p in pieces if len(p) == 1) >= _MIN_SINGLE_DIGITS:
        return OBSCURED_SPACED
    if any(not _NORMAL_SEP.fullmatch(s) for s in seps):
        return OBSCURED_BROKEN
    return None

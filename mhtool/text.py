"""The one way mhtool folds text for comparison: case, accents, invisible
characters and punctuation.

Every area compares names, places, headers, keywords and ad texts through
these functions, so that `'s-Graveland`, `s Graveland` and `'S-GRAVELAND`, or
`Café` and `cafe`, are the same wherever they are compared."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+")


def _drop(char: str) -> bool:
    # Combining marks (accents after NFKD) and format characters: soft hyphen,
    # zero-width spaces and joiners, direction marks, the BOM.
    return unicodedata.combining(char) != 0 or unicodedata.category(char) == "Cf"


def without_accents(text: str) -> str:
    """'Café' -> 'Cafe', 'ﬁ' -> 'fi'; soft hyphens and zero-width characters removed."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not _drop(c))


def fold(text: str) -> str:
    """Casefolded and without accents: 'CAFÉ' -> 'cafe'. Punctuation stays."""
    return without_accents(text).casefold()


def fold_words(text: str) -> str:
    """Folded, every run of anything but letters and digits one space:
    "'S-Graveland (N.H.)" -> 's graveland n h'."""
    return _NON_WORD.sub(" ", fold(text)).strip()


# A word: a run of letters or a run of digits ("23yo" is two words; "_" and
# everything else that is not a letter or digit separates words).
_WORD = re.compile(r"[^\W\d_]+|\d+")
# In the words joined by single spaces: a run of digit groups ("06 12 34 56
# 78", "+31 6 1234-5678", "23", "150") is one number or phone -> one "#".
_DIGIT_RUN = re.compile(r"\d+(?: \d+)*")


def normalise_text(text: str | None) -> str:
    """Return ``text`` casefolded, without accents, punctuation or numbers.

    Every run of digits, including phone numbers written in groups, becomes a
    single ``#`` token; words are separated by one space::

        >>> normalise_text("Hoi! Ik ben Anna (23), bel 06-12 34 56 78. Café 100%")
        'hoi ik ben anna # bel # cafe #'
    """
    if not text:
        return ""
    text = fold(text)
    return _DIGIT_RUN.sub("#", " ".join(_WORD.findall(text)))

"""One folding helper: every area folds the same spellings to the same text."""

import pytest

from mhtool.io.headers import normalise_header
from mhtool.parse.categories import fold as keyword_fold
from mhtool.region.municipalities import normalise_place
from mhtool.signals.dedupe.matchkeys import plain
from mhtool.text import fold, fold_words, without_accents


def test_accents_and_invisible_characters_go():
    assert without_accents("Café") == "Cafe"
    assert without_accents("Jan\u00adsen\u200b") == "Jansen"  # soft hyphen, zero-width space
    assert fold("ÇAFÉ") == "cafe"


def test_words_are_letters_and_digits_separated_by_one_space():
    assert fold_words("'S-Graveland (N.H.)") == "s graveland n h"
    assert fold_words("  Straße_12 ") == "strasse 12"


@pytest.mark.parametrize("spelling", ["'s-Graveland", "s Graveland", "'S-GRAVELAND", "\u2018s-Gr\u00e4veland"])
def test_places_fold_one_way(spelling):
    assert normalise_place(spelling) == "s graveland"


def test_areas_agree_on_the_same_spelling():
    # A header, a name key and a keyword written with an accent and a soft hyphen.
    assert normalise_header("Pla\u00adats-naam") == plain("Plaats naam") == "plaats naam"
    assert keyword_fold("Escort-Service\u200b") == "escort service"

"""How the shared_text indicator reads an ad's text: casefolded, without
accents or punctuation, every number (age, price, phone in any grouping) one
placeholder, so a copy with another age or number is still a copy."""

from __future__ import annotations

import pytest

from mhtool.text import normalise_text

# --- normalisation -----------------------------------------------------------------


def test_normalise_casefolds_strips_accents_and_punctuation():
    assert normalise_text("  Café CRÈME, naïve!!  Straße…  ") == "cafe creme naive strasse"


@pytest.mark.parametrize(
    "phone", ["0612345678", "06-12345678", "06 12 34 56 78", "+31 6 1234 5678", "(06) 123.456.78", "+31-6-12345678"]
)
def test_normalise_phone_in_any_format_is_one_placeholder(phone):
    assert normalise_text(f"Bel mij op {phone} nu") == "bel mij op # nu"


def test_normalise_ages_and_prices_become_placeholders():
    assert normalise_text("Anna (23), 150€/uur, 23yo") == "anna # uur # yo"
    assert normalise_text("") == normalise_text(None) == ""

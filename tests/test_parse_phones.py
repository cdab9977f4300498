import pytest
from hypothesis import given
from hypothesis import strategies as st

from mhtool.parse import phones
from mhtool.parse.phones import Phone, normalise_phone, parse_phone, parse_phones, split_phone_cell

MOBILE = "+31612345678"


@pytest.mark.parametrize(
    "text, e164",
    [
        ("06-12345678", MOBILE),
        ("06 1234 5678", MOBILE),
        ("(06) 12345678", MOBILE),
        ("+31 6 12345678", MOBILE),
        ("+31 (0)6 12345678", MOBILE),
        ("0031612345678", MOBILE),
        ("0612345678", MOBILE),
        ("06/12345678", MOBILE),
        ("612345678", MOBILE),  # Excel dropped the 0
        ("31612345678", MOBILE),  # Excel dropped the 00
        ("  06-12345678 ", MOBILE),
        ("tel. 06-12345678", MOBILE),
        ("06-12345678 (whatsapp)", MOBILE),
        ("06-12345678 whatsapp", MOBILE),
        ("+32 470 12 34 56", "+32470123456"),
        ("0032 470 123456", "+32470123456"),
        ("035-1234567", "+31351234567"),
        ("020 123 4567", "+31201234567"),
        ("+44 7911 123456", "+447911123456"),
    ],
)
def test_valid_forms(text, e164):
    phone = parse_phone(text)
    assert phone == Phone(text.strip(), e164, True)
    assert normalise_phone(text) == e164


@pytest.mark.parametrize("text", ["06-1234567", "0470/12.34.56", "06 1234"])
def test_parseable_but_invalid(text):
    phone = parse_phone(text)
    assert phone.valid is False and phone.e164 is not None and phone.e164.startswith("+")
    assert normalise_phone(text) is None


@pytest.mark.parametrize("text", ["", "abc", "geen", "++31", "-", "\x00"])
def test_unparseable(text):
    assert parse_phone(text) == Phone(text.strip(), None, False)
    assert normalise_phone(text) is None


def test_region():
    assert parse_phone("0470 12 34 56", region="BE").e164 == "+32470123456"
    assert parse_phone("0470 12 34 56").valid is False


@pytest.mark.parametrize(
    "cell, parts",
    [
        ("06-12345678", ["06-12345678"]),
        ("06-12345678, 0687654321", ["06-12345678", "0687654321"]),
        ("06-12345678;0687654321;", ["06-12345678", "0687654321"]),
        ("06-12345678 / 0687654321", ["06-12345678", "0687654321"]),
        ("0612345678/0687654321", ["0612345678", "0687654321"]),
        ("06-12345678 of 0687654321", ["06-12345678", "0687654321"]),
        ("06-12345678 OF 0687654321 or 035-1234567", ["06-12345678", "0687654321", "035-1234567"]),
        ("06-12345678 en 0687654321", ["06-12345678", "0687654321"]),
        ("06-12345678\n0687654321", ["06-12345678", "0687654321"]),
        ("06/12345678", ["06/12345678"]),  # one number
        ("0470/12.34.56", ["0470/12.34.56"]),  # one Belgian number
        (" , ; ", []),
        ("", []),
    ],
)
def test_split_phone_cell(cell, parts):
    assert split_phone_cell(cell) == parts


def test_parse_phones():
    result = parse_phones("06-12345678 / +32 470 12 34 56; 06-1234")
    assert [p.e164 for p in result] == [MOBILE, "+32470123456", "+3161234"]
    assert [p.valid for p in result] == [True, True, False]
    assert [p.raw for p in result] == ["06-12345678", "+32 470 12 34 56", "06-1234"]


@pytest.mark.parametrize("value", [612345678, 612345678.0, 31612345678])
def test_parse_phones_excel_numbers(value):
    assert parse_phones(value) == [Phone(str(int(value)), MOBILE, True)]


@pytest.mark.parametrize("value", [None, "", "   "])
def test_parse_phones_empty(value):
    assert parse_phones(value) == []


def test_results_are_cached():
    phones._parse.cache_clear()
    first = parse_phone("06-12345678")
    assert parse_phone("06-12345678") is first
    assert phones._parse.cache_info().hits == 1


@given(st.text())
def test_parse_phones_never_raises(text):
    for phone in parse_phones(text):
        assert isinstance(phone, Phone)
        if phone.valid:
            assert phone.e164.startswith("+")


@given(st.text(alphabet="0123456789+-()/ ,;ofx.", max_size=40))
def test_phone_like_text(text):
    for phone in parse_phones(text):
        assert phone.e164 is None or phone.e164.startswith("+")
        if phone.valid:
            assert normalise_phone(phone.raw) == phone.e164


@given(st.text())
def test_parse_phone_never_raises(text):
    phone = parse_phone(text)
    assert phone.raw == text.strip()


# The fast path for plainly written Dutch numbers must give exactly what phonenumbers gives.
_PUNCTUATION = st.sampled_from(["", " ", "-", ".", " - ", "(", ")"])


@given(
    national=st.from_regex(r"[1-9][0-9]{8}", fullmatch=True),
    prefix=st.sampled_from(["0", "+31", "0031", "+31 ", "0031 "]),
    cut=st.integers(1, 9),
    mark=_PUNCTUATION,
)
def test_dutch_fast_path_agrees_with_phonenumbers(national, prefix, cut, mark):
    text = prefix + national[:cut] + mark + national[cut:]
    assert phones._DUTCH.fullmatch(phones._PUNCTUATION.sub("", text))
    assert phones._parse(text, "NL") == phones._parse_any(text, "NL")


@given(
    st.text(
        alphabet=st.sampled_from(
            list("0123456789+-.() ") + ["\t", "\xa0", "\u202f", "\u3000", "\u0661", "\uff10", "\x0b", "\u2009"]
        ),
        min_size=8,
        max_size=18,
    )
)
def test_whatever_the_fast_path_takes_phonenumbers_agrees_with(text):
    # The stored E.164 feeds the content hash: any difference would turn a
    # re-import of an unchanged signal into a conflict.
    text = text.strip()
    assert phones._parse(text, "NL") == phones._parse_any(text, "NL")


@pytest.mark.parametrize("text", ["06\u202f12345678", "06\t12345678", "06\u0661\u0662345678"])
def test_unusual_characters_are_left_to_phonenumbers(text):
    assert phones._parse(text, "NL") == phones._parse_any(text, "NL")

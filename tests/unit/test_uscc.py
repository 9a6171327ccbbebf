"""The Unified Social Credit Code check (GB 32100-2015)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.companies import normalise_uscc
from app.services.errors import RuleViolation

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def oracle_check_character(body: str) -> str:
    """GB 32100-2015 §5: weighted sum modulo 31, written straight from the standard."""
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(body, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def test_a_real_code_is_accepted() -> None:
    # The code printed on a Beijing business licence, used in the standard's literature.
    assert normalise_uscc("91110000600037341L") == "91110000600037341L"


def test_lowercase_and_spaces_typed_on_a_phone_are_normalised() -> None:
    assert normalise_uscc(" 9111 0000 6000 3734 1l ") == "91110000600037341L"


def test_empty_means_no_code() -> None:
    assert normalise_uscc("") is None
    assert normalise_uscc(None) is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("91110000600037341M", "check character"),
        ("9111000060003734", "18 characters"),
        ("91110000600037341LX", "18 characters"),
        ("9111000060003734IL", "capital letters"),
    ],
    ids=["wrong check character", "too short", "too long", "letter I not allowed"],
)
def test_bad_codes_are_refused_with_a_reason(raw: str, message: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        normalise_uscc(raw)
    assert caught.value.field == "uscc"
    assert message in str(caught.value.message)


@given(
    st.text(alphabet="0123456789", min_size=8, max_size=8),
    st.text(alphabet=ALPHABET, min_size=9, max_size=9),
)
def test_check_character_matches_the_standard(region_part: str, organisation: str) -> None:
    # Authority, type and region code are digits; the organisation code may hold letters.
    body = region_part + organisation
    good = body + oracle_check_character(body)
    assert normalise_uscc(good) == good
    wrong = next(ch for ch in ALPHABET if ch != good[-1])
    with pytest.raises(RuleViolation):
        normalise_uscc(body + wrong)

import pytest

from shuangsuiji.core.errors import InvalidUSCC
from shuangsuiji.core.uscc import make_uscc, validate_uscc

VALID = make_uscc("9", "1", "140406", "MA0GRQ3L1")


def test_validate_uscc_accepts_valid_code_and_normalises_case_and_spaces() -> None:
    assert validate_uscc(f" {VALID.lower()} ") == VALID


def test_validate_uscc_wrong_check_digit_names_the_code() -> None:
    wrong = VALID[:-1] + ("0" if VALID[-1] != "0" else "1")

    with pytest.raises(InvalidUSCC) as raised:
        validate_uscc(wrong)

    assert str(raised.value) == f"统一社会信用代码“{wrong}”无效：校验位错误"


def test_validate_uscc_wrong_length_says_so() -> None:
    with pytest.raises(InvalidUSCC) as raised:
        validate_uscc("91140406MA0GRQ3L")

    assert raised.value.reason == "长度应为18位"


def test_validate_uscc_letters_in_region_part_are_a_format_error() -> None:
    with pytest.raises(InvalidUSCC) as raised:
        validate_uscc("9114A406MA0GRQ3L1X")

    assert raised.value.reason.startswith("格式错误")


def test_make_uscc_builds_a_code_that_validates() -> None:
    code = make_uscc("9", "2", "140502", "L12345678")

    assert (len(code), validate_uscc(code)) == (18, code)

"""The one credit-code check: stdnum's verdict, and a message that names what is wrong."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc

from gongzhi.core.credit_code import ALPHABET, credit_code_problem, normalise_credit_code

VALID = "91110000600037341L"
bodies = st.tuples(
    st.text(alphabet="0123456789", min_size=8, max_size=8), st.text(alphabet=ALPHABET, min_size=9, max_size=9)
).map("".join)


@given(st.text(max_size=40))
def test_any_text_is_refused_exactly_when_stdnum_refuses_it_never_an_exception(text: str) -> None:
    problem = credit_code_problem(text)
    assert (problem == "") == uscc.is_valid(text)
    assert problem == "" or "统一社会信用代码" in problem
    assert problem in ("", "请填写统一社会信用代码") or problem.startswith("统一社会信用代码无效：")


@given(bodies)
def test_a_code_with_its_check_character_passes_and_every_other_check_fails_naming_the_standard(
    body: str,
) -> None:
    good = body + uscc.calc_check_digit(body)
    assert credit_code_problem(good) == ""
    assert credit_code_problem(good.lower()) == credit_code_problem(f" {good[:6]}-{good[6:]} ") == ""
    for wrong in ALPHABET:
        if wrong != good[-1]:
            assert "校验位" in credit_code_problem(body + wrong)
            assert "GB 32100" in credit_code_problem(body + wrong)


@given(bodies, st.integers(0, 17), st.sampled_from("IOZSV$*中"))
def test_a_character_out_of_place_is_named_with_its_position(body: str, at: int, bad: str) -> None:
    code = body + uscc.calc_check_digit(body)
    code = code[:at] + bad + code[at + 1 :]
    assert f"第 {at + 1} 位“{bad}”" in credit_code_problem(code)


def test_a_letter_in_the_first_eight_is_named_with_the_rule_for_them() -> None:
    assert "前 8 位" in credit_code_problem("9A110000600037341L")


@pytest.mark.parametrize(
    ("n", "word"), [(0, "请填写"), (1, "现为 1 位"), (17, "现为 17 位"), (19, "现为 19 位")]
)
def test_length_boundaries(n: int, word: str) -> None:
    code = (VALID * 2)[:n]
    assert word in credit_code_problem(code)
    assert credit_code_problem(VALID[:18]) == ""


def test_normalised_form_is_what_is_stored() -> None:
    assert normalise_credit_code(" 9111-0000-600037341l ") == VALID
    assert normalise_credit_code("") == ""

"""The unified social credit code (统一社会信用代码, GB 32100-2015), checked once for every app.

python-stdnum's `stdnum.cn.uscc` does the check (18 characters; the first 8 digits in its reading of the
standard; the other 10 from the 31 characters without I, O, Z, S, V; the last a check character); this
module only turns its verdict into a message a clerk can act on: which position is wrong, and why.
"""

from __future__ import annotations

from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError

SRC_USCC = "GB 32100-2015《法人和其他组织统一社会信用代码编码规则》"
LENGTH = 18
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100's 31 characters
DIGITS = "0123456789"


def normalise_credit_code(value: str) -> str:
    """The code as stored: stdnum's own compact form (spaces and hyphens out, upper case)."""
    return uscc.compact(value or "")


def _first_bad_character(code: str) -> tuple[int, str, str]:
    """(position from 1, the character, what that position allows) of the first character out of place."""
    for i, ch in enumerate(code, start=1):
        if i <= 8 and ch not in DIGITS:
            return i, ch, "前 8 位（登记管理部门、机构类别和登记管理机关行政区划码）应为数字"
        if i > 8 and ch not in ALPHABET:
            return i, ch, "第 9–18 位应为数字或大写字母，不使用 I、O、Z、S、V"
    return 0, "", ""


def credit_code_problem(value: str) -> str:
    """'' when `value` is a valid code (as stdnum reads it), else a Chinese message saying what is wrong."""
    code = normalise_credit_code(value)
    if not code:
        return "请填写统一社会信用代码"
    try:
        uscc.validate(code)
    except InvalidLength:
        return f"统一社会信用代码无效：应为 {LENGTH} 位（现为 {len(code)} 位）"
    except InvalidChecksum:
        return f"统一社会信用代码无效：校验位错误，请核对各位是否抄错（{SRC_USCC}）"
    except StdnumError:
        position, ch, allowed = _first_bad_character(code)
        if position:
            return f"统一社会信用代码无效：第 {position} 位“{ch}”是不允许的字符，{allowed}"
        return f"统一社会信用代码无效（{SRC_USCC}）"
    return ""

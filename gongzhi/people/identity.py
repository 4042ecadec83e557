"""Identity numbers: 居民身份证号 (GB 11643: 17 digits and a check character) via python-stdnum.

`id_number_fault` is the one check (pure: what, if anything, is wrong with a compact number); the person
services and ledgers raise `clean_id_number`'s message, the paper-ballot sheet words the same faults for
its rows (masked, with a hint about numeric cells).
"""

from __future__ import annotations

from datetime import date
from enum import Enum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import ric, uscc


class IdFault(Enum):
    LENGTH = "length"  # not 18 characters
    FORMAT = "format"  # not 17 digits and a digit or X
    CHECK = "check"  # wrong check character
    BIRTH = "birth"  # the birth date in it does not exist


def compact(value: str) -> str:
    if len(value) == 18 and value.isascii() and value.isalnum():
        return value.upper()  # the usual case, without stdnum's slower general clean-up
    return ric.compact(value).upper()


def id_number_fault(number: str) -> IdFault | None:
    """What is wrong with a compact, upper-case ID number, or None.

    Length, digits, check character and birth date are checked. The birth-place code is not: stdnum's
    county table lags behind new and renamed counties, and a wrong refusal blocks a real resident.
    """
    if len(number) != 18:
        return IdFault.LENGTH
    if not number[:17].isdigit() or not (number[-1].isdigit() or number[-1] == "X"):
        return IdFault.FORMAT
    if number[-1] != ric.calc_check_digit(number):
        return IdFault.CHECK
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))  # digits 7–14: the birth date
    except ValueError:
        return IdFault.BIRTH
    return None


def is_credit_code(value: str) -> bool:
    """An organisation's 统一社会信用代码 (GB 32100), e.g. a developer's."""
    return bool(uscc.is_valid(value))


def clean_id_number(value: str) -> str:
    """Return the compact, upper-case ID number or raise a ValidationError saying what is wrong."""
    number = compact(value)
    fault = id_number_fault(number)
    if fault in (IdFault.LENGTH, IdFault.FORMAT):
        raise ValidationError(_("身份证号“%(v)s”应为 18 位：17 位数字加 1 位校验码。") % {"v": value})
    if fault is IdFault.CHECK:
        raise ValidationError(_("身份证号“%(v)s”的校验码不正确。") % {"v": value})
    if fault is IdFault.BIRTH:
        raise ValidationError(_("身份证号“%(v)s”中的出生日期无效。") % {"v": value})
    return number


def with_check_character(first17: str) -> str:
    """Append the GB 11643 check character (stdnum's function expects a placeholder in its place)."""
    return first17 + str(ric.calc_check_digit(first17 + "0"))

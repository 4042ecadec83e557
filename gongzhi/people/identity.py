"""Identity numbers: 居民身份证号 (GB 11643: 17 digits and a check character) via python-stdnum."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError


def clean_id_number(value: str) -> str:
    """Return the compact, upper-case ID number or raise a ValidationError saying what is wrong.

    Length, digits, check character and birth date are checked. The birth-place code is not: stdnum's
    county table lags behind new and renamed counties, and a wrong refusal blocks a real resident.
    """
    number = ric.compact(value).upper()
    if len(number) != 18 or not number[:17].isdigit():
        raise ValidationError(_("身份证号“%(v)s”应为 18 位：17 位数字加 1 位校验码。") % {"v": value})
    if number[-1] != ric.calc_check_digit(number):
        raise ValidationError(_("身份证号“%(v)s”的校验码不正确。") % {"v": value})
    try:
        ric.get_birth_date(number)
    except StdnumError as exc:
        raise ValidationError(_("身份证号“%(v)s”中的出生日期无效。") % {"v": value}) from exc
    return number


def with_check_character(first17: str) -> str:
    """Append the GB 11643 check character (stdnum's function expects a placeholder in its place)."""
    return first17 + str(ric.calc_check_digit(first17 + "0"))

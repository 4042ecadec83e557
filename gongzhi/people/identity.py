"""Identity numbers: 居民身份证号 (GB 11643, check character) via python-stdnum."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError


def clean_id_number(value: str) -> str:
    """Return the compact, upper-case ID number or raise a ValidationError saying what is wrong."""
    compact = ric.compact(value).upper()
    try:
        return str(ric.validate(compact))
    except StdnumError as exc:
        raise ValidationError(_("身份证号“%(v)s”无效：%(why)s") % {"v": value, "why": exc.message}) from exc


def with_check_character(first17: str) -> str:
    """Append the GB 11643 check character (used to generate valid demo numbers)."""
    return first17 + str(ric.calc_check_digit(first17))

"""Rules for persons and ownership as pure functions returning a message in the reader's language ("" when fine).

Used by the single-row services, the bulk services and the homes ledger's check alike. Co-owners' shares
of one home add up to at most the whole (Civil Code art. 297–298 on co-ownership by shares).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

WHOLE = Decimal("1")


def share_problem(share: Decimal) -> str:
    if not 0 < share <= WHOLE:
        return _("产权份额应大于 0 且不超过 1")
    return ""


def shares_total_problem(total: Decimal) -> str:
    if total > WHOLE:
        return _("这套房屋的产权份额合计超过 1")
    return ""


def phone_problem(phone: str) -> str:
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 13):
        return _("应为手机号或固定电话号码")
    return ""


def name_problem(name: str) -> str:
    return "" if name.strip() else _("姓名不能为空")

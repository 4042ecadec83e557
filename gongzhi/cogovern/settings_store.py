"""Which owners'-committee rule set is in force: the GONGZHI_COMMITTEE_RULES setting ("qingdao", the
default, or "shandong"), read in one place by services and selectors."""

from __future__ import annotations

from django.conf import settings

from gongzhi.cogovern.rules import QINGDAO, RULE_SETS, CommitteeRules


def committee_rules() -> CommitteeRules:
    return RULE_SETS.get(getattr(settings, "GONGZHI_COMMITTEE_RULES", "qingdao"), QINGDAO)

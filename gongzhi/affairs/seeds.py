"""The seeded settings of the affairs app: matter categories (a controlled vocabulary) and the vote rule
sets of civil_code.DEFAULT_RULE_SETS. Both are data a district administrator edits afterwards.

Used by migration 0002 (with the historical models) and by anything that must find them after a test
database was flushed; a second run changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop as _

from gongzhi.affairs.civil_code import DEFAULT_RULE_SETS

CATEGORIES = [
    # code, name, art. 278 item usually concerned (None: settled by consultation), usual scope
    ("road", _("路面翻修"), 5, "compound"),  # paid from the maintenance fund: 第二百七十八条（五）
    ("elevator", _("加装电梯"), 7, "unit"),
    ("parking", _("停车管理"), 8, "compound"),
    ("greening", _("绿化提升"), None, "compound"),
    ("fund_use", _("维修资金使用"), 5, "building"),
    ("fund_raising", _("维修资金筹集"), 6, "compound"),
    ("property", _("选聘、更换物业"), 4, "compound"),
    ("committee", _("业委会选举"), 3, "compound"),
    ("statute", _("管理规约、议事规则"), 2, "compound"),
    ("facilities", _("设施维修"), 5, "building"),  # idem
    ("environment", _("环境整治"), None, "compound"),
    ("other", _("其他重大事项"), 9, "compound"),
]

ELEVATOR_SOURCE = (
    "民法典第二百七十八条；青岛市既有住宅加装电梯的做法（2021 年起在单元范围内计算双 2/3 参与、"
    "双 3/4 同意，须书面签字、公示不少于 15 日、无直接受影响业主的未解决异议）"
)


def seed(category_model: Any, rule_set_model: Any) -> None:
    for order, (code, name, item, scope) in enumerate(CATEGORIES, start=1):
        category_model.objects.get_or_create(
            code=code, defaults={"name": name, "default_item": item, "default_scope": scope, "order": order}
        )
    elevator = category_model.objects.get(code="elevator")
    # A migration passes the models as they were then: only the fields they had.
    fields = {f.name for f in rule_set_model._meta.get_fields()}
    for rs in DEFAULT_RULE_SETS:
        defaults = {
            "name": rs.name,
            "category": elevator,
            "effective_from": rs.effective_from,
            "effective_to": rs.effective_to,
            "participation": rs.participation.code,
            "approval": rs.approval.code,
            "notice_days": rs.notice_days,
            "requires_signatures": rs.requires_signatures,
            "requires_no_objection": rs.requires_no_objection,
            "source": ELEVATOR_SOURCE,
            "scope": rs.scope,
            "invalid_participates": rs.invalid_participates,
        }
        rule_set_model.objects.get_or_create(
            code=rs.code, defaults={k: v for k, v in defaults.items() if k in fields}
        )


def ensure_seeded() -> None:
    from gongzhi.affairs.models import MatterCategory, VoteRuleSet

    if not MatterCategory.objects.exists():
        seed(MatterCategory, VoteRuleSet)

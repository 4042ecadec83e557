"""The sentences the platform stores as a code and parameters and words when shown: a matter's timeline
and the reasons of a closed vote (``Vote.reasons``, built by civil_code as ``Reason`` codes).

A timeline entry written by the platform (a vote closed, a result published, a notice posted) used to be
stored as a finished Chinese sentence, which the English switch could not reach. Now the services store
``code`` and ``params`` (numbers, dates, status codes and what a person typed) and this module words them
in the reader's language. ``text`` keeps the Chinese sentence as well, for the record and for exports;
entries written before codes existed have only ``text`` and are shown as they were. A vote's reasons are
stored as ``{"code", "params"}`` only (the figures beside them are the record); reasons stored as finished
Chinese sentences before codes existed are shown as they were (``reason_text``).

Pure: no ORM; the wording is gettext, so the English lives in translations.d like every other string.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from gongzhi.affairs.civil_code import CoOwnerRule, Item, Reason

# code → sentence; %(name)s are the params. Statutes keep their article numbers in both languages.
SENTENCES: dict[str, Any] = {
    "emergency": _("紧急情况下使用维修资金，未经业主表决（民法典第二百八十一条第二款）：%(reason)s"),
    "meeting": _("%(kind)s（%(venue)s，%(n)s 人参加）%(outcome)s"),
    "vote_opened": _("表决事项：%(question)s；适用民法典第二百七十八条第一款%(item)s"),
    "vote_opened_rules": _(
        "表决事项：%(question)s；适用民法典第二百七十八条第一款%(item)s；并适用「%(rules)s」"
    ),
    "vote_closed": _("表决结束：%(verdict)s。参与 %(voted)s/%(total)s 人，同意 %(agree)s 人"),
    "vote_closed_reason": _(
        "表决结束：%(verdict)s。参与 %(voted)s/%(total)s 人，同意 %(agree)s 人。理由：%(reason)s"
    ),
    "vote_published": _(
        "表决结果公示：%(verdict)s；业主可自 %(published)s 次日起一年内（至 %(last)s）请求撤销（民法典第二百八十条）。"
        "理由：%(reason)s"
    ),
    "vote_published_late": _(
        "表决结果公示（逾期：应于 %(deadline)s 前公布，青岛市物业管理条例第四十四条）：%(verdict)s；业主可自 "
        "%(published)s 次日起一年内（至 %(last)s）请求撤销（民法典第二百八十条）。理由：%(reason)s"
    ),
    "ballots_entered": _("录入%(what)s %(rows)s 行：新增 %(new)s 票，变更 %(changed)s 票"),
    "notice_posted": _(
        "发布表决公告（%(items)s 项）并公布业主名册：%(homes)s 户、%(owners)s 人、专有部分面积 %(area)s ㎡；"
        "%(voting_from)s 起表决"
    ),
    "objection_received": _("收到对业主名册的异议（%(name)s）"),
    "objection_answered": _("答复名册异议（%(name)s）"),
    "taken": _("%(company)s承接本事项"),
    "taken_note": _("%(company)s承接本事项：%(note)s"),
}

# A closed vote's reasons (civil_code.tally, civil_code.rule_sets, services.votes). "r." keeps them apart
# from the timeline's codes. A share reads "823/1000（≈82.30%）": exact, with a percentage to read it by.
REASONS: dict[str, Any] = {
    "r.no_owners": _(
        "表决范围内没有专有部分（业主人数为 0、总面积为 0），无从计算比例，不能形成决定（民法典第二百七十八条第二款）"
    ),
    "r.part_area": _(
        "参与表决专有部分面积 %(part)s㎡ / 总面积 %(whole)s㎡ = "
        "%(share)s（≈%(percent)s%%），要求 %(symbol)s（%(threshold)s）：%(met)s"
    ),
    "r.part_heads": _(
        "参与表决业主 %(part)s 人 / 业主总人数 %(whole)s 人 = "
        "%(share)s（≈%(percent)s%%），要求 %(symbol)s（%(threshold)s）：%(met)s"
    ),
    "r.nobody": _("无人参与表决，同意比例无从计算，不能形成决定"),
    "r.agree_area": _(
        "同意的专有部分面积 %(part)s㎡ / 参与表决面积 %(whole)s㎡ = "
        "%(share)s（≈%(percent)s%%），要求 %(symbol)s（%(threshold)s）：%(met)s"
    ),
    "r.agree_heads": _(
        "同意业主 %(part)s 人 / 参与表决业主 %(whole)s 人 = "
        "%(share)s（≈%(percent)s%%），要求 %(symbol)s（%(threshold)s）：%(met)s"
    ),
    "r.abstain": _("弃权 %(n)s 人计入参与表决，但不计入同意"),
    "r.invalid_counted": _("废票 %(n)s 张（面积 %(area)s㎡）计入参与表决，但不计入同意"),
    "r.invalid_excluded": _("废票 %(n)s 张（面积 %(area)s㎡）按议事规则不计入参与表决"),
    "r.passed": _("结论：通过（民法典第二百七十八条第二款，%(ordinal)s，参与表决者%(threshold)s同意）"),
    "r.failed": _(
        "结论：未通过——%(why)s（民法典第二百七十八条第二款，%(ordinal)s，参与表决者%(threshold)s同意）"
    ),
    "r.signatures": _("参与表决业主书面签字：%(complete)s"),
    "r.notice_none": _("公示：未公示（要求不少于 %(days)s 日）"),
    "r.notice_open": _("公示：%(start)s 起公示，尚未结束（要求不少于 %(days)s 日）"),
    "r.notice": _(
        "公示：%(start)s 至 %(end)s，计 %(n)s 日（自公示次日起算，民法典第二百零一条；要求不少于 %(days)s 日）：%(met)s"
    ),
    "r.no_objections": _("直接受影响业主未解决的异议：无：满足"),
    "r.objections": _("直接受影响业主未解决的异议：%(n)s 件：不满足"),
    "r.rule_set": _("适用规则：%(name)s（%(code)s）"),
    "r.overall": _("结论（含附加条件）：%(verdict)s"),
    "r.register": _(
        "按 %(posted)s 公布的业主名册计票，表决期间的产权变更不影响计票（青岛市物业管理条例第二十四条）"
    ),
    "r.stale": _("%(n)s 张表决票的投票人在计票时已不是表决范围内的业主，不计入"),
    "r.co_owners": _(
        "%(n)s 户共有人表决意见不一致，各人的表决票均保留；按议事规则%(co_owner_rule)s（司法解释第九条：一户计一人）"
    ),
}

# The rule a vote was counted by (``Vote.rule_sentence``): stored in Chinese as ``Vote.rule_applied``,
# worded again from the vote's fields when shown.
RULES: dict[str, Any] = {
    "rule.statute": _(
        "民法典第二百七十八条第二款；第一款%(item)s：参与表决的专有部分面积和人数均 %(participation)s，"
        "同意的面积和人数均 %(approval)s（占参与表决）"
    ),
    "rule.rule_set": _(
        "民法典第二百七十八条第二款；第一款%(item)s；%(name)s：在%(scope)s范围内计算，参与表决 %(participation)s、"
        "同意 %(approval)s，公示不少于 %(days)s 日"
    ),
}

# Words a parameter names by code, so that they too follow the reader's language.
VERDICTS: dict[str, Any] = {"passed": _("通过"), "failed": _("未通过")}
WHATS: dict[str, Any] = {"sheet": _("纸质表决票"), "unit": _("整单元纸质表决票")}
MEETINGS: dict[str, Any] = {  # as models.MeetingKind
    "briefing": _("吹风会"),
    "consultation": _("协商议事会"),
    "assembly": _("业主大会"),
}
ITEMS: dict[str, Any] = {str(item.value): item.display_title for item in Item}
MET: dict[str, Any] = {"met": _("满足"), "unmet": _("不满足")}
SIGNED: dict[str, Any] = {"complete": _("齐全"), "incomplete": _("不齐全")}
SHORT_OF: dict[str, Any] = {
    "participation": _("参与表决的面积和人数未同时达到要求"),
    "approval": _("同意的面积和人数未同时达到要求"),
    "participation+approval": _("参与表决的面积和人数未同时达到要求；同意的面积和人数未同时达到要求"),
}
CO_OWNER_RULES: dict[str, Any] = {str(rule): rule.display_label for rule in CoOwnerRule}
# The thresholds a count may apply (as affairs.models.ThresholdChoice): 以上 includes the number itself
# (民法典第一千二百五十九条), 过半数 does not.
THRESHOLDS: dict[str, Any] = {"2/3": _("2/3以上"), "3/4": _("3/4以上"), ">1/2": _("过半数")}
ORDINALS: dict[str, Any] = {
    "1": _("第一项"),
    "2": _("第二项"),
    "3": _("第三项"),
    "4": _("第四项"),
    "5": _("第五项"),
    "6": _("第六项"),
    "7": _("第七项"),
    "8": _("第八项"),
    "9": _("第九项"),
}
_WORDED = {
    "verdict": VERDICTS,
    "what": WHATS,
    "kind": MEETINGS,
    "item": ITEMS,
    "ordinal": ORDINALS,
    "threshold": THRESHOLDS,
    "met": MET,
    "complete": SIGNED,
    "why": SHORT_OF,
    "co_owner_rule": CO_OWNER_RULES,
}


def words(code: str, params: Mapping[str, Any]) -> str:
    """The entry's sentence in the active language; "" for a code this version does not know."""
    sentence = SENTENCES.get(code) or REASONS.get(code) or RULES.get(code)
    if sentence is None:
        return ""
    values = dict(params)
    for key, table in _WORDED.items():
        if str(values.get(key)) in table:
            values[key] = table[str(values[key])]
    try:
        return str(sentence) % {k: str(v) for k, v in values.items()}
    except (KeyError, TypeError, ValueError):
        return ""  # params from an older code: the stored text is shown instead


def chinese(code: str, params: Mapping[str, Any]) -> str:
    """The sentence as the record keeps it (``MatterEvent.text``): in Chinese, whatever the actor's language."""
    with translation.override("zh-hans"):
        return words(code, params)


def reason_text(entry: Any) -> str:
    """One of ``Vote.reasons`` in the active language: a ``Reason`` or its stored ``{"code", "params"}``
    worded; a sentence stored before reasons had codes, as it was."""
    if isinstance(entry, Reason):
        return words(entry.code, entry.params) or entry.code
    if isinstance(entry, Mapping):
        return words(str(entry.get("code", "")), entry.get("params") or {}) or str(entry.get("code", ""))
    return str(entry)

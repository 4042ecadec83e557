"""The sentences of a matter's timeline, stored as an event code and its parameters and worded when shown.

A timeline entry written by the platform (a vote closed, a result published, a notice posted) used to be
stored as a finished Chinese sentence, which the English switch could not reach. Now the services store
``code`` and ``params`` (numbers, dates, status codes and what a person typed) and this module words them
in the reader's language. ``text`` keeps the Chinese sentence as well, for the record and for exports;
entries written before codes existed have only ``text`` and are shown as they were.

Pure: no ORM; the wording is gettext, so the English lives in translations.d like every other string.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from gongzhi.affairs.civil_code import Item

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

# Words a parameter names by code, so that they too follow the reader's language.
VERDICTS: dict[str, Any] = {"passed": _("通过"), "failed": _("未通过")}
WHATS: dict[str, Any] = {"sheet": _("纸质表决票"), "unit": _("整单元纸质表决票")}
MEETINGS: dict[str, Any] = {  # as models.MeetingKind
    "briefing": _("吹风会"),
    "consultation": _("协商议事会"),
    "assembly": _("业主大会"),
}
ITEMS: dict[str, Any] = {str(item.value): item.display_title for item in Item}
_WORDED = {"verdict": VERDICTS, "what": WHATS, "kind": MEETINGS, "item": ITEMS}


def words(code: str, params: Mapping[str, Any]) -> str:
    """The entry's sentence in the active language; "" for a code this version does not know."""
    sentence = SENTENCES.get(code)
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

"""The assembly's procedure: post the notice with its items and freeze the register of owners with it;
record and answer objections (《青岛市物业管理条例》第二十四条、第二十九条、第四十四条)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongzhi.accounts.roles import Action
from gongzhi.affairs import civil_code, selectors, workflow
from gongzhi.affairs.models import (
    EventKind,
    Matter,
    Notice,
    NoticeItem,
    RegisterEntry,
    RegisterObjection,
)
from gongzhi.affairs.services.common import _check, _create, _event, _touch
from gongzhi.core.actors import history_user, stamp
from gongzhi.places.models import Home

MAX_ITEMS = 20


@dataclass(frozen=True)
class ItemText:
    title: str
    text: str


def _clean_text(value: str, what: str, limit: int) -> str:
    value = (value or "").strip()
    if not value or "\x00" in value:
        raise ValidationError(f"请填写{what}")
    if len(value) > limit:
        raise ValidationError(f"{what}不能超过 {limit} 字")
    return value


@transaction.atomic
def notice_post(
    *,
    actor: Any,
    matter: Matter,
    voting_from: date,
    text: str,
    items: list[ItemText],
    at: datetime | None = None,
) -> Notice:
    """Post the notice of a vote and freeze the register of owners of the matter's scope the same day.

    Voting may start no earlier than ``civil_code.earliest_voting_day`` (15 whole days of notice, 民法典
    第二百零一条); every item is a question under the matter's art. 278 item, with its full text."""
    _check(actor, Action.VOTE_MANAGE, matter)
    at = at or timezone.now()
    posted_on = timezone.localdate(at)
    locked = Matter.objects.select_for_update().get(pk=matter.pk)
    if locked.item is None:
        raise ValidationError("该事务不需要业主表决，无需表决公告")
    refusal = workflow.may_open_vote(selectors.matter_state(locked))
    if refusal:
        raise ValidationError(f"不能发布表决公告：{refusal}")
    latest = Notice.objects.filter(matter=locked).first()
    if latest is not None and latest.items.filter(votes__isnull=True).exists():
        raise ValidationError("上一份表决公告还有未表决的事项")
    earliest = civil_code.earliest_voting_day(posted_on)
    if voting_from < earliest:
        raise ValidationError(
            {
                "voting_from": f"表决公告和业主名册须在表决开始 {civil_code.NOTICE_DAYS} 日前公布"
                f"（自公告次日起算，民法典第二百零一条；青岛市物业管理条例第二十九条）："
                f"{posted_on:%Y-%m-%d} 公告，最早 {earliest:%Y-%m-%d} 开始表决"
            }
        )
    body = _clean_text(text, "公告全文", 20000)
    if not items:
        raise ValidationError("公告须列明表决事项")
    if len(items) > MAX_ITEMS:
        raise ValidationError(f"一次公告最多 {MAX_ITEMS} 个表决事项")
    cleaned = [(_clean_text(i.title, "表决事项", 200), _clean_text(i.text, "事项全文", 5000)) for i in items]
    homes = selectors.vote_homes(locked, posted_on)
    electorate, _developers = selectors.electorate_of(homes)
    notice = _create(
        Notice,
        actor,
        matter=locked,
        posted_on=posted_on,
        voting_from=voting_from,
        text=body,
        posted_at=at,
        posted_by=history_user(actor),
        homes=len(homes),
        owners_total=electorate.owners_total,
        area_total=electorate.area_total,
        path=locked.path,
    )
    NoticeItem.objects.bulk_create(
        NoticeItem(notice=notice, number=n, title=title, text=full, item=locked.item)
        for n, (title, full) in enumerate(cleaned, start=1)
    )
    RegisterEntry.objects.bulk_create(
        RegisterEntry(
            notice=notice,
            home_id=h.home_id,
            owner_id=h.owner_id,
            developer=h.developer,
            developer_id_counted=h.developer_id,
            delivered=h.delivered,
            area=h.area,
        )
        for h in homes
    )
    _touch(locked, at, actor)
    _event(
        locked,
        EventKind.NOTE,
        at,
        actor,
        code="notice_posted",
        params={
            "items": len(cleaned),
            "homes": len(homes),
            "owners": electorate.owners_total,
            "area": civil_code.format_area(electorate.area_total),
            "voting_from": f"{voting_from:%Y-%m-%d}",
        },
    )
    return notice


@transaction.atomic
def objection_record(
    *,
    actor: Any,
    notice: Notice,
    raised_by_name: str,
    text: str,
    home: Home | None = None,
    at: datetime | None = None,
) -> RegisterObjection:
    """Record an owner's objection to the register or the notice (answered with ``objection_answer``)."""
    _check(actor, Action.VOTE_MANAGE, notice.matter)
    at = at or timezone.now()
    if home is not None and not RegisterEntry.objects.filter(notice=notice, home=home).exists():
        raise ValidationError("该房屋不在本次业主名册中")
    objection = _create(
        RegisterObjection,
        actor,
        notice=notice,
        home=home,
        raised_by_name=_clean_text(raised_by_name, "提出人", 100),
        text=_clean_text(text, "异议内容", 2000),
        raised_on=timezone.localdate(at),
        path=notice.path,
    )
    _event(
        notice.matter,
        EventKind.NOTE,
        at,
        actor,
        code="objection_received",
        params={"name": objection.raised_by_name},
    )
    return objection


@transaction.atomic
def objection_answer(
    *, actor: Any, objection: RegisterObjection, answer: str, at: datetime | None = None
) -> RegisterObjection:
    """Answer an objection; the answer, its date and who gave it are kept with the objection's history."""
    _check(actor, Action.VOTE_MANAGE, objection.notice.matter)
    at = at or timezone.now()
    locked = RegisterObjection.objects.select_for_update().get(pk=objection.pk)
    if locked.answered_on is not None:
        raise ValidationError("该异议已答复")
    locked.answer = _clean_text(answer, "答复", 2000)
    locked.answered_on = timezone.localdate(at)
    locked.answered_by = history_user(actor)
    stamp(locked, actor)
    locked.save(update_fields=["answer", "answered_on", "answered_by"])
    _event(
        objection.notice.matter,
        EventKind.NOTE,
        at,
        actor,
        code="objection_answered",
        params={"name": locked.raised_by_name},
    )
    return locked

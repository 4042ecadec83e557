"""Writes of the centre's events: an event, its guest list, and the agreements signed at it. Each is one
transaction, checks `centre.edit` and writes a history row naming the actor. Signing does not move the
project's stage: that is done on the project's page, with its evidence (signed is not landed)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gongzhi.accounts.access import authorize
from gongzhi.centre import rules
from gongzhi.centre.bulk import _create
from gongzhi.centre.models import EDIT, Agreement, Centre, Event, Guest, Project
from gongzhi.core.actors import stamp

MAX_GUESTS = 2000


def _event_problem(kind: str, title: str) -> str:
    if kind not in Event.Kind.values:
        return "活动类型无效。"
    if not title.strip():
        return "请填写活动名称。"
    return ""


@transaction.atomic
def event_create(*, actor: Any, centre: Centre, kind: str, title: str, held_on: date) -> Event:
    authorize(actor, EDIT, centre)
    if problem := _event_problem(kind, title):
        raise ValidationError(problem)
    event = Event(centre=centre, kind=kind, title=title.strip(), held_on=held_on, path=centre.path)
    stamp(event, actor, "登记活动")
    event.save()
    return event


@transaction.atomic
def event_update(*, actor: Any, event: Event, kind: str, title: str, held_on: date) -> Event:
    authorize(actor, EDIT, event)
    if problem := _event_problem(kind, title):
        raise ValidationError(problem)
    event.kind, event.title, event.held_on = kind, title.strip(), held_on
    stamp(event, actor, "修改活动")
    event.save()
    return event


@transaction.atomic
def guests_set(*, actor: Any, event: Event, guests: Sequence[tuple[str, bool]]) -> int:
    """Replace the event's guest list with `guests` (organisation, attended); one organisation once."""
    authorize(actor, EDIT, event)
    names = [name.strip() for name, _ in guests]
    if len(names) > MAX_GUESTS:
        raise ValidationError(f"嘉宾单位不能超过{MAX_GUESTS}个。")
    if any(not n or len(n) > 80 for n in names):
        raise ValidationError("每个嘉宾单位名称须为1到80个字。")
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValidationError(f"嘉宾单位重复：{'、'.join(twice[:5])}")
    event.guests.all().delete()
    _create(
        Guest,
        [Guest(event=event, organisation=n, attended=a) for n, (_, a) in zip(names, guests, strict=True)],
        actor,
        "更新嘉宾名单",
    )
    return len(names)


@transaction.atomic
def agreement_sign(
    *, actor: Any, event: Event, project: Project, amount_yuan: Decimal, follow_up: str
) -> Agreement:
    """An agreement signed at `event` with a project of the same centre; a project signs once."""
    authorize(actor, EDIT, event)
    if project.centre_id != event.centre_id:
        raise ValidationError("该项目不属于本服务中心。")
    if Agreement.objects.filter(project=project).exists():
        raise ValidationError(f"项目“{project.name}”已签约，不能重复登记。")
    if not Decimal(0) <= amount_yuan < rules.MAX_YUAN:
        raise ValidationError("协议金额应为不小于0的数字（元）。")
    if not follow_up.strip():
        raise ValidationError("请填写跟进责任人。")
    agreement = Agreement(
        event=event,
        project=project,
        amount_yuan=amount_yuan,
        follow_up=follow_up.strip()[:30],
        path=event.path,
    )
    stamp(agreement, actor, "登记签约")
    agreement.save()
    return agreement

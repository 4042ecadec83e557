"""Matters: raise, advance, note, meetings, attachments (the timeline of a resident matter)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from gongzhi.accounts.roles import Action
from gongzhi.affairs import selectors, workflow
from gongzhi.affairs.models import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TYPES,
    MATTER_TAKE,
    Attachment,
    EventKind,
    Matter,
    MatterCategory,
    MatterEvent,
    Meeting,
    MeetingKind,
    Responsible,
    Scope,
    Status,
)
from gongzhi.affairs.services.common import _check, _create, _event, _name, _touch
from gongzhi.core.actors import history_user
from gongzhi.places.models import Building, Compound


@dataclass(frozen=True)
class ScopePlace:
    path: str


def scope_path(compound: Compound, building: Building | None) -> str:
    return building.path if building is not None else compound.path


def _clean_scope(
    compound: Compound, scope: str, building: Building | None, unit_no: int | None
) -> tuple[Building | None, int | None]:
    if scope not in Scope.values:
        raise ValidationError({"scope": "范围应为小区、楼栋或单元"})
    if scope == Scope.COMPOUND:
        return None, None
    if building is None:
        raise ValidationError({"building": "按楼栋或单元确定范围时须选择楼栋"})
    if building.compound_id != compound.pk:
        raise ValidationError({"building": "楼栋不属于该小区"})
    if scope == Scope.BUILDING:
        return building, None
    if unit_no is None or not 1 <= unit_no <= building.units:
        raise ValidationError({"unit_no": f"单元应为 1–{building.units}"})
    return building, unit_no


@transaction.atomic
def matter_raise(
    *,
    actor: Any,
    compound: Compound,
    title: str,
    category: MatterCategory,
    description: str = "",
    item: int | None = None,
    scope: str = Scope.COMPOUND,
    building: Building | None = None,
    unit_no: int | None = None,
    responsible: str = Responsible.PARTY,
    responsible_name: str = "",
    at: datetime | None = None,
) -> Matter:
    """Raise a matter in a compound (or one building or unit of it)."""
    at = at or timezone.now()
    building, unit_no = _clean_scope(compound, scope, building, unit_no)
    _check(actor, Action.MATTER_RAISE, ScopePlace(scope_path(compound, building)))
    title = title.strip()
    if not title:
        raise ValidationError({"title": "请填写事项"})
    if item is not None and not 1 <= int(item) <= 9:
        raise ValidationError({"item": "民法典第二百七十八条第一款只有第一至九项"})
    if responsible not in Responsible.values:
        raise ValidationError({"responsible": "未知的牵头组织"})
    matter = _create(
        Matter,
        actor,
        title=title[:120],
        description=description.strip(),
        category=category,
        item=item,
        scope=scope,
        compound=compound,
        building=building,
        unit_no=unit_no,
        responsible=responsible,
        responsible_name=responsible_name or _default_responsible(compound, responsible),
        raised_by=history_user(actor),
        raised_by_name=_name(actor),
        raised_at=at,
        updated_at=at,
        path=scope_path(compound, building),
    )
    _event(matter, EventKind.RAISED, at, actor, description.strip()[:500], status_to=Status.RAISED)
    return matter


def _default_responsible(compound: Compound, responsible: str) -> str:
    """Today the compound's party organisation leads (its recorded name); other bodies by their kind."""
    if responsible == Responsible.PARTY:
        name = selectors.party_organisation_names([compound.pk]).get(compound.pk)
        return name or f"{compound.name}党支部"
    return f"{compound.name}{Responsible(responsible).label}"


def _locked_matter(matter: Matter) -> Matter:
    return Matter.objects.select_for_update().get(pk=matter.pk)


@transaction.atomic
def matter_advance(
    *, matter: Matter, actor: Any, to: str, note: str = "", at: datetime | None = None
) -> Matter:
    """Move a matter to its next stage, as workflow allows (e.g. no implementation without a passed vote).

    Shelving needs its reason in ``note`` (workflow.reason_refusal); the timeline keeps it."""
    _check(actor, Action.MATTER_MANAGE, matter)
    at = at or timezone.now()
    locked = _locked_matter(matter)
    state = selectors.matter_state(locked)
    reason = workflow.refusal(state, to)
    if reason is None and to == Status.SHELVED:
        reason = workflow.reason_refusal(note, "搁置本事项")
    if reason:
        raise ValidationError(reason)
    previous = locked.status
    fields: dict[str, Any] = {"status": to}
    if to in (Status.RESOLVED, Status.SHELVED):
        fields["resolved_at"] = at
    _touch(locked, at, actor, **fields)
    _event(locked, EventKind.STATUS, at, actor, note.strip(), status_from=previous, status_to=to)
    matter.status, matter.updated_at = locked.status, locked.updated_at
    matter.resolved_at = locked.resolved_at
    return locked


@transaction.atomic
def matter_fund_emergency(*, matter: Matter, actor: Any, reason: str, at: datetime | None = None) -> Matter:
    """Use the maintenance fund in an emergency without the owners' vote (民法典 第二百八十一条 第二款):
    the emergency is recorded on the matter and its timeline, and the matter goes to implementation."""
    _check(actor, Action.VOTE_MANAGE, matter)
    at = at or timezone.now()
    locked = _locked_matter(matter)
    refusal = workflow.emergency_refusal(selectors.matter_state(locked), locked.item, reason)
    if refusal:
        raise ValidationError(refusal)
    previous = locked.status
    _touch(
        locked,
        at,
        actor,
        status=Status.IMPLEMENTATION,
        emergency_at=at,
        emergency_reason=reason.strip(),
    )
    _event(
        locked,
        EventKind.EMERGENCY,
        at,
        actor,
        code="emergency",
        params={"reason": reason.strip()},
        status_from=previous,
        status_to=Status.IMPLEMENTATION,
    )
    for key in ("status", "updated_at", "emergency_at", "emergency_reason"):
        setattr(matter, key, getattr(locked, key))
    return locked


@transaction.atomic
def matter_take(*, matter: Matter, actor: Any, note: str = "", at: datetime | None = None) -> Matter:
    """The property company takes the matter on: it leads from now (``responsible``), who took it and when
    are kept on the matter, and the timeline has the step (with the actor's note, e.g. when work starts)."""
    _check(actor, MATTER_TAKE, matter)
    note = note.strip()
    if "\x00" in note:
        raise ValidationError({"note": "说明中含有不可见的控制字符（NUL），请重新输入"})
    if len(note) > workflow.REASON_MAX:
        raise ValidationError({"note": f"说明不能超过 {workflow.REASON_MAX} 字"})
    at = at or timezone.now()
    locked = _locked_matter(matter)
    refusal = workflow.take_refusal(selectors.matter_state(locked), locked.taken_at is not None)
    if refusal:
        raise ValidationError(refusal)
    company = (
        locked.responsible_name
        if locked.responsible == Responsible.PROPERTY and locked.responsible_name
        else _default_responsible(locked.compound, Responsible.PROPERTY)
    )
    _touch(
        locked,
        at,
        actor,
        responsible=Responsible.PROPERTY,
        responsible_name=company,
        taken_by=history_user(actor),
        taken_at=at,
    )
    _event(
        locked,
        EventKind.TAKEN,
        at,
        actor,
        code="taken_note" if note else "taken",
        params={"company": company, "note": note} if note else {"company": company},
    )
    for key in ("responsible", "responsible_name", "taken_by", "taken_at", "updated_at"):
        setattr(matter, key, getattr(locked, key))
    return locked


@transaction.atomic
def matter_note(*, matter: Matter, actor: Any, text: str, at: datetime | None = None) -> MatterEvent:
    _check(actor, Action.MATTER_MANAGE, matter)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "请填写内容"})
    at = at or timezone.now()
    _touch(matter, at, actor)
    return _event(matter, EventKind.NOTE, at, actor, text)


_MEETING_MOVES = {
    MeetingKind.BRIEFING: ({Status.RAISED}, Status.BRIEFING),
    MeetingKind.CONSULTATION: ({Status.RAISED, Status.BRIEFING}, Status.CONSULTATION),
}


@transaction.atomic
def meeting_record(
    *,
    matter: Matter,
    actor: Any,
    kind: str,
    held_at: datetime,
    venue: str,
    attendees_count: int = 0,
    attendees: str = "",
    minutes: str = "",
    outcome: str = "",
) -> Meeting:
    """Record a meeting about a matter. A briefing of a just-raised matter moves it to the briefing stage,
    a consultation meeting to the consultation stage."""
    _check(actor, Action.MATTER_MANAGE, matter)
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": "未知的会议类型"})
    if not venue.strip():
        raise ValidationError({"venue": "请填写会议地点"})
    if attendees_count < 0:
        raise ValidationError({"attendees_count": "参会人数不能为负"})
    locked = _locked_matter(matter)
    if not locked.is_open:
        raise ValidationError("事务已办结或搁置，不能再登记会议")
    if timezone.localdate(held_at) < timezone.localdate(locked.raised_at):
        raise ValidationError({"held_at": "会议日期不能早于事务提出的日期"})
    if held_at > timezone.now() + timedelta(days=1):
        raise ValidationError({"held_at": "只能登记已经召开的会议"})
    meeting = _create(
        Meeting,
        actor,
        kind=kind,
        compound_id=locked.compound_id,
        held_at=held_at,
        venue=venue.strip(),
        attendees_count=attendees_count,
        attendees=attendees.strip(),
        minutes=minutes.strip(),
        outcome=outcome.strip(),
        path=locked.compound.path,
    )
    meeting.matters.add(locked)
    _event(
        locked,
        EventKind.MEETING,
        held_at,
        actor,
        code="meeting",
        params={"kind": kind, "venue": venue.strip(), "n": attendees_count, "outcome": outcome.strip()},
    )
    move = _MEETING_MOVES.get(MeetingKind(kind))
    if move and locked.status in move[0]:
        previous = locked.status
        _touch(locked, held_at, actor, status=move[1])
        _event(locked, EventKind.STATUS, held_at, actor, "", status_from=previous, status_to=move[1])
    else:
        _touch(locked, held_at, actor)
    matter.status, matter.updated_at = locked.status, locked.updated_at
    return meeting


def _check_upload(upload: UploadedFile) -> tuple[str, str]:
    name = os.path.basename(upload.name or "")
    ext = os.path.splitext(name)[1].lower()
    if ext not in ATTACHMENT_TYPES:
        allowed = "、".join(sorted(ATTACHMENT_TYPES))
        raise ValidationError({"file": f"不支持的文件类型「{ext or '无扩展名'}」：只接受 {allowed}"})
    if upload.size is None or upload.size == 0:
        raise ValidationError({"file": "文件是空的"})
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError({"file": f"文件超过 {ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB"})
    head = upload.read(8)
    upload.seek(0)
    magic = {
        ".pdf": (b"%PDF",),
        ".png": (b"\x89PNG",),
        ".jpg": (b"\xff\xd8\xff",),
        ".jpeg": (b"\xff\xd8\xff",),
        ".docx": (b"PK\x03\x04",),
        ".xlsx": (b"PK\x03\x04",),
    }[ext]
    if not any(head.startswith(m) for m in magic):
        raise ValidationError({"file": f"文件内容与扩展名「{ext}」不符"})
    return name, ATTACHMENT_TYPES[ext]


@transaction.atomic
def attachment_add(
    *, matter: Matter, actor: Any, upload: UploadedFile, at: datetime | None = None
) -> Attachment:
    """Attach a file (pdf, images, docx, xlsx; ≤ 10 MB; content checked against its extension)."""
    _check(actor, Action.MATTER_MANAGE, matter)
    name, content_type = _check_upload(upload)
    at = at or timezone.now()
    attachment = Attachment(
        matter=matter,
        name=name[:200],
        size=upload.size or 0,
        content_type=content_type,
        uploaded_by=history_user(actor),
        uploaded_at=at,
        path=matter.path,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    _touch(matter, at, actor)
    _event(matter, EventKind.ATTACHMENT, at, actor, name)
    return attachment

"""Every write of the affairs app: ``<noun>_<verb>``, keyword-only, one transaction each.

Each takes the acting user (``actor``; None only for the demo and other system jobs) and checks the right
through gongzhi.accounts.access. Bad input raises ``ValidationError`` with a Chinese message and writes
nothing. The law lives in civil_code (counting) and workflow (stages); this module only applies them.
"""

from __future__ import annotations

import os
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongzhi.accounts.access import can
from gongzhi.accounts.roles import Action
from gongzhi.affairs import civil_code, selectors, workflow
from gongzhi.affairs.ballot_sheet import BallotSheet, NotAnXlsxError, SheetError, read_ballot_sheet
from gongzhi.affairs.models import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TYPES,
    Attachment,
    Ballot,
    BallotChange,
    EventKind,
    Matter,
    MatterCategory,
    MatterEvent,
    Meeting,
    MeetingKind,
    Origin,
    Responsible,
    Scope,
    Status,
    Vote,
    Voter,
    VoteStatus,
)
from gongzhi.people.models import Ownership, Person
from gongzhi.places.models import Building, Compound, Home

SHEET_MAX_BYTES = 20 * 1024 * 1024
_OPINIONS = {opinion.value: opinion for opinion in civil_code.Opinion}


def _check(actor: Any, action: str, obj: Any) -> None:
    """Services refuse with PermissionDenied; views have already turned out-of-scope objects into 404."""
    if actor is None:
        return  # a system job (the demo), never a request
    if not can(actor, action, obj):
        raise PermissionDenied


def _name(actor: Any) -> str:
    if actor is None:
        return "系统"
    return actor.get_full_name() or actor.get_username()


def _event(matter: Matter, kind: str, at: datetime, actor: Any, text: str = "", **kw: Any) -> MatterEvent:
    return MatterEvent.objects.create(
        matter=matter,
        kind=kind,
        text=text,
        actor=actor,
        actor_name=_name(actor),
        at=at,
        **kw,
    )


def _touch(matter: Matter, at: datetime, **fields: Any) -> None:
    fields["updated_at"] = max(at, matter.updated_at) if matter.updated_at else at
    for key, value in fields.items():
        setattr(matter, key, value)
    Matter.objects.filter(pk=matter.pk).update(**fields)


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


# ---------------------------------------------------------------------------------------------------------
# Matters
# ---------------------------------------------------------------------------------------------------------


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
    matter = Matter.objects.create(
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
        raised_by=actor,
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
    """Move a matter to its next stage, as workflow allows (e.g. no implementation without a passed vote)."""
    _check(actor, Action.MATTER_MANAGE, matter)
    at = at or timezone.now()
    locked = _locked_matter(matter)
    state = selectors.matter_state(locked)
    reason = workflow.refusal(state, to)
    if reason:
        raise ValidationError(reason)
    previous = locked.status
    fields: dict[str, Any] = {"status": to}
    if to in (Status.RESOLVED, Status.SHELVED):
        fields["resolved_at"] = at
    _touch(locked, at, **fields)
    _event(locked, EventKind.STATUS, at, actor, note.strip(), status_from=previous, status_to=to)
    matter.status, matter.updated_at = locked.status, locked.updated_at
    matter.resolved_at = locked.resolved_at
    return locked


@transaction.atomic
def matter_note(*, matter: Matter, actor: Any, text: str, at: datetime | None = None) -> MatterEvent:
    _check(actor, Action.MATTER_MANAGE, matter)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "请填写内容"})
    at = at or timezone.now()
    _touch(matter, at)
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
    meeting = Meeting.objects.create(
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
    label = MeetingKind(kind).label
    _event(
        locked,
        EventKind.MEETING,
        held_at,
        actor,
        f"{label}（{venue.strip()}，{attendees_count} 人参加）{outcome.strip()}",
    )
    move = _MEETING_MOVES.get(MeetingKind(kind))
    if move and locked.status in move[0]:
        previous = locked.status
        _touch(locked, held_at, status=move[1])
        _event(locked, EventKind.STATUS, held_at, actor, "", status_from=previous, status_to=move[1])
    else:
        _touch(locked, held_at)
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
        uploaded_by=actor,
        uploaded_at=at,
        path=matter.path,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    _touch(matter, at)
    _event(matter, EventKind.ATTACHMENT, at, actor, name)
    return attachment


# ---------------------------------------------------------------------------------------------------------
# Votes
# ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def vote_open(
    *,
    matter: Matter,
    actor: Any,
    question: str = "",
    closes_on: date | None = None,
    at: datetime | None = None,
) -> Vote:
    """Open an owners' vote on an art. 278 matter, over the matter's scope. The rule set of the matter's
    category in force on the opening day (e.g. unit elevator votes) applies and is kept on the vote."""
    _check(actor, Action.VOTE_MANAGE, matter)
    at = at or timezone.now()
    locked = _locked_matter(matter)
    reason = workflow.may_open_vote(selectors.matter_state(locked))
    if reason:
        raise ValidationError(reason)
    opened_on = timezone.localdate(at)
    if closes_on is not None and closes_on < opened_on:
        raise ValidationError({"closes_on": "截止日期不能早于开始日期"})
    try:
        rule_set = selectors.rule_set_record_in_force(locked.category_id, opened_on)
    except ValueError as exc:
        raise ValidationError(f"表决规则设置有误：{exc}") from exc
    assert locked.item is not None
    vote = Vote.objects.create(
        matter=locked,
        question=(question.strip() or locked.title)[:200],
        item=locked.item,
        scope=locked.scope,
        compound_id=locked.compound_id,
        building_id=locked.building_id,
        unit_no=locked.unit_no,
        rule_set=rule_set,
        opened_at=at,
        closes_on=closes_on,
        opened_by=actor,
        path=locked.path,
    )
    previous = locked.status
    _touch(locked, at, status=Status.VOTING)
    text = f"表决事项：{vote.question}；适用民法典第二百七十八条第一款{civil_code.Item(vote.item).title}"
    if rule_set:
        text += f"；并适用「{rule_set.name}」"
    _event(locked, EventKind.VOTE_OPENED, at, actor, text, status_from=previous, status_to=Status.VOTING)
    matter.status, matter.updated_at = locked.status, locked.updated_at
    return vote


def _locked_open_vote(vote: Vote) -> Vote:
    """Lock the vote row: ballots of one vote are written one after another, and none after closing."""
    locked = (
        Vote.objects.select_for_update(of=("self",))
        .select_related("matter", "rule_set", "building")
        .get(pk=vote.pk)
    )
    if locked.status != VoteStatus.OPEN:
        raise ValidationError("表决已经结束，不能再投票或改票")
    return locked


def _opinion(value: str) -> str:
    try:
        return civil_code._as_opinion(value).value
    except ValueError:
        raise ValidationError({"opinion": "表决意见应为同意、反对或弃权"}) from None


def _upsert_ballot(
    vote: Vote,
    owner_id: int,
    opinion: str,
    origin: str,
    actor: Any,
    at: datetime,
    proxy_name: str = "",
    mandate: str = "",
    mandate_file: UploadedFile | None = None,
) -> Ballot:
    ballot = Ballot.objects.filter(vote=vote, owner_id=owner_id).first()
    previous = ""
    if ballot is None:
        ballot = Ballot(vote=vote, owner_id=owner_id, changes=0)
    else:
        previous = ballot.opinion
        ballot.changes += 1
    ballot.opinion, ballot.origin, ballot.cast_by, ballot.cast_at = opinion, origin, actor, at
    ballot.proxy_name, ballot.mandate = proxy_name, mandate
    if mandate_file is not None:
        ballot.mandate_file.save(os.path.basename(mandate_file.name or "mandate"), mandate_file, save=False)
    elif origin != Origin.PROXY:
        ballot.mandate_file = ""  # type: ignore[assignment]
    try:
        with transaction.atomic():
            ballot.save()
    except IntegrityError as exc:  # only reachable without the vote lock; never silently doubled
        raise ValidationError("该业主的表决票正在被同时提交，请重试") from exc
    BallotChange.objects.create(
        vote=vote, owner_id=owner_id, opinion=opinion, previous=previous, origin=origin, cast_by=actor, at=at
    )
    return ballot


@transaction.atomic
def ballot_cast(
    *,
    vote: Vote,
    person: Person,
    opinion: str,
    origin: str,
    actor: Any,
    proxy_name: str = "",
    mandate: str = "",
    mandate_file: UploadedFile | None = None,
    at: datetime | None = None,
) -> Ballot:
    """Record an owner's opinion (a first cast or a change) while the vote is open; every cast is kept.

    Online ballots are cast by the owner themself (their login linked by Voter); paper and proxy ballots
    are entered by staff with the vote-management right. A co-owner's ballot counts for the home's
    representative owner (one home, one person: 司法解释 第九条).
    """
    at = at or timezone.now()
    opinion = _opinion(opinion)
    if origin not in Origin.values:
        raise ValidationError({"origin": "来源应为网上、纸质或委托代理"})
    if origin == Origin.ONLINE:
        if actor is not None:
            link = Voter.objects.filter(user=actor).first()
            if link is None or link.person_id != person.pk:
                raise PermissionDenied
            if not can(actor, Action.PLACE_VIEW, vote):
                raise PermissionDenied
    else:
        _check(actor, Action.VOTE_MANAGE, vote)
    if origin == Origin.PROXY:
        if not proxy_name.strip():
            raise ValidationError({"proxy_name": "委托代理投票须填写受托人"})
        if not mandate.strip() and mandate_file is None:
            raise ValidationError({"mandate": "委托代理投票须有委托书（填写内容或上传附件）"})
        if mandate_file is not None:
            _check_upload(mandate_file)
    locked = _locked_open_vote(vote)
    if origin == Origin.ONLINE and locked.closes_on and timezone.localdate(at) > locked.closes_on:
        # Paper and proxy ballots collected by the deadline may still be entered until the vote closes.
        raise ValidationError(f"网上表决已于 {locked.closes_on:%Y-%m-%d} 截止")
    owner_id = selectors.ballot_owner_for(locked, person.pk, timezone.localdate(at))
    if owner_id is None:
        raise ValidationError(f"{person.name} 不是本次表决范围内的业主")
    return _upsert_ballot(
        locked,
        owner_id,
        opinion,
        origin,
        actor,
        at,
        proxy_name=proxy_name.strip(),
        mandate=mandate.strip(),
        mandate_file=mandate_file,
    )


@dataclass(frozen=True)
class SheetImport:
    rows: int
    recorded: int
    changed: int
    unchanged: int


def _building_key(text: str) -> str:
    text = text.strip().replace(" ", "")
    for suffix in ("号楼", "栋", "号", "楼"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text


def _unit_key(text: str) -> int | None:
    text = text.strip().removesuffix("单元")
    return int(text) if text.isdigit() else None


@transaction.atomic
def ballots_import_sheet(
    *, vote: Vote, actor: Any, data: bytes, at: datetime | None = None
) -> SheetImport | list[SheetError]:
    """Record paper ballots from the tally sheet the ``tally_ballots`` command reads; all or nothing.

    The sheet is checked by ballot_sheet, then each row against the register: the home must be in the
    vote's scope and 业主 (and 身份证号, when given) must be one of its recorded owners. Any problem: the
    list of (row, column, message) and no ballot written. A row without an opinion records nothing (an
    owner may have voted online). An owner's paper opinion replaces an earlier one, kept as a change.
    """
    _check(actor, Action.VOTE_MANAGE, vote)
    at = at or timezone.now()
    if len(data) > SHEET_MAX_BYTES:
        return [SheetError(1, "（全表）", f"文件超过 {SHEET_MAX_BYTES // (1024 * 1024)} MB")]
    try:
        sheet = read_ballot_sheet(data)
    except NotAnXlsxError as exc:
        return [SheetError(1, "（全表）", str(exc))]
    if not isinstance(sheet, BallotSheet):
        return sheet
    locked = _locked_open_vote(vote)
    on = timezone.localdate(at)
    home_q, own_q = selectors.scope_filters(
        locked.scope, locked.compound_id, locked.building_id, locked.unit_no
    )
    homes = {
        (_building_key(number), unit, room): home_id
        for home_id, number, unit, room in Home.objects.filter(home_q).values_list(
            "id", "building__number", "unit_no", "room"
        )
    }
    owners: dict[int, list[tuple[int, str, str]]] = {}
    for home_id, pid, name, id_number, credit in (
        Ownership.objects.filter(own_q)
        .filter(selectors._current(on))
        .values_list("home_id", "person_id", "person__name", "person__id_number", "person__credit_code")
    ):
        owners.setdefault(home_id, []).append((pid, name, (id_number or credit or "").upper()))
    representative = {h.home_id: h.owner_id for h in selectors.vote_homes(locked, on)}

    errors: list[SheetError] = []
    wanted: dict[int, tuple[str, int]] = {}
    for row in sheet.rows:
        unit = _unit_key(row.unit) if row.unit else 1
        found = homes.get((_building_key(row.building), unit or 0, row.room))
        if found is None:
            errors.append(
                SheetError(
                    row.row, "房号", f"{row.building} {row.unit or ''}单元 {row.room} 不在本次表决范围内"
                )
            )
            continue
        home_id = found
        matches = [o for o in owners.get(home_id, []) if o[1] == row.owner]
        if not matches:
            errors.append(SheetError(row.row, "业主", f"「{row.owner}」不是该房屋登记的业主"))
            continue
        if row.id_number and not any(o[2] == row.id_number for o in matches):
            errors.append(SheetError(row.row, "身份证号", "身份证号与该房屋登记的业主不符"))
            continue
        if row.opinion is None:
            continue
        owner_id = representative.get(home_id)
        if owner_id is None:
            continue
        earlier = wanted.get(owner_id)
        if earlier and earlier[0] != row.opinion.value:
            errors.append(
                SheetError(
                    row.row, "表决意见", f"与第{earlier[1]}行同一业主的意见不同：一位业主只能有一个意见"
                )
            )
            continue
        wanted[owner_id] = (row.opinion.value, row.row)
    if errors:
        return errors

    existing = {b.owner_id: b for b in Ballot.objects.filter(vote=locked)}
    new_ballots, updated, changes = [], [], []
    unchanged = 0
    for owner_id, (opinion, _line) in wanted.items():
        ballot = existing.get(owner_id)
        if ballot is None:
            new_ballots.append(
                Ballot(
                    vote=locked,
                    owner_id=owner_id,
                    opinion=opinion,
                    origin=Origin.PAPER,
                    cast_by=actor,
                    cast_at=at,
                )
            )
            changes.append(
                BallotChange(
                    vote=locked, owner_id=owner_id, opinion=opinion, origin=Origin.PAPER, cast_by=actor, at=at
                )
            )
        elif ballot.opinion == opinion and ballot.origin == Origin.PAPER:
            unchanged += 1
        else:
            changes.append(
                BallotChange(
                    vote=locked,
                    owner_id=owner_id,
                    opinion=opinion,
                    previous=ballot.opinion,
                    origin=Origin.PAPER,
                    cast_by=actor,
                    at=at,
                )
            )
            ballot.opinion, ballot.origin, ballot.cast_by, ballot.cast_at = opinion, Origin.PAPER, actor, at
            ballot.proxy_name, ballot.mandate, ballot.changes = "", "", ballot.changes + 1
            updated.append(ballot)
    Ballot.objects.bulk_create(new_ballots)
    Ballot.objects.bulk_update(
        updated, ["opinion", "origin", "cast_by", "cast_at", "proxy_name", "mandate", "changes"]
    )
    BallotChange.objects.bulk_create(changes)
    _touch(locked.matter, at)
    _event(
        locked.matter,
        EventKind.NOTE,
        at,
        actor,
        f"录入纸质表决票 {len(sheet.rows)} 行：新增 {len(new_ballots)} 票，变更 {len(updated)} 票",
    )
    return SheetImport(len(sheet.rows), len(new_ballots), len(updated), unchanged)


@dataclass(frozen=True)
class VoteCount:
    """A vote counted from the register: the tally, the rule set's conditions, and the rule applied."""

    tally: civil_code.TallyResult
    conditions: civil_code.ConditionsResult | None
    passed: bool
    reasons: tuple[str, ...]
    rule_applied: str


def vote_count(
    vote: Vote,
    *,
    on: date,
    signatures_complete: bool | None = None,
    notice_from: date | None = None,
    notice_until: date | None = None,
    unresolved_objections: int | None = None,
) -> VoteCount:
    """Count a vote from the database with civil_code (exact arithmetic); writes nothing."""
    homes = selectors.vote_homes(vote, on)
    electorate, developers = selectors.electorate_of(homes)
    opinions: dict[Hashable, civil_code.Opinion] = {}
    stale = 0
    for owner_id, opinion in selectors.vote_opinions(vote):
        key = selectors.owner_key(owner_id, developers)
        if key not in electorate.area_by_owner:
            stale += 1  # sold their home during the vote: no longer an owner in scope
            continue
        opinions[key] = _OPINIONS[opinion]
    item = civil_code.Item(vote.item)
    law = f"民法典第二百七十八条第二款；第一款{item.title}"
    notes = []
    if stale:
        notes.append(f"{stale} 张表决票的投票人在计票时已不是表决范围内的业主，不计入")
    if vote.rule_set is not None:
        rule_set = vote.rule_set.as_rule_set()
        outcome = civil_code.decide_under_rule_set(
            electorate,
            opinions,
            item,
            rule_set,
            signatures_complete=bool(signatures_complete),
            notice_from=notice_from,
            notice_until=notice_until,
            unresolved_objections=unresolved_objections or 0,
        )
        rule = (
            f"{law}；{rule_set.name}：在{vote.scope_label}范围内计算，参与表决 {rule_set.participation.symbol}、"
            f"同意 {rule_set.approval.symbol}，公示不少于 {rule_set.notice_days} 日"
        )
        return VoteCount(outcome.tally, outcome.conditions, outcome.passed, (*notes, *outcome.reasons), rule)
    result = civil_code.tally(electorate, opinions, item)
    rule = (
        f"{law}：参与表决的专有部分面积和人数均 {civil_code.participation_threshold().symbol}，"
        f"同意的面积和人数均 {civil_code.threshold_for(item).symbol}（占参与表决）"
    )
    return VoteCount(result, None, result.passed, (*notes, *result.reasons), rule)


@transaction.atomic
def vote_close(
    *,
    vote: Vote,
    actor: Any,
    signatures_complete: bool | None = None,
    notice_from: date | None = None,
    notice_until: date | None = None,
    unresolved_objections: int | None = None,
    at: datetime | None = None,
) -> Vote:
    """Close the vote and store every figure of the count and the reasons (civil_code.tally)."""
    _check(actor, Action.VOTE_MANAGE, vote)
    at = at or timezone.now()
    locked = _locked_open_vote(vote)
    if locked.rule_set_id is not None:
        assert locked.rule_set is not None
        if locked.rule_set.requires_no_objection and unresolved_objections is None:
            raise ValidationError({"unresolved_objections": "请填写直接受影响业主未解决的异议数（没有填 0）"})
        if unresolved_objections is not None and unresolved_objections < 0:
            raise ValidationError({"unresolved_objections": "异议数不能为负"})
        if notice_from and notice_until and notice_until < notice_from:
            raise ValidationError({"notice_until": "公示结束日期不能早于开始日期"})
    counted = vote_count(
        locked,
        on=timezone.localdate(at),
        signatures_complete=signatures_complete,
        notice_from=notice_from,
        notice_until=notice_until,
        unresolved_objections=unresolved_objections,
    )
    t = counted.tally
    fields: dict[str, Any] = {
        "status": VoteStatus.CLOSED,
        "closed_at": at,
        "closed_by": actor,
        "signatures_complete": signatures_complete if locked.rule_set_id else None,
        "notice_from": notice_from if locked.rule_set_id else None,
        "notice_until": notice_until if locked.rule_set_id else None,
        "unresolved_objections": unresolved_objections if locked.rule_set_id else None,
        "homes": t.homes,
        "owners_total": t.owners_total,
        "area_total": t.area_total,
        "owners_voted": t.owners_voted,
        "area_voted": t.area_voted,
        "owners_agree": t.owners_agree,
        "area_agree": t.area_agree,
        "owners_against": t.owners_against,
        "area_against": t.area_against,
        "owners_abstain": t.owners_abstain,
        "area_abstain": t.area_abstain,
        "participation_met": t.participation_met,
        "approval_met": t.approval_met,
        "conditions_met": counted.conditions.met if counted.conditions else None,
        "passed": counted.passed,
        "participation_rule": t.participation,
        "approval_rule": t.threshold,
        "rule_applied": counted.rule_applied[:300],
        "reasons": list(counted.reasons),
    }
    for key, value in fields.items():
        setattr(locked, key, value)
    locked.save(update_fields=list(fields))
    matter = locked.matter
    _touch(matter, at)
    verdict = "通过" if counted.passed else "未通过"
    _event(
        matter,
        EventKind.VOTE_CLOSED,
        at,
        actor,
        f"表决结束：{verdict}。参与 {t.owners_voted}/{t.owners_total} 人，同意 {t.owners_agree} 人",
    )
    for key, value in fields.items():
        setattr(vote, key, value)
    return locked


@transaction.atomic
def vote_publish(*, vote: Vote, actor: Any, at: datetime | None = None) -> Vote:
    """Publish a closed vote's result on its public page (names masked there)."""
    _check(actor, Action.VOTE_MANAGE, vote)
    at = at or timezone.now()
    locked = Vote.objects.select_for_update().get(pk=vote.pk)
    if locked.status != VoteStatus.CLOSED:
        raise ValidationError("表决结束后才能公示结果")
    if locked.published_at is not None:
        raise ValidationError("结果已经公示")
    locked.published_at = at
    locked.save(update_fields=["published_at"])
    vote.published_at = at
    _touch(locked.matter, at)
    _event(
        locked.matter,
        EventKind.VOTE_PUBLISHED,
        at,
        actor,
        f"表决结果公示：{'通过' if locked.passed else '未通过'}",
    )
    return locked


@transaction.atomic
def voter_link(*, user: Any, person: Person, actor: Any, at: datetime | None = None) -> Voter:
    """Let ``user`` vote online as ``person`` (staff who checked the owner's identity do this)."""
    owned = Ownership.objects.filter(person=person).select_related("home").first()
    if owned is None:
        raise ValidationError(f"{person.name} 没有登记的房屋，不能网上表决")
    _check(actor, Action.PERSON_EDIT, owned.home)
    if Voter.objects.filter(person=person).exclude(user=user).exists():
        raise ValidationError("该业主已与另一个账号关联")
    voter, _created = Voter.objects.update_or_create(
        user=user, defaults={"person": person, "linked_at": at or timezone.now(), "linked_by": actor}
    )
    return voter

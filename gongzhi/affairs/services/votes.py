"""Votes: open, cast, count, close, publish, and the link of a login to the owner it votes for."""

from __future__ import annotations

import os
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from gongzhi.accounts.access import can
from gongzhi.accounts.roles import Action
from gongzhi.affairs import chain, civil_code, locks, selectors, timeline, workflow
from gongzhi.affairs.civil_code import as_opinion
from gongzhi.affairs.models import (
    Ballot,
    BallotChange,
    EventKind,
    Matter,
    Notice,
    NoticeItem,
    Origin,
    Status,
    Vote,
    Voter,
    VoteStatus,
)
from gongzhi.affairs.services.common import _OPINIONS, _check, _create, _event, _touch
from gongzhi.affairs.services.matters import _check_upload, _locked_matter
from gongzhi.core.actors import history_user, is_system, stamp
from gongzhi.people.models import Ownership, Person


@transaction.atomic
def vote_open(
    *,
    matter: Matter,
    actor: Any,
    question: str = "",
    closes_on: date | None = None,
    notice_item: NoticeItem | None = None,
    at: datetime | None = None,
) -> Vote:
    """Open an owners' vote on an art. 278 matter, over the matter's scope. The rule set of the matter's
    category in force on the opening day (e.g. unit elevator votes) applies and is kept on the vote.

    When the matter has a notice, only one of its items may be voted, and not before the notice's voting
    day (at least 15 days after posting: civil_code.earliest_voting_day; 青岛市物业管理条例第二十九条)."""
    _check(actor, Action.VOTE_MANAGE, matter)
    at = at or timezone.now()
    locked = _locked_matter(matter)
    reason = workflow.may_open_vote(selectors.matter_state(locked))
    if reason:
        raise ValidationError(reason)
    opened_on = timezone.localdate(at)
    notice = Notice.objects.filter(matter=locked).first()
    if notice is None and notice_item is not None:
        raise ValidationError("该事务没有发布表决公告")
    if notice is not None:
        if notice_item is None or notice_item.notice_id != notice.pk:
            raise ValidationError(
                {"notice_item": "只能就表决公告列明的事项表决（青岛市物业管理条例第二十九条）"}
            )
        if Vote.objects.filter(notice_item=notice_item).exists():
            raise ValidationError("该公告事项已经表决过；再次表决须重新发布表决公告")
        if opened_on < notice.voting_from:
            raise ValidationError(
                f"表决公告定于 {notice.voting_from:%Y-%m-%d} 开始表决（公告于 {notice.posted_on:%Y-%m-%d}，"
                f"须提前 {civil_code.NOTICE_DAYS} 日）"
            )
        question = notice_item.title
    if closes_on is not None and closes_on < opened_on:
        raise ValidationError({"closes_on": "截止日期不能早于开始日期"})
    try:
        rule_set = selectors.rule_set_record_in_force(locked.category_id, opened_on, locked.scope)
    except ValueError as exc:
        raise ValidationError(f"表决规则设置有误：{exc}") from exc
    assert locked.item is not None
    if rule_set is not None:
        rules = rule_set.as_rule_set()
        fault = civil_code.scope_fault(rules, locked.scope)
        faults = [fault] if fault else civil_code.laxness_faults(rules, [locked.item])
        if faults:
            raise ValidationError(faults)
    vote = _create(
        Vote,
        actor,
        matter=locked,
        question=(question.strip() or locked.title)[:200],
        item=locked.item,
        scope=locked.scope,
        compound_id=locked.compound_id,
        building_id=locked.building_id,
        unit_no=locked.unit_no,
        rule_set=rule_set,
        notice_item=notice_item,
        opened_at=at,
        closes_on=closes_on,
        opened_by=history_user(actor),
        path=locked.path,
    )
    previous = locked.status
    _touch(locked, at, actor, status=Status.VOTING)
    params: dict[str, Any] = {"question": vote.question, "item": vote.item}
    if rule_set:
        params["rules"] = rule_set.name
    _event(
        locked,
        EventKind.VOTE_OPENED,
        at,
        actor,
        code="vote_opened_rules" if rule_set else "vote_opened",
        params=params,
        status_from=previous,
        status_to=Status.VOTING,
    )
    matter.status, matter.updated_at = locked.status, locked.updated_at
    return vote


def _locked_open_vote(vote: Vote) -> Vote:
    """Lock the vote row: ballots of one vote are written one after another, and none after closing."""
    locked = (
        Vote.objects.select_for_update(of=("self",))
        .select_related("matter", "rule_set", "building", "notice_item__notice")
        .get(pk=vote.pk)
    )
    if locked.status != VoteStatus.OPEN:
        raise ValidationError("表决已经结束，不能再投票或改票")
    return locked


def _shared_open_vote(vote: Vote, owner: int | None = None) -> Vote:
    """Lock the vote row shared for one cast (gongzhi.affairs.locks): casts of a vote run side by side,
    closing it or entering a paper sheet waits for them, and none is written after closing. The caller's
    vote is used as it is; only what can change while it is open (status, deadline) is read again.
    ``owner`` (a locks.owner_key) takes that ballot's lock in the same statement."""
    vote.status, vote.closes_on = locks.vote_share(vote.pk, owner)
    if vote.status != VoteStatus.OPEN:
        raise ValidationError("表决已经结束，不能再投票或改票")
    return vote


def _opinion(value: str) -> str:
    try:
        return as_opinion(value).value
    except ValueError:
        raise ValidationError({"opinion": "表决意见应为同意、反对或弃权（纸质表决票可认定为废票）"}) from None


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
    caster_id: int | None = None,
    owner_locked: bool = False,
) -> Ballot:
    if not owner_locked:
        locks.owner_lock(vote.pk, owner_id, caster_id)  # this ballot's casts one after another
    if mandate_file is None and locks.postgres():
        return _upsert_ballot_sql(vote, owner_id, opinion, origin, actor, at, proxy_name, mandate, caster_id)
    ballot = Ballot.objects.filter(vote=vote, owner_id=owner_id, caster_id=caster_id).first()
    previous = ""
    if ballot is None:
        ballot = Ballot(vote=vote, owner_id=owner_id, caster_id=caster_id, changes=0)
    else:
        previous = ballot.opinion
        ballot.changes += 1
    ballot.opinion, ballot.origin, ballot.cast_by, ballot.cast_at = opinion, origin, history_user(actor), at
    ballot.proxy_name, ballot.mandate = proxy_name, mandate
    if mandate_file is not None:
        ballot.mandate_file.save(os.path.basename(mandate_file.name or "mandate"), mandate_file, save=False)
    elif origin != Origin.PROXY:
        ballot.mandate_file = ""  # type: ignore[assignment]
    try:
        # No savepoint of its own (two round trips a cast): the error leaves ballot_cast's atomic block,
        # which rolls the whole cast back.
        ballot.save()
    except IntegrityError as exc:  # only reachable without the owner lock (SQLite); never silently doubled
        raise ValidationError("该业主的表决票正在被同时提交，请重试") from exc
    change = BallotChange.objects.create(
        vote=vote,
        owner_id=owner_id,
        caster_id=caster_id,
        opinion=opinion,
        previous=previous,
        origin=origin,
        cast_by=history_user(actor),
        at=at,
    )
    # Last in the transaction: the chain's lock is held from here to the commit only.
    chain.seal(vote.pk, [change])
    return ballot


def _upsert_ballot_sql(
    vote: Vote,
    owner_id: int,
    opinion: str,
    origin: str,
    actor: Any,
    at: datetime,
    proxy_name: str,
    mandate: str,
    caster_id: int | None,
) -> Ballot:
    """_upsert_ballot on PostgreSQL without an uploaded mandate: the ballot (written or changed), its
    recorded cast and the chain's lock in one statement (locks.ballot_write), then the chain's head and the
    seal (chain.seal). The same rows as the ORM's four statements; the caller holds the ballot's lock."""
    by = history_user(actor)
    by_id = getattr(by, "pk", None)
    try:
        written = locks.ballot_write(
            vote_id=vote.pk,
            owner_id=owner_id,
            caster_id=caster_id,
            opinion=opinion,
            origin=origin,
            proxy_name=proxy_name,
            mandate=mandate,
            cast_by_id=by_id,
            at=at,
        )
    except IntegrityError as exc:  # not reachable under the ballot's lock; never silently doubled
        raise ValidationError("该业主的表决票正在被同时提交，请重试") from exc
    change = BallotChange(
        pk=written.change_id,
        vote_id=vote.pk,
        owner_id=owner_id,
        caster_id=caster_id,
        opinion=opinion,
        previous=written.previous,
        origin=origin,
        cast_by_id=by_id,
        at=at,
    )
    change._state.adding, change._state.db = False, "default"
    chain.seal(vote.pk, [change], locked=True)
    ballot = Ballot(
        pk=written.ballot_id,
        vote=vote,
        owner_id=owner_id,
        caster_id=caster_id,
        opinion=opinion,
        origin=origin,
        proxy_name=proxy_name,
        mandate=mandate,
        mandate_file=written.mandate_file,
        cast_by_id=by_id,
        cast_at=at,
        changes=written.changes,
    )
    ballot._state.adding, ballot._state.db = False, "default"
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
    are entered by staff with the vote-management right. A co-owner's ballot is kept beside the home's
    representative's; which one counts is the rule set's (civil_code.co_owners_opinion), never the last
    written (one home, one person: 司法解释 第九条).
    """
    at = at or timezone.now()
    opinion = _opinion(opinion)
    if origin not in Origin.values:
        raise ValidationError({"origin": "来源应为网上、纸质或委托代理"})
    if origin == Origin.ONLINE and opinion == civil_code.Opinion.INVALID:
        raise ValidationError({"opinion": "废票只能由计票人对纸质表决票认定"})
    if origin == Origin.ONLINE:
        if not is_system(actor):  # the demo's system actor casts for its synthetic owners
            link = selectors.voter_of(history_user(actor))  # read once with the cast page's
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
    # Who the ballot counts for is read before taking any lock (the scope it reads never changes once the
    # vote is open); the locks are narrow (gongzhi.affairs.locks) and the chain's is taken last.
    owner_id = selectors.ballot_owner_for(vote, person.pk, timezone.localdate(at))
    if selectors.register_holds(vote):  # the published register decides, through changes of ownership
        if owner_id is None or selectors.register_owner_for(vote, owner_id) is None:
            owner_id = selectors.register_owner_for(vote, person.pk)
        if owner_id is None:
            raise ValidationError(f"{person.name} 不在本次表决公布的业主名册上（以公布的名册为准）")
    caster_id = None if owner_id == person.pk else person.pk
    # The vote's shared lock and this ballot's lock in one statement (the ballot is read after both).
    key = None if owner_id is None else locks.owner_key(vote.pk, owner_id, caster_id)
    locked = _shared_open_vote(vote, key)
    if origin == Origin.ONLINE and locked.closes_on and timezone.localdate(at) > locked.closes_on:
        # Paper and proxy ballots collected by the deadline may still be entered until the vote closes.
        raise ValidationError(f"网上表决已于 {locked.closes_on:%Y-%m-%d} 截止")
    if owner_id is None:
        if selectors.owns_undelivered_in_scope(locked, person.pk, timezone.localdate(at)):
            raise ValidationError(
                f"{person.name} 购买的房屋尚未交付：按司法解释第九条计入建设单位，买受人交付后才能表决"
            )
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
        caster_id=caster_id,
        owner_locked=key is not None,
    )


@dataclass(frozen=True)
class VoteCount:
    """A vote counted from the register: the tally, the rule set's conditions, and the rule applied."""

    tally: civil_code.TallyResult
    conditions: civil_code.ConditionsResult | None
    passed: bool
    reasons: tuple[civil_code.Reason, ...]
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
    homes = selectors.counted_homes(vote, on)
    electorate, developers = selectors.electorate_of(homes)
    opinions: dict[Hashable, civil_code.Opinion] = {}
    stale = 0
    rule = vote.rule_set.co_owner_rule if vote.rule_set is not None else civil_code.CoOwnerRule.REPRESENTATIVE
    resolved, conflicts = selectors.resolve_co_owners(selectors.vote_ballot_rows(vote), rule)
    for owner_id, opinion in resolved.items():
        key = selectors.owner_key(owner_id, developers)
        if key not in electorate.area_by_owner:
            stale += 1  # sold their home during the vote: no longer an owner in scope
            continue
        opinions[key] = _OPINIONS[opinion.value]
    item = civil_code.Item(vote.item)
    notes: list[civil_code.Reason] = []
    if selectors.register_holds(vote):
        assert vote.notice_item is not None
        notes.append(civil_code.reason("r.register", posted=vote.notice_item.notice.posted_on.isoformat()))
    if stale:
        notes.append(civil_code.reason("r.stale", n=stale))
    if conflicts:
        notes.append(
            civil_code.reason(
                "r.co_owners", n=len(conflicts), co_owner_rule=str(civil_code.CoOwnerRule(rule))
            )
        )
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
        rule = _rule_in_chinese(vote, rule_set.participation.code, rule_set.approval.code)
        return VoteCount(outcome.tally, outcome.conditions, outcome.passed, (*notes, *outcome.reasons), rule)
    result = civil_code.tally(electorate, opinions, item)
    statute = (civil_code.participation_threshold().code, civil_code.threshold_for(item).code)
    rule = _rule_in_chinese(vote, *statute)
    return VoteCount(result, None, result.passed, (*notes, *result.reasons), rule)


def _rule_in_chinese(vote: Vote, participation: str, approval: str) -> str:
    """``Vote.rule_applied`` as the record keeps it: Chinese, the scope's name included, whatever the actor's
    language."""
    with translation.override("zh-hans"):
        return timeline.words(*vote.rule_sentence(participation, approval))


@transaction.atomic
def vote_close(
    *,
    vote: Vote,
    actor: Any,
    signatures_complete: bool | None = None,
    notice_from: date | None = None,
    notice_until: date | None = None,
    unresolved_objections: int | None = None,
    reason: str = "",
    at: datetime | None = None,
) -> Vote:
    """Close the vote and store every figure of the count and the reasons (civil_code.tally).

    Before the announced deadline (``closes_on``) a ``reason`` is required; any reason given is kept on the
    timeline (workflow.reason_refusal)."""
    _check(actor, Action.VOTE_MANAGE, vote)
    at = at or timezone.now()
    locked = _locked_open_vote(vote)
    if reason.strip() or workflow.closes_early(locked.closes_on, timezone.localdate(at)):
        refusal = workflow.reason_refusal(reason, "提前结束表决")
        if refusal:
            raise ValidationError({"reason": refusal})
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
        "closed_by": history_user(actor),
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
        "owners_invalid": t.owners_invalid,
        "area_invalid": t.area_invalid,
        "participation_met": t.participation_met,
        "approval_met": t.approval_met,
        "conditions_met": counted.conditions.met if counted.conditions else None,
        "passed": counted.passed,
        "participation_rule": t.participation,
        "approval_rule": t.threshold,
        "rule_applied": counted.rule_applied[:300],
        "reasons": [r.as_json() for r in counted.reasons],
    }
    for key, value in fields.items():
        setattr(locked, key, value)
    stamp(locked, actor)
    locked.save(update_fields=list(fields))
    matter = locked.matter
    _touch(matter, at, actor)
    closed: dict[str, Any] = {
        "verdict": "passed" if counted.passed else "failed",
        "voted": t.owners_voted,
        "total": t.owners_total,
        "agree": t.owners_agree,
    }
    if reason.strip():
        closed["reason"] = reason.strip()
    code = "vote_closed_reason" if reason.strip() else "vote_closed"
    _event(matter, EventKind.VOTE_CLOSED, at, actor, code=code, params=closed)
    for key, value in fields.items():
        setattr(vote, key, value)
    return locked


@transaction.atomic
def vote_publish(*, vote: Vote, actor: Any, reason: str, at: datetime | None = None) -> Vote:
    """Publish a closed vote's result on its public page (names masked there); the reason stays on the
    timeline, since publishing starts the one-year annulment period (民法典 第二百八十条)."""
    _check(actor, Action.VOTE_MANAGE, vote)
    at = at or timezone.now()
    refusal = workflow.reason_refusal(reason, "公示表决结果")
    if refusal:
        raise ValidationError({"reason": refusal})
    locked = Vote.objects.select_for_update().get(pk=vote.pk)
    if locked.status != VoteStatus.CLOSED:
        raise ValidationError("表决结束后才能公示结果")
    if locked.published_at is not None:
        raise ValidationError("结果已经公示")
    locked.published_at = at
    stamp(locked, actor)
    locked.save(update_fields=["published_at"])
    vote.published_at = at
    _touch(locked.matter, at, actor)
    assert locked.closed_at is not None
    deadline = civil_code.publication_deadline(timezone.localdate(locked.closed_at))
    published_on = timezone.localdate(at)
    late = published_on > deadline  # 《青岛市物业管理条例》第四十四条: within 3 days of closing
    _event(
        locked.matter,
        EventKind.VOTE_PUBLISHED,
        at,
        actor,
        code="vote_published_late" if late else "vote_published",
        params={
            "verdict": "passed" if locked.passed else "failed",
            "deadline": f"{deadline:%Y-%m-%d}",
            "published": f"{published_on:%Y-%m-%d}",
            "last": f"{civil_code.annulment_last_day(published_on):%Y-%m-%d}",
            "reason": reason.strip(),
        },
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
    voter = Voter.objects.filter(user=user).first() or Voter(user=user)
    voter.person, voter.linked_at, voter.linked_by = person, at or timezone.now(), history_user(actor)
    stamp(voter, actor)
    voter.save()
    user.__dict__.pop("_gongzhi_voter", None)  # selectors.voter_of reads the new link
    return voter

"""The assembly's procedure: the dates (民法典 第二百零一条 to 第二百零三条, hypothesis at the boundaries), the
notice with its items and the register frozen with it, objections, voting only on a notice item, counting
on the published register, and the publication deadline and annulment period on the timeline."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from gongzhi.affairs import civil_code, services
from gongzhi.affairs.models import EventKind, MatterEvent, Origin, RegisterEntry, VoteRuleSet
from gongzhi.affairs.tests.helpers import Estate, make_estate, matter_at_consultation, new_person
from gongzhi.people.models import Ownership
from gongzhi.tests.factories import SYSTEM

TZ = ZoneInfo("Asia/Shanghai")
DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@given(DAYS, st.integers(min_value=1, max_value=60))
def test_notice_days_at_the_boundary(posted: date, days: int) -> None:
    first = civil_code.earliest_voting_day(posted, days)
    assert civil_code.notice_days_before(posted, first) == days
    assert civil_code.notice_days_before(posted, first - timedelta(days=1)) == days - 1


def test_the_fifteen_days_worked_example() -> None:
    # posted 1 March: the 15 days are 2–16 March (第二百零一条: the posting day not counted); voting 17 March
    assert civil_code.earliest_voting_day(date(2026, 3, 1)) == date(2026, 3, 17)


@given(DAYS)
def test_publication_deadline(closed: date) -> None:
    deadline = civil_code.publication_deadline(closed)
    assert deadline.weekday() < 5
    assert closed + timedelta(days=3) <= deadline <= closed + timedelta(days=5)


@given(DAYS)
def test_annulment_period_is_one_year_from_the_next_day(known: date) -> None:
    last = civil_code.annulment_last_day(known)
    same_day = civil_code.periods.add_years(known, 1)
    assert last.weekday() < 5 and same_day <= last <= same_day + timedelta(days=2)
    assert (same_day.month, same_day.day) == (known.month, known.day) or (known.month, known.day) == (2, 29)


def test_annulment_from_29_february() -> None:
    assert civil_code.periods.add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert civil_code.annulment_last_day(date(2024, 2, 29)) == date(2025, 2, 28)  # a Friday


pytestmark_db = pytest.mark.django_db


@pytest.fixture
def estate(tree) -> Estate:  # type: ignore[no-untyped-def]
    return make_estate(tree.d("370202001001"))


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=TZ)


POSTED = date(2026, 3, 2)
ITEMS = [services.ItemText("使用维修资金维修屋面", "使用专项维修资金 12 万元维修 1 号楼屋面防水。")]


def post(estate: Estate, voting_from: date = date(2026, 3, 18)):  # type: ignore[no-untyped-def]
    matter = matter_at_consultation(estate)
    notice = services.notice_post(
        actor=SYSTEM, matter=matter, voting_from=voting_from, text="全文", items=ITEMS, at=at(POSTED)
    )
    return matter, notice


@pytestmark_db
def test_voting_fewer_than_15_days_after_the_notice_is_refused(estate: Estate) -> None:
    matter = matter_at_consultation(estate)
    with pytest.raises(ValidationError, match="最早 2026-03-18 开始表决"):
        services.notice_post(
            actor=SYSTEM,
            matter=matter,
            voting_from=date(2026, 3, 17),
            text="全文",
            items=ITEMS,
            at=at(POSTED),
        )
    assert not RegisterEntry.objects.exists()


@pytestmark_db
@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("", ITEMS),
        ("全文\x00", ITEMS),
        ("全文", []),
        ("全文", [services.ItemText("", "x")]),
        ("全文", [services.ItemText("题", "x" * 6000)]),
    ],
)
def test_bad_notices_write_nothing(estate: Estate, text: str, items) -> None:  # type: ignore[no-untyped-def]
    matter = matter_at_consultation(estate)
    with pytest.raises(ValidationError):
        services.notice_post(
            actor=SYSTEM, matter=matter, voting_from=date(2026, 3, 18), text=text, items=items, at=at(POSTED)
        )
    assert not RegisterEntry.objects.exists()


@pytestmark_db
def test_the_register_is_frozen_with_the_notice(estate: Estate) -> None:
    _matter, notice = post(estate)
    assert notice.homes == 12 and notice.owners_total == 12
    assert notice.area_total == sum(h.area for h in estate.homes)
    assert RegisterEntry.objects.filter(notice=notice).count() == 12


@pytestmark_db
def test_only_a_notice_item_is_voted_and_not_before_its_day(estate: Estate) -> None:
    matter, notice = post(estate)
    item = notice.items.get()
    with pytest.raises(ValidationError, match="只能就表决公告列明的事项表决"):
        services.vote_open(matter=matter, actor=SYSTEM, at=at(date(2026, 3, 18)))
    with pytest.raises(ValidationError, match="2026-03-18 开始表决"):
        services.vote_open(matter=matter, actor=SYSTEM, notice_item=item, at=at(date(2026, 3, 17)))
    vote = services.vote_open(matter=matter, actor=SYSTEM, notice_item=item, at=at(date(2026, 3, 18)))
    assert vote.question == "使用维修资金维修屋面" and vote.notice_item == item


@pytestmark_db
def test_the_published_register_holds_through_a_sale(estate: Estate) -> None:
    matter, notice = post(estate)
    vote = services.vote_open(
        matter=matter, actor=SYSTEM, notice_item=notice.items.get(), at=at(date(2026, 3, 18))
    )
    buyer = new_person(name="新业主")  # buys home 0 from owners[0], who still votes below
    Ownership.objects.filter(home=estate.homes[0]).update(until=date(2026, 3, 19))
    Ownership.objects.create(
        home=estate.homes[0], person=buyer, since=date(2026, 3, 19), compound_id_cache=estate.compound.pk
    )
    when = at(date(2026, 3, 20))
    with pytest.raises(ValidationError, match="不在本次表决公布的业主名册上"):
        services.ballot_cast(
            vote=vote, person=buyer, opinion="agree", origin=Origin.PAPER, actor=SYSTEM, at=when
        )
    for person in estate.owners[:9]:
        services.ballot_cast(
            vote=vote, person=person, opinion="agree", origin=Origin.PAPER, actor=SYSTEM, at=when
        )
    closed = services.vote_close(vote=vote, actor=SYSTEM, at=at(date(2026, 3, 25)))
    assert closed.owners_total == 12 and closed.owners_voted == 9 and closed.passed
    assert any("公布的业主名册计票" in r for r in closed.shown_reasons)


@pytestmark_db
def test_a_rule_set_may_follow_the_ownership_of_the_closing_day(estate: Estate) -> None:
    matter, notice = post(estate)
    vote = services.vote_open(
        matter=matter, actor=SYSTEM, notice_item=notice.items.get(), at=at(date(2026, 3, 18))
    )
    from gongzhi.affairs import selectors

    assert selectors.register_holds(vote)
    vote.rule_set = VoteRuleSet(pk=10**9, register_holds=False)
    assert not selectors.register_holds(vote)


@pytestmark_db
def test_objections_are_recorded_and_answered_once(estate: Estate) -> None:
    _matter, notice = post(estate)
    objection = services.objection_record(
        actor=SYSTEM,
        notice=notice,
        raised_by_name="业主1101",
        text="我家面积应为 98.5 ㎡",
        home=estate.homes[0],
    )
    with pytest.raises(ValidationError):
        services.objection_record(actor=SYSTEM, notice=notice, raised_by_name="", text="x")
    answered = services.objection_answer(
        actor=SYSTEM, objection=objection, answer="经核对不动产登记，面积无误"
    )
    assert answered.answered_on is not None
    with pytest.raises(ValidationError, match="已答复"):
        services.objection_answer(actor=SYSTEM, objection=answered, answer="再答")


@pytestmark_db
def test_publication_records_the_annulment_period_and_a_late_publication(estate: Estate) -> None:
    matter, notice = post(estate)
    vote = services.vote_open(
        matter=matter, actor=SYSTEM, notice_item=notice.items.get(), at=at(date(2026, 3, 18))
    )
    services.vote_close(vote=vote, actor=SYSTEM, at=at(date(2026, 3, 25)))  # Wed: +3 is a Saturday, so Monday
    services.vote_publish(vote=vote, actor=SYSTEM, reason="核对无误", at=at(date(2026, 3, 31)))
    text = MatterEvent.objects.get(kind=EventKind.VOTE_PUBLISHED).text
    assert "逾期：应于 2026-03-30 前公布" in text
    assert "至 2027-03-31" in text


@pytestmark_db
def test_the_notice_pages_and_the_public_result_with_qr(estate: Estate) -> None:
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from gongzhi.accounts.roles import Role
    from gongzhi.affairs.models import Notice
    from gongzhi.tests.factories import user_with

    matter = matter_at_consultation(estate)
    client = Client()
    client.force_login(user_with(Role.PARTY_SECRETARY, estate.compound))
    url = reverse("affairs:notice_new", args=[matter.pk])
    too_soon = (timezone.localdate() + timedelta(days=15)).isoformat()
    for bad in (
        {"n-voting_from": "not a date", "n-text": "全文", "n-items": "事项"},
        {"n-voting_from": too_soon, "n-text": "全文", "n-items": "事项"},
        {"n-voting_from": "2099-01-01", "n-text": "", "n-items": "事项"},
    ):
        assert client.post(url, bad).status_code == 302
        assert not Notice.objects.exists()
    ok = (timezone.localdate() + timedelta(days=16)).isoformat()
    client.post(
        url, {"n-voting_from": ok, "n-text": "全文", "n-items": "维修屋面\n使用维修资金维修屋面\n\n更换水泵"}
    )
    notice = Notice.objects.get()
    assert [i.title for i in notice.items.all()] == ["维修屋面", "更换水泵"]
    page = client.get(reverse("affairs:matter", args=[matter.pk])).content.decode()
    assert 'id="notice"' in page and "更换水泵" in page
    client.post(
        reverse("affairs:objection_new", args=[matter.pk]),
        {"o-raised_by_name": "业主甲", "o-text": "面积不对"},
    )
    objection = notice.objections.get()
    answer = reverse("affairs:objection_answer", args=[matter.pk])
    client.post(answer, {"objection": "x", "answer": "核对无误"})
    client.post(answer, {"objection": objection.pk, "answer": "核对无误"})
    objection.refresh_from_db()
    assert objection.answer == "核对无误"
    public = Client().get(reverse("affairs:notice_public", args=[notice.public_id])).content.decode()
    assert "更换水泵" in public and estate.owners[0].name not in public and "业*" in public

    vote = services.vote_open(
        matter=matter, actor=SYSTEM, notice_item=notice.items.first(), at=at(notice.voting_from)
    )
    services.vote_close(vote=vote, actor=SYSTEM, at=at(notice.voting_from + timedelta(days=1)))
    services.vote_publish(
        vote=vote, actor=SYSTEM, reason="核对无误", at=at(notice.voting_from + timedelta(days=2))
    )
    result = Client().get(reverse("affairs:vote_public", args=[vote.public_id])).content.decode()
    assert "<svg" in result and 'id="annulment"' in result
    last = civil_code.annulment_last_day(notice.voting_from + timedelta(days=2))
    assert last.isoformat() in result


@pytestmark_db
def test_a_second_vote_needs_a_new_notice(estate: Estate) -> None:
    matter, notice = post(estate)
    item = notice.items.get()
    vote = services.vote_open(matter=matter, actor=SYSTEM, notice_item=item, at=at(date(2026, 3, 18)))
    services.vote_close(vote=vote, actor=SYSTEM, at=at(date(2026, 3, 25)))  # no ballot: fails
    with pytest.raises(ValidationError, match="再次表决须重新发布表决公告"):
        services.vote_open(matter=matter, actor=SYSTEM, notice_item=item, at=at(date(2026, 3, 26)))
    second = services.notice_post(
        actor=SYSTEM,
        matter=matter,
        voting_from=date(2026, 4, 12),
        text="第二次",
        items=ITEMS,
        at=at(date(2026, 3, 27)),
    )
    with pytest.raises(ValidationError, match="只能就表决公告列明的事项表决"):
        services.vote_open(matter=matter, actor=SYSTEM, notice_item=item, at=at(date(2026, 4, 12)))
    again = services.vote_open(
        matter=matter, actor=SYSTEM, notice_item=second.items.get(), at=at(date(2026, 4, 12))
    )
    assert again.notice_item is not None and again.notice_item.notice == second
    with pytest.raises(ValidationError, match="已有一场表决正在进行"):
        services.notice_post(
            actor=SYSTEM,
            matter=matter,
            voting_from=date(2026, 5, 1),
            text="x",
            items=ITEMS,
            at=at(date(2026, 4, 13)),
        )


@pytestmark_db
def test_a_paper_sheet_follows_the_published_register(estate: Estate) -> None:
    from gongzhi.affairs.tests.helpers import sheet_bytes, sheet_rows

    matter, notice = post(estate)
    vote = services.vote_open(
        matter=matter, actor=SYSTEM, notice_item=notice.items.get(), at=at(date(2026, 3, 18))
    )
    buyer = new_person(name="新业主")
    Ownership.objects.filter(home=estate.homes[0]).update(until=date(2026, 3, 19))
    Ownership.objects.create(
        home=estate.homes[0], person=buyer, since=date(2026, 3, 19), compound_id_cache=estate.compound.pk
    )
    when = at(date(2026, 3, 20))
    rows = sheet_rows(estate, {0: "同意"})
    rows[1][3] = buyer.name
    refused = services.ballots_import_sheet(vote=vote, actor=SYSTEM, data=sheet_bytes(rows), at=when)
    assert isinstance(refused, list) and "不是该房屋登记的业主" in refused[0].message
    seller_sheet = sheet_bytes(sheet_rows(estate, {0: "同意"}))  # the seller, as the register names
    done = services.ballots_import_sheet(vote=vote, actor=SYSTEM, data=seller_sheet, at=when)
    assert not isinstance(done, list) and done.recorded == 1

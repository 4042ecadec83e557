"""Services: matters through their stages, votes from ballots to a stored result, paper sheets."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongzhi.accounts.roles import Role
from gongzhi.affairs import civil_code, services
from gongzhi.affairs.indicators import figures
from gongzhi.affairs.models import (
    Attachment,
    Ballot,
    BallotChange,
    Matter,
    MatterEvent,
    Meeting,
    Origin,
    Scope,
    Status,
    Vote,
    Voter,
    VoteRuleSet,
)
from gongzhi.affairs.tests.helpers import (
    category,
    give_to_developer,
    make_estate,
    matter_at_consultation,
    new_person,
    open_vote,
)
from gongzhi.insights.registry import PlaceScope
from gongzhi.people.models import Ownership
from gongzhi.places.models import Home
from gongzhi.tests.factories import SYSTEM, user_with

pytestmark = pytest.mark.django_db

COMMUNITY = "370202001001"


@pytest.fixture
def estate(tree):  # type: ignore[no-untyped-def]
    return make_estate(tree.d(COMMUNITY))


def cast(vote: Vote, estate, index: int, opinion: str) -> Ballot:  # type: ignore[no-untyped-def]
    return services.ballot_cast(
        vote=vote, person=estate.owners[index], opinion=opinion, origin=Origin.PAPER, actor=SYSTEM
    )


# ---------------------------------------------------------------------------------------------------------
# Matters and their stages
# ---------------------------------------------------------------------------------------------------------


def test_a_resident_raises_a_matter_in_their_compound_only(tree, estate) -> None:  # type: ignore[no-untyped-def]
    resident = user_with(Role.RESIDENT, estate.compound)
    matter = services.matter_raise(
        actor=resident, compound=estate.compound, title="3号楼前路面坑洼", category=category("road")
    )
    assert matter.status == Status.RAISED and matter.path == estate.compound.path
    assert matter.events.get().kind == "raised"
    with pytest.raises(PermissionDenied):
        services.matter_raise(
            actor=resident, compound=tree.compounds[-1], title="x", category=category("road")
        )
    assert Matter.objects.count() == 1


@pytest.mark.parametrize(
    ("scope", "unit", "message"),
    [("unit", 9, "单元应为"), ("unit", None, "单元应为"), ("nowhere", None, "范围应为")],
)
def test_bad_scope_is_refused_and_nothing_is_written(estate, scope, unit, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match=message):
        services.matter_raise(
            actor=SYSTEM,
            compound=estate.compound,
            title="加装电梯",
            category=category("elevator"),
            scope=scope,
            building=estate.building,
            unit_no=unit,
        )
    assert not Matter.objects.exists() and not MatterEvent.objects.exists()


def test_a_building_of_another_compound_is_refused(tree, estate) -> None:  # type: ignore[no-untyped-def]
    other = tree.buildings[0]
    with pytest.raises(ValidationError, match="不属于该小区"):
        services.matter_raise(
            actor=SYSTEM,
            compound=estate.compound,
            title="x",
            category=category("road"),
            scope="building",
            building=other,
        )


def test_a_consultation_matter_goes_to_resolved_without_a_vote(estate) -> None:  # type: ignore[no-untyped-def]
    matter = matter_at_consultation(estate, code="road", item=None)
    services.matter_advance(matter=matter, actor=SYSTEM, to="implementation", note="施工队进场")
    services.matter_advance(matter=matter, actor=SYSTEM, to="resolved")
    matter.refresh_from_db()
    assert matter.status == Status.RESOLVED and matter.resolved_at is not None
    assert [e.status_to for e in matter.events.all()] == [
        "raised",
        "consultation",
        "implementation",
        "resolved",
    ]
    with pytest.raises(ValidationError, match="已办结"):
        services.matter_advance(matter=matter, actor=SYSTEM, to="shelved")


def test_an_art_278_matter_cannot_be_implemented_without_a_passed_vote(estate) -> None:  # type: ignore[no-untyped-def]
    matter = matter_at_consultation(estate)
    with pytest.raises(ValidationError, match="须经业主表决通过"):
        services.matter_advance(matter=matter, actor=SYSTEM, to="implementation")
    vote = services.vote_open(matter=matter, actor=SYSTEM)
    with pytest.raises(ValidationError, match="表决尚未结束"):
        services.matter_advance(matter=matter, actor=SYSTEM, to="implementation")
    services.vote_close(vote=vote, actor=SYSTEM)  # nobody voted: fails
    with pytest.raises(ValidationError, match="须经业主表决通过"):
        services.matter_advance(matter=matter, actor=SYSTEM, to="implementation")
    services.matter_advance(matter=matter, actor=SYSTEM, to="consultation", note="再协商")
    vote2 = services.vote_open(matter=matter, actor=SYSTEM)
    for i in range(len(estate.homes)):
        cast(vote2, estate, i, "agree")
    services.vote_close(vote=vote2, actor=SYSTEM)
    services.matter_advance(matter=matter, actor=SYSTEM, to="implementation")
    assert Matter.objects.get(pk=matter.pk).status == Status.IMPLEMENTATION


def test_a_matter_without_an_item_cannot_open_a_vote(estate) -> None:  # type: ignore[no-untyped-def]
    matter = matter_at_consultation(estate, code="road", item=None)
    with pytest.raises(ValidationError, match="不需要业主表决"):
        services.vote_open(matter=matter, actor=SYSTEM)


def test_meetings_move_a_raised_matter_along(estate) -> None:  # type: ignore[no-untyped-def]
    matter = services.matter_raise(
        actor=SYSTEM, compound=estate.compound, title="停车", category=category("parking")
    )
    at = timezone.now()
    services.meeting_record(
        matter=matter, actor=SYSTEM, kind="briefing", held_at=at, venue="党群服务站", attendees_count=23
    )
    assert Matter.objects.get(pk=matter.pk).status == Status.BRIEFING
    services.meeting_record(matter=matter, actor=SYSTEM, kind="consultation", held_at=at, venue="议事厅")
    assert Matter.objects.get(pk=matter.pk).status == Status.CONSULTATION
    with pytest.raises(ValidationError, match="会议地点"):
        services.meeting_record(matter=matter, actor=SYSTEM, kind="briefing", held_at=at, venue=" ")
    with pytest.raises(ValidationError, match="不能早于"):
        services.meeting_record(
            matter=matter, actor=SYSTEM, kind="briefing", held_at=at - timedelta(days=30), venue="议事厅"
        )
    assert Meeting.objects.count() == 2
    assert figures(PlaceScope(estate.compound))["briefing_sessions"] == 1


def test_staff_without_the_right_cannot_manage(estate) -> None:  # type: ignore[no-untyped-def]
    matter = matter_at_consultation(estate, code="road", item=None)
    resident = user_with(Role.RESIDENT, estate.compound)
    with pytest.raises(PermissionDenied):
        services.matter_advance(matter=matter, actor=resident, to="implementation")
    with pytest.raises(PermissionDenied):
        services.matter_note(matter=matter, actor=resident, text="x")


def test_attachments_are_limited_in_type_and_checked_by_content(estate, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    matter = matter_at_consultation(estate, code="road", item=None)
    ok = SimpleUploadedFile("方案.pdf", b"%PDF-1.7 plan", content_type="application/pdf")
    attachment = services.attachment_add(matter=matter, actor=SYSTEM, upload=ok)
    assert attachment.size == len(b"%PDF-1.7 plan") and (tmp_path / attachment.file.name).exists()
    for name, body, message in [
        ("run.exe", b"MZ", "不支持的文件类型"),
        ("fake.pdf", b"<html>", "不符"),
        ("empty.png", b"", "空"),
    ]:
        with pytest.raises(ValidationError, match=message):
            services.attachment_add(matter=matter, actor=SYSTEM, upload=SimpleUploadedFile(name, body))
    assert Attachment.objects.count() == 1


# ---------------------------------------------------------------------------------------------------------
# Ballots
# ---------------------------------------------------------------------------------------------------------


def test_one_ballot_per_owner_every_change_kept(estate) -> None:  # type: ignore[no-untyped-def]
    vote = open_vote(estate)
    cast(vote, estate, 0, "agree")
    cast(vote, estate, 0, "against")
    cast(vote, estate, 0, "同意")
    ballot = Ballot.objects.get(vote=vote)
    assert ballot.opinion == "agree" and ballot.changes == 2
    history = list(BallotChange.objects.filter(vote=vote).values_list("previous", "opinion"))
    assert history == [("", "agree"), ("agree", "against"), ("against", "agree")]


def test_bad_ballots_are_refused_and_nothing_changes(tree, estate) -> None:  # type: ignore[no-untyped-def]
    vote = open_vote(estate)
    stranger = new_person(name="路人甲")
    with pytest.raises(ValidationError, match="不是本次表决范围内的业主"):
        services.ballot_cast(vote=vote, person=stranger, opinion="agree", origin=Origin.PAPER, actor=SYSTEM)
    with pytest.raises(ValidationError, match="同意、反对或弃权"):
        cast(vote, estate, 0, "maybe")
    with pytest.raises(ValidationError, match="受托人"):
        services.ballot_cast(
            vote=vote, person=estate.owners[0], opinion="agree", origin=Origin.PROXY, actor=SYSTEM
        )
    with pytest.raises(ValidationError, match="委托书"):
        services.ballot_cast(
            vote=vote,
            person=estate.owners[0],
            opinion="agree",
            origin=Origin.PROXY,
            actor=SYSTEM,
            proxy_name="李四",
        )
    resident = user_with(Role.RESIDENT, estate.compound)
    with pytest.raises(PermissionDenied):  # a resident cannot enter paper ballots
        services.ballot_cast(
            vote=vote, person=estate.owners[0], opinion="agree", origin=Origin.PAPER, actor=resident
        )
    with pytest.raises(PermissionDenied):  # nor vote online for someone else
        services.ballot_cast(
            vote=vote, person=estate.owners[0], opinion="agree", origin=Origin.ONLINE, actor=resident
        )
    assert not Ballot.objects.exists() and not BallotChange.objects.exists()
    services.vote_close(vote=vote, actor=SYSTEM)
    with pytest.raises(ValidationError, match="已经结束"):
        cast(vote, estate, 0, "agree")
    assert not Ballot.objects.exists()


def test_proxy_ballot_with_a_mandate(estate) -> None:  # type: ignore[no-untyped-def]
    vote = open_vote(estate)
    ballot = services.ballot_cast(
        vote=vote,
        person=estate.owners[3],
        opinion="agree",
        origin=Origin.PROXY,
        actor=SYSTEM,
        proxy_name="王小明",
        mandate="本人委托王小明代为表决。",
    )
    assert ballot.origin == Origin.PROXY and ballot.proxy_name == "王小明"


def test_an_owner_votes_online_through_their_linked_login(estate) -> None:  # type: ignore[no-untyped-def]
    vote = open_vote(estate)
    staff = user_with(Role.COMMUNITY_WORKER, estate.compound.community)
    resident = user_with(Role.RESIDENT, estate.compound)
    services.voter_link(user=resident, person=estate.owners[2], actor=staff)
    ballot = services.ballot_cast(
        vote=vote, person=estate.owners[2], opinion="against", origin=Origin.ONLINE, actor=resident
    )
    assert ballot.owner_id == estate.owners[2].pk and ballot.cast_by == resident
    assert Voter.objects.get(user=resident).person == estate.owners[2]
    Vote.objects.filter(pk=vote.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    vote.refresh_from_db()
    with pytest.raises(ValidationError, match="截止"):
        services.ballot_cast(
            vote=vote, person=estate.owners[2], opinion="agree", origin=Origin.ONLINE, actor=resident
        )
    cast(vote, estate, 3, "agree")  # a paper ballot collected by the deadline may still be entered


def test_a_co_owner_casts_for_the_home(estate) -> None:  # type: ignore[no-untyped-def]
    """One home, one person (司法解释 第九条): a spouse's ballot is the home's ballot, not a second one."""
    spouse = new_person(name="配偶")
    Ownership.objects.filter(home=estate.homes[0]).update(share=Decimal("0.5"))
    Ownership.objects.create(
        home=estate.homes[0], person=spouse, compound_id_cache=estate.compound.pk, share=Decimal("0.5")
    )
    vote = open_vote(estate)
    services.ballot_cast(vote=vote, person=spouse, opinion="agree", origin=Origin.PAPER, actor=SYSTEM)
    cast(vote, estate, 0, "against")
    # Issue 8, case 7: both ballots are kept (never last-write-wins); the representative's counts.
    assert set(Ballot.objects.filter(vote=vote).values_list("owner_id", "caster_id", "opinion")) == {
        (estate.owners[0].pk, spouse.pk, "agree"),
        (estate.owners[0].pk, None, "against"),
    }
    closed = services.vote_close(vote=vote, actor=SYSTEM)
    assert closed.owners_total == 12 and closed.owners_voted == 1 and closed.owners_against == 1


# ---------------------------------------------------------------------------------------------------------
# Closing
# ---------------------------------------------------------------------------------------------------------


def test_closing_counts_area_and_heads_exactly_and_stores_every_figure(estate) -> None:  # type: ignore[no-untyped-def]
    # The developer holds homes 10 and 11 (one person together); owner 0 also owns home 1.
    developer = give_to_developer(estate, [10, 11])
    Ownership.objects.filter(home=estate.homes[1]).update(person=estate.owners[0])
    estate.owners[1] = estate.owners[0]
    vote = open_vote(estate)
    for i in (0, 2, 3, 4, 5, 6):
        cast(vote, estate, i, "agree")
    cast(vote, estate, 7, "against")
    services.ballot_cast(vote=vote, person=developer, opinion="abstain", origin=Origin.PAPER, actor=SYSTEM)
    closed = services.vote_close(vote=vote, actor=SYSTEM)
    # 12 homes; owners: owner0 (2 homes) + 8 others + developer (2 homes) = 10 persons.
    assert (closed.homes, closed.owners_total) == (12, 10)
    assert (closed.owners_voted, closed.owners_agree, closed.owners_against, closed.owners_abstain) == (
        8,
        6,
        1,
        1,
    )
    areas = [Decimal(h.area) for h in estate.homes]
    assert closed.area_total == sum(areas)
    assert closed.area_agree == sum(areas[i] for i in (0, 1, 2, 3, 4, 5, 6))
    assert closed.area_voted == closed.area_agree + areas[7] + areas[10] + areas[11]
    expected = civil_code.tally(
        civil_code.count_electorate(
            civil_code.Home(i, areas[i], "dev" if i in (10, 11) else ("o0" if i in (0, 1) else i))
            for i in range(12)
        ),
        {
            "o0": "agree",
            2: "agree",
            3: "agree",
            4: "agree",
            5: "agree",
            6: "agree",
            7: "against",
            "dev": "abstain",
        },
        5,
    )
    assert closed.passed is expected.passed is True
    assert closed.reasons[-1] == expected.reasons[-1].as_json()
    assert "民法典第二百七十八条" in closed.rule_applied and closed.approval_rule == ">1/2"
    assert Vote.objects.get(pk=vote.pk).status == "closed"


def test_the_fund_raising_item_needs_three_quarters(estate) -> None:  # type: ignore[no-untyped-def]
    """Item (六): 3/4 of participating area and heads; 2 of 3 agreeing is not enough."""
    vote = open_vote(estate, code="fund_raising", item=6)
    for i in range(12):
        cast(vote, estate, i, "agree" if i % 3 else "against")
    closed = services.vote_close(vote=vote, actor=SYSTEM)
    assert closed.participation_met and not closed.approval_met and not closed.passed
    assert closed.approval_rule == "3/4"


def test_a_unit_elevator_vote_counts_within_the_unit_under_the_rule_set(estate) -> None:  # type: ignore[no-untyped-def]
    vote = open_vote(estate, code="elevator", item=7, scope=Scope.UNIT, unit=1)
    assert vote.rule_set is not None and vote.rule_set.code == "qingdao-elevator-unit-2021"
    unit_one = [i for i, h in enumerate(estate.homes) if h.unit_no == 1]
    for i in unit_one:
        cast(vote, estate, i, "agree")
    with pytest.raises(ValidationError, match="不是本次表决范围内的业主"):  # unit 2 has no say
        cast(vote, estate, next(i for i, h in enumerate(estate.homes) if h.unit_no == 2), "agree")
    with pytest.raises(ValidationError, match="异议"):
        services.vote_close(vote=vote, actor=SYSTEM, signatures_complete=True)
    today = timezone.localdate()
    closed = services.vote_close(
        vote=vote,
        actor=SYSTEM,
        signatures_complete=True,
        notice_from=today - timedelta(days=14),
        notice_until=today,
        unresolved_objections=0,
    )
    assert closed.homes == 6 and closed.owners_total == 6 and closed.owners_agree == 6
    assert closed.participation_met and closed.approval_met
    assert closed.conditions_met is False and closed.passed is False  # 14 days of notice < 15
    assert any("公示" in r and "不满足" in r for r in closed.shown_reasons)
    assert "青岛市既有住宅加装电梯" in closed.rule_applied


def test_the_rule_set_in_force_on_the_opening_day_applies(estate) -> None:  # type: ignore[no-untyped-def]
    current = VoteRuleSet.objects.get(code="qingdao-elevator-unit-2021")
    current.effective_to = date(2025, 6, 30)
    current.save()
    stricter = VoteRuleSet.objects.create(
        code="qingdao-elevator-unit-2025",
        name="青岛市既有住宅加装电梯（2025 修订）",
        category=current.category,
        effective_from=date(2025, 7, 1),
        notice_days=20,
    )
    assert current.history.latest().effective_to == date(2025, 6, 30)  # the edit is kept, with who and when
    matter = matter_at_consultation(estate, code="elevator", item=7, scope=Scope.UNIT, unit=2)
    vote = services.vote_open(matter=matter, actor=SYSTEM, at=timezone.now())
    assert vote.rule_set == stricter
    overlapping = VoteRuleSet(
        code="x", name="x", category=current.category, effective_from=date(2025, 1, 1), notice_days=15
    )
    with pytest.raises(ValidationError, match="重叠"):
        overlapping.full_clean()


def test_a_ballot_of_someone_who_sold_during_the_vote_is_not_counted(estate) -> None:  # type: ignore[no-untyped-def]
    vote = open_vote(estate)
    cast(vote, estate, 0, "agree")
    buyer = new_person(name="新业主")
    Ownership.objects.filter(home=estate.homes[0]).update(person=buyer)
    closed = services.vote_close(vote=vote, actor=SYSTEM)
    assert closed.owners_voted == 0 and "不计入" in closed.shown_reasons[0]


def test_publish_only_after_closing(estate) -> None:  # type: ignore[no-untyped-def]
    vote = open_vote(estate)
    with pytest.raises(ValidationError, match="结束后"):
        services.vote_publish(vote=vote, actor=SYSTEM, reason="表决已结束，依规公示")
    services.vote_close(vote=vote, actor=SYSTEM)
    services.vote_publish(vote=vote, actor=SYSTEM, reason="表决已结束，依规公示")
    with pytest.raises(ValidationError, match="已经公示"):
        services.vote_publish(vote=vote, actor=SYSTEM, reason="表决已结束，依规公示")


def test_indicator_figures(estate) -> None:  # type: ignore[no-untyped-def]
    vote = open_vote(estate)
    for i in range(12):
        cast(vote, estate, i, "agree")
    services.vote_close(vote=vote, actor=SYSTEM)
    services.matter_advance(matter=vote.matter, actor=SYSTEM, to="implementation")
    services.matter_advance(matter=vote.matter, actor=SYSTEM, to="resolved")
    matter_at_consultation(estate, code="road", item=None)
    got = figures(PlaceScope(estate.compound.community))
    assert got == {
        "matters_total": 2,
        "matters_resolved": 1,
        "votes_held": 1,
        "votes_passed": 1,
        "briefing_sessions": 0,
    }


# ---------------------------------------------------------------------------------------------------------
# Properties of the stored result
# ---------------------------------------------------------------------------------------------------------

OPINION = st.sampled_from([None, "agree", "against", "abstain"])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(opinions=st.lists(OPINION, min_size=12, max_size=12), item=st.integers(1, 9), flip=st.integers(0, 11))
def test_closing_agrees_with_the_law_and_more_agreement_never_hurts(estate, opinions, item, flip) -> None:  # type: ignore[no-untyped-def]
    """The stored result is civil_code.tally of the register; turning one owner's against or non-vote
    into agree never turns a pass into a fail; the order ballots were cast in does not matter."""
    results = []
    variants = [opinions, [*opinions[:flip], "agree", *opinions[flip + 1 :]], opinions]
    for k, variant in enumerate(variants):
        matter = services.matter_raise(
            actor=SYSTEM, compound=estate.compound, title="性质测试", category=category("other"), item=item
        )
        services.matter_advance(matter=matter, actor=SYSTEM, to="consultation")
        vote = services.vote_open(matter=matter, actor=SYSTEM)
        order = reversed(range(12)) if k == 2 else range(12)
        for i in order:
            if variant[i] is not None:
                cast(vote, estate, i, variant[i])
        results.append(services.vote_close(vote=vote, actor=SYSTEM))
    areas = [Decimal(h.area) for h in estate.homes]
    law = civil_code.tally(
        civil_code.count_electorate(civil_code.Home(i, areas[i], i) for i in range(12)),
        dict(enumerate(opinions)),
        item,
    )
    first, second, reversed_order = results
    assert (first.passed, first.owners_voted, first.area_agree) == (
        law.passed,
        law.owners_voted,
        law.area_agree,
    )
    assert not (first.passed and not second.passed)
    figures_of = ("owners_voted", "owners_agree", "area_voted", "area_agree", "passed", "reasons")
    assert [getattr(first, f) for f in figures_of] == [getattr(reversed_order, f) for f in figures_of]


@pytest.mark.parametrize(
    ("item", "agree", "passed"),
    [(7, 6, True), (7, 5, False), (5, 5, True), (5, 4, False)],
)
def test_the_boundaries_hold_through_the_service(estate, item, agree, passed) -> None:  # type: ignore[no-untyped-def]
    """Equal areas, 12 owners, 8 voting: exactly 2/3 takes part; for (七) 6 of 8 is exactly 3/4 and passes;
    for (五) 4 of 8 is exactly half and fails (民法典 第一千二百五十九条)."""
    Home.objects.filter(compound=estate.compound).update(area=Decimal("80.00"))
    vote = open_vote(estate, code="other", item=item)
    for i in range(8):
        cast(vote, estate, i, "agree" if i < agree else "against")
    closed = services.vote_close(vote=vote, actor=SYSTEM)
    assert closed.participation_met is True
    assert (closed.owners_voted, closed.area_voted) == (8, Decimal("640.00"))
    assert closed.passed is passed

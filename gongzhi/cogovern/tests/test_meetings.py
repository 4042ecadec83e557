"""Committee meetings and the 换届小组 through the services and the steps page: refused with the rule's
Chinese message and nothing written; the overdue list picks up a handover to the group not made in 10 days."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.cogovern import rules, selectors, services
from gongzhi.cogovern.models import CommitteeMeeting, CommitteeTerm, MeetingDecision, TransitionGroup
from gongzhi.cogovern.tests.kit import ACTOR
from gongzhi.people.models import Person
from gongzhi.tests.factories import PersonFactory, user_with
from gongzhi.tests.queries import count_queries

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _committee(compound, members: int = 5, start=None) -> tuple[CommitteeTerm, list[int]]:  # type: ignore[no-untyped-def]
    start = start or TODAY - timedelta(days=100)
    people = [PersonFactory.create().pk for _ in range(members)]
    committee, _ = services.committee_elect(
        actor=ACTOR,
        compound=compound,
        elected_on=start,
        term_start=start,
        term_end=rules.latest_term_end(start),
        seats=[(people[0], "chair"), *[(p, "member") for p in people[1:]]],
    )
    return CommitteeTerm.objects.get(committee=committee), people


def test_a_meeting_counts_votes_against_all_members(tree) -> None:
    term, people = _committee(tree.compounds[0], members=7)
    meeting = services.meeting_record(
        actor=ACTOR,
        term=term,
        held_on=TODAY,
        present=people[:5],
        decisions=[("续聘物业", 4, 1), ("维修电梯", 3, 0)],
    )
    assert meeting.members == 7 and len(meeting.present) == 5
    assert [d.passed for d in meeting.decisions.all()] == [True, False]  # 3 of 7 is not more than half


def test_an_inquorate_meeting_or_a_stranger_is_refused_and_nothing_written(tree) -> None:
    term, people = _committee(tree.compounds[0], members=7)
    with pytest.raises(ValidationError, match="第三十八条"):
        services.meeting_record(actor=ACTOR, term=term, held_on=TODAY, present=people[:3], decisions=[])
    stranger = PersonFactory.create().pk
    with pytest.raises(ValidationError, match="应为本届业主委员会委员"):
        services.meeting_record(
            actor=ACTOR, term=term, held_on=TODAY, present=[*people[:4], stranger], decisions=[]
        )
    with pytest.raises(ValidationError, match="不能超过出席人数"):
        services.meeting_record(
            actor=ACTOR, term=term, held_on=TODAY, present=people[:4], decisions=[("事项", 4, 1)]
        )
    with pytest.raises(ValidationError, match="任期内"):
        services.meeting_record(
            actor=ACTOR, term=term, held_on=TODAY - timedelta(days=200), present=people[:4], decisions=[]
        )
    assert not CommitteeMeeting.objects.exists() and not MeetingDecision.objects.exists()


def _late_term(compound) -> tuple[CommitteeTerm, list[int]]:  # type: ignore[no-untyped-def]
    """A term ending in 30 days whose re-electing assembly (due 60 days before the end) was not held."""
    start = TODAY + timedelta(days=30) - timedelta(days=5 * 365)
    term, people = _committee(compound, start=start)
    term.term_end = TODAY + timedelta(days=30)
    term.save()
    return term, people


def test_the_transition_group_only_when_the_reelection_is_late_then_the_handover_is_tracked(
    tree, admin_client
) -> None:
    c = tree.compounds[0]
    term, people = _committee(c)
    with pytest.raises(ValidationError, match="尚未届满"):
        services.transition_group_form(actor=ACTOR, term=term, formed_on=TODAY, seats=[(people[0], "leader")])
    assert not TransitionGroup.objects.exists()
    c2 = tree.compounds[1]
    term, people = _late_term(c2)
    formed = TODAY - timedelta(days=11)
    group = services.transition_group_form(
        actor=ACTOR, term=term, formed_on=formed, seats=[(people[0], "leader"), (people[1], "member")]
    )
    (state,) = selectors.compound_states(c2.path)
    late = dict(state.late)
    assert late[rules.Step.TRANSITION_HANDOVER] == formed + timedelta(days=10)
    overdue = admin_client.get("/cogovern/overdue/370202/").content.decode()
    section = overdue.split("逾期未向换届小组移交资料", 1)[1].split("gz-card", 1)[0]
    assert c2.name in section
    services.transition_handover(actor=ACTOR, group=group, on=TODAY - timedelta(days=2))
    (state,) = selectors.compound_states(c2.path)
    assert rules.Step.TRANSITION_HANDOVER not in dict(state.late)
    with pytest.raises(ValidationError, match="已有换届小组"):
        services.transition_group_form(actor=ACTOR, term=term, formed_on=TODAY, seats=[(people[0], "leader")])


@pytest.fixture
def worker(tree) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user_with(Role.COMMUNITY_WORKER, tree.compounds[0].community, username="worker"))
    return client


def _post(client: Client, code: str, step: str, data: Mapping[str, object]):  # type: ignore[no-untyped-def]
    return client.post(
        f"/cogovern/c/{code}/steps/{step}/", {f"{step}-{k}": v for k, v in data.items()}, follow=True
    )


def test_the_meeting_form_records_and_refuses_in_chinese(tree, worker) -> None:
    c = tree.compounds[0]
    _term, people = _committee(c, members=5)
    page = worker.get(f"/cogovern/c/{c.code}/steps/").content.decode()
    assert 'data-gz-step="meeting"' in page and "尚无会议记录" in page
    bad: dict[str, object] = {"held_on": TODAY.isoformat(), "present": people[:2], "confirm": "on"}
    page = _post(worker, c.code, "meeting", bad).content.decode()
    assert "未达法定人数" in page and not CommitteeMeeting.objects.exists()
    half = {**bad, "present": people[:3], "subject_0": "更换保安", "for_0": 3}
    page = _post(worker, c.code, "meeting", half).content.decode()
    assert "请填写事项、同意票数和反对票数" in page and not CommitteeMeeting.objects.exists()
    good = {**half, "against_0": 0, "subject_1": "公示账目", "for_1": 2, "against_1": 1}
    page = _post(worker, c.code, "meeting", good).content.decode()
    assert "已记录会议：出席 3 / 5 人，1 项决定通过" in page
    assert "更换保安" in page and "公示账目" in page  # the history on the page


def test_the_transition_steps_on_the_page(tree, worker) -> None:
    c = tree.compounds[0]
    _late_term(c)
    owners = list(Person.objects.filter(ownerships__home__compound=c).distinct().order_by("pk")[:2])
    page = worker.get(f"/cogovern/c/{c.code}/steps/").content.decode()
    assert 'data-gz-step="transition"' in page
    data = {"formed_on": TODAY.isoformat(), "person_0": owners[0].pk, "role_0": "leader"}
    page = _post(worker, c.code, "transition", data).content.decode()
    assert "确认提交" in page and not TransitionGroup.objects.exists()  # the confirmation is demanded
    page = _post(worker, c.code, "transition", {**data, "confirm": "on"}).content.decode()
    assert "已成立换届小组" in page and 'data-gz-step="transition_handover"' in page
    page = _post(
        worker, c.code, "transition_handover", {"handed_over_on": (TODAY - timedelta(days=1)).isoformat()}
    ).content.decode()
    assert "移交日期早于换届小组成立日期" in page
    page = _post(
        worker, c.code, "transition_handover", {"handed_over_on": TODAY.isoformat()}
    ).content.decode()
    assert "已记录资料移交换届小组" in page
    assert TransitionGroup.objects.get().handed_over_on == TODAY


def test_the_steps_page_costs_the_same_with_more_meetings(tree, worker) -> None:
    """Query pin: the meetings are read with their decisions in two queries, however many there are."""
    c = tree.compounds[0]
    term, people = _committee(c, members=5)
    url = f"/cogovern/c/{c.code}/steps/"

    def meet(n: int) -> None:
        for _ in range(n):
            services.meeting_record(
                actor=ACTOR, term=term, held_on=TODAY, present=people[:3], decisions=[("事项", 3, 0)]
            )

    meet(1)
    with count_queries() as few:
        assert worker.get(url).status_code == 200
    meet(3)
    with count_queries() as many:
        page = worker.get(url).content.decode()
    assert page.count("事项（3/0）") == 4
    assert len(many) == len(few)


@pytest.mark.parametrize(
    ("change", "word"),
    [
        ({"present": ["abc"]}, "有效的选项"),
        ({"present": ["999999"]}, "有效的选项"),
        ({"for_0": "-1"}, "第 1 项决定"),
        ({"for_0": "九"}, "第 1 项决定："),
        ({"held_on": "2999-01-01"}, "不能晚于今天"),
        ({"subject_0": "长" * 201}, "200"),
        ({"confirm": ""}, "未保存"),
    ],
)
def test_hostile_meeting_posts_are_refused_without_a_500(tree, worker, change, word) -> None:
    c = tree.compounds[0]
    _term, people = _committee(c, members=5)
    data: dict[str, object] = {
        "held_on": TODAY.isoformat(),
        "present": people[:3],
        "confirm": "on",
        "subject_0": "事项",
        "for_0": 3,
        "against_0": 0,
        **change,
    }
    response = _post(worker, c.code, "meeting", data)
    assert response.status_code == 200 and word in response.content.decode()
    assert not CommitteeMeeting.objects.exists()

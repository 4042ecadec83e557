"""Closing early, publishing and shelving ask for a reason the timeline keeps; an empty POST changes nothing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from gongzhi.accounts.roles import Role
from gongzhi.affairs import services, workflow
from gongzhi.affairs.models import EventKind, Matter, MatterEvent, Origin, Status, Vote, VoteStatus
from gongzhi.affairs.tests.helpers import make_estate, matter_at_consultation
from gongzhi.tests.factories import SYSTEM, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def estate(tree):  # type: ignore[no-untyped-def]
    return make_estate(tree.d("370202001001"))


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _vote(estate, *, days: int | None = 7) -> Vote:  # type: ignore[no-untyped-def]
    """An open vote announced to close in ``days`` days (None: no deadline), with ten ballots in."""
    closes_on = timezone.localdate() + timedelta(days=days) if days is not None else None
    vote = services.vote_open(matter=matter_at_consultation(estate), actor=SYSTEM, closes_on=closes_on)
    for i in range(10):
        services.ballot_cast(
            vote=vote, person=estate.owners[i], opinion="agree", origin=Origin.PAPER, actor=SYSTEM
        )
    return vote


# The pure rule ---------------------------------------------------------------------------------------


@given(st.text(alphabet=" \t\n\u3000", max_size=20))
def test_a_blank_reason_is_refused(blank: str) -> None:
    assert workflow.reason_refusal(blank, "公示表决结果") is not None


@given(st.text(min_size=1, max_size=workflow.REASON_MAX).filter(lambda t: t.strip() and "\x00" not in t))
def test_a_plain_reason_within_the_limit_stands(reason: str) -> None:
    assert workflow.reason_refusal(reason, "公示表决结果") is None


def test_a_nul_or_a_too_long_reason_is_refused() -> None:
    assert "NUL" in (workflow.reason_refusal("理由\x00", "搁置本事项") or "")
    assert "不能超过" in (workflow.reason_refusal("理" * (workflow.REASON_MAX + 1), "搁置本事项") or "")


def test_only_a_close_before_the_announced_deadline_is_early() -> None:
    today = timezone.localdate()
    assert workflow.closes_early(today + timedelta(days=1), today)
    assert not workflow.closes_early(today, today)
    assert not workflow.closes_early(None, today)


# The services ------------------------------------------------------------------------------------------


def test_closing_early_needs_a_reason_and_the_timeline_keeps_it_with_the_actor(estate) -> None:  # type: ignore[no-untyped-def]
    vote = _vote(estate)
    with pytest.raises(ValidationError, match="提前结束表决"):
        services.vote_close(vote=vote, actor=SYSTEM)
    assert Vote.objects.get(pk=vote.pk).status == VoteStatus.OPEN
    assert not MatterEvent.objects.filter(kind=EventKind.VOTE_CLOSED).exists()
    staff = user_with(Role.PARTY_SECRETARY, estate.compound)
    services.vote_close(vote=vote, actor=staff, reason="  全部业主已表决  ")
    event = MatterEvent.objects.get(kind=EventKind.VOTE_CLOSED)
    assert event.text.endswith("理由：全部业主已表决") and event.actor == staff


def test_closing_on_or_after_the_deadline_needs_no_reason(estate) -> None:  # type: ignore[no-untyped-def]
    vote = _vote(estate, days=0)
    services.vote_close(vote=vote, actor=SYSTEM)
    assert Vote.objects.get(pk=vote.pk).status == VoteStatus.CLOSED


def test_publishing_needs_a_reason_and_the_timeline_keeps_it(estate) -> None:  # type: ignore[no-untyped-def]
    vote = services.vote_close(vote=_vote(estate, days=None), actor=SYSTEM)
    for bad in ("", "   ", "理由\x00", "理" * (workflow.REASON_MAX + 1)):
        with pytest.raises(ValidationError):
            services.vote_publish(vote=vote, actor=SYSTEM, reason=bad)
    assert Vote.objects.get(pk=vote.pk).published_at is None
    staff = user_with(Role.PARTY_SECRETARY, estate.compound)
    services.vote_publish(vote=vote, actor=staff, reason="计票核对无误")
    event = MatterEvent.objects.get(kind=EventKind.VOTE_PUBLISHED)
    assert "理由：计票核对无误" in event.text and event.actor == staff


def test_shelving_needs_a_reason_and_the_timeline_keeps_it(estate) -> None:  # type: ignore[no-untyped-def]
    matter = matter_at_consultation(estate)
    with pytest.raises(ValidationError, match="搁置本事项"):
        services.matter_advance(matter=matter, actor=SYSTEM, to=Status.SHELVED)
    assert Matter.objects.get(pk=matter.pk).status == Status.CONSULTATION
    services.matter_advance(matter=matter, actor=SYSTEM, to=Status.SHELVED, note="业主撤回申请")
    event = MatterEvent.objects.filter(matter=matter).last()
    assert event is not None and event.status_to == Status.SHELVED and event.text == "业主撤回申请"


# The pages ---------------------------------------------------------------------------------------------


def test_an_empty_post_closes_nothing_and_says_why(estate) -> None:  # type: ignore[no-untyped-def]
    vote = _vote(estate, days=None)
    client = _client(user_with(Role.PARTY_SECRETARY, estate.compound))
    response = client.post(reverse("affairs:vote_close", args=[vote.pk]), follow=True)
    assert response.status_code == 200 and "请勾选确认后再结束表决" in response.content.decode()
    assert Vote.objects.get(pk=vote.pk).status == VoteStatus.OPEN


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", "提前结束表决并写明理由"), ("理" * 5000, "理由不能超过"), ("理由\x00", "alert-danger")],
)
def test_closing_early_without_a_fit_reason_closes_nothing(estate, reason, message) -> None:  # type: ignore[no-untyped-def]
    vote = _vote(estate)
    client = _client(user_with(Role.PARTY_SECRETARY, estate.compound))
    url = reverse("affairs:vote_close", args=[vote.pk])
    response = client.post(url, {"confirm": "on", "reason": reason}, follow=True)
    assert response.status_code == 200 and message in response.content.decode()
    assert Vote.objects.get(pk=vote.pk).status == VoteStatus.OPEN


def test_closing_early_with_a_reason_closes(estate) -> None:  # type: ignore[no-untyped-def]
    vote = _vote(estate)
    client = _client(user_with(Role.PARTY_SECRETARY, estate.compound))
    url = reverse("affairs:vote_close", args=[vote.pk])
    response = client.post(url, {"confirm": "on", "reason": "全部业主已表决"}, follow=True)
    assert "表决已结束" in response.content.decode()
    assert Vote.objects.get(pk=vote.pk).status == VoteStatus.CLOSED


def test_publishing_on_the_page_needs_a_reason(estate) -> None:  # type: ignore[no-untyped-def]
    vote = services.vote_close(vote=_vote(estate, days=None), actor=SYSTEM)
    client = _client(user_with(Role.PARTY_SECRETARY, estate.compound))
    url = reverse("affairs:vote_publish", args=[vote.pk])
    for data in ({}, {"reason": "  "}, {"reason": "理由\x00"}, {"reason": "理" * 5000}):
        response = client.post(url, data, follow=True)
        assert response.status_code == 200 and "alert-danger" in response.content.decode()
        assert Vote.objects.get(pk=vote.pk).published_at is None
    client.post(url, {"reason": "计票核对无误"})
    assert Vote.objects.get(pk=vote.pk).published_at is not None


def test_shelving_on_the_page_needs_a_reason(estate) -> None:  # type: ignore[no-untyped-def]
    matter = matter_at_consultation(estate)
    client = _client(user_with(Role.PARTY_SECRETARY, estate.compound))
    url = reverse("affairs:matter_advance", args=[matter.pk])
    for data in ({}, {"to": "shelved"}, {"to": "shelved", "note": "理由\x00"}):
        response = client.post(url, data, follow=True)
        assert response.status_code == 200 and "alert-danger" in response.content.decode()
        assert Matter.objects.get(pk=matter.pk).status == Status.CONSULTATION
    page = client.get(reverse("affairs:matter", args=[matter.pk])).content.decode()
    assert 'name="note" rows="2" required' in page
    client.post(url, {"to": "shelved", "note": "业主撤回申请"})
    assert Matter.objects.get(pk=matter.pk).status == Status.SHELVED


def test_the_close_form_asks_for_a_reason_only_before_the_deadline(estate) -> None:  # type: ignore[no-untyped-def]
    client = _client(user_with(Role.PARTY_SECRETARY, estate.compound))
    early = client.get(reverse("affairs:vote", args=[_vote(estate).pk])).content.decode()
    textarea = re.search(r'<textarea[^>]*name="reason"[^>]*>', early)
    assert textarea is not None and " required" in textarea.group() and 'name="confirm"' in early
    on_time = client.get(reverse("affairs:vote", args=[_vote(estate, days=None).pk])).content.decode()
    textarea = re.search(r'<textarea[^>]*name="reason"[^>]*>', on_time)
    assert textarea is not None and " required" not in textarea.group()

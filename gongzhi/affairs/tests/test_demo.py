"""The demo step on a small district: matters in every stage, votes closed by the real service, idempotent."""

from __future__ import annotations

import pytest
from django.db.models import F

from gongzhi.affairs import civil_code, selectors
from gongzhi.affairs.models import Ballot, Matter, Meeting, Status, Vote
from gongzhi.affairs.tests.helpers import make_estate
from gongzhi.demo.affairs import TODAY, build_affairs

pytestmark = pytest.mark.django_db


def test_demo_affairs_are_plausible_and_built_once(tree) -> None:  # type: ignore[no-untyped-def]
    for i, code in enumerate(["370202001001", "370202001002", "370202009001"]):
        make_estate(tree.d(code), f"示范小区{i}", floors=5)
    first = build_affairs(seed=7)
    assert first.created and first.matters == Matter.objects.count() > 500
    assert first.resolved >= 430 and first.votes > 100 and first.elevator_votes > 0 and first.briefings > 0
    statuses = set(Matter.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    # Every stored result is what the law gives for the stored ballots and the register.
    for vote in Vote.objects.filter(status="closed").select_related("rule_set").order_by("?")[:20]:
        assert vote.closed_at is not None
        homes = selectors.vote_homes(vote, vote.closed_at.date())
        electorate, developers = selectors.electorate_of(homes)
        opinions = {selectors.owner_key(o, developers): v for o, v in selectors.vote_opinions(vote)}
        rs = vote.rule_set.as_rule_set() if vote.rule_set else None
        law = civil_code.tally(
            electorate,
            opinions,
            vote.item,
            participation=rs.participation if rs else None,
            approval=rs.approval if rs else None,
        )
        assert (vote.owners_voted, vote.owners_agree, vote.area_agree) == (
            law.owners_voted,
            law.owners_agree,
            law.area_agree,
        )
        assert vote.passed == (law.passed and vote.conditions_met is not False)
    for matter in Matter.objects.filter(status="resolved", item__isnull=False)[:20]:
        assert matter.votes.filter(passed=True).exists()
        assert matter.resolved_at is not None and matter.resolved_at >= matter.raised_at
    # Timelines are plausible: no ballot after its vote closed, nothing after the demo's "today".
    assert not Ballot.objects.filter(vote__status="closed", cast_at__gt=F("vote__closed_at")).exists()
    assert not Matter.objects.filter(updated_at__date__gt=TODAY).exists()
    assert not Vote.objects.filter(opened_at__lt=F("matter__raised_at")).exists()
    # Every vote is on the item of a notice posted with its register at least 15 whole days before.
    assert not Vote.objects.filter(notice_item__isnull=True).exists()
    for vote in Vote.objects.select_related("notice_item__notice").order_by("?")[:20]:
        assert vote.notice_item is not None
        notice = vote.notice_item.notice
        assert (
            civil_code.notice_days_before(notice.posted_on, vote.opened_at.date()) >= civil_code.NOTICE_DAYS
        )
        assert notice.entries.count() == notice.homes
    counts = (Matter.objects.count(), Vote.objects.count(), Ballot.objects.count(), Meeting.objects.count())
    again = build_affairs(seed=7)
    assert not again.created
    assert (
        Matter.objects.count(),
        Vote.objects.count(),
        Ballot.objects.count(),
        Meeting.objects.count(),
    ) == counts

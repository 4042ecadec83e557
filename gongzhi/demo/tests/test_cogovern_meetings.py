"""The demo's committee meetings and 换届小组: written through the services, so every meeting is quorate and
every decision's outcome is the rule's; the overdue list shows the group not handed its records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.cogovern import rules
from gongzhi.cogovern.models import CommitteeMeeting, CommitteeTerm, MeetingDecision, TransitionGroup
from gongzhi.demo.cogovern import build_cogovern
from gongzhi.demo.cogovern_meetings import build_meetings
from gongzhi.people.models import Ownership
from gongzhi.places.models import Compound, Home
from gongzhi.tests.factories import PersonFactory, make_compound, user_with

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _owners(path: str) -> None:
    """Seven owners per compound, so the demo's committees have members (test set-up only)."""
    for c in Compound.objects.filter(path__under=path):
        for home in Home.objects.filter(compound=c).order_by("pk")[:7]:
            Ownership.objects.create(home=home, person=PersonFactory.create(), compound_id_cache=c.pk)


def test_meetings_and_transition_groups_follow_the_rules_and_show_on_the_overdue_list(tree) -> None:
    for i in range(8):
        make_compound(tree.d("370202001002"), f"演示小区{i}", buildings=1, units=1, floors=3, per_floor=3)
    _owners(tree.d("370202").path)
    assert build_cogovern(seed=1, district_code="370202").created
    # Five terms of long-seated committees ended a month ago with no re-electing assembly (set-up only).
    old = CommitteeTerm.objects.filter(
        term_start__lt=TODAY - timedelta(days=200), term_extended_to__isnull=True
    ).order_by("pk")[:5]
    for i, term in enumerate(old):
        CommitteeTerm.objects.filter(pk=term.pk).update(term_end=TODAY - timedelta(days=30 + i))
    result = build_meetings(seed=1, district_code="370202")
    assert result.created and result.meetings == CommitteeMeeting.objects.count() > 0
    for meeting in CommitteeMeeting.objects.prefetch_related("decisions"):
        assert rules.meeting_quorate(len(meeting.present), meeting.members)
        for d in meeting.decisions.all():
            assert d.passed == rules.decision_passes(d.votes_for, meeting.members)
    assert result.passed == MeetingDecision.objects.filter(passed=True).count() < result.decisions
    assert result.groups == TransitionGroup.objects.count() == 5
    assert result.handed_over == 3 and result.overdue == 1 and result.reelected == 1
    (late,) = [
        g
        for g in TransitionGroup.objects.select_related("term__compound")
        if g.handed_over_on is None and rules.transition_handover_due(g.formed_on) < TODAY
    ]
    client = Client()
    client.force_login(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    page = client.get("/cogovern/overdue/370202/").content.decode()
    section = page.split("逾期未向换届小组移交资料", 1)[1].split("gz-card", 1)[0]
    assert late.term.compound.name in section
    again = build_meetings(seed=1, district_code="370202")
    assert not again.created and again.meetings == result.meetings and again.overdue == 1

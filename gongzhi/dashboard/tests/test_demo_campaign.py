from __future__ import annotations

import pytest
from django.utils import timezone

from gongzhi.campaign import selectors
from gongzhi.campaign.models import Campaign, Status
from gongzhi.dashboard.models import Snapshot
from gongzhi.demo.campaign import build_campaign
from gongzhi.insights.registry import values

pytestmark = pytest.mark.django_db


def test_demo_campaign_is_computed_and_idempotent(tree):
    first = build_campaign(seed=7, months=3)
    assert first.created and first.targets == 134
    campaign = Campaign.objects.get()
    assert {p.name for p in campaign.phases.all()} == {"组织发动", "攻坚推进", "总结提升"}
    assert campaign.measures.count() == 4
    done = campaign.targets.filter(status=Status.DONE).count()
    assert 0 < done < 134 and done == first.done
    overdue, _at_risk = selectors.overdue_and_at_risk(campaign, None, timezone.localdate())
    assert overdue  # some are behind their deadline
    days = sorted(set(Snapshot.objects.values_list("taken_on", flat=True)))
    assert len(days) == 4 and days[-1] == timezone.localdate()
    # Each stored figure is the computation for its day.
    past = days[0]
    stored = dict(Snapshot.objects.filter(place_code="370202", taken_on=past).values_list("code", "value"))
    assert stored["campaign_targets_done"] == values(campaign.division, past)["campaign_targets_done"]
    again = build_campaign(seed=7, months=3)
    assert not again.created and Campaign.objects.count() == 1 and Snapshot.objects.count() == first.snapshots

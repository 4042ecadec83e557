from __future__ import annotations

import pytest
from django.utils import timezone

from gongzhi.campaign import selectors
from gongzhi.campaign.models import Campaign, Status
from gongzhi.dashboard.models import Snapshot, SnapshotRun
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


def test_a_seed_that_stopped_before_its_snapshots_gets_them_on_the_next_run(tree, monkeypatch):
    """The first seed writes the campaign, then stops during its snapshots (here: the second day fails);
    the next run reuses the campaign and takes the days still missing, and a third run adds nothing."""
    from gongzhi.demo import campaign as demo

    real, calls = demo.snapshots_take, []

    def failing(**kw):  # type: ignore[no-untyped-def]
        calls.append(kw["on"])
        if len(calls) == 2:
            raise RuntimeError("the seed stopped")
        return real(**kw)

    monkeypatch.setattr(demo, "snapshots_take", failing)
    with pytest.raises(RuntimeError):
        build_campaign(seed=7, months=3)
    monkeypatch.setattr(demo, "snapshots_take", real)
    assert Campaign.objects.count() == 1
    assert len(set(Snapshot.objects.values_list("taken_on", flat=True))) == 1  # the first day only
    first_day = calls[0]
    before = set(Snapshot.objects.filter(taken_on=first_day).values_list("pk", flat=True))
    assert before
    again = build_campaign(seed=7, months=3)
    assert not again.created and again.snapshots > 0
    days = sorted(set(Snapshot.objects.values_list("taken_on", flat=True)))
    assert len(days) == 4 and days[-1] == timezone.localdate() and first_day in days
    assert again.snapshots == Snapshot.objects.exclude(taken_on=first_day).count()
    assert set(Snapshot.objects.filter(taken_on=first_day).values_list("pk", flat=True)) == before  # kept
    runs = SnapshotRun.objects.count()
    third = build_campaign(seed=7, months=3)
    assert third.snapshots == 0 and SnapshotRun.objects.count() == runs

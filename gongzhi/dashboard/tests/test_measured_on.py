"""The owners'-committee figures keep no dates (the compounds' delivery shares and exemptions are stored as
they stand, the status rows say whether a committee exists now): a snapshot for a past day holds their value
of the day it was taken and says so (`Snapshot.measured_on`), as docs/campaign.md's table lists them; a
dated figure of the same snapshot (community maps) is computed as of that day and carries no such mark."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from gongzhi.cogovern import services as cogovern
from gongzhi.cogovern.tests.kit import build_kit
from gongzhi.core.actors import system
from gongzhi.core.registry import FIGURES
from gongzhi.dashboard import selectors, services
from gongzhi.dashboard.models import Snapshot
from gongzhi.insights.registry import values

COMMITTEE = ("owners_committee_required", "owners_committee_formed", "owners_committee_rate")

pytestmark = pytest.mark.django_db


def test_committee_figures_of_a_past_snapshot_are_marked_measured_on_the_day_taken(tree) -> None:
    build_kit(tree.compounds[0])  # a committee at the first compound
    cogovern.compound_status_refresh(compounds=Q())
    district = tree.d("370202")
    today = timezone.localdate()
    live = values(district, codes=COMMITTEE)
    assert live["owners_committee_formed"] >= 1 and live["owners_committee_required"] >= 1
    past = today - timedelta(days=200)
    services.snapshots_take(actor=system("test"), on=past)
    rows = {
        s.code: s
        for s in Snapshot.objects.filter(taken_on=past, place_code=district.code, code__in=COMMITTEE)
    }
    assert set(rows) == set(COMMITTEE)
    for code in COMMITTEE:
        assert not FIGURES[code].dated
        assert rows[code].measured_on == today, code  # the value is today's, and the row says so
        assert rows[code].value == pytest.approx(float(live[code])), code
    dated = Snapshot.objects.get(taken_on=past, place_code=district.code, code="community_maps")
    assert dated.measured_on is None
    labels = selectors.measured_later(district.code)
    assert {FIGURES[c].label_zh for c in COMMITTEE} <= set(labels)
    assert FIGURES["community_maps"].label_zh not in labels


def test_a_snapshot_taken_today_marks_nothing(tree) -> None:
    build_kit(tree.compounds[0])
    services.snapshots_take(actor=system("test"))
    assert not Snapshot.objects.filter(measured_on__isnull=False).exists()

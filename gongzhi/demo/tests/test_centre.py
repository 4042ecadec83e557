"""The centre's demo step: its summary is what the selectors count, the opening day is as the generator
decided, and a second run leaves it alone."""

from __future__ import annotations

import pytest

from gongzhi.centre import selectors
from gongzhi.centre.models import Agreement, Centre, Enterprise, Event, Lease, Referral, ServiceRequest, Space
from gongzhi.centre.rules import leases_overlap
from gongzhi.demo.centre import OPENING_GUESTS, OPENING_SIGNINGS, build_centre
from gongzhi.tests.factories import load_divisions

pytestmark = pytest.mark.django_db

ROWS = [
    ("37", "山东省", "province", ""),
    ("3702", "青岛市", "city", "37"),
    ("370211", "黄岛区", "district", "3702"),
    ("370211001", "示范街道", "subdistrict", "370211"),
    ("370211001001", "示范社区", "community", "370211001"),
]


def test_the_demo_centre_is_counted_from_its_rows() -> None:
    load_divisions(ROWS)
    demo = build_centre(seed=7)
    centre = Centre.objects.get()
    assert centre.division.code == "370211001001"
    assert demo.created and demo.platforms == 3
    assert OPENING_GUESTS[0] <= demo.guests <= OPENING_GUESTS[1]
    assert demo.signed == Agreement.objects.count() == OPENING_SIGNINGS
    assert 0 < demo.landed < demo.signed
    assert demo.settled == Enterprise.objects.filter(settled_on__isnull=False).count()
    assert demo.requests == ServiceRequest.objects.count()
    assert demo.occupancy == selectors.occupancy(centre.path)["rate"]
    assert 0 < demo.on_time_rate < 1
    # Through the registry ledger, as an office imports it, and the event services the forms use.
    assert Space.objects.first().history.earliest().history_change_reason.startswith("导入")  # type: ignore[attr-defined, union-attr]
    assert Event.objects.get(kind="ceremony").history.exists()  # type: ignore[attr-defined]
    # Referrals: the finance arranged is what partners approved, nothing typed on the requests.
    approved = Referral.objects.filter(result="approved")
    assert demo.referrals == Referral.objects.count() > 0 and demo.approved == approved.count() > 0
    assert demo.finance_yuan == int(sum(r.amount_approved_yuan or 0 for r in approved))
    assert {r.result for r in Referral.objects.all()} >= {"approved", "declined", "pending"}
    assert not ServiceRequest.objects.filter(status="done", referrals__result="pending").exists()
    for lease in Lease.objects.all():
        others = Lease.objects.filter(space=lease.space).exclude(pk=lease.pk)
        assert not any(leases_overlap(lease.starts_on, lease.ends_on, o.starts_on, o.ends_on) for o in others)
    again = build_centre(seed=7)
    assert not again.created and again.signed == demo.signed and Centre.objects.count() == 1

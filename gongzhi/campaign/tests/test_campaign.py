from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongzhi.accounts.roles import Role
from gongzhi.campaign import selectors, services
from gongzhi.campaign.models import Status, Target, Update
from gongzhi.campaign.tests.helpers import SYSTEM, add_target, make_campaign
from gongzhi.insights.registry import values
from gongzhi.party import services as party
from gongzhi.party.models import OrgKind
from gongzhi.tests.factories import user_with

pytestmark = pytest.mark.django_db


def test_target_completes_when_the_registry_shows_the_goal(tree):
    campaign = make_campaign(tree)
    compound = tree.compounds[0]
    target = add_target(campaign, compound, "party_org")
    assert target.automatic and target.progress is None
    services.targets_sync(actor=SYSTEM, on=date(2025, 3, 1))
    target.refresh_from_db()
    assert target.status == Status.OPEN and target.progress == 0
    party.organisation_create(
        actor=SYSTEM, kind=OrgKind.BRANCH, name="金门路小区党支部", compounds=[compound]
    )
    changed = services.targets_sync(actor=SYSTEM, on=date(2025, 4, 1))
    target.refresh_from_db()
    assert changed == [target]
    assert target.status == Status.DONE and target.done_on == date(2025, 4, 1) and target.progress == 1
    assert Update.objects.filter(target=target).values_list("source", flat=True).last() == "compounds_covered"
    assert services.targets_sync(actor=SYSTEM) == []  # done stays done, nothing written again


def test_automatic_target_is_never_reported_by_hand(tree):
    target = add_target(make_campaign(tree), tree.compounds[0], "party_org")
    with pytest.raises(ValidationError, match="自动判定"):
        services.target_report(actor=SYSTEM, target=target, progress=Decimal("1"))
    assert not Update.objects.exists()


def test_unknown_figure_waits(tree):
    """An owners'-committee target before its registry is installed: no figure, no progress, no update."""
    target = add_target(make_campaign(tree), tree.compounds[0], "owners_committee")
    if "owners_committee_formed" in values(tree.compounds[0]):
        pytest.skip("the co-governance registry is installed")
    services.targets_sync(actor=SYSTEM)
    target.refresh_from_db()
    assert target.progress is None and not Update.objects.exists()


def test_manual_report_with_evidence_and_rollup(tree):
    campaign = make_campaign(tree)
    a = add_target(campaign, tree.compounds[0], measure=0, weight=Decimal("3"))
    b = add_target(campaign, tree.compounds[1], measure=0, weight=Decimal("1"))
    add_target(campaign, tree.compounds[2], measure=1)  # no figure yet: left out, not zero
    pdf = SimpleUploadedFile("验收.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    services.target_report(actor=SYSTEM, target=a, progress=Decimal("1"), on=date(2025, 5, 1), evidence=pdf)
    services.target_report(actor=SYSTEM, target=b, progress=Decimal("0.2"), on=date(2025, 5, 1))
    a.refresh_from_db()
    assert a.status == Status.DONE and a.done_on == date(2025, 5, 1)
    r = selectors.rollup(campaign)
    assert r.measures[0].progress == Decimal("0.8")  # (1×3 + 0.2×1) / 4
    assert r.measures[1].progress is None and r.measures[1].targets == 1
    assert r.progress == Decimal("0.8")  # measure 2 has no figure: left out
    assert (r.targets, r.done) == (3, 1)
    assert r.phases[0].progress == Decimal("0.8")
    figures = values(tree.d("370202"))
    assert figures["campaign_targets"] == 3 and figures["campaign_targets_done"] == 1
    assert figures["campaign_progress"] == pytest.approx(0.8)
    # As of a day before the reports, nothing was done.
    past = values(tree.d("370202"), date(2025, 4, 1))
    assert past["campaign_targets_done"] == 0 and past["campaign_progress"] is None


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.exe", b"MZ", "不支持的文件类型"),
        ("a.pdf", b"", "文件是空的"),
        ("a.pdf", b"GIF89a", "不符"),
    ],
)
def test_bad_evidence_writes_nothing(tree, name, content, message):
    target = add_target(make_campaign(tree), tree.compounds[0])
    with pytest.raises(ValidationError, match=message):
        services.target_report(
            actor=SYSTEM, target=target, progress=Decimal("0.5"), evidence=SimpleUploadedFile(name, content)
        )
    target.refresh_from_db()
    assert target.progress is None and not Update.objects.exists()


def test_overdue_and_at_risk(tree):
    campaign = make_campaign(tree)
    late = add_target(campaign, tree.compounds[0], deadline=date(2024, 6, 30))
    soon = add_target(campaign, tree.compounds[1], deadline=date(2024, 8, 15))
    add_target(campaign, tree.compounds[2], deadline=date(2026, 12, 31))
    overdue, at_risk = selectors.overdue_and_at_risk(campaign, None, date(2024, 7, 31))
    assert overdue == [late] and at_risk == [soon]
    months = selectors.monthly(campaign, None, date(2024, 7, 31))
    assert [m["month"] for m in months][-1] == "2024-07" and months[-1]["red"] == 1
    assert months[-1]["light"] == "red"


def test_target_outside_the_campaign_is_refused(tree):
    campaign = make_campaign(tree)
    outside = tree.compounds[-1]  # 市北区
    with pytest.raises(ValidationError, match="不在"):
        add_target(campaign, outside)
    assert not Target.objects.exists()


def test_pages(client, tree):
    campaign = make_campaign(tree)
    target = add_target(campaign, tree.compounds[0], title="引入物业")
    admin = user_with(Role.DISTRICT_ADMIN, tree.d("370202"))
    client.force_login(admin)
    page = client.get(reverse("campaign:detail", args=[campaign.pk]))
    assert page.status_code == 200 and "引入物业" in page.content.decode()
    assert client.get(reverse("campaign:home")).status_code == 200
    url = reverse("campaign:target_report", args=[target.pk])
    bad = client.post(url, {"progress": "150", "on": "2025-01-01"}, follow=True)
    assert bad.status_code == 200 and not Update.objects.exists()
    bad = client.post(url, {"progress": "abc", "on": "not a date"}, follow=True)
    assert bad.status_code == 200 and not Update.objects.exists()
    evidence = SimpleUploadedFile("照片.png", b"\x89PNG\r\n\x1a\nrest")
    ok = client.post(
        url, {"progress": "40", "on": "2025-01-01", "note": "已招标", "evidence": evidence}, follow=True
    )
    assert "进度已填报" in ok.content.decode()
    update = Update.objects.get()
    assert update.progress == Decimal("0.4")
    assert client.get(reverse("campaign:evidence", args=[update.pk])).status_code == 200
    # A community worker elsewhere sees neither the target nor its evidence.
    other = user_with(Role.COMMUNITY_WORKER, tree.d("370202009001"))
    client.force_login(other)
    assert client.get(reverse("campaign:target", args=[target.pk])).status_code == 404
    assert client.get(reverse("campaign:evidence", args=[update.pk])).status_code == 404
    page = client.get(reverse("campaign:detail", args=[campaign.pk]))
    assert "引入物业" not in page.content.decode()
    new = reverse("campaign:target_new", args=[campaign.pk])
    client.force_login(admin)
    form = client.post(new, {"title": "x", "place": "abc"})
    assert form.status_code == 200 and Target.objects.count() == 1

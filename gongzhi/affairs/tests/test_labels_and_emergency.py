"""Issue 8, case 6: labels and citations, the maintenance-fund categories, and the art. 281 emergency path."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from gongzhi.affairs import services, workflow
from gongzhi.affairs.civil_code import Item
from gongzhi.affairs.models import EventKind, MatterCategory, MatterEvent, Status
from gongzhi.affairs.tests.helpers import make_estate, matter_at_consultation
from gongzhi.party import rules as party_rules
from gongzhi.tests.factories import SYSTEM


def test_item_two_uses_the_civil_codes_wording() -> None:
    assert Item.MANAGEMENT_STATUTE.label == "制定和修改管理规约"
    assert Item.MANAGEMENT_STATUTE.title == "（二）制定和修改管理规约"


def test_the_branch_rules_cite_article_four_and_the_joint_branch_article_five() -> None:
    """支部工作条例 第四条: 3 full members form a branch, normally ≤ 50; 第五条: the joint branch."""
    assert party_rules.SRC_BRANCH.endswith("第四条")
    own = party_rules.compound_gaps(
        party_rules.CompoundFacts(compound_id=1, code="c", name="甲小区", counted=3, members=3)
    )
    assert own and "第四条" in own[0].source
    uncovered = party_rules.compound_gaps(
        party_rules.CompoundFacts(compound_id=2, code="c", name="乙小区", counted=1, members=1)
    )
    assert uncovered and "第五条" in uncovered[0].source and "第四条" not in uncovered[0].source


@pytest.mark.django_db
def test_road_repaving_and_facility_repair_default_to_item_five(tree) -> None:  # type: ignore[no-untyped-def]
    make_estate(tree.d("370202001001"))
    defaults = dict(
        MatterCategory.objects.filter(code__in=["road", "facilities"]).values_list("code", "default_item")
    )
    assert defaults == {"road": Item.FUND_USE, "facilities": Item.FUND_USE}


def test_the_emergency_path_is_only_for_using_the_fund_and_needs_its_reason() -> None:
    state = workflow.MatterState(status="consultation", needs_vote=True, vote_open=False, vote_passed=False)
    assert workflow.emergency_refusal(state, 5, "3号楼电梯故障停运") is None
    assert "第五项" in (workflow.emergency_refusal(state, 6, "x") or "")
    assert "紧急情况" in (workflow.emergency_refusal(state, 5, "  ") or "")
    emergency = workflow.MatterState("consultation", True, False, False, emergency=True)
    assert workflow.refusal(emergency, "implementation") is None
    assert workflow.refusal(state, "implementation") is not None


@pytest.mark.django_db
def test_the_fund_used_in_an_emergency_without_a_vote_is_kept_on_record(tree) -> None:  # type: ignore[no-untyped-def]
    estate = make_estate(tree.d("370202001001"))
    matter = matter_at_consultation(estate, code="fund_use", item=5)
    with pytest.raises(ValidationError, match="紧急情况"):
        services.matter_fund_emergency(matter=matter, actor=SYSTEM, reason="")
    services.matter_fund_emergency(matter=matter, actor=SYSTEM, reason="屋面渗漏，雨季前须抢修")
    matter.refresh_from_db()
    assert matter.status == Status.IMPLEMENTATION and matter.emergency_at is not None
    assert matter.emergency_reason == "屋面渗漏，雨季前须抢修"
    event = MatterEvent.objects.get(matter=matter, kind=EventKind.EMERGENCY)
    assert "第二百八十一条" in event.text and event.actor_name
    assert matter.history.latest().emergency_reason == "屋面渗漏，雨季前须抢修"
    services.matter_advance(matter=matter, actor=SYSTEM, to="resolved")
    other = matter_at_consultation(estate, code="fund_raising", item=6)
    with pytest.raises(ValidationError, match="第五项"):
        services.matter_fund_emergency(matter=other, actor=SYSTEM, reason="抢修")


@pytest.mark.django_db
def test_staff_record_an_emergency_from_the_matter_page_residents_cannot(tree) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client
    from django.urls import reverse

    from gongzhi.accounts.roles import Role
    from gongzhi.tests.factories import user_with

    estate = make_estate(tree.d("370202001001"))
    matter = matter_at_consultation(estate, code="fund_use", item=5)
    url = reverse("affairs:matter_emergency", args=[matter.pk])
    resident, secretary = Client(), Client()
    resident.force_login(user_with(Role.RESIDENT, estate.compound))
    secretary.force_login(user_with(Role.PARTY_SECRETARY, estate.compound))
    assert resident.post(url, {"reason": "电梯停运"}).status_code in (403, 404)
    page = secretary.get(reverse("affairs:matter", args=[matter.pk]))
    assert 'id="emergency"' in page.content.decode()
    secretary.post(url, {"reason": "2号楼电梯故障停运，困住老人"})
    matter.refresh_from_db()
    assert matter.status == Status.IMPLEMENTATION and "电梯故障" in matter.emergency_reason

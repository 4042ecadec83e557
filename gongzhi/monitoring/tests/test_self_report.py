"""A household reports what happened; the category (脱贫不稳定户 …) is the cadres' call at the village review."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from gongzhi.accounts.roles import Role
from gongzhi.monitoring import services
from gongzhi.monitoring.models import Case, Category, Channel, Decision, Hardship
from gongzhi.monitoring.tests.helpers import household, pingdu
from gongzhi.tests.factories import SYSTEM, user_with

pytestmark = pytest.mark.django_db


def _own(w):  # type: ignore[no-untyped-def]
    village = w.d["370283100201"]
    user = user_with(Role.HOUSEHOLD, village)
    return user, household(village, account=user)


def test_the_form_asks_what_happened_not_the_category() -> None:
    w = pingdu()
    user, h = _own(w)
    client = Client()
    client.force_login(user)
    page = client.get("/monitoring/mine/").content.decode()
    assert 'name="hardship"' in page and 'name="category"' not in page
    assert str(Category.UNSTABLE.label) not in page
    # a category slipped into the post is not taken: the household does not set it
    client.post("/monitoring/mine/", {"hardship": "illness", "risk": "住院", "category": "unstable"})
    case = Case.objects.get(household=h)
    assert (case.channel, case.hardship, case.category) == (Channel.SELF_REPORT, Hardship.ILLNESS, "")
    assert "待认定" in client.get("/monitoring/mine/").content.decode()


@pytest.mark.parametrize(
    ("post", "word"),
    [({"hardship": "", "risk": "住院"}, "困难类型"), ({"hardship": "nonsense", "risk": "x"}, "困难类型")],
)
def test_a_report_without_a_known_hardship_is_refused_and_nothing_written(post, word) -> None:  # type: ignore[no-untyped-def]
    w = pingdu()
    user, _h = _own(w)
    client = Client()
    client.force_login(user)
    answer = client.post("/monitoring/mine/", post, follow=True)
    assert answer.status_code == 200 and word in answer.content.decode()
    assert not Case.objects.exists()


def test_the_service_refuses_a_category_from_the_household() -> None:
    w = pingdu()
    user, h = _own(w)
    with pytest.raises(ValidationError, match="村干部"):
        services.case_raise(
            actor=user,
            household=h,
            channel=Channel.SELF_REPORT,
            category="edge",
            hardship="illness",
            risk="x",
        )
    assert not Case.objects.exists()


def test_the_village_review_sets_the_category_and_the_county_gives_it_to_the_household() -> None:
    w = pingdu()
    user, h = _own(w)
    case = services.case_raise(
        actor=user,
        household=h,
        channel=Channel.SELF_REPORT,
        hardship="accident",
        risk="车祸",
        on=date(2026, 1, 2),
    )
    cadre = user_with(Role.VILLAGE_CADRE, w.d["370283100201"])
    with pytest.raises(ValidationError, match="认定监测类别"):
        services.case_decide(actor=cadre, case=case, step="village", approved=True, on=date(2026, 1, 5))
    assert not Decision.objects.exists()
    with pytest.raises(ValidationError, match="监测类别无效"):
        services.case_decide(
            actor=cadre, case=case, step="village", approved=True, category="poor", on=date(2026, 1, 5)
        )
    services.case_decide(
        actor=cadre, case=case, step="village", approved=True, category=Category.SUDDEN, on=date(2026, 1, 5)
    )
    case.refresh_from_db()
    assert case.category == Category.SUDDEN
    with pytest.raises(ValidationError, match="村级评议"):  # set once, at the village review
        services.case_decide(
            actor=SYSTEM, case=case, step="town", approved=True, category="edge", on=date(2026, 1, 11)
        )
    services.case_decide(actor=SYSTEM, case=case, step="town", approved=True, on=date(2026, 1, 11))
    services.case_decide(actor=SYSTEM, case=case, step="county", approved=True, on=date(2026, 1, 17))
    h.refresh_from_db()
    assert h.category == Category.SUDDEN


def test_a_refusal_at_the_village_needs_no_category() -> None:
    w = pingdu()
    user, h = _own(w)
    case = services.case_raise(
        actor=user, household=h, channel=Channel.SELF_REPORT, hardship="other", risk="x", on=date(2026, 1, 2)
    )
    services.case_decide(actor=SYSTEM, case=case, step="village", approved=False, on=date(2026, 1, 3))
    case.refresh_from_db()
    assert case.status == "rejected" and case.category == ""


def test_the_case_page_offers_the_category_at_the_village_review() -> None:
    w = pingdu()
    user, h = _own(w)
    case = services.case_raise(
        actor=user,
        household=h,
        channel=Channel.SELF_REPORT,
        hardship="illness",
        risk="x",
        on=date(2026, 1, 2),
    )
    client = Client()
    client.force_login(user_with(Role.VILLAGE_CADRE, w.d["370283100201"]))
    page = client.get(f"/monitoring/cases/{case.pk}/").content.decode()
    assert 'name="category"' in page and "待认定" in page
    client.post(
        f"/monitoring/cases/{case.pk}/decide/", {"step": "village", "approved": "1", "category": "unstable"}
    )
    case.refresh_from_db()
    assert case.category == Category.UNSTABLE

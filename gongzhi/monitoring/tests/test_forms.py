"""The hand-entry pages: registering a household (ID numbers checked, shown masked), recording income
checks, and the county's settings. Every bad input is a Chinese message and nothing is written."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.monitoring.models import Household, Income, Member, MonitoringLine, NoticePeriod
from gongzhi.monitoring.tests.helpers import household, pingdu
from gongzhi.people.identity import with_check_character
from gongzhi.people.models import Person
from gongzhi.tests.factories import user_with

pytestmark = pytest.mark.django_db

HEAD = with_check_character("37028319800101123")
SPOUSE = with_check_character("37028319820202124")


def _client(role: Role, place) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user_with(role, place))
    return client


def _counts() -> tuple[int, int, int]:
    return Household.objects.count(), Member.objects.count(), Person.objects.count()


def test_a_cadre_registers_a_household_and_sees_only_masked_ids() -> None:
    w = pingdu()
    client = _client(Role.VILLAGE_CADRE, w.d["370283100201"])
    form = {
        "place": "370283100201",
        "number": "PD-0001",
        **{"name_0": "王大山", "id_0": HEAD, "relation_0": "户主", "labour_0": "full"},
        **{"name_1": "李秀英", "id_1": SPOUSE.lower(), "relation_1": "配偶", "labour_1": "none"},
    }
    page = client.post("/monitoring/households/new/?place=370283100201", form, follow=True).content.decode()
    h = Household.objects.get(number="PD-0001")
    assert h.village.code == "370283100201" and h.members.count() == 2
    assert h.members.get(labour="none").person.id_number == SPOUSE
    assert "已登记" in page and HEAD not in page and HEAD[-4:] in page


@pytest.mark.parametrize(
    ("form", "word"),
    [
        (
            {"number": "PD-1", "name_0": "王大山", "id_0": HEAD[:-1] + ("0" if HEAD[-1] != "0" else "1")},
            "校验码",
        ),
        ({"number": "PD-1", "name_0": "王大山", "id_0": "12345"}, "18 位"),
        ({"number": "PD-1", "name_0": "王大山", "id_0": ""}, "都要填写"),
        ({"number": "", "name_0": "王大山", "id_0": HEAD}, "户编号"),
        ({"number": "PD-1"}, "户主"),
        ({"number": "PD-1", "name_0": "王大山", "id_0": HEAD, "labour_0": "<script>"}, "劳动能力"),
        ({"number": "PD-1", "name_0": "王大山", "id_0": HEAD, "name_1": "李", "id_1": HEAD}, "重复"),
    ],
)
def test_bad_household_forms_are_refused_and_nothing_written(form: dict[str, str], word: str) -> None:
    w = pingdu()
    client = _client(Role.VILLAGE_CADRE, w.d["370283100201"])
    before = _counts()
    page = client.post("/monitoring/households/new/?place=370283100201", form, follow=True)
    assert page.status_code == 200
    assert word in page.content.decode()
    assert _counts() == before


def test_households_are_registered_in_villages_and_only_in_ones_own() -> None:
    w = pingdu()
    town = _client(Role.TOWN_STAFF, w.d["370283100"])
    page = town.get("/monitoring/households/new/?place=370283100").content.decode()
    assert "东村" in page and 'id="household-form"' not in page  # a town picks a village first
    before = _counts()
    town.post("/monitoring/households/new/?place=370283100", {"number": "X", "name_0": "甲", "id_0": HEAD})
    cadre = _client(Role.VILLAGE_CADRE, w.d["370283100201"])
    assert cadre.get("/monitoring/households/new/?place=370283100202").status_code in (403, 404)
    assert cadre.post("/monitoring/households/new/?place=370283100202", {"number": "X"}).status_code in (
        403,
        404,
    )
    assert _counts() == before


def test_income_checks_are_recorded_and_bad_ones_refused() -> None:
    w = pingdu()
    h = household(w.d["370283100201"])
    client = _client(Role.VILLAGE_CADRE, w.d["370283100201"])
    url = f"/monitoring/households/{h.pk}/income/"
    today = timezone.localdate()
    page = client.post(url, {"measured_on": today.isoformat(), "yuan_per_person": "8100.50"}, follow=True)
    assert "收入核查已记录" in page.content.decode()
    assert Income.objects.get().yuan_per_person == Decimal("8100.50")
    for bad, word in [
        ({"measured_on": "2025-13-40", "yuan_per_person": "100"}, "核查日期"),
        ({"measured_on": (today + timedelta(days=1)).isoformat(), "yuan_per_person": "100"}, "晚于今天"),
        ({"measured_on": today.isoformat(), "yuan_per_person": "abc"}, "数字"),
        ({"measured_on": today.isoformat(), "yuan_per_person": "NaN"}, "数字"),
        ({"measured_on": today.isoformat(), "yuan_per_person": "-5"}, "合理范围"),
        ({"measured_on": today.isoformat(), "yuan_per_person": "1e99"}, "合理范围"),
    ]:
        page = client.post(url, bad, follow=True)
        assert page.status_code == 200 and word in page.content.decode(), bad
    assert Income.objects.get().yuan_per_person == Decimal("8100.50")
    other = _client(Role.VILLAGE_CADRE, w.d["370283101201"])
    assert other.post(url, {"measured_on": today.isoformat(), "yuan_per_person": "1"}).status_code == 404
    assert Income.objects.count() == 1


def test_the_county_sets_the_line_and_the_notice_days() -> None:
    w = pingdu()
    client = _client(Role.COUNTY_BUREAU, w.d["370283"])
    page = client.post(
        "/monitoring/settings/",
        {"form": "line", "province": "37", "year": "2031", "yuan_per_person": "8200"},
        follow=True,
    ).content.decode()
    assert "2031" in page and MonitoringLine.objects.get(year=2031).yuan_per_person == Decimal("8200")
    client.post("/monitoring/settings/", {"form": "notice", "step": "town", "days": "9"})
    assert NoticePeriod.objects.get(step="town").days == 9
    assert "30" in client.get("/monitoring/settings/").content.decode()  # the visit and stall limits shown


@pytest.mark.parametrize(
    ("form", "word"),
    [
        ({"form": "line", "province": "37", "year": "abc", "yuan_per_person": "8000"}, "整数"),
        ({"form": "line", "province": "3", "year": "2031", "yuan_per_person": "8000"}, "省份"),
        ({"form": "line", "province": "37", "year": "1900", "yuan_per_person": "8000"}, "年度"),
        ({"form": "line", "province": "37", "year": "2031", "yuan_per_person": "0"}, "正数"),
        ({"form": "line", "province": "37", "year": "2031", "yuan_per_person": "Infinity"}, "数字"),
        ({"form": "notice", "step": "town", "days": "0"}, "1 到 30"),
        ({"form": "notice", "step": "town", "days": "31"}, "1 到 30"),
        ({"form": "notice", "step": "town", "days": "x"}, "整数"),
        ({"form": "notice", "step": "moon", "days": "5"}, "环节"),
        ({"form": "other"}, "请求无效"),
    ],
)
def test_bad_settings_are_refused_and_nothing_written(form: dict[str, str], word: str) -> None:
    w = pingdu()
    client = _client(Role.COUNTY_BUREAU, w.d["370283"])
    lines, notices = list(MonitoringLine.objects.values_list()), list(NoticePeriod.objects.values_list())
    page = client.post("/monitoring/settings/", form, follow=True)
    assert page.status_code == 200 and word in page.content.decode()
    assert list(MonitoringLine.objects.values_list()) == lines
    assert list(NoticePeriod.objects.values_list()) == notices


def test_only_the_county_reaches_the_settings() -> None:
    w = pingdu()
    cadre = _client(Role.VILLAGE_CADRE, w.d["370283100201"])
    assert cadre.get("/monitoring/settings/").status_code == 403
    cadre.post("/monitoring/settings/", {"form": "notice", "step": "town", "days": "9"})
    assert NoticePeriod.objects.get(step="town").days == 5

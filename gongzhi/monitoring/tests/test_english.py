"""Refusals and ledger row errors in the reader's language: an English request reads the service's refusal in
English, a Chinese one in the same Chinese as before; an import job writes its row errors in the language of
the request that queued it, whatever language the worker runs in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.ledgers.tests.speaking import messages, run_import
from gongzhi.monitoring.ledger import HOUSEHOLDS, INCOMES, MEMBERS
from gongzhi.monitoring.models import Household, Income
from gongzhi.monitoring.tests.helpers import household, pingdu
from gongzhi.people.identity import with_check_character
from gongzhi.tests.factories import user_with

pytestmark = pytest.mark.django_db

A = with_check_character("37028319700101201")


@pytest.mark.parametrize(
    ("accept", "refusal"),
    [("en", "The check date cannot be later than today"), ("zh-hans", "核查日期不能晚于今天")],
)
def test_the_income_services_refusal_reads_in_the_requests_language(accept: str, refusal: str) -> None:
    w = pingdu()
    h = household(w.d["370283100201"])
    client = Client(HTTP_ACCEPT_LANGUAGE=accept)
    client.force_login(user_with(Role.VILLAGE_CADRE, w.d["370283100201"]))
    tomorrow = timezone.localdate() + timedelta(days=1)
    page = client.post(
        reverse("monitoring:income", args=[h.pk]),
        {"measured_on": tomorrow.isoformat(), "yuan_per_person": "8000"},
    ).content.decode()
    assert refusal in page
    assert not Income.objects.filter(household=h).exists()


@pytest.mark.parametrize(
    ("language", "repeated", "unknown_village"),
    [
        ("en", "Repeated in the file", "Village code 370283999999 does not exist or is outside your area"),
        ("zh-hans", "文件中重复", "村编码 370283999999 不存在或不在您的管理范围内"),
    ],
)
def test_the_ledgers_row_errors_read_in_the_job_requesters_language(  # type: ignore[no-untyped-def]
    tmp_path, language: str, repeated: str, unknown_village: str
) -> None:
    w = pingdu()
    user = user_with(Role.TOWN_STAFF, w.d["370283100"])
    sheets = [
        (HOUSEHOLDS, [["PD-01", "370283100201"], ["PD-02", "370283999999"]]),
        (MEMBERS, [["PD-01", "王大山", A, "户主", "有劳动力"], ["PD-01", "李秀英", A, "配偶", "有劳动力"]]),
        (INCOMES, []),
    ]
    job = run_import(tmp_path, user, "monitoring_households", sheets, language)
    assert sorted(messages(job)) == sorted(
        [f"成员/3/身份证号: {repeated}", f"农户/3/村编码: {unknown_village}"]
    )
    assert not Household.objects.exists()

"""Query pins for every monitoring page: each costs a fixed number of queries, the same with more
households, cases, visits, measures and warning lists under the place (no per-row query)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.monitoring import services
from gongzhi.monitoring.models import Case, Category, Step
from gongzhi.monitoring.tests.helpers import household, pingdu
from gongzhi.tests.factories import SYSTEM, user_with
from gongzhi.tests.queries import assert_queries

pytestmark = pytest.mark.django_db

# Session, user and grants come first (3); a mismatch lists every query (gongzhi.tests.queries).
PINS = {
    "home": 10,
    "households": 6,
    "case": 14,
    "visit": 4,
    "income": 6,
    "household_new": 4,
    "overdue": 6,
    "stalled": 5,
    "warnings": 5,
    "settings": 5,
}
MINE = 6


def _grow(village: Any, n: int) -> tuple[Any, Case]:
    """n more households under the village, each with a case identified, a visit, a measure, an income."""
    today = timezone.localdate()
    last: Any = None
    for _i in range(n):
        h = household(village)
        services.income_record(
            actor=SYSTEM, household=h, measured_on=today - timedelta(days=40), yuan_per_person=Decimal("6500")
        )
        services.visit_record(
            actor=SYSTEM,
            household=h,
            visited_on=today - timedelta(days=60),
            findings="走访",
            next_due=today - timedelta(days=1),
            secure={},
            raise_category=Category.EDGE,
            risk="因病",
        )
        case = Case.objects.get(household=h)
        start = today - timedelta(days=59)
        for k, step in enumerate((Step.VILLAGE, Step.TOWN, Step.COUNTY)):
            services.case_decide(
                actor=SYSTEM, case=case, step=step, approved=True, on=start + timedelta(days=8 * k)
            )
        services.measure_add(
            actor=SYSTEM,
            case=Case.objects.get(pk=case.pk),
            kind="industry",
            starts_on=today - timedelta(days=20),
            ends_on=None,
            amount_yuan=Decimal("1000"),
            officer="帮扶干部",
        )
        other = household(village)  # a case left in identification long ago: stalled
        services.case_raise(
            actor=SYSTEM,
            household=other,
            channel="visit",
            category=Category.SUDDEN,
            risk="灾害",
            on=today - timedelta(days=90),
        )
        services.warning_list_import(actor=SYSTEM, department="civil", path=village.path, rows=[])
        last = h
    return last, Case.objects.filter(household=last).get()


def _urls(h: Any, case: Case) -> dict[str, tuple[str, str]]:
    """Page → (URL, who opens it): town staff visit and register; the county imports and sets."""
    return {
        "home": ("/monitoring/?place=370283", "county"),
        "households": ("/monitoring/households/?place=370283100", "town"),
        "case": (f"/monitoring/cases/{case.pk}/", "town"),
        "visit": (f"/monitoring/households/{h.pk}/visit/", "town"),
        "income": (f"/monitoring/households/{h.pk}/income/", "town"),
        "household_new": ("/monitoring/households/new/?place=370283100201", "town"),
        "overdue": ("/monitoring/overdue/?place=370283", "county"),
        "stalled": ("/monitoring/stalled/?place=370283", "county"),
        "warnings": ("/monitoring/warnings/?place=370283", "county"),
        "settings": ("/monitoring/settings/", "county"),
    }


def _check(clients: dict[str, Client], h: Any, case: Case) -> None:
    for key, (url, who) in _urls(h, case).items():
        with assert_queries(PINS[key], label=url):
            response = clients[who].get(url)
        assert response.status_code == 200, url


def test_monitoring_pages_cost_a_fixed_number_of_queries() -> None:
    w = pingdu()
    village = w.d["370283100201"]
    clients = {"county": Client(), "town": Client()}
    clients["county"].force_login(user_with(Role.COUNTY_BUREAU, w.d["370283"]))
    clients["town"].force_login(user_with(Role.TOWN_STAFF, w.d["370283100"]))
    h, case = _grow(village, 1)
    _check(clients, h, case)
    h, case = _grow(village, 4)
    _grow(w.d["370283101201"], 2)
    _check(clients, h, case)


def test_the_household_page_costs_a_fixed_number_of_queries() -> None:
    w = pingdu()
    village = w.d["370283100201"]
    user = user_with(Role.HOUSEHOLD, village)
    h = household(village, account=user)
    client = Client()
    client.force_login(user)
    for n in (1, 3):
        for _i in range(n):
            case = services.case_raise(
                actor=SYSTEM, household=h, channel="visit", category=Category.EDGE, risk="因病"
            )
            case.status = "rejected"
            case.save()
        with assert_queries(MINE, label="/monitoring/mine/"):
            assert client.get("/monitoring/mine/").status_code == 200

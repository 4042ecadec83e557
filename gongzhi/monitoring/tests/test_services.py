"""A case's life through the services, and the department warning lists matched by ID number."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongzhi.accounts.roles import Role
from gongzhi.monitoring import services
from gongzhi.monitoring.models import (
    Case,
    CaseStatus,
    Category,
    Channel,
    Decision,
    Labour,
    Warning,
    WarningList,
)
from gongzhi.monitoring.tests.helpers import household, pingdu
from gongzhi.people.identity import with_check_character
from gongzhi.tests.factories import SYSTEM, user_with

pytestmark = pytest.mark.django_db

TODAY = date(2026, 7, 1)


@pytest.fixture(autouse=True)
def fixed_today():  # type: ignore[no-untyped-def]
    with mock.patch("gongzhi.monitoring.services._today", return_value=TODAY):
        yield


def _identify(case: Case, start: date) -> None:
    services.case_decide(actor=SYSTEM, case=case, step="village", approved=True, on=start)
    services.case_decide(actor=SYSTEM, case=case, step="town", approved=True, on=start + timedelta(days=6))
    services.case_decide(actor=SYSTEM, case=case, step="county", approved=True, on=start + timedelta(days=12))


def test_visit_raises_a_case_and_the_three_steps_identify_it() -> None:
    w = pingdu()
    h = household(w.d["370283100201"])
    cadre = user_with(Role.VILLAGE_CADRE, w.d["370283100201"])
    services.visit_record(
        actor=cadre,
        household=h,
        visited_on=date(2026, 1, 5),
        findings="户主住院，医疗支出大",
        next_due=date(2026, 2, 5),
        secure={"medical": False},
        raise_category=Category.SUDDEN,
    )
    case = Case.objects.get(household=h)
    assert (case.channel, case.status) == (Channel.VISIT, CaseStatus.IDENTIFYING)
    town = user_with(Role.TOWN_STAFF, w.d["370283100"])
    with pytest.raises(PermissionDenied):  # the town cannot do the village's review
        services.case_decide(actor=town, case=case, step="village", approved=True)
    services.case_decide(actor=cadre, case=case, step="village", approved=True, on=date(2026, 1, 6))
    with pytest.raises(ValidationError, match="公示期"):  # 5 days' notice: 1-7 … 1-11
        services.case_decide(actor=town, case=case, step="town", approved=True, on=date(2026, 1, 11))
    services.case_decide(actor=town, case=case, step="town", approved=True, on=date(2026, 1, 12))
    county = user_with(Role.COUNTY_BUREAU, w.d["370283"])
    services.case_decide(actor=county, case=case, step="county", approved=True, on=date(2026, 1, 18))
    case.refresh_from_db()
    h.refresh_from_db()
    assert case.status == CaseStatus.MONITORED and h.category == Category.SUDDEN
    assert Decision.objects.filter(case=case).count() == 3


def test_a_refusal_ends_identification() -> None:
    w = pingdu()
    case = services.case_raise(
        actor=SYSTEM,
        household=household(w.d["370283100201"]),
        channel="visit",
        category="edge",
        risk="x",
        on=date(2025, 12, 1),
    )
    services.case_decide(actor=SYSTEM, case=case, step="village", approved=False, on=date(2026, 1, 1))
    case.refresh_from_db()
    assert case.status == CaseStatus.REJECTED


def test_cadre_outside_the_village_cannot_visit() -> None:
    w = pingdu()
    other = user_with(Role.VILLAGE_CADRE, w.d["370283100202"])
    with pytest.raises(PermissionDenied):
        services.visit_record(
            actor=other,
            household=household(w.d["370283100201"]),
            visited_on=date(2026, 1, 5),
            findings="x",
            next_due=date(2026, 2, 5),
            secure={},
        )


def _monitored(w, labour: str = Labour.FULL) -> Case:  # type: ignore[no-untyped-def]
    h = household(w.d["370283100201"], labour=labour)
    case = services.case_raise(
        actor=SYSTEM, household=h, channel="visit", category="unstable", risk="失业", on=date(2025, 5, 1)
    )
    _identify(case, date(2025, 6, 1))
    return Case.objects.get(pk=case.pk)


def test_elimination_only_when_the_checklist_holds() -> None:
    w = pingdu()
    case = _monitored(w)
    with pytest.raises(ValidationError, match="收入"):
        services.case_start_elimination(actor=SYSTEM, case=case)
    services.income_record(
        actor=SYSTEM, household=case.household, measured_on=date(2025, 12, 2), yuan_per_person=Decimal("9000")
    )
    services.visit_record(
        actor=SYSTEM,
        household=case.household,
        visited_on=date(2026, 5, 1),
        findings="稳定",
        next_due=date(2026, 8, 1),
        secure={},
    )
    with pytest.raises(ValidationError, match="6"):  # 12-02 + 6 months = 06-02, one day short
        services.case_start_elimination(actor=SYSTEM, case=case, on=date(2026, 6, 1))
    services.case_start_elimination(actor=SYSTEM, case=case, on=date(2026, 6, 2))
    case.refresh_from_db()
    assert case.status == CaseStatus.ELIMINATING
    _identify(case, date(2026, 6, 3))
    case.refresh_from_db()
    assert case.status == CaseStatus.ELIMINATED and case.eliminated_on == date(2026, 6, 15)


def test_no_labour_capacity_stays_under_protection() -> None:
    w = pingdu()
    case = _monitored(w, labour=Labour.NONE)
    services.income_record(
        actor=SYSTEM, household=case.household, measured_on=date(2025, 1, 1), yuan_per_person=Decimal("9000")
    )
    services.visit_record(
        actor=SYSTEM,
        household=case.household,
        visited_on=date(2026, 5, 1),
        findings="兜底",
        next_due=date(2026, 8, 1),
        secure={},
    )
    services.case_start_elimination(actor=SYSTEM, case=case)
    case.refresh_from_db()
    assert case.status == CaseStatus.PROTECTED


def test_measures_need_an_identified_case_and_sane_values() -> None:
    w = pingdu()
    case = _monitored(w)
    with pytest.raises(ValidationError):
        services.measure_add(
            actor=SYSTEM,
            case=case,
            kind="nope",
            starts_on=TODAY,
            ends_on=None,
            amount_yuan=Decimal(0),
            officer="李",
        )
    with pytest.raises(ValidationError):
        services.measure_add(
            actor=SYSTEM,
            case=case,
            kind="credit",
            starts_on=TODAY,
            ends_on=TODAY - timedelta(days=1),
            amount_yuan=Decimal(0),
            officer="李",
        )
    m = services.measure_add(
        actor=SYSTEM,
        case=case,
        kind="credit",
        starts_on=TODAY,
        ends_on=None,
        amount_yuan=Decimal("50000"),
        officer="李干部",
    )
    assert m.path == case.path


# --- department warning lists -------------------------------------------------------------------------------


def _id_of(h) -> str:  # type: ignore[no-untyped-def]
    return h.head.id_number


def test_warning_list_matches_by_id_and_reports_unknown() -> None:
    w = pingdu()
    a, b = household(w.d["370283100201"]), household(w.d["370283101201"])
    outside = household(w.d["370211100201"])  # 黄岛区: not in 平度市's list scope
    busy = services.case_raise(actor=SYSTEM, household=b, channel="visit", category="edge", risk="x")
    stranger = with_check_character("37028319990101999")
    rows = [(_id_of(a), "低保边缘"), (_id_of(b).lower(), "大病"), (stranger, ""), (_id_of(outside), "")]
    report = services.warning_list_import(
        actor=SYSTEM, department="civil", path=w.d["370283"].path, rows=rows
    )
    assert report.bad == [] and report.unknown == [3, 4]
    assert report.matched == 2 and report.cases_raised == 1  # b already had an open case
    assert Warning.objects.count() == 2
    raised = Case.objects.get(household=a)
    assert (raised.channel, raised.status) == (Channel.DEPARTMENT, CaseStatus.IDENTIFYING)
    assert raised.history.count() == 1
    assert Case.objects.get(pk=busy.pk).channel == Channel.VISIT


def test_a_warning_raises_a_case_awaiting_the_village_review_which_sets_the_category() -> None:
    """A department's list says who is at risk; which category applies is the village review's call."""
    w = pingdu()
    a = household(w.d["370283100201"])
    services.warning_list_import(
        actor=SYSTEM, department="medical", path=w.d["370283"].path, rows=[(_id_of(a), "大病")], on=TODAY
    )
    case = Case.objects.get(household=a)
    assert (case.channel, case.status, case.category) == (Channel.DEPARTMENT, CaseStatus.IDENTIFYING, "")
    assert case.history.get().category == ""
    a.refresh_from_db()
    assert a.category == ""
    cadre = user_with(Role.VILLAGE_CADRE, w.d["370283100201"])
    with pytest.raises(ValidationError, match="认定监测类别"):
        services.case_decide(actor=cadre, case=case, step="village", approved=True, on=TODAY)
    services.case_decide(actor=cadre, case=case, step="village", approved=True, category="edge", on=TODAY)
    case.refresh_from_db()
    assert case.category == Category.EDGE


def test_a_bad_id_refuses_the_whole_list() -> None:
    w = pingdu()
    a = household(w.d["370283100201"])
    good = _id_of(a)
    bad_check = good[:17] + ("0" if good[17] != "0" else "1")
    rows = [(good, ""), (bad_check, ""), ("12345", ""), (good[:6] + "19991332" + good[14:], "")]
    report = services.warning_list_import(
        actor=SYSTEM, department="medical", path=w.d["370283"].path, rows=rows
    )
    assert [n for n, _why in report.bad] == [2, 3, 4]
    assert "校验码" in report.bad[0][1]
    assert WarningList.objects.count() == 0 and Warning.objects.count() == 0 and Case.objects.count() == 0


def test_only_the_county_imports_warning_lists() -> None:
    w = pingdu()
    town = user_with(Role.TOWN_STAFF, w.d["370283100"])
    with pytest.raises(PermissionDenied):
        services.warning_list_import(actor=town, department="civil", path=w.d["370283100"].path, rows=[])

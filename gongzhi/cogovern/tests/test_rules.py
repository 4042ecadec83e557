"""The owners' assembly and committee rules at their boundaries (Qingdao regulation art. 21–43)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from gongzhi.cogovern import rules
from gongzhi.cogovern.rules import QINGDAO, SHANDONG, CaseDates, Status, Step, Trigger

TODAY = date(2024, 12, 18)


def fa(total_area=100, delivered_area=0, owners_total=100, owners_delivered=0, first=None, on=TODAY):
    return rules.first_assembly(
        total_area=Decimal(total_area),
        delivered_area=Decimal(delivered_area),
        owners_total=owners_total,
        owners_delivered=owners_delivered,
        first_delivered_on=first,
        on=on,
    )


# -- art. 21: three triggers, each boundary --------------------------------------------------------------------


def test_area_trigger_at_exactly_half_and_not_below() -> None:
    assert fa(delivered_area="50.00").required and fa(delivered_area="50").trigger == Trigger.AREA
    assert not fa(delivered_area="49.99").required


def test_owners_trigger_at_exactly_half_and_not_below() -> None:
    assert fa(owners_total=101, owners_delivered=51).trigger == Trigger.OWNERS
    assert fa(owners_total=100, owners_delivered=50).required
    assert not fa(owners_total=101, owners_delivered=50).required  # 50/101 < 50%


def test_time_trigger_needs_two_full_years_and_a_quarter_of_owners() -> None:
    first = date(2022, 12, 18)
    assert fa(owners_delivered=25, first=first, on=date(2024, 12, 18)).required  # the anniversary itself
    assert not fa(owners_delivered=25, first=first, on=date(2024, 12, 17)).required
    assert fa(owners_delivered=25, first=first, on=date(2024, 12, 17)).from_day == date(2024, 12, 18)
    assert not fa(owners_delivered=24, first=first, on=date(2030, 1, 1)).required
    assert fa(owners_delivered=25, first=first).trigger == Trigger.TIME


def test_two_years_from_29_february_end_on_28_february() -> None:
    """民法典 第二百零二条: no corresponding day → the month's last day."""
    assert rules.add_years(date(2024, 2, 29), 2) == date(2026, 2, 28)
    assert fa(owners_delivered=30, first=date(2024, 2, 29), on=date(2026, 2, 28)).required


def test_nothing_delivered_or_no_owners_recorded_is_not_required() -> None:
    assert not fa(total_area=0, owners_total=0, first=date(2000, 1, 1)).required


@given(
    total=st.integers(1, 10**6),
    delivered=st.integers(0, 10**6),
    owners=st.integers(1, 5000),
    owners_delivered=st.integers(0, 5000),
    days=st.integers(0, 3000),
)
def test_required_iff_any_trigger_holds(
    total: int, delivered: int, owners: int, owners_delivered: int, days: int
) -> None:
    delivered, owners_delivered = min(delivered, total), min(owners_delivered, owners)
    first = TODAY - timedelta(days=days)
    got = fa(total, delivered, owners, owners_delivered, first).required
    two_years = rules.add_years(first, 2) <= TODAY
    want = (
        Decimal(delivered) / total >= Decimal("0.5")
        or Decimal(owners_delivered) / owners >= Decimal("0.5")
        or (two_years and Decimal(owners_delivered) / owners >= Decimal("0.25"))
    )
    assert got == want


@given(owners=st.integers(1, 10_000), applying=st.integers(0, 10_000))
def test_five_percent_may_apply(owners: int, applying: int) -> None:
    applying = min(applying, owners)
    got = rules.may_apply(
        owners_applying=applying, owners_total=owners, area_applying=Decimal(0), total_area=Decimal(1)
    )
    assert got == (applying * 100 >= owners * 5)


# -- art. 22–24: preparatory group ------------------------------------------------------------------------------


def test_prep_group_needs_seven_odd_half_owners_and_the_party_organisation() -> None:
    assert rules.prep_group_problems(members=7, owners=4, party_org_included=True) == []
    assert any(
        "不少于 7" in p for p in rules.prep_group_problems(members=5, owners=3, party_org_included=True)
    )
    assert any("单数" in p for p in rules.prep_group_problems(members=8, owners=4, party_org_included=True))
    assert any("一半" in p for p in rules.prep_group_problems(members=9, owners=4, party_org_included=True))
    assert rules.prep_group_problems(members=9, owners=5, party_org_included=True) == []
    assert any(
        "党组织" in p for p in rules.prep_group_problems(members=7, owners=4, party_org_included=False)
    )


def test_prep_and_first_assembly_deadlines() -> None:
    assert rules.prep_group_due(date(2024, 1, 1)) == date(2024, 1, 31)
    assert rules.first_assembly_due(date(2024, 1, 1)) == date(2024, 3, 1)  # 60 days (2024 is a leap year)
    assert rules.first_assembly_due(date(2024, 1, 1), extended=True) == date(2024, 3, 31)


# -- art. 35: size and term -------------------------------------------------------------------------------------


@given(n=st.integers(0, 41))
def test_committee_size_qingdao(n: int) -> None:
    errors, warnings = rules.committee_size_problems(n, QINGDAO)
    assert (errors == []) == (n >= 3 and n % 2 == 1)
    assert (warnings != []) == (n == 3)  # valid under Qingdao, below Shandong's and the national 5


def test_committee_size_shandong_needs_five() -> None:
    assert rules.committee_size_problems(3, SHANDONG)[0]
    assert rules.committee_size_problems(5, SHANDONG) == ([], [])


def test_term_of_five_years_at_most() -> None:
    start = date(2020, 3, 1)
    assert rules.latest_term_end(start) == date(2025, 2, 28)
    assert rules.term_problems(start, date(2025, 2, 28)) == []
    assert rules.term_problems(start, date(2025, 3, 1))
    assert rules.term_problems(start, date(2020, 2, 29))


# -- art. 38: meetings -------------------------------------------------------------------------------------------


@given(members=st.integers(1, 21), present=st.integers(0, 21))
def test_quorum_more_than_half_qingdao_two_thirds_shandong(members: int, present: int) -> None:
    present = min(present, members)
    assert rules.meeting_quorate(present, members, QINGDAO) == (present * 2 > members)
    assert rules.meeting_quorate(present, members, SHANDONG) == (present * 3 >= members * 2)


def test_decision_counts_all_members_not_those_present() -> None:
    assert not rules.decision_passes(agree=3, members=7)  # 3 of 4 present, but not > half of 7
    assert rules.decision_passes(agree=4, members=7)
    assert not rules.decision_passes(agree=3, members=6)


# -- art. 41–43 and filing: deadlines and overdue steps ------------------------------------------------------------


def test_reelection_filing_handover_deadlines() -> None:
    end = date(2025, 6, 30)
    assert rules.reelection_due(end) == date(2025, 5, 1)
    assert rules.reelection_due(end, SHANDONG) == date(2025, 4, 1)
    assert rules.filing_due(date(2024, 1, 1)) == date(2024, 1, 31)
    assert rules.handover_due(date(2024, 1, 1)) == date(2024, 1, 11)


def test_overdue_steps_boundaries() -> None:
    applied = CaseDates(required=True, applied_on=date(2024, 1, 1))
    assert rules.overdue_steps(applied, date(2024, 1, 31)) == []  # the 30th day itself is still in time
    assert rules.overdue_steps(applied, date(2024, 2, 1)) == [(Step.PREP, date(2024, 1, 31))]
    assert rules.overdue_steps(CaseDates(required=True), TODAY) == [(Step.START, None)]
    elected = CaseDates(required=True, elected_on=date(2024, 1, 1), term_end=date(2029, 1, 1))
    assert rules.overdue_steps(elected, date(2024, 2, 1)) == [(Step.FILING, date(2024, 1, 31))]
    filed = CaseDates(elected_on=date(2020, 1, 1), filed_on=date(2020, 1, 5), term_end=date(2025, 1, 1))
    assert rules.overdue_steps(filed, date(2024, 11, 2)) == []
    assert rules.overdue_steps(filed, date(2024, 11, 3)) == [(Step.REELECT, date(2024, 11, 2))]
    extended = CaseDates(
        elected_on=date(2020, 1, 1),
        filed_on=date(2020, 1, 5),
        term_end=date(2025, 1, 1),
        term_extended_to=date(2025, 7, 1),
    )
    assert rules.overdue_steps(extended, date(2024, 11, 3)) == []
    handover = CaseDates(
        elected_on=date(2024, 1, 1),
        filed_on=date(2024, 1, 2),
        term_end=date(2029, 1, 1),
        previous_committee=True,
    )
    assert rules.overdue_steps(handover, date(2024, 1, 12)) == [(Step.HANDOVER, date(2024, 1, 11))]


def test_status_per_compound() -> None:
    s = rules.committee_status
    assert (
        s(required=False, preparing=False, has_committee=False, term_end=None, on=TODAY)
        == Status.NOT_REQUIRED
    )
    assert s(required=True, preparing=False, has_committee=False, term_end=None, on=TODAY) == Status.REQUIRED
    assert s(required=True, preparing=True, has_committee=False, term_end=None, on=TODAY) == Status.PREPARING
    assert s(required=True, preparing=False, has_committee=True, term_end=TODAY, on=TODAY) == Status.FORMED
    assert (
        s(required=True, preparing=False, has_committee=True, term_end=TODAY - timedelta(1), on=TODAY)
        == Status.EXPIRED
    )

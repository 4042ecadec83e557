"""The committee steps entered on a compound's page: done with a success message, refused with the rule's
Chinese message and nothing written, confirmation demanded before what cannot be undone."""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_CEILING, Decimal

import pytest
from django.test import Client
from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.cogovern import mapstatus, rules
from gongzhi.cogovern.models import AssemblyCase, CommitteeTerm, Organisation
from gongzhi.people.models import Person
from gongzhi.tests.factories import user_with

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def worker(tree) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user_with(Role.COMMUNITY_WORKER, tree.compounds[0].community, username="worker"))
    return client


def _post(client: Client, code: str, step: str, data: dict[str, object]):  # type: ignore[no-untyped-def]
    return client.post(
        f"/cogovern/c/{code}/steps/{step}/", {f"{step}-{k}": v for k, v in data.items()}, follow=True
    )


def _owners(compound) -> list[Person]:  # type: ignore[no-untyped-def]
    return list(Person.objects.filter(ownerships__home__compound=compound).distinct().order_by("pk"))


def _seats(people: list[Person], roles: list[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for i, (p, r) in enumerate(zip(people, roles, strict=False)):
        out[f"person_{i}"], out[f"role_{i}"] = p.pk, r
    return out


def test_the_application_is_recorded_and_the_map_follows(tree, worker) -> None:
    c = tree.compounds[0]
    page = _post(worker, c.code, "apply", {"applied_on": TODAY.isoformat()}).content.decode()
    assert "已记录业主申请" in page
    assert AssemblyCase.objects.get(compound=c).applied_on == TODAY
    (state,) = mapstatus.map_states(c.path)
    assert state.status in (rules.Status.PREPARING,)


def test_an_application_below_five_percent_is_refused_and_at_five_percent_recorded(tree, worker) -> None:
    c = tree.compounds[0]
    assert c.owners_total > 0 and c.total_area > 0
    owners = -(-c.owners_total // 20)  # the fewest owners that make 5% (第二十二条)
    area = (Decimal(c.total_area) / 20).quantize(Decimal("0.01"), rounding=ROUND_CEILING)
    below = {
        "applied_on": TODAY.isoformat(),
        "owners_applying": owners - 1,
        "area_applying": area - Decimal("0.01"),
    }
    page = _post(worker, c.code, "apply", below).content.decode()
    assert "均未达到小区的 5%" in page and not AssemblyCase.objects.filter(compound=c).exists()
    for enough in ({"owners_applying": owners}, {"area_applying": area}):
        AssemblyCase.objects.filter(compound=c).delete()
        page = _post(worker, c.code, "apply", {"applied_on": TODAY.isoformat(), **enough}).content.decode()
        assert "已记录业主申请" in page, enough


@pytest.mark.parametrize(
    ("value", "message"),
    [("2999-01-01", "申请日期不能晚于今天"), ("昨天", "有效的日期"), ("", "未保存")],
)
def test_a_bad_application_date_is_refused_and_nothing_written(tree, worker, value, message) -> None:
    c = tree.compounds[0]
    response = _post(worker, c.code, "apply", {"applied_on": value})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "未保存" in page
    assert not AssemblyCase.objects.filter(compound=c).exists()


def test_an_exemption_needs_the_confirmation(tree, worker) -> None:
    c = tree.compounds[0]
    page = _post(worker, c.code, "exempt", {"reason": "仅一名业主"}).content.decode()
    assert "未保存" in page and not AssemblyCase.objects.filter(compound=c).exists()
    page = _post(worker, c.code, "exempt", {"reason": "仅一名业主", "confirm": "on"}).content.decode()
    assert "无需成立业主大会" in page
    assert AssemblyCase.objects.get(compound=c).exempt_reason == "仅一名业主"


def test_an_election_follows_the_size_rule_then_filing_and_extension(tree, worker) -> None:
    c = tree.compounds[0]
    owners = _owners(c)
    dates = {
        "elected_on": (TODAY - timedelta(days=10)).isoformat(),
        "term_start": (TODAY - timedelta(days=10)).isoformat(),
        "term_end": rules.latest_term_end(TODAY - timedelta(days=10)).isoformat(),
        "confirm": "on",
    }
    page = _post(worker, c.code, "elect", {**dates, **_seats(owners[:2], ["chair", "member"])}).content
    assert "业主委员会应不少于 3 人" in page.decode() or "人数应为单数" in page.decode()
    assert not CommitteeTerm.objects.filter(compound=c).exists()
    twice = _seats([owners[0], owners[0], owners[1]], ["chair", "member", "member"])
    assert "重复填写" in _post(worker, c.code, "elect", {**dates, **twice}).content.decode()
    three = _seats(owners[:3], ["chair", "member", "member"])
    page = _post(worker, c.code, "elect", {**dates, **three}).content.decode()
    assert "已登记选举产生的业主委员会" in page and "委员少于 5 人" in page  # the Shandong warning
    term = CommitteeTerm.objects.get(compound=c)
    assert Organisation.objects.get(pk=term.committee_id).seats.count() == 3
    page = _post(worker, c.code, "filing", {"filed_on": TODAY.isoformat(), "filing_no": "BA-1"}).content
    assert "已保存" in page.decode()
    term.refresh_from_db()
    assert term.filed_on == TODAY and term.filing_no == "BA-1"
    early = (term.term_end - timedelta(days=1)).isoformat()
    page = _post(worker, c.code, "extend_term", {"term_extended_to": early, "confirm": "on"}).content
    assert "延长后的任期应晚于原任期结束日期" in page.decode()
    term.refresh_from_db()
    assert term.term_extended_to is None


def test_a_preparatory_group_follows_article_23(tree, worker) -> None:
    c = tree.compounds[0]
    people = _owners(c)
    page = _post(
        worker,
        c.code,
        "prep",
        {"formed_on": TODAY.isoformat(), **_seats(people[:3], ["leader", "owner", "party"])},
    ).content.decode()
    assert "筹备组应不少于 7 人" in page
    assert not AssemblyCase.objects.filter(compound=c).exists()


def test_viewers_see_no_forms_and_may_not_post(tree) -> None:
    c = tree.compounds[0]
    client = Client()
    client.force_login(user_with(Role.PARTY_SECRETARY, c))
    page = client.get(f"/cogovern/c/{c.code}/steps/").content.decode()
    assert "data-gz-step" not in page
    assert client.post(f"/cogovern/c/{c.code}/steps/apply/", {}).status_code == 403
    assert not AssemblyCase.objects.exists()


def test_unknown_step_and_picker_input(tree, worker) -> None:
    c = tree.compounds[0]
    assert worker.post(f"/cogovern/c/{c.code}/steps/nothing/", {}).status_code == 404
    owner = _owners(c)[0]
    found = worker.get(f"/cogovern/c/{c.code}/pick/owners/", {"q": owner.name}).json()["results"]
    assert owner.pk in [r["id"] for r in found]
    assert worker.get(f"/cogovern/c/{c.code}/pick/owners/", {"q": "x" * 80}).status_code == 400
    assert worker.get(f"/cogovern/c/{c.code}/pick/nobody/", {"q": "a"}).status_code == 404

"""Finance partners renamed and ended (issue 16 h16c item 1): the services with their history, the rules
(empty or too long a name, an end before the partnership began, ending twice), who may (the centre's
operator and the district, not another centre's operator nor a viewer), the page reached from the referrals
list with its query pin, another centre's partners unreachable whatever the id, and an ended partner no
longer offered for new referrals while its old referrals keep showing it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.centre import rules_referrals as rules
from gongzhi.centre import selectors_referrals, services
from gongzhi.centre import services_referrals as referrals
from gongzhi.centre.models import Enterprise, Industry, Referral
from gongzhi.centre.tests.helpers import make_centre
from gongzhi.organisations.models import Organisation
from gongzhi.tests.factories import SYSTEM, credit_code, load_divisions, user_with
from gongzhi.tests.queries import assert_queries

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def world() -> dict[str, Any]:
    d = load_divisions()
    a = make_centre(d["370202001001"])
    b = make_centre(d["370202009001"])
    ent = services.enterprise_register(
        actor=SYSTEM,
        centre=a.centre,
        name="青岛芯联科技有限公司",
        credit_code=credit_code(42),
        industry=Industry.objects.get(code="C"),
        kind=Enterprise.Kind.TECH_INDUSTRIAL,
    )
    bank = referrals.partner_create(actor=SYSTEM, centre=a.centre, kind="centre.bank", name="青岛示范银行")
    fund = referrals.partner_create(actor=SYSTEM, centre=a.centre, kind="centre.fund", name="蓝色产业基金")
    other = referrals.partner_create(actor=SYSTEM, centre=b.centre, kind="centre.bank", name="八大关银行")
    return {
        "d": d,
        "a": a.centre,
        "b": b.centre,
        "item": a.items[1],
        "ent": ent,
        "bank": bank,
        "fund": fund,
        "other": other,
        "operator": user_with(Role.OPERATOR, d["370202001001"], username="yunying"),
        "operator_b": user_with(Role.OPERATOR, d["370202009001"], username="yunying_b"),
        "owner": user_with(Role.BUILDING_OWNER, d["370202001001"], username="chanquan"),
        "bureau": user_with(Role.INVESTMENT_BUREAU, d["370202"], username="zhaoshang"),
    }


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _referral(w: dict[str, Any], partner: Organisation) -> Referral:
    req = services.service_request_file(
        actor=SYSTEM,
        enterprise=w["ent"],
        item=w["item"],
        detail="设备贷款",
        filed_on=TODAY - timedelta(days=2),
    )
    return referrals.referral_create(
        actor=SYSTEM, request=req, partner=partner, product="loan", amount_asked_yuan=Decimal("1000000")
    )


# --- rules (pure) -------------------------------------------------------------------------------------------


def test_rules_name_what_is_wrong() -> None:
    assert "机构名称" in rules.partner_name_problem("  ")
    assert "不超过100字" in rules.partner_name_problem("行" * 101)
    assert rules.partner_name_problem("行" * 100) == ""
    assert "不能早于开始合作日期" in rules.partner_end_problem(TODAY - timedelta(days=1), TODAY, None)
    assert rules.partner_end_problem(TODAY, TODAY, None) == ""
    assert rules.partner_end_problem(TODAY + timedelta(days=30), TODAY, None) == ""
    assert "已于" in rules.partner_end_problem(TODAY, TODAY, TODAY)


# --- services -----------------------------------------------------------------------------------------------


def test_rename_keeps_history_and_old_referrals_show_the_new_name(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    ref = _referral(w, w["bank"])
    referrals.partner_rename(actor=w["operator"], centre=w["a"], partner=w["bank"], name="  青岛西海岸银行 ")
    bank = Organisation.objects.get(pk=w["bank"].pk)
    assert bank.name == "青岛西海岸银行"
    last = bank.history.order_by("-history_id").first()  # type: ignore[attr-defined]
    assert last.history_user == w["operator"] and last.history_change_reason == "合作机构更名"
    assert last.prev_record.name == "青岛示范银行"
    assert Referral.objects.select_related("partner").get(pk=ref.pk).partner.name == "青岛西海岸银行"


def test_end_stops_new_referrals_but_old_ones_keep_their_partner(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    ref = _referral(w, w["bank"])
    referrals.partner_end(actor=w["bureau"], centre=w["a"], partner=w["bank"], on=TODAY)
    bank = Organisation.objects.get(pk=w["bank"].pk)
    assert bank.ended_on == TODAY
    assert bank.history.order_by("-history_id").first().history_change_reason == "终止合作"  # type: ignore[attr-defined]
    assert list(selectors_referrals.partners_for(w["a"])) == [w["fund"]]
    assert w["bank"] in selectors_referrals.partners_all(w["a"])
    assert selectors_referrals.referral_list(w["a"])[0].partner.name == "青岛示范银行"
    with pytest.raises(ValidationError, match="不是本服务中心的合作机构"):
        _referral(w, bank)
    assert Referral.objects.count() == 1
    # The pending referral still receives its partner's answer.
    referrals.referral_answer(
        actor=SYSTEM, referral=ref, result="approved", amount_approved_yuan=Decimal("5")
    )
    assert Referral.objects.get(pk=ref.pk).result == "approved"


def test_an_end_in_the_future_offers_the_partner_until_then(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    referrals.partner_end(
        actor=w["operator"], centre=w["a"], partner=w["fund"], on=TODAY + timedelta(days=10)
    )
    assert w["fund"] in selectors_referrals.partners_for(w["a"])


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "请填写机构名称"),
        ("   ", "请填写机构名称"),
        ("行" * 101, "不超过100字"),
        ("蓝色产业基金", "已登记"),
    ],
)
def test_a_bad_name_is_refused_and_nothing_written(world, name: str, message: str) -> None:  # type: ignore[no-untyped-def]
    w = world
    before = Organisation.history.count()  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match=message):
        referrals.partner_rename(actor=w["operator"], centre=w["a"], partner=w["bank"], name=name)
    assert Organisation.objects.get(pk=w["bank"].pk).name == "青岛示范银行"
    assert Organisation.history.count() == before  # type: ignore[attr-defined]


def test_an_end_before_the_start_or_twice_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    with pytest.raises(ValidationError, match="不能早于开始合作日期"):
        referrals.partner_end(
            actor=w["operator"], centre=w["a"], partner=w["bank"], on=TODAY - timedelta(days=1)
        )
    assert Organisation.objects.get(pk=w["bank"].pk).ended_on is None
    referrals.partner_end(actor=w["operator"], centre=w["a"], partner=w["bank"], on=TODAY)
    with pytest.raises(ValidationError, match="已于"):
        referrals.partner_end(actor=w["operator"], centre=w["a"], partner=w["bank"], on=TODAY)


def test_who_may_rename_and_end(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    for who in ("owner", "operator_b"):
        with pytest.raises(PermissionDenied):
            referrals.partner_rename(actor=w[who], centre=w["a"], partner=w["bank"], name="改名")
        with pytest.raises(PermissionDenied):
            referrals.partner_end(actor=w[who], centre=w["a"], partner=w["bank"])
    # Another centre's partner through this centre: refused whatever the actor may do here.
    with pytest.raises(ValidationError, match="不是本服务中心的合作机构"):
        referrals.partner_rename(actor=w["bureau"], centre=w["a"], partner=w["other"], name="改名")
    with pytest.raises(ValidationError, match="不是本服务中心的合作机构"):
        referrals.partner_end(actor=w["bureau"], centre=w["a"], partner=w["other"])
    assert Organisation.objects.get(pk=w["other"].pk).name == "八大关银行"
    referrals.partner_rename(actor=w["bureau"], centre=w["a"], partner=w["bank"], name="区级改名")


# --- pages --------------------------------------------------------------------------------------------------


def test_the_page_is_reached_from_the_referrals_list_and_pinned(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    c = _client(w["operator"])
    listing = c.get(f"/centre/{w['a'].pk}/referrals/")
    assert f"/centre/{w['a'].pk}/partners/" in listing.content.decode()
    c.get(f"/centre/{w['a'].pk}/partners/")  # warm the session and grants
    with assert_queries(7, label="partners page, 2 partners") as ctx:
        page = c.get(f"/centre/{w['a'].pk}/partners/")
    assert page.status_code == 200, ctx
    body = page.content.decode()
    assert "青岛示范银行" in body and "蓝色产业基金" in body and "八大关银行" not in body
    assert f"rename-{w['bank'].pk}" in body
    for i in range(6):
        referrals.partner_create(actor=SYSTEM, centre=w["a"], kind="centre.guarantor", name=f"担保公司{i}")
    _referral(w, w["bank"])
    with assert_queries(7, label="partners page, 8 partners"):
        assert c.get(f"/centre/{w['a'].pk}/partners/").status_code == 200
    # A viewer sees the list without the forms.
    viewer = _client(w["owner"]).get(f"/centre/{w['a'].pk}/partners/")
    assert viewer.status_code == 200 and "rename-" not in viewer.content.decode()


def test_rename_and_end_through_the_page(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    c = _client(w["operator"])
    base = f"/centre/{w['a'].pk}/partners/{w['bank'].pk}"
    r = c.post(f"{base}/rename/", {"name": "青岛西海岸银行"})
    assert r.status_code == 302
    r = c.post(f"{base}/end/", {"ends_on": TODAY.isoformat()})
    assert r.status_code == 302
    bank = Organisation.objects.get(pk=w["bank"].pk)
    assert bank.name == "青岛西海岸银行" and bank.ended_on == TODAY
    page = c.get(f"/centre/{w['a'].pk}/partners/").content.decode()
    assert "已终止" in page and f"end-{bank.pk}" not in page
    # Not offered on a finance request's page any more.
    req = services.service_request_file(actor=SYSTEM, enterprise=w["ent"], item=w["item"], detail="贷款")
    refer = c.get(f"/centre/r/{req.pk}/").content.decode()
    assert "蓝色产业基金" in refer and "青岛西海岸银行" not in refer


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("rename", {"name": ""}, "该字段是必填项"),
        ("rename", {"name": "   "}, "该字段是必填项"),
        ("rename", {"name": "行" * 101}, "100"),
        ("rename", {"name": "蓝色产业基金"}, "已登记"),
        ("rename", {}, "该字段是必填项"),
        ("end", {"ends_on": ""}, "该字段是必填项"),
        ("end", {"ends_on": "2026-02-30"}, "有效的日期"),
        ("end", {"ends_on": "<script>"}, "有效的日期"),
        ("end", {"ends_on": "1999-01-01"}, "不能早于开始合作日期"),
    ],
)
def test_hostile_posts_answer_400_and_write_nothing(
    world, action: str, data: dict[str, str], message: str
) -> None:  # type: ignore[no-untyped-def]
    w = world
    before = Organisation.history.count()  # type: ignore[attr-defined]
    r = _client(w["operator"]).post(f"/centre/{w['a'].pk}/partners/{w['bank'].pk}/{action}/", data)
    assert r.status_code == 400
    assert message in r.content.decode()
    bank = Organisation.objects.get(pk=w["bank"].pk)
    assert bank.name == "青岛示范银行" and bank.ended_on is None
    assert Organisation.history.count() == before  # type: ignore[attr-defined]


def test_no_id_reaches_another_centres_partner(world) -> None:  # type: ignore[no-untyped-def]
    """Every organisation id there is, and some that are not, through centre A's routes: only A's own
    partners answer; the rest is 404 and nothing is written."""
    w = world
    c = _client(w["operator"])
    own = {w["bank"].pk, w["fund"].pk}
    top = Organisation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    before = list(Organisation.objects.order_by("pk").values_list("pk", "name", "ended_on"))
    for pk in [*range(1, top + 3), 2**62]:
        if pk in own:
            continue
        for action, data in (("rename", {"name": "劫持"}), ("end", {"ends_on": TODAY.isoformat()})):
            r = c.post(f"/centre/{w['a'].pk}/partners/{pk}/{action}/", data)
            assert r.status_code == 404, (pk, action, r.status_code)
    # Centre B's own routes: the operator of A may not edit there.
    r = c.post(f"/centre/{w['b'].pk}/partners/{w['other'].pk}/rename/", {"name": "劫持"})
    assert r.status_code in (403, 404)
    r = _client(w["owner"]).post(f"/centre/{w['a'].pk}/partners/{w['bank'].pk}/rename/", {"name": "劫持"})
    assert r.status_code == 403
    assert list(Organisation.objects.order_by("pk").values_list("pk", "name", "ended_on")) == before


def test_the_ledger_keeps_an_ended_partners_referrals_and_refuses_new_ones(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Export → import stays a round trip after the partner ended; a new row naming it is refused."""
    from gongzhi.centre.ledger_referrals import SHEET
    from gongzhi.ledgers.base import Context
    from gongzhi.ledgers.importer import export_file, get_ledger, import_book
    from gongzhi.ledgers.xlsx import read_workbook

    w = world
    ref = _referral(w, w["bank"])
    referrals.partner_end(actor=w["operator"], centre=w["a"], partner=w["bank"], on=TODAY)
    ledger = get_ledger("centre_referrals")
    target = tmp_path / "referrals.xlsx"
    export_file(ledger, target, w["a"].path, w["operator"])
    raw = read_workbook(target)
    again = import_book(ledger, raw, Context(w["operator"]))
    assert again.ok and sum(again.counts.values()) == 0, again.errors
    row = list(raw[SHEET.name][1])
    row[SHEET.headers.index("推介编号")] = None  # the same request referred again, to the ended bank
    raw[SHEET.name].append(row)
    out = import_book(ledger, raw, Context(w["operator"]))
    assert not out.ok and any("已终止合作" in e.message for e in out.errors), out.errors
    assert list(Referral.objects.values_list("pk", flat=True)) == [ref.pk]

"""Finance referrals (issue 13 item 5): a finance request referred to a partner with its result; the figure
finance_arranged_yuan from approved referrals only; the request page and the centre's list, their query
pins, the enterprise contact's own view, the ledger and the API; every hostile input refused with a clear
message and nothing written."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from gongzhi.accounts.roles import Role
from gongzhi.centre import rules_referrals as rules
from gongzhi.centre import selectors, selectors_referrals, services
from gongzhi.centre import services_referrals as referrals
from gongzhi.centre.indicators import figures
from gongzhi.centre.ledger_referrals import SHEET
from gongzhi.centre.models import Enterprise, Industry, Referral, ServiceRequest
from gongzhi.centre.tests.helpers import make_centre
from gongzhi.insights.batch import Batch
from gongzhi.ledgers.base import Context
from gongzhi.ledgers.importer import export_file, get_ledger, import_book
from gongzhi.ledgers.xlsx import read_workbook
from gongzhi.tests.factories import SYSTEM, credit_code, load_divisions, user_with
from gongzhi.tests.queries import assert_queries

TODAY = timezone.localdate()
ASKED = Decimal("5000000")


# --- rules (pure) -------------------------------------------------------------------------------------------


@given(
    asked=st.decimals(min_value=1, max_value=10**9, places=2),
    ratio=st.decimals(min_value=0, max_value=2, places=2),
)
def test_an_approval_is_at_most_the_amount_asked(asked: Decimal, ratio: Decimal) -> None:
    approved = (asked * ratio).quantize(Decimal("0.01"))
    problem = rules.result_problem(
        "approved",
        asked=asked,
        approved=approved,
        reason="",
        referred_on=TODAY,
        answered_on=TODAY,
        today=TODAY,
    )
    assert (problem == "") == (Decimal(0) < approved <= asked), (asked, approved, problem)


@given(reason=st.text(max_size=5), days=st.integers(min_value=-3, max_value=3))
def test_a_refusal_needs_its_reason_and_an_answer_lies_between_referral_and_today(
    reason: str, days: int
) -> None:
    referred = TODAY - timedelta(days=1)
    answered = referred + timedelta(days=days)
    problem = rules.result_problem(
        "declined",
        asked=ASKED,
        approved=None,
        reason=reason,
        referred_on=referred,
        answered_on=answered,
        today=TODAY,
    )
    ok = bool(reason.strip()) and referred <= answered <= TODAY
    assert (problem == "") == ok, (reason, days, problem)


def test_rules_name_what_is_wrong() -> None:
    args: dict[str, Any] = {"asked": ASKED, "referred_on": TODAY, "answered_on": TODAY, "today": TODAY}
    assert "批准金额" in rules.result_problem("withdrawn", approved=Decimal(1), reason="", **args)
    assert "请选择结果" in rules.result_problem("pending", approved=None, reason="", **args)
    assert rules.result_problem("withdrawn", approved=None, reason="", **args) == ""
    assert "金融类" in rules.request_problem("government", "open")
    assert "已办结" in rules.request_problem("finance", "done")
    assert rules.answer_overdue("pending", TODAY - timedelta(days=1), TODAY)
    assert not rules.answer_overdue("approved", TODAY - timedelta(days=1), TODAY)
    assert not rules.answer_overdue("pending", TODAY, TODAY)


# --- services -----------------------------------------------------------------------------------------------


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    divisions = load_divisions()
    made = make_centre(divisions["370202001001"])
    ent = services.enterprise_register(
        actor=SYSTEM,
        centre=made.centre,
        name="青岛芯联科技有限公司",
        credit_code=credit_code(42),
        industry=Industry.objects.get(code="C"),
        kind=Enterprise.Kind.TECH_INDUSTRIAL,
    )
    contact = user_with(Role.ENTERPRISE_CONTACT, divisions["370202001001"], username="qiye")
    ent.contacts.add(contact)
    operator = user_with(Role.OPERATOR, divisions["370202001001"], username="yunying")
    owner = user_with(Role.BUILDING_OWNER, divisions["370202001001"], username="chanquan")
    bank = referrals.partner_create(
        actor=operator, centre=made.centre, kind="centre.bank", name="青岛示范银行"
    )
    fund = referrals.partner_create(
        actor=operator, centre=made.centre, kind="centre.fund", name="示范产业基金"
    )
    loan = services.service_request_file(
        actor=SYSTEM,
        enterprise=ent,
        item=made.items[1],
        detail="流动资金贷款",
        filed_on=TODAY - timedelta(days=40),
    )
    return {
        "made": made,
        "enterprise": ent,
        "contact": contact,
        "operator": operator,
        "owner": owner,
        "bank": bank,
        "fund": fund,
        "loan": loan,
        "divisions": divisions,
    }


def _refer(w: dict[str, Any], amount: Decimal = ASKED, partner: str = "bank", **kw: Any) -> Referral:
    return referrals.referral_create(
        actor=w["operator"],
        request=w["loan"],
        partner=w[partner],
        product="loan",
        amount_asked_yuan=amount,
        referred_on=kw.get("on", TODAY - timedelta(days=10)),
    )


def test_a_referral_walks_to_its_result_and_the_figure_counts_approvals_only(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    first = _refer(w)
    second = _refer(w, Decimal("3000000"), partner="fund")
    assert (
        first.officer == w["operator"]
        and first.result == "pending"
        and first.answer_due_on > first.referred_on
    )
    assert first.path == w["loan"].path and first.enterprise == w["enterprise"]
    with pytest.raises(ValidationError, match="待合作机构答复"):  # the request waits for its partners
        services.service_request_answer(actor=w["operator"], request=w["loan"], outcome="已放款")
    referrals.referral_answer(
        actor=w["operator"], referral=first, result="approved", amount_approved_yuan=Decimal("4000000")
    )
    referrals.referral_answer(
        actor=w["operator"], referral=second, result="declined", reason="估值未达成一致"
    )
    with pytest.raises(ValidationError, match="已有结果"):
        referrals.referral_answer(actor=w["operator"], referral=first, result="withdrawn")
    path = w["made"].centre.path
    assert selectors.service_figures(path)["finance_yuan"] == 4_000_000
    district = w["divisions"]["370202"]
    got = figures(Batch((w["made"].centre.division, district)))
    assert {p: got[p]["finance_arranged_yuan"] for p in got} == {
        w["made"].centre.division.path: 4_000_000,
        district.path: 4_000_000,
    }
    first.refresh_from_db()
    assert [h.result for h in first.history.order_by("history_id")] == ["pending", "approved"]  # type: ignore[attr-defined]
    assert first.history.latest().history_user == w["operator"]  # type: ignore[attr-defined]
    services.service_request_answer(actor=w["operator"], request=w["loan"], outcome="已放款")


def test_who_may_refer_and_answer(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    with pytest.raises(PermissionDenied):
        referrals.referral_create(
            actor=w["owner"], request=w["loan"], partner=w["bank"], product="loan", amount_asked_yuan=ASKED
        )
    r = _refer(w)
    with pytest.raises(PermissionDenied):  # the contact may withdraw, not approve
        referrals.referral_answer(
            actor=w["contact"], referral=r, result="approved", amount_approved_yuan=ASKED
        )
    stranger = user_with(Role.ENTERPRISE_CONTACT, w["divisions"]["370202001001"])
    with pytest.raises(PermissionDenied):
        referrals.referral_answer(actor=stranger, referral=r, result="withdrawn")
    referrals.referral_answer(actor=w["contact"], referral=r, result="withdrawn", reason="已通过其他渠道融资")
    r.refresh_from_db()
    assert r.result == "withdrawn" and r.answered_on == TODAY


@pytest.mark.parametrize(
    ("change", "word"),
    [
        ({"amount": Decimal(0)}, "大于0"),
        ({"amount": Decimal("-5")}, "大于0"),
        ({"amount": Decimal("1e20")}, "大于0"),
        ({"on": TODAY + timedelta(days=1)}, "晚于今天"),
        ({"on": TODAY - timedelta(days=400)}, "早于诉求提出日期"),
        ({"item": 0}, "金融类"),
        ({"partner": "other"}, "不是本服务中心的合作机构"),
        ({"product": "gift"}, "融资品种"),
    ],
)
def test_a_bad_referral_is_refused_and_nothing_written(world, change: dict[str, Any], word: str) -> None:  # type: ignore[no-untyped-def]
    w = world
    request = w["loan"]
    if "item" in change:
        request = services.service_request_file(
            actor=SYSTEM, enterprise=w["enterprise"], item=w["made"].items[0], detail="开办"
        )
    partner = w["bank"]
    if change.get("partner") == "other":
        elsewhere = make_centre(w["divisions"]["370202001002"], rooms=0)
        partner = referrals.partner_create(
            actor=SYSTEM, centre=elsewhere.centre, kind="centre.bank", name="他处银行"
        )
    with pytest.raises(ValidationError, match=word):
        referrals.referral_create(
            actor=w["operator"],
            request=request,
            partner=partner,
            product=change.get("product", "loan"),
            amount_asked_yuan=change.get("amount", ASKED),
            referred_on=change.get("on", TODAY),
        )
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("result", "amount", "reason", "days", "word"),
    [
        ("approved", None, "", 0, "批准金额"),
        ("approved", ASKED + 1, "", 0, "不能超过申请金额"),
        ("declined", None, " ", 0, "须填写原因"),
        ("declined", Decimal(5), "不符", 0, "只有批准"),
        ("withdrawn", None, "", -30, "早于推介日期"),
        ("approved", ASKED, "", 2, "晚于今天"),
        ("bogus", None, "", 0, "请选择结果"),
    ],
)
def test_a_bad_result_is_refused_and_nothing_written(world, result, amount, reason, days, word) -> None:  # type: ignore[no-untyped-def]
    r = _refer(world)
    with pytest.raises(ValidationError, match=word):
        referrals.referral_answer(
            actor=world["operator"],
            referral=r,
            result=result,
            amount_approved_yuan=amount,
            reason=reason,
            answered_on=TODAY + timedelta(days=days),
        )
    r.refresh_from_db()
    assert r.result == "pending" and r.history.count() == 1  # type: ignore[attr-defined]


def test_partners_are_organisations_covering_the_centre(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    assert {p.name for p in referrals.partners_for(w["made"].centre)} == {"青岛示范银行", "示范产业基金"}
    assert (
        w["bank"].kind == "centre.bank" and w["bank"].coverages.get().path == w["made"].centre.division.path
    )
    for kind, name, word in [
        ("centre.bank", "青岛示范银行", "已登记"),
        ("gift", "x", "机构类型"),
        ("centre.fund", " ", "名称"),
    ]:
        with pytest.raises(ValidationError, match=word):
            referrals.partner_create(actor=w["operator"], centre=w["made"].centre, kind=kind, name=name)
    with pytest.raises(PermissionDenied):
        referrals.partner_create(actor=w["owner"], centre=w["made"].centre, kind="centre.bank", name="新银行")


# --- pages --------------------------------------------------------------------------------------------------


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_request_page_refers_and_records_the_result(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    op = _client(w["operator"])
    url = f"/centre/r/{w['loan'].pk}/"
    page = op.get(url)
    assert page.status_code == 200 and "推介给合作机构" in page.content.decode()
    posted = op.post(
        f"{url}refer/",
        {
            "partner": w["bank"].pk,
            "product": "loan",
            "amount_asked_yuan": "5000000",
            "referred_on": TODAY.isoformat(),
        },
    )
    assert posted.status_code == 302
    r = Referral.objects.get()
    done = op.post(
        f"/centre/rf/{r.pk}/answer/",
        {
            "result": "approved",
            "answered_on": TODAY.isoformat(),
            "amount_approved_yuan": "4500000",
            "reason": "",
        },
    )
    assert done.status_code == 302
    body = op.get(url).content.decode()
    assert "已批准" in body and "4,500,000.00" in body
    listed = op.get(f"/centre/{w['made'].centre.pk}/referrals/?result=approved").content.decode()
    assert "青岛芯联科技有限公司" in listed and "4,500,000" in listed


@pytest.mark.parametrize(
    "data",
    [
        {"amount_asked_yuan": "abc"},
        {"amount_asked_yuan": "1e30"},
        {"amount_asked_yuan": "-5"},
        {"amount_asked_yuan": "NaN"},
        {"referred_on": "昨天"},
        {"referred_on": "2999-01-01"},
        {"partner": "999999999999999999999"},
        {"partner": "abc"},
        {"product": "<script>"},
    ],
)
def test_hostile_referral_forms_answer_400_and_write_nothing(world, data: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    w = world
    post = {
        "partner": w["bank"].pk,
        "product": "loan",
        "amount_asked_yuan": "100",
        "referred_on": TODAY.isoformat(),
    }
    r = _client(w["operator"]).post(f"/centre/r/{w['loan'].pk}/refer/", {**post, **data})
    assert (
        r.status_code == 400 and "alert-danger" in r.content.decode()
    ) or "invalid-feedback" in r.content.decode()
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"result": "approved", "amount_approved_yuan": "x"},
        {"result": "approved", "amount_approved_yuan": "99999999"},
        {"result": "approved"},
        {"result": "declined"},
        {"result": "pending"},
        {"result": "withdrawn", "answered_on": "2025-13-01"},
        {"result": "withdrawn", "reason": "x" * 201},
    ],
)
def test_hostile_result_forms_answer_400_and_write_nothing(world, data: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    w = world
    r = _refer(w)
    post = {"answered_on": TODAY.isoformat(), **data}
    got = _client(w["operator"]).post(f"/centre/rf/{r.pk}/answer/", post)
    assert got.status_code == 400
    r.refresh_from_db()
    assert r.result == "pending" and r.history.count() == 1  # type: ignore[attr-defined]


def test_the_contact_sees_its_own_and_may_only_withdraw(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    r = _refer(w)
    mine = _client(w["contact"])
    body = mine.get(f"/centre/r/{w['loan'].pk}/").content.decode()
    assert "青岛示范银行" in body and "撤回" in body and "推介给合作机构" not in body
    assert (
        mine.post(
            f"/centre/rf/{r.pk}/answer/",
            {"result": "approved", "answered_on": TODAY.isoformat(), "amount_approved_yuan": "1"},
        ).status_code
        == 403
    )
    assert Referral.objects.get().result == "pending"
    assert mine.get(f"/centre/{w['made'].centre.pk}/referrals/").status_code == 403
    stranger = user_with(Role.ENTERPRISE_CONTACT, w["divisions"]["370202001001"])
    assert _client(stranger).get(f"/centre/r/{w['loan'].pk}/").status_code in (403, 404)
    other = user_with(Role.ENTERPRISE_CONTACT, w["divisions"]["370203005001"])
    assert _client(other).get(f"/centre/r/{w['loan'].pk}/").status_code == 404
    ok = mine.post(
        f"/centre/rf/{r.pk}/answer/",
        {"result": "withdrawn", "answered_on": TODAY.isoformat(), "reason": "不再需要"},
    )
    assert ok.status_code == 302 and Referral.objects.get().result == "withdrawn"


def test_the_list_filters_by_partner_result_and_overdue_answer(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    old = _refer(w, on=TODAY - timedelta(days=30))  # 15 working days have passed: overdue
    new = _refer(w, partner="fund", on=TODAY)
    assert old.answer_due_on < TODAY <= new.answer_due_on
    op = _client(w["operator"])
    base = f"/centre/{w['made'].centre.pk}/referrals/"

    def ids(query: str) -> set[int]:
        rows = selectors_referrals.referral_list(w["made"].centre, **query)  # type: ignore[arg-type]
        page = op.get(base, {k: ("1" if v is True else v) for k, v in query.items()})  # type: ignore[attr-defined]
        assert page.status_code == 200
        html = page.content.decode()
        assert all(f'data-referral="{r.pk}"' in html for r in rows)
        return {r.pk for r in rows}

    assert ids({}) == {old.pk, new.pk}  # type: ignore[arg-type]
    assert ids({"partner": w["fund"].pk}) == {new.pk}  # type: ignore[arg-type]
    assert ids({"overdue": True}) == {old.pk}  # type: ignore[arg-type]
    assert ids({"result": "approved"}) == set()  # type: ignore[arg-type]
    for hostile in (
        {"partner": "x"},
        {"result": "<b>"},
        {"after": "bad"},
        {"after": "2025-01-01_99999999999999999999999"},
    ):
        assert op.get(base, hostile).status_code == 200


def test_pages_cost_fixed_queries(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    op = _client(w["operator"])

    referrals.referral_create(  # by a system actor (an import, the demo): no officer to show
        actor=SYSTEM, request=w["loan"], partner=w["bank"], product="loan", amount_asked_yuan=ASKED
    )

    def pages() -> None:
        with assert_queries(7, label="request page"):
            assert op.get(f"/centre/r/{w['loan'].pk}/").status_code == 200
        with assert_queries(7, label="referrals"):
            assert op.get(f"/centre/{w['made'].centre.pk}/referrals/").status_code == 200

    _refer(w)
    pages()
    for _ in range(6):
        referrals.referral_answer(actor=SYSTEM, referral=_refer(w), result="declined", reason="不符")
    _refer(w, partner="fund")
    pages()


# --- API and ledger -----------------------------------------------------------------------------------------


def test_the_api_lists_referrals_in_scope(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    r = _refer(w)
    got = _client(w["owner"]).get("/api/v1/centre/referrals/").json()
    rows = got["results"] if isinstance(got, dict) else got
    assert [(x["id"], x["partner"], x["result"]) for x in rows] == [(r.pk, "青岛示范银行", "pending")]
    outsider = user_with(Role.OPERATOR, w["divisions"]["370203005001"])
    assert _client(outsider).get(f"/api/v1/centre/referrals/{r.pk}/").status_code == 404


def _book(*rows: dict[str, Any]) -> dict[str, list[list[Any]]]:
    return {SHEET.name: [SHEET.headers, *[[row.get(h, "") for h in SHEET.headers] for row in rows]]}


def _row(w: dict[str, Any], **over: Any) -> dict[str, Any]:
    return {
        "诉求编号": w["loan"].pk,
        "统一社会信用代码": w["enterprise"].credit_code,
        "合作机构": "青岛示范银行",
        "融资品种": "贷款",
        "申请金额（元）": "2000000",
        "推介日期": (TODAY - timedelta(days=5)).isoformat(),
        **over,
    }


def test_the_ledger_imports_referrals_and_results_and_round_trips(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    w = world
    ledger = get_ledger("centre_referrals")
    out = import_book(
        ledger,
        _book(
            _row(w),
            _row(
                w,
                合作机构="示范产业基金",
                融资品种="产业基金",
                结果="已批准",
                答复日期=TODAY.isoformat(),
                **{"批准金额（元）": "1500000"},
            ),
        ),
        Context(w["operator"]),
    )
    assert out.ok, out.errors
    assert out.counts == {"新增推介": 2, "登记结果": 0}
    assert selectors.service_figures(w["made"].centre.path)["finance_yuan"] == 1_500_000
    target = tmp_path / "referrals.xlsx"
    export_file(ledger, target, w["made"].centre.path, w["operator"])
    raw = read_workbook(target)
    again = import_book(ledger, raw, Context(w["operator"]))
    assert again.ok and sum(again.counts.values()) == 0, (again.errors, again.counts)
    pending = next(r for r in raw[SHEET.name][1:] if r[SHEET.headers.index("结果")] in ("", None))
    pending[SHEET.headers.index("结果")] = "未获批准"
    pending[SHEET.headers.index("答复日期")] = TODAY.isoformat()
    pending[SHEET.headers.index("原因")] = "抵押物不足"
    answered = import_book(ledger, raw, Context(w["operator"]))
    assert answered.ok and answered.counts == {"新增推介": 0, "登记结果": 1}, answered.errors
    assert Referral.objects.filter(result="declined", reason="抵押物不足").count() == 1
    assert Referral.objects.get(result="declined").history.latest().history_user == w["operator"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("over", "column", "word"),
    [
        ({"诉求编号": "999999"}, "诉求编号", "不存在"),
        ({"统一社会信用代码": credit_code(43)}, "统一社会信用代码", "不符"),
        ({"合作机构": "不存在的银行"}, "合作机构", "合作机构"),
        ({"融资品种": "众筹"}, "融资品种", "应为以下之一"),
        ({"申请金额（元）": "-1"}, "申请金额（元）", "大于0"),
        ({"申请金额（元）": "abc"}, "申请金额（元）", "金额"),
        ({"推介日期": "2999-01-01"}, "诉求编号", "晚于今天"),
        ({"结果": "已批准", "答复日期": TODAY.isoformat(), "批准金额（元）": "3000000"}, "结果", "不能超过"),
        ({"结果": "未获批准", "答复日期": TODAY.isoformat()}, "结果", "原因"),
        ({"结果": "已撤回", "批准金额（元）": "5"}, "批准金额（元）", "只有批准"),
        ({"推介编号": "12345"}, "推介编号", "不存在"),
    ],
)
def test_a_bad_ledger_row_is_named_and_nothing_written(
    world, over: dict[str, Any], column: str, word: str
) -> None:  # type: ignore[no-untyped-def]
    w = world
    out = import_book(get_ledger("centre_referrals"), _book(_row(w), _row(w, **over)), Context(w["operator"]))
    assert not out.ok
    assert any(e.column == column and word in e.message and e.row == 3 for e in out.errors), out.errors
    assert not Referral.objects.exists()


def test_the_ledger_refuses_a_building_owner_and_changing_a_result(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    out = import_book(get_ledger("centre_referrals"), _book(_row(w)), Context(w["owner"]))
    assert not out.ok and not Referral.objects.exists()
    r = _refer(w)
    referrals.referral_answer(actor=SYSTEM, referral=r, result="declined", reason="不符")
    row = _row(
        w,
        推介编号=r.pk,
        申请金额="",
        **{"申请金额（元）": str(ASKED), "推介日期": r.referred_on.isoformat()},
        结果="已批准",
        答复日期=TODAY.isoformat(),
    )
    row["批准金额（元）"] = "100"
    out = import_book(get_ledger("centre_referrals"), _book(row), Context(w["operator"]))
    assert not out.ok and any("已有结果" in e.message for e in out.errors), out.errors


def test_the_request_list_links_each_request_to_its_page(world) -> None:  # type: ignore[no-untyped-def]
    body = _client(world["contact"]).get("/centre/requests/").content.decode()
    assert f'href="/centre/r/{world["loan"].pk}/"' in body
    assert ServiceRequest.objects.count() == 1

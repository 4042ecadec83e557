"""The one-stop catalogue written through services (issue 16 h16c item 2): create, update and retire with
their history rows; the rules and every hostile post (400, the reason, nothing written); who may; the page
with its query pin; another centre's items unreachable; a retired item not offered for new requests while
its open requests go on; and no code but services_items writes a ServiceItem."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.centre import rules, services
from gongzhi.centre.models import Enterprise, Industry, ServiceItem
from gongzhi.centre.services_items import (
    NewItem,
    service_item_create,
    service_item_retire,
    service_item_update,
)
from gongzhi.centre.tests.helpers import make_centre
from gongzhi.tests.factories import SYSTEM, credit_code, load_divisions, user_with
from gongzhi.tests.queries import assert_queries

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
ROOT = Path(__file__).resolve().parents[3]


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
    contact = user_with(Role.ENTERPRISE_CONTACT, d["370202001001"], username="qiye")
    ent.contacts.add(contact)
    return {
        "a": a,
        "b": b,
        "ent": ent,
        "contact": contact,
        "operator": user_with(Role.OPERATOR, d["370202001001"], username="yunying"),
        "operator_b": user_with(Role.OPERATOR, d["370202009001"], username="yunying_b"),
        "owner": user_with(Role.BUILDING_OWNER, d["370202001001"], username="chanquan"),
        "bureau": user_with(Role.INVESTMENT_BUREAU, d["370202"], username="zhaoshang"),
    }


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_rules_name_each_problem() -> None:
    cats = ServiceItem.Category.values
    ok: dict[str, Any] = {
        "category": "finance",
        "categories": cats,
        "name": "科技信贷",
        "handler": "合作银行",
        "limit_days": 10,
    }
    assert rules.service_item_problems(**ok) == []
    assert rules.service_item_problems(**{**ok, "limit_days": rules.ITEM_LIMIT_MAX}) == []
    cases: list[tuple[dict[str, Any], str]] = [
        ({"category": "oil"}, "请选择类别"),
        ({"name": " "}, "事项名称"),
        ({"name": "事" * 41}, "不超过40字"),
        ({"handler": ""}, "承办部门"),
        ({"limit_days": 0}, "时限"),
        ({"limit_days": rules.ITEM_LIMIT_MAX + 1}, "时限"),
        ({"limit_days": None}, "时限"),
    ]
    for change, words in cases:
        problems = rules.service_item_problems(**{**ok, **change})
        assert len(problems) == 1 and words in problems[0], (change, problems)


def test_create_update_retire_write_history_naming_the_user(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    centre = w["a"].centre
    item = service_item_create(
        actor=w["operator"], centre=centre, item=NewItem("talent", " 人才公寓 ", "区住房保障中心", 7)
    )
    assert item.name == "人才公寓" and item.path == centre.path
    first = item.history.get()  # type: ignore[attr-defined]
    assert first.history_user == w["operator"] and first.history_change_reason == "登记服务事项"
    service_item_update(
        actor=w["bureau"], item=item, change=NewItem("talent", "人才公寓申请", "区住房保障中心", 10)
    )
    item.refresh_from_db()
    assert (item.name, item.limit_days) == ("人才公寓申请", 10)
    service_item_retire(actor=w["operator"], item=item)
    item.refresh_from_db()
    assert item.retired_on == TODAY
    reasons = list(item.history.order_by("history_id").values_list("history_change_reason", flat=True))  # type: ignore[attr-defined]
    assert reasons == ["登记服务事项", "修改服务事项", "停办服务事项"]
    with pytest.raises(ValidationError, match="已于"):
        service_item_retire(actor=w["operator"], item=item)


def test_a_retired_item_is_not_offered_but_its_open_requests_go_on(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    loan = w["a"].items[1]
    req = services.service_request_file(actor=w["contact"], enterprise=w["ent"], item=loan, detail="贷款")
    service_item_retire(actor=w["operator"], item=loan)
    loan.refresh_from_db()
    with pytest.raises(ValidationError, match="已停办"):
        services.service_request_file(actor=w["contact"], enterprise=w["ent"], item=loan, detail="再贷款")
    page = _client(w["contact"]).get("/centre/requests/").content.decode()
    assert f'value="{loan.pk}"' not in page and f'value="{w["a"].items[0].pk}"' in page
    services.service_request_answer(actor=w["operator"], request=req, outcome="已放款")


def test_who_may_maintain_the_catalogue(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    item = w["a"].items[0]
    for who in ("owner", "operator_b", "contact"):
        with pytest.raises(PermissionDenied):
            service_item_create(
                actor=w[who], centre=w["a"].centre, item=NewItem("finance", "新事项", "银行", 5)
            )
        with pytest.raises(PermissionDenied):
            service_item_update(actor=w[who], item=item, change=NewItem("finance", "新事项", "银行", 5))
        with pytest.raises(PermissionDenied):
            service_item_retire(actor=w[who], item=item)
    assert ServiceItem.objects.count() == 6 and ServiceItem.history.count() == 6  # type: ignore[attr-defined]


def test_the_page_and_its_query_pin(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    centre = w["a"].centre
    c = _client(w["operator"])
    assert f"/centre/{centre.pk}/items/" in c.get(f"/centre/{centre.pk}/").content.decode()
    c.get(f"/centre/{centre.pk}/items/")
    with assert_queries(5, label="catalogue, 3 items"):
        page = c.get(f"/centre/{centre.pk}/items/")
    body = page.content.decode()
    assert "企业开办" in body and f"edit-{w['a'].items[0].pk}" in body and "new-item" in body
    for i in range(7):
        service_item_create(actor=SYSTEM, centre=centre, item=NewItem("government", f"事项{i}", "审批局", 3))
    services.service_request_file(
        actor=w["contact"], enterprise=w["ent"], item=w["a"].items[0], detail="办照"
    )
    with assert_queries(5, label="catalogue, 10 items"):
        assert c.get(f"/centre/{centre.pk}/items/").status_code == 200
    viewer = _client(w["owner"]).get(f"/centre/{centre.pk}/items/").content.decode()
    assert "企业开办" in viewer and "edit-" not in viewer and "new-item" not in viewer


def test_the_forms_write_through_the_services(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    centre = w["a"].centre
    c = _client(w["operator"])
    r = c.post(
        f"/centre/{centre.pk}/items/new/",
        {"category": "talent", "name": "人才公寓", "handler": "区住房保障中心", "limit_days": "7"},
    )
    assert r.status_code == 302
    item = ServiceItem.objects.get(name="人才公寓")
    assert item.history.get().history_user == w["operator"]  # type: ignore[attr-defined]
    r = c.post(
        f"/centre/item/{item.pk}/edit/",
        {"category": "talent", "name": "人才公寓", "handler": "区住房保障中心", "limit_days": "9"},
    )
    assert r.status_code == 302 and ServiceItem.objects.get(pk=item.pk).limit_days == 9
    assert c.post(f"/centre/item/{item.pk}/retire/").status_code == 302
    assert ServiceItem.objects.get(pk=item.pk).retired_on == TODAY
    again = c.post(f"/centre/item/{item.pk}/retire/")
    assert again.status_code == 400 and "已于" in again.content.decode()


GOOD = {"category": "talent", "name": "人才公寓", "handler": "区住房保障中心", "limit_days": "7"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": ""}, "该字段是必填项"),
        ({"name": "事" * 41}, "40"),
        ({"handler": "   "}, "该字段是必填项"),
        ({"category": "oil"}, "选择一个有效的选项"),
        ({"limit_days": "0"}, "1"),
        ({"limit_days": "251"}, "250"),
        ({"limit_days": "三天"}, "整数"),
        ({"limit_days": "99999999999999999999999"}, "250"),
        ({"name": "企业开办"}, "已在目录中"),
    ],
)
def test_hostile_posts_answer_400_and_write_nothing(world, change: dict[str, str], message: str) -> None:  # type: ignore[no-untyped-def]
    w = world
    centre, item = w["a"].centre, w["a"].items[2]
    c = _client(w["operator"])
    before = ServiceItem.history.count()  # type: ignore[attr-defined]
    r = c.post(f"/centre/{centre.pk}/items/new/", {**GOOD, **change})
    assert r.status_code == 400 and message in r.content.decode(), r.content.decode()[-2000:]
    r = c.post(f"/centre/item/{item.pk}/edit/", {**GOOD, **change})
    assert r.status_code == 400 and message in r.content.decode()
    assert ServiceItem.history.count() == before  # type: ignore[attr-defined]
    assert ServiceItem.objects.get(pk=item.pk).name == "人才住房"


def test_no_id_reaches_another_centres_item(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    c = _client(w["operator"])
    own = {i.pk for i in w["a"].items}
    top = ServiceItem.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    before = list(ServiceItem.objects.order_by("pk").values_list("pk", "name", "retired_on"))
    for pk in [*range(1, top + 3), 2**62]:
        if pk in own:
            continue
        assert c.post(f"/centre/item/{pk}/edit/", GOOD).status_code == 404, pk
        assert c.post(f"/centre/item/{pk}/retire/").status_code == 404, pk
    assert c.post(f"/centre/{w['b'].centre.pk}/items/new/", GOOD).status_code in (403, 404)
    assert list(ServiceItem.objects.order_by("pk").values_list("pk", "name", "retired_on")) == before


def test_no_code_but_the_services_writes_a_service_item() -> None:
    """ServiceItem rows are made only by services_items (the demo and the test helper call it too)."""
    writes = re.compile(
        r"(?<!class )ServiceItem\(|ServiceItem\.objects\.(create|bulk_create|update|get_or_create)"
    )
    found = []
    for path in (ROOT / "gongzhi").rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if "/migrations/" in rel or rel.endswith(("centre/services_items.py", "centre/tests/test_items.py")):
            continue
        if writes.search(path.read_text(encoding="utf-8")):
            found.append(rel)
    assert found == [], found

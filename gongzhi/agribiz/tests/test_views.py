"""The pages: a town registers and the county's count rises; hostile forms and query strings answer in
Chinese and write nothing; scope (404 outside, 403 without the right); filters, keyset pages, query pins."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from gongzhi.agribiz.models import CoopProfile, CoopReport, FamilyFarm
from gongzhi.agribiz.tests.kit import (
    JIAOZHOU_VILLAGE,
    OTHER_TOWN_VILLAGE,
    VILLAGE,
    credit_code,
    id_number,
    make_coop,
    make_farm,
    make_world,
)
from gongzhi.insights.registry import values
from gongzhi.tests.queries import assert_queries

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def _coop_form(**kw: str) -> dict[str, object]:
    data: dict[str, object] = {
        "village": VILLAGE,
        "name": "平度市郭家疃樱桃专业合作社",
        "credit_code": credit_code(),
        "rep_name": "张伟",
        "rep_id_number": id_number(),
        "founded_on": "2019-04-01",
        "members_count": "8",
        "land_mu": "260.5",
        "products": ["fruit"],
        "grade": "city",
        "grade_year": "2023",
    }
    data.update(kw)
    return data


def test_town_registers_a_cooperative_files_its_report_and_the_county_count_rises() -> None:
    w = make_world()
    pingdu = w.d["370283"]
    before = values(pingdu)["cooperatives"]
    r = _client(w.town_staff).post("/agribiz/coops/new/", _coop_form(), follow=True)
    assert "已登记合作社" in r.content.decode()
    profile = CoopProfile.objects.get()
    assert values(pingdu)["cooperatives"] == before + 1
    assert values(pingdu)["cooperatives_city"] == 1
    assert profile.organisation.coverages.get().division == w.d[VILLAGE]
    assert profile.organisation.seats.get().role == "legal_rep"
    report = {
        "year": "2025",
        "members": "9",
        "revenue_yuan": "1200000",
        "surplus_returned_yuan": "80000",
        "land_mu": "260",
    }
    r = _client(w.cadre).post(f"/agribiz/coops/{profile.pk}/report/", report, follow=True)
    assert "已报送2025年度报告" in r.content.decode()
    assert CoopReport.objects.get().revenue_yuan == 1_200_000
    page = _client(w.county).get(f"/agribiz/coops/{profile.pk}/").content.decode()
    assert "张*" in page and "张伟" not in page  # the legal representative, masked


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("credit_code", "93370283000000001X", "GB 32100"),
        ("credit_code", "<script>alert(1)</script>", "统一社会信用代码"),
        ("rep_id_number", "370283198001011235", "校验码"),
        ("members_count", "4", "第十二条"),
        ("members_count", "abc", "整数"),
        ("land_mu", "-5", "0"),
        ("founded_on", "2019-02-30", "日期"),
        ("village", "370281001201", "管辖范围"),
        ("village", "'; DROP TABLE x; --", "村"),
        ("grade_year", "2099", "晚于今年"),
    ],
)
def test_hostile_coop_form_answers_in_chinese_and_writes_nothing(
    field: str, value: str, message: str
) -> None:
    w = make_world()
    r = _client(w.town_staff).post("/agribiz/coops/new/", _coop_form(**{field: value}))
    assert r.status_code == 200
    assert message in r.content.decode()
    assert not CoopProfile.objects.exists()


def test_a_duplicate_credit_code_is_refused() -> None:
    w = make_world()
    code = make_coop(w.d[VILLAGE]).credit_code
    r = _client(w.town_staff).post("/agribiz/coops/new/", _coop_form(credit_code=code))
    assert "已登记" in r.content.decode()
    assert CoopProfile.objects.count() == 1


def test_hostile_farm_and_report_forms() -> None:
    w = make_world()
    c = _client(w.town_staff)
    farm = {
        "village": VILLAGE,
        "code": "JT-1",
        "name": "禾丰家庭农场",
        "operator_name": "李四",
        "operator_id_number": id_number(),
        "registered_on": "2020-01-01",
        "land_own_mu": "0",
        "land_transferred_mu": "0",
        "labour": "0",
    }
    page = c.post("/agribiz/farms/new/", farm).content.decode()
    assert "应有经营土地" in page and not FamilyFarm.objects.exists()
    done = c.post("/agribiz/farms/new/", {**farm, "land_own_mu": "10", "labour": "2"}, follow=True)
    assert "已登记家庭农场" in done.content.decode()
    x = FamilyFarm.objects.get()
    assert x.credit_code is None  # optional for 个体
    for year in ("2026", "abc", ""):
        r = c.post(
            f"/agribiz/farms/{x.pk}/report/",
            {"year": year, "revenue_yuan": "1", "land_mu": "1", "labour": "1"},
        )
        assert r.status_code == 200 and not x.reports.exists()


def test_scope_other_town_404_cadre_403_on_edit() -> None:
    w = make_world()
    mine, theirs = make_coop(w.d[VILLAGE]), make_coop(w.d[OTHER_TOWN_VILLAGE])
    c = _client(w.town_staff)
    assert c.get(f"/agribiz/coops/{mine.pk}/").status_code == 200
    assert c.get(f"/agribiz/coops/{theirs.pk}/").status_code == 404
    listing = c.get("/agribiz/coops/").content.decode()
    assert mine.organisation.name in listing and theirs.organisation.name not in listing
    assert _client(w.cadre).get(f"/agribiz/coops/{mine.pk}/edit/").status_code == 403
    assert _client(w.cadre).get("/agribiz/coops/new/").status_code == 403
    api = _client(w.town_staff).get("/api/v1/agribiz/cooperatives/").json()
    assert [row["credit_code"] for row in api["results"]] == [mine.credit_code]
    # An id beyond 64 bits (the API fuzzer's find: SQLite overflowed on the foreign-key key) is a plain 404.
    assert _client(w.town_staff).get("/api/v1/agribiz/cooperatives/99999999999999999999/").status_code == 404


def test_filters_keyset_pages_and_hostile_query_strings() -> None:
    w = make_world()
    graded = make_coop(w.d[VILLAGE], grade="provincial", grade_year=2020)
    plain = make_coop(w.d[OTHER_TOWN_VILLAGE], products=[])
    CoopReport.objects.create(
        coop=graded,
        path=graded.path,
        year=2025,
        members=12,
        revenue_yuan=1,
        surplus_returned_yuan=0,
        land_mu=1,
        filed_on=date(2026, 3, 1),
    )
    c = _client(w.county)
    page = c.get("/agribiz/coops/?grade=provincial").content.decode()
    assert graded.organisation.name in page and plain.organisation.name not in page
    page = c.get("/agribiz/coops/?product=fruit").content.decode()
    assert graded.organisation.name in page and plain.organisation.name not in page
    page = c.get("/agribiz/coops/?missing=1").content.decode()
    assert graded.organisation.name not in page and plain.organisation.name in page
    page = c.get("/agribiz/coops/?place=370283122").content.decode()
    assert graded.organisation.name not in page and plain.organisation.name in page
    page = c.get(f"/agribiz/coops/?after={graded.pk}").content.decode()
    assert graded.organisation.name not in page and plain.organisation.name in page
    for q in ("place=abc", "after=-1", "after=9" * 30, "grade=%00", "product=../../", "missing=yes"):
        # a NUL byte is refused by the platform's middleware (400); nothing answers 500
        assert c.get(f"/agribiz/coops/?{q}").status_code in (200, 400)
        assert c.get(f"/agribiz/farms/?{q}").status_code in (200, 400)


def test_comparison_page_counts_each_district() -> None:
    w = make_world()
    for _ in range(3):
        make_coop(w.d[VILLAGE])
    make_coop(w.d[JIAOZHOU_VILLAGE], credit_code=credit_code("93370281"))
    make_farm(w.d[JIAOZHOU_VILLAGE])
    page = _client(w.town_staff).get("/agribiz/compare/").content.decode()
    assert page.index("平度市") < page.index("胶州市")
    assert values(w.d["370281"])["family_farms"] == 1
    assert values(w.d["370283"])["cooperatives"] == 3


def test_query_counts_stay_fixed_with_more_rows() -> None:
    w = make_world()
    c = _client(w.county)
    c.get("/agribiz/")  # warm the session and the content types
    for n in (1, 6):
        for _ in range(n):
            p = make_coop(w.d[VILLAGE])
            make_farm(w.d[OTHER_TOWN_VILLAGE])
        # session, user, grants; products, list page, the page's reports
        with assert_queries(6, label="coops"):
            c.get("/agribiz/coops/?grade=&product=")
        with assert_queries(6, label="farms"):
            c.get("/agribiz/farms/")
        # session, user, grants; the profile with village, town, rep; products, members, reports
        with assert_queries(7, label="coop"):
            c.get(f"/agribiz/coops/{p.pk}/")
        # session, user, grants; the place, its towns; one grouped query per registry for the towns and
        # one for the place
        with assert_queries(9, label="home"):
            c.get("/agribiz/")


def test_farm_edit_keeps_history_refuses_bad_input_and_is_scoped() -> None:
    w = make_world()
    x = make_farm(w.d[VILLAGE])
    theirs = make_farm(w.d[OTHER_TOWN_VILLAGE])
    c = _client(w.town_staff)
    form = {
        "name": "平度市郭家疃禾丰家庭农场",
        "land_own_mu": "20",
        "land_transferred_mu": "300.5",
        "labour": "4",
        "products": ["grain", "veg"],
        "grade": "city",
        "grade_year": "2024",
    }
    page = c.get(f"/agribiz/farms/{x.pk}/").content.decode()
    assert f"/agribiz/farms/{x.pk}/edit/" in page
    before = x.history.count()
    for bad, message in (
        ({"land_own_mu": "0", "land_transferred_mu": "0"}, "应有经营土地"),
        ({"labour": "0"}, "至少1人"),
        ({"grade_year": "2099"}, "晚于今年"),
        ({"land_own_mu": "abc"}, "数"),
        ({"name": "   "}, "必填"),
    ):
        r = c.post(f"/agribiz/farms/{x.pk}/edit/", {**form, **bad})
        assert r.status_code == 200 and message in r.content.decode(), bad
        assert x.history.count() == before
    done = c.post(f"/agribiz/farms/{x.pk}/edit/", form, follow=True)
    assert "已保存" in done.content.decode()
    x.refresh_from_db()
    assert (x.name, x.labour, x.grade, str(x.land_transferred_mu)) == (form["name"], 4, "city", "300.50")
    assert sorted(p.code for p in x.products.all()) == ["grain", "veg"]
    assert x.history.count() == before + 1
    assert x.history.first().history_user_id == w.town_staff.pk  # type: ignore[union-attr]
    assert c.get(f"/agribiz/farms/{theirs.pk}/edit/").status_code == 404
    assert _client(w.cadre).get(f"/agribiz/farms/{x.pk}/edit/").status_code == 403
    assert "修改档案" not in _client(w.cadre).get(f"/agribiz/farms/{x.pk}/").content.decode()


def test_reports_api_is_scoped() -> None:
    from decimal import Decimal

    from gongzhi.agribiz import services
    from gongzhi.tests.factories import SYSTEM

    w = make_world()
    year = date.today().year - 1
    mine, theirs = make_farm(w.d[VILLAGE]), make_farm(w.d[OTHER_TOWN_VILLAGE])
    reports = [
        services.farm_report_file(
            actor=SYSTEM, farm=f, year=year, revenue_yuan=9_000, land_mu=Decimal(10), labour=2
        )
        for f in (mine, theirs)
    ]
    coop = make_coop(w.d[VILLAGE])
    services.coop_report_file(
        actor=SYSTEM,
        profile=coop,
        year=year,
        members=12,
        revenue_yuan=1,
        surplus_returned_yuan=0,
        land_mu=Decimal(1),
    )
    c = _client(w.town_staff)
    got = c.get("/api/v1/agribiz/farm-reports/").json()["results"]
    assert [(r["farm"], r["revenue_yuan"]) for r in got] == [(mine.pk, 9_000)]
    assert c.get(f"/api/v1/agribiz/farm-reports/{reports[1].pk}/").status_code == 404
    assert [r["coop"] for r in c.get("/api/v1/agribiz/coop-reports/").json()["results"]] == [coop.pk]

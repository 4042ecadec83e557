from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.campaign.tests.helpers import add_target, make_campaign
from gongzhi.core.actors import system
from gongzhi.core.pdf import pdf_page_png, pdf_text
from gongzhi.dashboard import sandbox, selectors, services
from gongzhi.dashboard.models import BulletinTemplate, Snapshot
from gongzhi.insights.registry import catalogue, values
from gongzhi.places.models import Division
from gongzhi.tests.factories import user_with

pytestmark = pytest.mark.django_db
SYSTEM = system("test")


def test_snapshot_twice_a_day_does_not_double(tree):
    services.snapshots_take(actor=SYSTEM)
    first = Snapshot.objects.count()
    divisions = Division.objects.count()
    assert first >= divisions  # every division has its figures
    services.snapshots_take(actor=SYSTEM)
    assert Snapshot.objects.count() == first
    today = timezone.localdate()
    shinan = tree.d("370202")
    stored = dict(Snapshot.objects.filter(place_code="370202", taken_on=today).values_list("code", "value"))
    assert set(stored) == {f.code for f in catalogue("district")}
    live = values(shinan)
    assert (
        stored["homes_total"] == live["homes_total"] and stored["compounds_total"] == live["compounds_total"]
    )


def test_history_and_year_ago(tree):
    campaign = make_campaign(tree)
    add_target(campaign, tree.compounds[0])
    today = timezone.localdate()
    services.snapshots_take(actor=SYSTEM, on=today - timedelta(days=365))
    services.snapshots_take(actor=SYSTEM, on=today)
    points = selectors.history("370202")["campaign_targets"]
    assert [p[1] for p in points] == [1.0, 1.0] and points[0][0] == today - timedelta(days=365)
    day, ago = selectors.year_ago("370202", today)
    assert day == today - timedelta(days=365) and ago["campaign_targets"] == 1.0


def test_a_user_cannot_snapshot_the_whole_city(tree):
    admin = user_with(Role.DISTRICT_ADMIN, tree.d("370202"))
    with pytest.raises(Exception, match=""):
        services.snapshots_take(actor=admin)
    assert not Snapshot.objects.exists()


def test_dashboard_page_shows_the_catalogue_and_drills_down(client, tree):
    client.force_login(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    page = client.get(reverse("dashboard:place", args=["370202"]))
    assert page.status_code == 200
    html = page.content.decode()
    for f in catalogue("district"):
        assert f.label_zh in html
    assert reverse("dashboard:place", args=["370202001"]) in html
    compound = tree.compounds[0]
    assert client.get(reverse("dashboard:place", args=[compound.code])).status_code == 200
    assert client.get(reverse("dashboard:place", args=["370203"])).status_code == 404
    assert client.get(reverse("dashboard:home")).status_code == 302


def test_bulletin_in_four_formats(client, tree):
    from docx import Document
    from openpyxl import load_workbook

    campaign = make_campaign(tree)
    add_target(campaign, tree.compounds[0])
    add_target(campaign, tree.compounds[1])
    client.force_login(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    url = reverse("dashboard:bulletin", args=["370202"])
    live = values(tree.d("370202"))
    html = client.get(url).content.decode()
    assert f"排定攻坚目标{live['campaign_targets']}个" in html and "<svg" in html
    pdf = client.get(url, {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "红色物业工作简报" in text and f"共有小区{live['compounds_total']}个" in text.replace("\n", "")
    assert "香港中路街道" in text  # the table by subdistrict
    png = pdf_page_png(pdf.content)
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    docx = client.get(url, {"format": "docx"})
    doc = Document(io.BytesIO(docx.content))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert f"排定攻坚目标{live['campaign_targets']}个" in body
    table = doc.tables[0]
    assert table.rows[0].cells[0].text == "名称" and len(table.rows) == 1 + len(
        selectors.children(tree.d("370202"))
    )
    assert doc.inline_shapes  # the chart
    xlsx = client.get(url, {"format": "xlsx"})
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book["简报"]["A1"].value == "红色物业工作简报"
    assert book["分地区"]["A1"].value == "名称"


def test_bulletin_for_a_past_date_reads_the_snapshot(client, tree):
    past = timezone.localdate() - timedelta(days=40)
    services.snapshots_take(actor=SYSTEM, on=past)
    Snapshot.objects.filter(place_code="370202", code="compounds_total", taken_on=past).update(value=999)
    client.force_login(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    html = client.get(
        reverse("dashboard:bulletin", args=["370202"]), {"date": past.isoformat()}
    ).content.decode()
    assert "共有小区999个" in html and "快照数据" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"format": "exe"}, "不支持的格式"),
        ({"date": "2024-13-45"}, "日期格式"),
        ({"date": (date.today() + timedelta(days=9)).isoformat()}, "将来"),
    ],
)
def test_bulletin_bad_query(client, tree, query, message):
    client.force_login(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    page = client.get(reverse("dashboard:bulletin", args=["370202"]), query)
    assert page.status_code == 400 and message in page.content.decode()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{% load static %}{% static 'x' %}", "模板有误"),
        ("{% debug %}", "模板有误"),
        ("{% include 'base.html' %}", "模板有误"),
        ("{% extends 'base.html' %}", "模板有误"),
        ("{% if %}", "模板有误"),
        ("x" * 6000, "超过"),
    ],
)
def test_template_sandbox_refuses(tree, body, message):
    with pytest.raises(ValidationError, match=message):
        services.bulletin_template_save(
            actor=SYSTEM, division=tree.d("370202"), title="t", body=body,
            table_figures=["homes_total"], chart_figure="homes_total",
        )  # fmt: skip
    assert not BulletinTemplate.objects.filter(division__isnull=False).exists()


def test_template_sandbox_sees_only_its_context():
    out = sandbox.render_body(
        "{{ f.x|pct }} {{ f.y|num }} {{ f.missing|num }} {{ g }} <b>", {"f": {"x": 0.8909, "y": 3372}}
    )
    assert out == "89.09% 3,372 —  <b>"
    assert sandbox.render_body("{{ f.s }}", {"f": {"s": "<script>"}}) == "&lt;script&gt;"
    with pytest.raises(ValidationError, match="underscores"):
        sandbox.render_body("{{ f.__class__ }}", {"f": {}})


def test_a_district_edits_its_template(client, tree):
    admin = user_with(Role.DISTRICT_ADMIN, tree.d("370202"))
    client.force_login(admin)
    url = reverse("dashboard:bulletin_template", args=["370202"])
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {
            "title": "简报",
            "body": "{% load x %}",
            "table_figures": ["homes_total"],
            "chart_figure": "homes_total",
        },
    )
    assert bad.status_code == 200 and "模板有误" in bad.content.decode()
    bad = client.post(
        url, {"title": "简报", "body": "x", "table_figures": ["nope"], "chart_figure": "homes_total"}
    )
    assert bad.status_code == 200 and not BulletinTemplate.objects.filter(division__isnull=False).exists()
    ok = client.post(
        url,
        {
            "title": "市南简报",
            "body": "房屋{{ f.homes_total|num }}套。",
            "table_figures": ["homes_total"],
            "chart_figure": "homes_total",
        },
    )
    assert ok.status_code == 302
    html = client.get(reverse("dashboard:bulletin", args=["370202"])).content.decode()
    assert f"房屋{values(tree.d('370202'))['homes_total']}套。" in html and "市南简报" in html
    # Another district still uses the default.
    assert selectors.bulletin_template(tree.d("370203")).division is None

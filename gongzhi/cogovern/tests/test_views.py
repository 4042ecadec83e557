"""The map (page, GeoJSON, A3 PDF), the card, the lists, the figures and the demo step."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from PIL import Image

from gongzhi.accounts.roles import Role
from gongzhi.cogovern.models import CommitteeTerm, CommunityMap, Organisation
from gongzhi.cogovern.svgmap import render_svg
from gongzhi.cogovern.tests.kit import build_kit
from gongzhi.core.pdf import pdf_page_png, pdf_text
from gongzhi.demo.cogovern import build_cogovern
from gongzhi.insights.registry import values
from gongzhi.places.geo import rectangle
from gongzhi.places.models import Compound
from gongzhi.places.services import compound_create
from gongzhi.tests.factories import SYSTEM, make_compound, user_with
from gongzhi.tests.queries import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(tree) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user_with(Role.DISTRICT_ADMIN, tree.d("370202"), username="admin"))
    return client


def grow(tree, n: int) -> None:  # type: ignore[no-untyped-def]
    community = tree.d("370202001001")
    for i in range(n):
        make_compound(
            community,
            f"新建小区{Compound.objects.count()}",
            buildings=1,
            units=1,
            floors=1,
            per_floor=1,
            outline=rectangle(120.30 + 0.003 * i, 36.05, 0.002, 0.0015),
        )


def spread(tree) -> None:  # type: ignore[no-untyped-def]
    """The factories draw every compound on one rectangle; put each on its own (test set-up only)."""
    for i, c in enumerate(tree.compounds):
        Compound.objects.filter(pk=c.pk).update(outline=rectangle(120.33 + 0.004 * i, 36.06, 0.003, 0.002))


def test_geojson_has_every_outline_with_its_layers_at_a_constant_query_count(tree, admin_client) -> None:
    build_kit(tree.compounds[0])
    url = "/cogovern/map/370202001001/data.geojson"
    with count_queries() as few:
        data = admin_client.get(url).json()
    assert len(data["features"]) == Compound.objects.filter(path__under=tree.d("370202001001").path).count()
    props = {f["properties"]["code"]: f["properties"] for f in data["features"]}
    first = props[tree.compounds[0].code]
    assert (first["committee"], first["red"], first["management"]) == ("formed", "red", "professional")
    assert first["url"].endswith(f"/cogovern/c/{tree.compounds[0].code}/")
    grow(tree, 6)
    with count_queries() as many:
        assert len(admin_client.get(url).json()["features"]) == 8
    assert len(many) == len(few)


def test_map_page_shows_counts_and_its_query_count_does_not_grow(tree, admin_client) -> None:
    with count_queries() as few:
        page = admin_client.get("/cogovern/map/370202/").content.decode()
    assert 'data-gz-count="committee:required"' in page and "物管地图" in page
    grow(tree, 5)
    with count_queries() as many:
        admin_client.get("/cogovern/map/370202/")
    assert len(many) == len(few)


def test_the_a3_pdf_is_drawn_from_the_outlines(tree, admin_client) -> None:
    spread(tree)
    build_kit(tree.compounds[0])
    response = admin_client.get("/cogovern/map/370202001001/a3.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in [
        "云霄路社区 物管地图",
        "物业管理方式",
        "业委会状态",
        "红色物业",
        "金门路小区",
        "云霄花园",
        "已成立",
    ]:
        assert expected in text
    image = Image.open(io.BytesIO(pdf_page_png(response.content, 0, 0.5)))
    assert image.width > image.height  # A3 landscape
    assert len(image.convert("RGB").getcolors(1 << 20) or []) > 10  # coloured outlines, not a blank page


def test_a_malformed_outline_is_refused_and_a_stored_bad_one_never_breaks_the_print(tree) -> None:
    with pytest.raises(ValidationError, match="Polygon"):
        compound_create(
            actor=SYSTEM, community=tree.d("370202001001"), name="坏边界", outline={"type": "Point"}
        )
    with pytest.raises(ValidationError, match="有效的多边形"):
        bowtie = {
            "type": "Polygon",
            "coordinates": [[[120, 36], [120.1, 36.1], [120.1, 36], [120, 36.1], [120, 36]]],
        }
        compound_create(actor=SYSTEM, community=tree.d("370202001001"), name="坏边界", outline=bowtie)
    good = {
        "type": "Feature",
        "geometry": rectangle(120.3, 36.0, 0.01, 0.01),
        "properties": {"name": "<b>甲</b>", "red": "red"},
    }
    broken = {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": "x"},
        "properties": {"name": "乙"},
    }
    svg = render_svg([good, broken], {"red": "#c62828"}, "red")
    assert svg.count("<path") == 1 and "&lt;b&gt;甲" in svg and "#c62828" in svg


def test_card_marks_what_is_missing(tree, admin_client) -> None:
    page = admin_client.get(f"/cogovern/c/{tree.compounds[1].code}/").content.decode()
    assert "缺项" in page and "业主委员会" in page and "共治参与方（N）" in page
    build_kit(tree.compounds[0])
    page = admin_client.get(f"/cogovern/c/{tree.compounds[0].code}/").content.decode()
    assert "测试物业" in page and "测试志愿服务队" in page and "138****1111" in page


@pytest.mark.parametrize("query", ["year=abc", "quarter=9", "year=1900", "year=99999999999999999999"])
def test_red_black_list_bad_query_is_404_not_500(admin_client, query: str) -> None:
    assert admin_client.get(f"/cogovern/redblack/370202/?{query}").status_code == 404


def test_api_refuses_a_bad_credit_code_with_a_message(tree, admin_client) -> None:
    before = Organisation.objects.count()
    response = admin_client.post(
        "/api/v1/cogovern/companies/",
        data=json.dumps(
            {"name": "某物业", "credit_code": "913702020000000010", "compound": tree.compounds[0].code}
        ),
        content_type="application/json",
    )
    assert response.status_code == 400 and "校验位" in response.json()["detail"]
    assert Organisation.objects.count() == before


def test_figures_come_from_the_rows(tree) -> None:
    district = tree.d("370202")
    v = values(district)
    required = v["owners_committee_required"]
    assert required == 4 and v["owners_committee_formed"] == 0  # four compounds of 市南区, all delivered
    build_kit(tree.compounds[0])
    v = values(district)
    assert v["owners_committee_formed"] == 1 and v["owners_committee_rate"] == 0.25
    assert v["property_companies"] == 1 and v["red_property_companies"] == 1
    assert v["contracts_expiring_90d"] == 1 and v["community_maps"] == 0
    assert values(tree.compounds[0])["owners_committee_formed"] == 1
    assert values(tree.compounds[1])["owners_committee_formed"] == 0


def test_demo_step_reaches_the_source_share_through_the_rule_and_is_idempotent(tree) -> None:
    for i in range(12):
        make_compound(tree.d("370202001002"), f"演示小区{i}", buildings=1, units=1, floors=2, per_floor=2)
    result = build_cogovern(seed=1, district_code="370202")
    assert result.created and result.maps == 4
    v = values(tree.d("370202"))
    assert v["owners_committee_required"] == result.required
    assert v["owners_committee_formed"] == result.formed == round(result.required * 196 / 220)
    assert v["community_maps"] == CommunityMap.objects.count() == 4
    terms = CommitteeTerm.objects.count()
    assert not build_cogovern(seed=1, district_code="370202").created
    assert CommitteeTerm.objects.count() == terms

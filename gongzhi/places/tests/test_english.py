"""Refusals and ledger row errors in the reader's language: the place services refuse in the active language
(English for an English request or job, the same Chinese as before otherwise); the homes ledger's row errors
are written in the language of the request that queued the import, whatever language the worker runs in."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from gongzhi.accounts.roles import Role
from gongzhi.ledgers.tests.speaking import messages, run_import
from gongzhi.places import services
from gongzhi.places.ledger import HOMES, OWNERS
from gongzhi.places.models import Building, Home
from gongzhi.tests.factories import SYSTEM, user_with

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "refusal"),
    [
        ("en", "Units 1–20, floors 1–80, homes per floor 1–12"),
        ("zh-hans", "单元 1–20，层数 1–80，每层户数 1–12"),
    ],
)
def test_a_building_refused_by_the_service_reads_in_the_active_language(  # type: ignore[no-untyped-def]
    tree, language: str, refusal: str
) -> None:
    before = Building.objects.count()
    with translation.override(language), pytest.raises(ValueError) as refused:
        services.building_create_with_homes(
            actor=SYSTEM,
            compound=tree.compounds[0],
            number="9号楼",
            units=0,
            floors=3,
            per_floor=2,
            area=Decimal(80),
        )
    assert str(refused.value) == refusal
    assert Building.objects.count() == before


@pytest.mark.parametrize(
    ("language", "no_compound", "same_home"),
    [
        (
            "en",
            "No compound has the code 370202999999999 (register the compound on the area page first)",
            "The same home as row 2",
        ),
        ("zh-hans", "没有编码为 370202999999999 的小区（请先在区域页面登记小区）", "与第 2 行是同一套房屋"),
    ],
)
def test_the_homes_ledgers_row_errors_read_in_the_job_requesters_language(  # type: ignore[no-untyped-def]
    tree, tmp_path, language: str, no_compound: str, same_home: str
) -> None:
    user = user_with(Role.DISTRICT_ADMIN, tree.d("370202"))
    code = tree.compounds[0].code
    before = Home.objects.count()
    homes = [
        [code, "5号楼", 1, "101", 1, "88.50", "是"],
        [code, "5号楼", 1, "101", 1, "90", "是"],
        ["370202999999999", "1号楼", 1, "101", 1, "88.50", "是"],
    ]
    job = run_import(tmp_path, user, "homes", [(HOMES, homes), (OWNERS, [])], language)
    assert sorted(messages(job)) == sorted([f"房屋/3/房号: {same_home}", f"房屋/4/小区编码: {no_compound}"])
    assert Home.objects.count() == before

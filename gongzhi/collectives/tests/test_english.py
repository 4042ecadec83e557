"""Refusals and ledger row errors in the reader's language: a collectives service refuses in the active
language (English for an English request or job, the same Chinese as before otherwise); the 三资 ledger's row
errors are written in the language of the request that queued the import, whatever the worker's language."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from gongzhi.collectives import services
from gongzhi.collectives.ledger import ASSETS, CONTRACTS, ENTRIES, RESOURCES
from gongzhi.collectives.models import Asset, Collective
from gongzhi.collectives.tests.kit import World, make_world
from gongzhi.ledgers.tests.speaking import messages, run_import
from gongzhi.tests.factories import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    return make_world()


@pytest.mark.parametrize(
    ("language", "refusal"),
    [
        ("en", "A village collective can only be set up in a village (or community)"),
        ("zh-hans", "村集体经济组织只能建在村（社区）"),
    ],
)
def test_a_collective_refused_by_the_service_reads_in_the_active_language(
    w: World, language: str, refusal: str
) -> None:
    before = Collective.objects.count()
    with translation.override(language), pytest.raises(ValidationError) as refused:
        services.collective_create(actor=SYSTEM, village=w.d["370283001"])  # a town, not a village
    assert refused.value.messages == [refusal]
    assert Collective.objects.count() == before


@pytest.mark.parametrize(
    ("language", "amount", "village"),
    [
        (
            "en",
            "Should be a positive whole number (yuan)",
            "Village code 370283122201 does not exist or is outside your area",
        ),
        ("zh-hans", "应为正整数（元）", "村代码 370283122201 不存在或不在您的管理范围内"),
    ],
)
def test_the_ledgers_row_errors_read_in_the_job_requesters_language(  # type: ignore[no-untyped-def]
    w: World, tmp_path, language: str, amount: str, village: str
) -> None:
    assets = [
        ["370283001203", "新仓库", "设施", "十万", ""],
        ["370283122201", "越界仓库", "设施", "1000", ""],  # another village's: not the cadre's
    ]
    before = Asset.objects.count()
    sheets = [(ASSETS, assets), (RESOURCES, []), (ENTRIES, []), (CONTRACTS, [])]
    job = run_import(tmp_path, w.cadre, "collectives", sheets, language)
    assert sorted(messages(job)) == sorted([f"资产/2/账面价值（元）: {amount}", f"资产/3/村代码: {village}"])
    assert Asset.objects.count() == before

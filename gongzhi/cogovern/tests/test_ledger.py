"""The property ledger: bad credit codes and cells refused with a clear message, nothing written; a good
file writes through the services; export → import changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from gongzhi.accounts.roles import Role
from gongzhi.cogovern.ledger import COMPANIES, CONTRACTS
from gongzhi.cogovern.models import CompanyProfile, Contract
from gongzhi.cogovern.tests.kit import credit_code
from gongzhi.ledgers.base import Context
from gongzhi.ledgers.importer import get_ledger, import_book
from gongzhi.tests.factories import user_with

pytestmark = pytest.mark.django_db


def book(companies: list[dict[str, Any]], contracts: list[dict[str, Any]]) -> dict[str, list[list[Any]]]:
    return {
        COMPANIES.name: [COMPANIES.headers, *[[r.get(h, "") for h in COMPANIES.headers] for r in companies]],
        CONTRACTS.name: [CONTRACTS.headers, *[[r.get(h, "") for h in CONTRACTS.headers] for r in contracts]],
    }


def rows(tree, code: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:  # type: ignore[no-untyped-def]
    c = tree.compounds[0].code
    return (
        [
            {
                "企业名称": "青岛某物业服务有限公司",
                "统一社会信用代码": code,
                "企业党组织": "某物业党支部",
                "服务小区编码": c,
            }
        ],
        [
            {
                "统一社会信用代码": code,
                "小区编码": c,
                "合同开始": "2024-01-01",
                "合同到期": "2026-12-31",
                "物业费（元/㎡·月）": "1.5",
                "服务范围": "全体",
            }
        ],
    )


@pytest.mark.parametrize(("code", "word"), [("91370202000000001X", "校验位"), ("9137", "18 位")])
def test_bad_credit_codes_are_refused_and_nothing_written(tree, code: str, word: str) -> None:
    companies, contracts = rows(tree, code)
    outcome = import_book(get_ledger("property_companies"), book(companies, contracts), Context(None))
    assert not outcome.ok
    assert any(e.column == "统一社会信用代码" and word in e.message for e in outcome.errors), outcome.errors
    assert not CompanyProfile.objects.exists() and not Contract.objects.exists()


def test_bad_cells_and_places_outside_the_importer_are_refused(tree) -> None:
    companies, contracts = rows(tree, credit_code(7))
    contracts[0].update({"物业费（元/㎡·月）": "abc", "合同到期": "明年"})
    companies[0]["服务小区编码"] = tree.compounds[-1].code  # 市北区: outside a 市南区 worker's places
    worker = user_with(Role.COMMUNITY_WORKER, tree.d("370202001001"))
    outcome = import_book(get_ledger("property_companies"), book(companies, contracts), Context(worker))
    columns = {e.column for e in outcome.errors}
    assert {"物业费（元/㎡·月）", "合同到期", "服务小区编码"} <= columns, outcome.errors
    assert not CompanyProfile.objects.exists()


def test_import_then_export_round_trip(tree) -> None:
    companies, contracts = rows(tree, credit_code(8))
    ledger = get_ledger("property_companies")
    outcome = import_book(ledger, book(companies, contracts), Context(None))
    assert outcome.ok and outcome.counts == {"物业企业": 1, "物业服务合同": 1}
    exported = {
        spec.name: [spec.headers, *list(body)] for spec, body in ledger.export(tree.d("370202").path, None)
    }
    assert exported[COMPANIES.name][1][:2] == ["青岛某物业服务有限公司", credit_code(8)]
    again = import_book(ledger, exported, Context(None))
    assert again.ok and again.counts == {"物业企业": 0, "物业服务合同": 0}

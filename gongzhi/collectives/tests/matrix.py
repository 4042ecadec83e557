"""Samples of 三资 supervision for the generated permission matrix: in each side's community (the matrix world's
village) a collective with an asset, a resource, an account and entry, a contract and a decision, built
through the services."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gongzhi.collectives import services
from gongzhi.collectives.models import Account, Asset, Collective, Contract, Decision, Entry, Resource
from gongzhi.core.actors import system
from gongzhi.tests.matrix import Filler, Sample

SYS = system("matrix")


def _build(side: Any, tag: int) -> dict[str, Any]:
    village = side.community
    services.settings_ensure(actor=SYS)
    c = services.collective_create(actor=SYS, village=village)
    asset = Asset(collective=c, name=f"矩阵资产{tag}", kind="building", value_yuan=1_000)
    resource = Resource(collective=c, name=f"矩阵耕地{tag}", kind="land", area_mu=Decimal(10))
    account = Account(collective=c, name="基本存款账户")
    services.holdings_bulk_create(actor=SYS, rows=[asset, resource, account])
    today = timezone.localdate()
    entry = Entry(account=account, on=today, direction="income", amount_yuan=100, summary="矩阵收入")
    services.entries_bulk_create(actor=SYS, rows=[entry])
    decision = services.decision_open(
        actor=SYS, collective=c, title="矩阵事项", kind="other", amount_yuan=0, opened_on=today
    )
    contract = Contract(
        collective=c,
        code=f"MX-HT-{tag}-{c.pk}",
        kind="contracting",
        resource=resource,
        party="矩阵承包方",
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=300),
        annual_yuan=5_000,
    )
    services.contract_record(actor=SYS, contract=contract)
    return {
        "c": c,
        "asset": asset,
        "resource": resource,
        "account": account,
        "entry": entry,
        "decision": decision,
        "contract": contract,
    }


def build(world: Any) -> None:
    world.__dict__["_collectives"] = {
        inside: _build(world.side(inside), 1 if inside else 2) for inside in (True, False)
    }


def _pk(key: str, **extra: Any) -> Filler:
    def fill(world: Any, inside: bool) -> Sample:
        obj: Collective | Asset | Resource | Account | Entry | Decision | Contract = world.__dict__[
            "_collectives"
        ][inside][key]
        return Sample({"pk": obj.pk, **extra}, obj)

    return fill


FILLERS: dict[str, Filler] = {
    "collectives:detail": _pk("c"),
    "collectives:contract_new": _pk("c"),
    "collectives:entry_new": _pk("c"),
    "collectives:decision_new": _pk("c"),
    "collectives:asset_new": _pk("c"),
    "collectives:resource_new": _pk("c"),
    "collectives:account_new": _pk("c"),
    "collectives:asset": _pk("asset"),
    "collectives:asset_edit": _pk("asset"),
    "collectives:resource": _pk("resource"),
    "collectives:resource_edit": _pk("resource"),
    "collectives:account": _pk("account"),
    "collectives:account_edit": _pk("account"),
    "collectives:entry_edit": _pk("entry"),
    "collectives:decision": _pk("decision"),
    "collectives:step": _pk("decision"),
    "collectives:disclosure": _pk("c", quarter="2026Q3"),
    "collectives:disclosure_pdf": _pk("c", quarter="2026Q3"),
    "collectives-collective-detail": _pk("c"),
    "collectives-asset-detail": _pk("asset"),
    "collectives-resource-detail": _pk("resource"),
    "collectives-account-detail": _pk("account"),
    "collectives-decision-detail": _pk("decision"),
    "collectives-entry-detail": _pk("entry"),
    "collectives-contract-detail": _pk("contract"),
}

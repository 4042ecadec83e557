"""centre.0011 turns each answered finance request that named a partner and an amount into an approved
referral to that partner (an organisation covering the centre's place, made once per name), so the figure
finance_arranged_yuan is the same before and after, and then drops the request's two columns."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gongzhi.centre import selectors
from gongzhi.centre.models import Referral
from gongzhi.organisations.models import Organisation
from gongzhi.tests.factories import credit_code, load_divisions
from gongzhi.tests.migrations import leaves, migrate_to, models_at

OLD = [("centre", "0010_speed_summary_credit_history")]


@pytest.mark.django_db(transaction=True)
def test_answered_finance_requests_become_approved_referrals() -> None:
    latest = leaves()
    try:
        migrate_to(OLD)
        old = models_at(OLD)
        community = load_divisions()["370202001001"]
        Centre = old.get_model("centre", "Centre")
        Item = old.get_model("centre", "ServiceItem")
        Enterprise = old.get_model("centre", "Enterprise")
        Request = old.get_model("centre", "ServiceRequest")
        centre = Centre.objects.create(name="旧中心", division_id=community.pk)
        centre.path = f"{community.path}ctr{centre.pk}/"
        centre.save()
        loan = Item.objects.create(
            centre=centre,
            category="finance",
            name="科技信贷",
            handler="甲银行",
            limit_days=10,
            path=centre.path,
        )
        fund = Item.objects.create(
            centre=centre,
            category="finance",
            name="股权与产业基金",
            handler="乙基金",
            limit_days=40,
            path=centre.path,
        )
        permit = Item.objects.create(
            centre=centre,
            category="government",
            name="许可",
            handler="审批局",
            limit_days=5,
            path=centre.path,
        )
        ent = Enterprise.objects.create(
            centre=centre,
            name="旧企业",
            credit_code=credit_code(3),
            industry_id=old.get_model("centre", "Industry").objects.get(code="C").pk,
            kind="tech",
            path=centre.path,
        )
        day = date(2025, 5, 6)

        def request(item, partner: str, amount: str | None, answered: bool = True):  # type: ignore[no-untyped-def]
            return Request.objects.create(
                item=item,
                enterprise=ent,
                detail="x",
                filed_on=day,
                due_on=day,
                status="done" if answered else "open",
                answered_on=day if answered else None,
                partner=partner,
                amount_yuan=Decimal(amount) if amount else None,
                path=centre.path,
            )

        a = request(loan, "甲银行", "2000000")
        b = request(loan, "甲银行", "500000")
        c = request(fund, "乙基金", "3000000")
        request(loan, "", "900")  # no partner: nothing to refer
        request(loan, "甲银行", None)  # no amount
        request(permit, "某局", "100")  # not finance
        request(loan, "甲银行", "700", answered=False)  # not answered

        migrate_to(latest)

        rows = list(Referral.objects.order_by("request_id").select_related("partner"))
        assert [
            (r.request_id, r.partner.name, r.product, r.result, r.amount_approved_yuan) for r in rows
        ] == [
            (a.pk, "甲银行", "loan", "approved", Decimal("2000000.00")),
            (b.pk, "甲银行", "loan", "approved", Decimal("500000.00")),
            (c.pk, "乙基金", "equity", "approved", Decimal("3000000.00")),
        ]
        assert {(o.name, o.kind) for o in Organisation.objects.filter(code__startswith="CTRP")} == {
            ("甲银行", "centre.bank"),
            ("乙基金", "centre.fund"),
        }
        assert all(r.amount_asked_yuan == r.amount_approved_yuan and r.path == centre.path for r in rows)
        assert selectors.service_figures(centre.path)["finance_yuan"] == 5_500_000
    finally:
        migrate_to(latest)

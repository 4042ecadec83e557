"""The credit formula's weights and grade floors are a setting; the page shows the rule in force."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from hypothesis import given
from hypothesis import strategies as st

from gongzhi.accounts.roles import Role
from gongzhi.cogovern import property_rules as pr
from gongzhi.cogovern.settings_store import credit_weights, parse_weights
from gongzhi.tests.factories import user_with


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{", "JSON 对象"),
        ('{"bonus": 3}', "未知的项：bonus"),
        ('{"complaint": "many"}', "complaint 应为数字"),
        ('{"complaint": "NaN"}', "complaint 应为数字"),
        ('{"aa": 95}', "AAA > AA"),
        ('{"black": -1}', "不能为负数"),
        ('{"blacklist_black_entries": 0}', "至少为 1"),
    ],
)
def test_a_bad_setting_stops_with_a_chinese_message(raw: str, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        parse_weights(raw)


def test_the_setting_moves_the_grade_and_the_rule_text() -> None:
    with override_settings(GONGZHI_CREDIT_RULE='{"aaa": 95, "complaint": 3}'):
        w = credit_weights()
    assert (w.aaa, w.complaint, w.aa) == (Decimal(95), Decimal(3), pr.DEFAULT_WEIGHTS.aa)

    def grade(weights: pr.CreditWeights) -> str:
        return pr.credit(
            evaluation_average=Decimal("92.0"),
            complaints_upheld=0,
            contracts_terminated=0,
            black_entries=0,
            red_entries=0,
            weights=weights,
        ).grade

    assert (grade(pr.DEFAULT_WEIGHTS), grade(w)) == ("AAA", "AA")
    text = pr.credit_rule_text(w)
    assert "AAA ≥ 95" in text and "3×成立的投诉" in text and "默认" in text


@given(score=st.decimals(min_value=0, max_value=100, places=1))
def test_every_score_gets_the_grade_of_the_highest_floor_it_reaches(score: Decimal) -> None:
    got = pr.credit(
        evaluation_average=score, complaints_upheld=0, contracts_terminated=0, black_entries=0, red_entries=0
    )
    if score < pr.DEFAULT_WEIGHTS.blacklist_below:
        assert got.grade == pr.BLACKLIST
    else:
        floors = [(f, g) for f, g in pr.grades() if score >= f]
        assert got.grade == floors[0][1]


@pytest.mark.django_db
def test_the_companies_page_shows_the_rule_in_force(tree) -> None:
    client = Client()
    client.force_login(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    with override_settings(GONGZHI_CREDIT_RULE='{"aaa": 93}'):
        page = client.get("/cogovern/companies/").content.decode()
    assert "AAA ≥ 93" in page and "本平台默认" in page

"""The collectives demo step on 平度市's real towns and villages: the rating rule, applied to the generated
rows, grades the 17 towns 4 exemplary / 9 excellent / 4 strengthening; a second run changes nothing."""

from __future__ import annotations

import csv

import pytest
from django.conf import settings

from gongzhi.collectives.models import Contract, Decision
from gongzhi.demo.collectives import build_collectives
from gongzhi.tests.factories import load_divisions

pytestmark = pytest.mark.django_db


def pingdu_rows() -> list[tuple[str, str, str, str]]:
    path = settings.BASE_DIR / "data" / "qingdao-divisions.csv"
    with open(path, encoding="utf-8") as f:
        rows = [(r["code"], r["name"], r["level"], r["parent_code"]) for r in csv.DictReader(f)]
    return [r for r in rows if r[0] in ("37", "3702") or r[0].startswith("370283")]


def test_the_towns_come_out_4_9_4_through_the_rule() -> None:
    load_divisions(pingdu_rows())
    made = build_collectives(seed=20241218)
    assert made.created and made.collectives == 300
    assert made.grades == {"exemplary": 4, "excellent": 9, "strengthening": 4}
    assert made.expiring > 0 and made.out_of_range > 0 and made.unapproved > 0
    # Decisions in every state, from no step to all six.
    assert set(Decision.objects.values_list("steps_done", flat=True)) == set(range(7))
    again = build_collectives(seed=20241218)
    assert not again.created and again.contracts == Contract.objects.count() == made.contracts

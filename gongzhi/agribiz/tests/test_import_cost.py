"""What a large agribiz ledger costs (issue 16 h16c item 3): town staff — who hold `agribiz.manage` but not
市南区's `person.edit` — import cooperatives and family farms whose legal representatives and operators are
new persons. The representatives are recorded in bulk under the registry's permission
(`people.bulk.persons_record_bulk`, docs/decisions.md §16), so the import's query count does not grow with
the rows (it did: one INSERT and one history INSERT per new person). No role gains a right."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from gongzhi.accounts.access import can
from gongzhi.accounts.roles import Action
from gongzhi.agribiz import services
from gongzhi.agribiz.models import CoopProfile, FamilyFarm
from gongzhi.agribiz.tests.kit import OTHER_TOWN_VILLAGE, VILLAGE, credit_code, id_number, make_world
from gongzhi.agribiz.tests.test_ledger import _book, _coop_row, _farm_row
from gongzhi.ledgers.base import Context
from gongzhi.ledgers.importer import get_ledger, import_book
from gongzhi.people.models import Person
from gongzhi.tests.queries import count_queries

pytestmark = pytest.mark.django_db


def _rows(n: int, start: int) -> tuple[list[list[Any]], list[list[Any]]]:
    coops = [
        _coop_row(VILLAGE, 合作社名称=f"平度市第{start + i}果品专业合作社", 法定代表人=f"代表{start + i}")
        for i in range(n // 2)
    ]
    farms = [
        _farm_row(
            VILLAGE, f"JT-{start + i}", 家庭农场名称=f"平度市第{start + i}家庭农场", 经营者=f"经营{start + i}"
        )
        for i in range(n - n // 2)
    ]
    return coops, farms


def _import(w: Any, n: int, start: int) -> tuple[int, int]:
    """(all queries, queries on the person tables) of importing n rows with n new persons."""
    coops, farms = _rows(n, start)
    with count_queries() as ctx:
        outcome = import_book(get_ledger("agribiz"), _book(coops, farms), Context(w.town_staff))
    assert outcome.ok, outcome.errors[:5]
    persons = [q for q in ctx.captured_queries if re.search(r'"people_(historical)?person"', q["sql"])]
    return len(ctx.captured_queries), len(persons)


def test_a_500_row_import_costs_what_a_20_row_one_does() -> None:
    w = make_world()
    assert not can(w.town_staff, Action.PERSON_EDIT)  # the rule this is about: no role gains a right
    _import(w, 4, 0)  # warm the caches (vocabularies, grants)
    small, small_persons = _import(w, 20, 100)
    large, large_persons = _import(w, 500, 1000)
    assert Person.objects.count() == 524
    assert CoopProfile.objects.count() == 262 and FamilyFarm.objects.count() == 262
    # The representatives: the same queries for 500 new persons as for 20 (they were 2 a person: 985 more
    # queries for 480 more rows before issue 16). The rest grows only by the bulk inserts' batches.
    assert large_persons == small_persons, (small_persons, large_persons)
    assert large - small <= BATCHES, (small, large)


# Extra INSERT batches of 480 more rows across the registry's tables (SQLite's variable limit splits them).
BATCHES = 30


def test_new_representatives_have_history_rows_naming_the_importer() -> None:
    w = make_world()
    coops, farms = _rows(4, 0)
    assert import_book(get_ledger("agribiz"), _book(coops, farms), Context(w.town_staff)).ok
    people = Person.objects.filter(name__in=["代表0", "代表1", "经营0", "经营1"])
    assert people.count() == 4
    for person in people:
        row = person.history.get()  # type: ignore[attr-defined]
        assert row.history_user == w.town_staff


def _coop(w: Any, village: str, rep: str) -> services.NewCoop:
    return services.NewCoop(
        village=w.d[village],
        name=f"{rep}果品专业合作社",
        credit_code=credit_code(),
        rep_name=rep,
        rep_id_number=id_number(),
        founded_on=date(2016, 5, 1),
        members_count=15,
        land_mu=Decimal("800"),
    )


def test_the_registry_right_is_checked_at_every_village_before_anyone_is_recorded() -> None:
    w = make_world()
    with pytest.raises(PermissionDenied):
        services.coops_bulk_register(
            actor=w.town_staff, rows=[_coop(w, VILLAGE, "甲"), _coop(w, OTHER_TOWN_VILLAGE, "乙")]
        )
    with pytest.raises(PermissionDenied):
        services.persons_for(
            actor=w.town_staff,
            paths=[w.d[VILLAGE].path, w.d[OTHER_TOWN_VILLAGE].path],
            people=[("丙", id_number())],
            reason="测试",
        )
    assert not Person.objects.exists()

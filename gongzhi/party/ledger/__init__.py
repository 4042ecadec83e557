"""The party ledger (党建台账): members, organisations, building party groups and central households.

Keys: a member by ID number; an organisation by its code; a group by (compound code, name); a central
household by its member's ID number. Import adds and updates by key and never deletes; rows that match the
database change nothing, so export → import is a round trip. Central households in the file get exactly the
links the file lists. The check (check.py) validates with the services' own rules; apply (apply.py) writes
through the (bulk) services; export.py streams the sheets.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext_noop

from gongzhi.ledgers.base import Book, CellError, Context, SheetSpec
from gongzhi.party.ledger import export as _export
from gongzhi.party.ledger.apply import apply_plan
from gongzhi.party.ledger.check import check_book
from gongzhi.party.ledger.sheets import GROUPS, HOUSEHOLDS, MEMBERS, ORGS, SHEETS, Plan

__all__ = ["GROUPS", "HOUSEHOLDS", "MEMBERS", "ORGS", "PARTY_LEDGER", "PartyLedger", "Plan"]


class PartyLedger:
    slug = "party"
    title = gettext_noop("党建台账（党员、党组织、楼栋党小组、党员中心户）")  # shown translated
    sheets = SHEETS

    def check(self, book: Book, ctx: Context) -> tuple[Plan, list[CellError]]:
        return check_book(book, ctx)

    def apply(self, p: Plan, ctx: Context) -> dict[str, int]:
        return apply_plan(p, ctx)

    def export(self, place_path: str, user: Any) -> Iterator[tuple[SheetSpec, Iterable[list[Any]]]]:
        return _export.export(place_path, user)

    def member_rows(self, place_path: str, user: Any) -> Iterator[list[Any]]:
        return _export.member_rows(place_path, user)

    def org_rows(self, place_path: str, user: Any) -> Iterator[list[Any]]:
        return _export.org_rows(place_path, user)

    def group_rows(self, place_path: str, user: Any) -> Iterator[list[Any]]:
        return _export.group_rows(place_path, user)

    def household_rows(self, place_path: str, user: Any) -> Iterator[list[Any]]:
        return _export.household_rows(place_path, user)


PARTY_LEDGER = PartyLedger()

"""Organisers' paper: the canvass list (homes not yet voted) and the pre-filled ballot and signature sheet
per building or unit, as xlsx (the ledgers' writer) and PDF (gongzhi.core.pdf).

The xlsx sheet has the columns ``ballot_sheet`` reads (楼栋、单元、房号、业主、专有部分面积、表决意见) and a
signature column it ignores, so a filled-in sheet goes back through the vote page's upload as it is.
Owners and areas are those the count uses (selectors.counted_homes: the published register when it holds).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gongzhi.affairs import selectors
from gongzhi.affairs.ballot_sheet import AREA, BUILDING, OPINION, OWNER, ROOM, UNIT
from gongzhi.affairs.models import Ballot, OpinionChoice, Vote
from gongzhi.core.pdf import render_pdf
from gongzhi.ledgers.base import Column, SheetSpec, text
from gongzhi.ledgers.xlsx import stream_workbook
from gongzhi.people.masking import mask_phone
from gongzhi.people.models import Person
from gongzhi.places.models import Home

SIGNATURE = "业主签字"


@dataclass
class FormRow:
    home_id: int
    building: str
    building_id: int
    unit: int
    room: str
    owner: str
    area: Decimal
    voted: bool
    phone_masked: str
    opinion: str = ""  # the counted owner's own ballot, as its label (同意 …); "" without one


def form_rows(vote: Vote, *, building_id: int | None = None, unit_no: int | None = None) -> list[FormRow]:
    """The vote's homes (optionally one building or unit) in address order, with the counted owner, the
    area the count uses and whether that owner has a ballot yet (4 queries)."""
    counted = {h.home_id: h for h in selectors.counted_homes(vote)}
    homes = Home.objects.filter(pk__in=counted).select_related("building")
    if building_id is not None:
        homes = homes.filter(building_id=building_id)
        if unit_no is not None:
            homes = homes.filter(unit_no=unit_no)
    homes = homes.order_by("building__seq", "unit_no", "floor", "room")
    owner_ids = {h.owner_id for h in counted.values() if h.owner_id}
    people = {p.pk: p for p in Person.objects.filter(pk__in=owner_ids).only("name", "phone")}
    ballots = list(Ballot.objects.filter(vote=vote).values_list("owner_id", "caster_id", "opinion"))
    voted = {owner_id for owner_id, _caster, _opinion in ballots}
    own = {owner_id: OpinionChoice(opinion).label for owner_id, caster, opinion in ballots if caster is None}
    rows = []
    for home in homes:
        entry = counted[home.pk]
        person = people.get(entry.owner_id) if entry.owner_id else None
        rows.append(
            FormRow(
                home.pk,
                home.building.number,
                home.building_id,
                home.unit_no,
                home.room,
                person.name if person else "",
                entry.area,
                entry.owner_id in voted,
                mask_phone(person.phone) if person else "",
                str(own.get(entry.owner_id, "")) if entry.owner_id else "",
            )
        )
    return rows


SHEET_COLUMNS = (
    Column(BUILDING, "building", text, width=10),
    Column(UNIT, "unit", text, width=6, kind="int"),
    Column(ROOM, "room", text, width=8),
    Column(OWNER, "owner", text, width=14),
    Column(AREA, "area", text, width=14, kind="int"),
    Column(OPINION, "opinion", text, width=18, note="同意 / 反对 / 弃权"),
    Column(SIGNATURE, "signature", text, width=16),
)


def ballot_form_xlsx(vote: Vote, rows: list[FormRow]) -> bytes:
    """The pre-filled sheet: one row per home, opinion and signature left for the owner."""
    spec = SheetSpec(f"表决票{vote.pk}", SHEET_COLUMNS)
    data = ([r.building, r.unit, r.room, r.owner, r.area, "", ""] for r in rows)
    return b"".join(stream_workbook([(spec, data)]))


def canvass_xlsx(vote: Vote, rows: list[FormRow], *, phones: bool) -> bytes:
    """Homes not yet voted, by building and unit, with the owner's masked phone for staff who may see it."""
    columns = [
        Column(BUILDING, "building", text, width=10),
        Column(UNIT, "unit", text, width=6, kind="int"),
        Column(ROOM, "room", text, width=8),
        Column(OWNER, "owner", text, width=14),
    ]
    if phones:
        columns.append(Column("手机号（脱敏）", "phone", text, width=16))
    spec = SheetSpec(f"未表决{vote.pk}", tuple(columns))
    data = (
        [r.building, r.unit, r.room, r.owner, *([r.phone_masked] if phones else [])]
        for r in rows
        if not r.voted
    )
    return b"".join(stream_workbook([(spec, data)]))


def ballot_form_pdf(vote: Vote, rows: list[FormRow], **context: Any) -> bytes:
    """The printed ballot and signature sheet: the items in full, then one line per home."""
    item = vote.notice_item
    return render_pdf(
        "affairs/print/ballot_form.html",
        {"vote": vote, "rows": rows, "item_text": item.text if item else vote.question, **context},
    )

"""Paper ballots entered from a filled-in ballot sheet (one transaction for the whole sheet)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongzhi.accounts.roles import Action
from gongzhi.affairs import chain, selectors
from gongzhi.affairs.ballot_sheet import BallotRow, BallotSheet, NotAnXlsxError, SheetError, read_ballot_rows
from gongzhi.affairs.civil_code import as_opinion
from gongzhi.affairs.models import (
    Ballot,
    BallotChange,
    EventKind,
    Origin,
    Vote,
)
from gongzhi.affairs.services.common import _check, _event, _touch
from gongzhi.affairs.services.votes import _locked_open_vote
from gongzhi.core.actors import history_user
from gongzhi.core.sheet_limits import SheetTooLarge, check_upload_size
from gongzhi.people.models import Ownership, Person
from gongzhi.places.models import Home


@dataclass(frozen=True)
class SheetImport:
    rows: int
    recorded: int
    changed: int
    unchanged: int


def _building_key(text: str) -> str:
    text = text.strip().replace(" ", "")
    for suffix in ("号楼", "栋", "号", "楼"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text


def _unit_key(text: str) -> int | None:
    text = text.strip().removesuffix("单元")
    return int(text) if text.isdigit() else None


@transaction.atomic
def ballots_import_sheet(
    *, vote: Vote, actor: Any, data: bytes, at: datetime | None = None
) -> SheetImport | list[SheetError]:
    """Record paper ballots from the tally sheet the ``tally_ballots`` command reads; all or nothing.

    The sheet is checked by ballot_sheet, then each row against the register: the home must be in the
    vote's scope and 业主 (and 身份证号, when given) must be one of its recorded owners. Any problem: the
    list of (row, column, message) and no ballot written. A row without an opinion records nothing (an
    owner may have voted online). An owner's paper opinion replaces an earlier one, kept as a change.
    """
    _check(actor, Action.VOTE_MANAGE, vote)
    at = at or timezone.now()
    try:
        check_upload_size(len(data))  # the one upload limit (GONGZHI_SHEET_MAX_UPLOAD_BYTES)
    except SheetTooLarge as exc:
        return [SheetError(1, "（全表）", str(exc))]
    try:
        # The register decides who owns which home; the sheet's own problems and those against the
        # register are reported together (one pass), sorted by row.
        rows, errors = read_ballot_rows(data, register=True)
    except NotAnXlsxError as exc:
        return [SheetError(1, "（全表）", str(exc))]
    return _record_rows(vote, actor, rows, errors, at, "sheet")


@transaction.atomic
def ballots_record_unit(
    *, vote: Vote, actor: Any, opinions: dict[int, str], at: datetime | None = None
) -> SheetImport | list[SheetError]:
    """Record the paper ballots of a whole unit from one screen: ``opinions`` maps a home id to 同意、反对、
    弃权 or 废票 (blank: not handed in). Checked exactly like a sheet's rows, against the register the count
    uses (the counted owner and area of each home); any problem: the list, and nothing written."""
    _check(actor, Action.VOTE_MANAGE, vote)
    at = at or timezone.now()
    counted = {h.home_id: h for h in selectors.counted_homes(vote, timezone.localdate(at))}
    names = dict(
        Person.objects.filter(pk__in={h.owner_id for h in counted.values()}).values_list("pk", "name")
    )
    rows: list[BallotRow] = []
    errors: list[SheetError] = []
    homes = Home.objects.filter(pk__in=list(opinions)).select_related("building").order_by("pk")
    found = {h.pk: h for h in homes}
    for n, (home_id, text) in enumerate(sorted(opinions.items()), start=1):
        home = found.get(home_id)
        if home is None or home_id not in counted:
            errors.append(SheetError(n, "房号", "该房屋不在本次表决范围内"))
            continue
        try:
            opinion = as_opinion(text) if text.strip() else None
        except ValueError:
            errors.append(SheetError(n, "表决意见", f"{home.room}：表决意见应为同意、反对、弃权或废票"))
            continue
        if opinion is None:
            continue  # not handed in (the owner may have voted online)
        owner_id = counted[home_id].owner_id
        owner = names.get(owner_id, "") if owner_id else ""
        area = counted[home_id].area
        rows.append(
            BallotRow(n, home.building.number, str(home.unit_no), home.room, owner, "", area, opinion)
        )
    return _record_rows(vote, actor, rows, errors, at, "unit")


def _record_rows(
    vote: Vote, actor: Any, rows: list[BallotRow], errors: list[SheetError], at: datetime, what: str
) -> SheetImport | list[SheetError]:
    """Check rows against the register, then write every ballot at once; any problem: nothing written."""
    sheet = BallotSheet(rows=tuple(rows))
    locked = _locked_open_vote(vote)
    on = timezone.localdate(at)
    home_q, own_q = selectors.scope_filters(
        locked.scope, locked.compound_id, locked.building_id, locked.unit_no
    )
    homes: dict[tuple[str, int, str], int] = {}
    areas: dict[int, Decimal] = {}
    for pk, number, unit_no, room_no, area in Home.objects.filter(home_q).values_list(
        "id", "building__number", "unit_no", "room", "area"
    ):
        homes[(_building_key(number), unit_no, room_no)] = pk
        areas[pk] = area
    owners: dict[int, list[tuple[int, str, str]]] = {}
    recorded = Ownership.objects.filter(own_q).filter(selectors._current(on))
    if selectors.register_holds(locked):  # the owners of the day the register was published
        assert locked.notice_item is not None
        posted = locked.notice_item.notice.posted_on
        recorded = (
            Ownership.objects.filter(own_q)
            .filter(selectors._current(posted))
            .filter(Q(since__isnull=True) | Q(since__lte=posted))
        )
    for home_id, pid, name, id_number, credit in recorded.values_list(
        "home_id", "person_id", "person__name", "person__id_number", "person__credit_code"
    ):
        owners.setdefault(home_id, []).append((pid, name, (id_number or credit or "").upper()))
    scope_homes = selectors.counted_homes(locked, on)
    representative = {h.home_id: h.owner_id for h in scope_homes}
    undelivered = {h.home_id for h in scope_homes if not h.delivered and not h.developer}
    areas.update({h.home_id: h.area for h in scope_homes})  # the published register's, when it holds

    wanted: dict[tuple[int, int | None], tuple[str, int]] = {}
    for row in sheet.rows:
        unit = _unit_key(row.unit) if row.unit else 1
        found = homes.get((_building_key(row.building), unit or 0, row.room))
        if found is None:
            errors.append(
                SheetError(
                    row.row, "房号", f"{row.building} {row.unit or ''}单元 {row.room} 不在本次表决范围内"
                )
            )
            continue
        home_id = found
        if row.area != areas[home_id]:
            errors.append(
                SheetError(
                    row.row, "专有部分面积", f"面积 {row.area} ㎡ 与业主名册登记的 {areas[home_id]} ㎡ 不符"
                )
            )
            continue
        matches = [o for o in owners.get(home_id, []) if o[1] == row.owner]
        if not matches:
            errors.append(SheetError(row.row, "业主", f"「{row.owner}」不是该房屋登记的业主"))
            continue
        if row.id_number and not any(o[2] == row.id_number for o in matches):
            errors.append(SheetError(row.row, "身份证号", "身份证号与该房屋登记的业主不符"))
            continue
        signer = next((o[0] for o in matches if o[2] == row.id_number), matches[0][0])
        if row.opinion is None:
            continue
        if home_id in undelivered:
            errors.append(
                SheetError(row.row, "表决意见", "房屋尚未交付：按司法解释第九条计入建设单位，买受人不能表决")
            )
            continue
        owner_id = representative.get(home_id)
        if owner_id is None:
            continue
        # A co-owner's ballot is kept as theirs, beside the representative's (civil_code.co_owners_opinion).
        key = (owner_id, None if signer == owner_id else signer)
        earlier = wanted.get(key)
        if earlier and earlier[0] != row.opinion.value:
            errors.append(
                SheetError(
                    row.row, "表决意见", f"与第{earlier[1]}行同一业主的意见不同：一位业主只能有一个意见"
                )
            )
            continue
        wanted[key] = (row.opinion.value, row.row)
    if errors:
        return sorted(errors, key=lambda e: e.row)

    existing = {(b.owner_id, b.caster_id): b for b in Ballot.objects.filter(vote=locked)}
    new_ballots, updated, changes = [], [], []
    unchanged = 0
    for (owner_id, caster_id), (opinion, _line) in wanted.items():
        ballot = existing.get((owner_id, caster_id))
        if ballot is None:
            new_ballots.append(
                Ballot(
                    vote=locked,
                    owner_id=owner_id,
                    caster_id=caster_id,
                    opinion=opinion,
                    origin=Origin.PAPER,
                    cast_by=history_user(actor),
                    cast_at=at,
                )
            )
            changes.append(
                BallotChange(
                    vote=locked,
                    owner_id=owner_id,
                    caster_id=caster_id,
                    opinion=opinion,
                    origin=Origin.PAPER,
                    cast_by=history_user(actor),
                    at=at,
                )
            )
        elif ballot.opinion == opinion and ballot.origin == Origin.PAPER:
            unchanged += 1
        else:
            changes.append(
                BallotChange(
                    vote=locked,
                    owner_id=owner_id,
                    caster_id=caster_id,
                    opinion=opinion,
                    previous=ballot.opinion,
                    origin=Origin.PAPER,
                    cast_by=history_user(actor),
                    at=at,
                )
            )
            ballot.opinion, ballot.origin, ballot.cast_by, ballot.cast_at = (
                opinion,
                Origin.PAPER,
                history_user(actor),
                at,
            )
            ballot.proxy_name, ballot.mandate, ballot.changes = "", "", ballot.changes + 1
            updated.append(ballot)
    Ballot.objects.bulk_create(new_ballots)
    Ballot.objects.bulk_update(
        updated, ["opinion", "origin", "cast_by", "cast_at", "proxy_name", "mandate", "changes"]
    )
    chain.seal(locked.pk, BallotChange.objects.bulk_create(changes))  # the vote row is locked
    _touch(locked.matter, at, actor)
    _event(
        locked.matter,
        EventKind.NOTE,
        at,
        actor,
        code="ballots_entered",
        params={"what": what, "rows": len(sheet.rows), "new": len(new_ballots), "changed": len(updated)},
    )
    return SheetImport(len(sheet.rows), len(new_ballots), len(updated), unchanged)

"""Paper ballots entered from a filled-in ballot sheet (one transaction for the whole sheet)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongzhi.accounts.roles import Action
from gongzhi.affairs import chain, selectors
from gongzhi.affairs.ballot_sheet import BallotSheet, NotAnXlsxError, SheetError, read_ballot_sheet
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
from gongzhi.people.models import Ownership
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
        sheet = read_ballot_sheet(data, register=True)  # the register decides who owns which home
    except NotAnXlsxError as exc:
        return [SheetError(1, "（全表）", str(exc))]
    if not isinstance(sheet, BallotSheet):
        return sheet
    locked = _locked_open_vote(vote)
    on = timezone.localdate(at)
    home_q, own_q = selectors.scope_filters(
        locked.scope, locked.compound_id, locked.building_id, locked.unit_no
    )
    homes = {
        (_building_key(number), unit, room): home_id
        for home_id, number, unit, room in Home.objects.filter(home_q).values_list(
            "id", "building__number", "unit_no", "room"
        )
    }
    owners: dict[int, list[tuple[int, str, str]]] = {}
    for home_id, pid, name, id_number, credit in (
        Ownership.objects.filter(own_q)
        .filter(selectors._current(on))
        .values_list("home_id", "person_id", "person__name", "person__id_number", "person__credit_code")
    ):
        owners.setdefault(home_id, []).append((pid, name, (id_number or credit or "").upper()))
    scope_homes = selectors.vote_homes(locked, on)
    representative = {h.home_id: h.owner_id for h in scope_homes}
    undelivered = {h.home_id for h in scope_homes if not h.delivered and not h.developer}

    errors: list[SheetError] = []
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
        return errors

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
        f"录入纸质表决票 {len(sheet.rows)} 行：新增 {len(new_ballots)} 票，变更 {len(updated)} 票",
    )
    return SheetImport(len(sheet.rows), len(new_ballots), len(updated), unchanged)

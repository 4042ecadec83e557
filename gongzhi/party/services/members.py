"""Members of the chain: registering, changing, transferring the relation, becoming full (转正)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from gongzhi.core.actors import history_user
from gongzhi.party import rules
from gongzhi.party.models import PartyMember, PartyOrganisation, RelationTransfer
from gongzhi.party.services._base import check, fail, stamp
from gongzhi.party.services.counters import stats_refresh
from gongzhi.people.models import Person
from gongzhi.places.models import Compound, Home


def _member_place(compound: Compound | None, home: Home | None) -> tuple[Compound, Home | None]:
    if home is not None:
        if compound is not None and home.compound_id != compound.pk:
            raise ValidationError("房屋不在所选小区内")
        return home.compound, home
    if compound is None:
        raise ValidationError("请选择居住小区或房屋")
    return compound, None


@transaction.atomic
def member_register(
    *,
    actor: Any,
    person: Person,
    status: str,
    compound: Compound | None = None,
    home: Home | None = None,
    joined_on: date | None = None,
    full_on: date | None = None,
    in_service: bool = False,
    workplace: str = "",
    organisation: PartyOrganisation | None = None,
    relation_elsewhere: str = "",
) -> PartyMember:
    """Register a resident as a party member of the compound they live in."""
    compound, home = _member_place(compound, home)
    check(actor, home or compound)
    if PartyMember.objects.filter(person=person).exists():
        raise ValidationError("此人已登记为党员")
    fail(rules.member_dates_messages(status, joined_on, full_on))
    fail(rules.relation_messages(organisation is not None, relation_elsewhere))
    member = PartyMember(
        person=person,
        status=status,
        joined_on=joined_on,
        full_on=full_on,
        compound=compound,
        home=home,
        building_id=home.building_id if home else None,
        in_service=in_service,
        workplace=workplace,
        organisation=organisation,
        relation_elsewhere=relation_elsewhere,
        path=home.path if home else compound.path,
    )
    stamp(member, actor)
    member.save()
    stats_refresh(compound_ids=[compound.pk])
    return member


@transaction.atomic
def member_update(*, actor: Any, member: PartyMember, **fields: Any) -> PartyMember:
    """Change a member's status, dates, home or work. The relation moves only by member_transfer."""
    allowed = {"status", "joined_on", "full_on", "in_service", "workplace", "home", "compound"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    check(actor, member)
    before = member.compound_id
    for key, value in fields.items():
        setattr(member, key, value)
    fail(rules.member_dates_messages(member.status, member.joined_on, member.full_on))
    if "home" in fields or "compound" in fields:
        compound, home = _member_place(
            fields.get("compound") if member.home else member.compound, member.home
        )
        member.compound, member.home = compound, home
        member.building_id = home.building_id if home else None
        member.path = home.path if home else compound.path
        check(actor, member)
    stamp(member, actor)
    member.save()
    stats_refresh(compound_ids=[before, member.compound_id])
    return member


@transaction.atomic
def member_transfer(
    *,
    actor: Any,
    member: PartyMember,
    on: date,
    to_organisation: PartyOrganisation | None = None,
    to_text: str = "",
    note: str = "",
) -> RelationTransfer:
    """Move a member's organisational relation (组织关系转接) and keep the record."""
    check(actor, member)
    if (to_organisation is None) == (not to_text.strip()):
        raise ValidationError("请指定转入的本地党组织或外单位组织（二选一）")
    if to_organisation is not None and not to_organisation.is_active:
        raise ValidationError("转入的党组织已撤销")
    transfer = RelationTransfer(
        member=member,
        from_organisation=member.organisation,
        from_text=member.organisation.name if member.organisation else member.relation_elsewhere,
        to_organisation=to_organisation,
        to_text=to_organisation.name if to_organisation else to_text.strip(),
        on=on,
        note=note,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    stamp(transfer, actor)
    transfer.save()
    member.organisation = to_organisation
    member.relation_elsewhere = "" if to_organisation else to_text.strip()
    stamp(member, actor, "组织关系转接")
    member.save(update_fields=["organisation", "relation_elsewhere"])
    stats_refresh(compound_ids=[member.compound_id])
    return transfer


@transaction.atomic
def member_make_full(*, actor: Any, member: PartyMember, on: date) -> PartyMember:
    """转正: a probationary member becomes a full member on `on`."""
    check(actor, member)
    if member.status == rules.FULL:
        raise ValidationError("已是正式党员")
    return member_update(actor=actor, member=member, status=rules.FULL, full_on=on)


@transaction.atomic
def members_bulk_save(
    *, actor: Any, new: list[PartyMember], changed: list[PartyMember], fields: list[str], reason: str = ""
) -> tuple[int, int]:
    """Insert and update many members at once (ledger imports), with a history row each.

    The caller has validated the rows with the same rules (gongzhi.party.rules); the actor must hold the
    right at every member's place. Counters are the caller's to refresh once, for all touched compounds.
    """
    for m in new + changed:
        check(actor, m)
    user, why = history_user(actor), reason or str(actor)[:100]
    if new:
        bulk_create_with_history(
            new, PartyMember, batch_size=1000, default_user=user, default_change_reason=why
        )
    if changed:
        bulk_update_with_history(
            changed, PartyMember, fields, batch_size=1000, default_user=user, default_change_reason=why
        )
    return len(new), len(changed)

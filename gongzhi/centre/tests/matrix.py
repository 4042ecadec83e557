"""Samples of the centre for the generated permission matrix (gongzhi/accounts/tests/matrix_world.py adds
FILLERS): a centre under each side's community, with an enterprise (whose contact is the matrix's
enterprise-contact user), an open service request and a project."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gongzhi.centre import services, services_referrals
from gongzhi.centre.models import (
    Centre,
    Enterprise,
    Event,
    Industry,
    Lease,
    Project,
    Referral,
    ServiceItem,
    ServiceRequest,
    Space,
)
from gongzhi.centre.tests.helpers import make_centre
from gongzhi.organisations.models import Organisation
from gongzhi.tests.factories import SYSTEM, credit_code
from gongzhi.tests.matrix import Filler, Sample


@dataclass
class Samples:
    centre: Centre
    enterprise: Enterprise
    request: ServiceRequest
    project: Project
    event: Event
    space: Space
    lease: Lease
    referral: Referral
    partner: Organisation
    item: ServiceItem


def _build(world: Any, inside: bool) -> Samples:
    made = make_centre(world.side(inside).community, rooms=1)
    ent = services.enterprise_register(
        actor=SYSTEM,
        centre=made.centre,
        name=f"矩阵企业{'内' if inside else '外'}",
        credit_code=credit_code(900 + inside),
        industry=Industry.objects.get(code="I"),
        kind="innovative",
    )
    contact = world.users.get("enterprise_contact")
    if contact is not None:
        ent.contacts.add(contact)
    req = services.service_request_file(actor=SYSTEM, enterprise=ent, item=made.items[0], detail="矩阵诉求")
    project = services.project_create(
        actor=SYSTEM,
        platform=made.centre.platforms.first(),
        name="矩阵项目",
        industry=ent.industry,
        kind="innovative",
        created_on=req.filed_on,
    )
    event = Event.objects.create(
        centre=made.centre, kind="ceremony", title="矩阵签约仪式", held_on=req.filed_on, path=made.centre.path
    )
    lease = services.lease_sign(
        actor=SYSTEM,
        space=made.spaces[0],
        enterprise=ent,
        starts_on=req.filed_on,
        ends_on=req.filed_on.replace(year=req.filed_on.year + 1),
        monthly_rent_yuan=Decimal(1000),
    )
    partner = services_referrals.partner_create(
        actor=SYSTEM, centre=made.centre, kind="centre.bank", name=f"矩阵银行{'内' if inside else '外'}"
    )
    loan = services.service_request_file(actor=SYSTEM, enterprise=ent, item=made.items[1], detail="矩阵贷款")
    referral = services_referrals.referral_create(
        actor=SYSTEM, request=loan, partner=partner, product="loan", amount_asked_yuan=Decimal(1_000_000)
    )
    return Samples(
        made.centre, ent, req, project, event, made.spaces[0], lease, referral, partner, made.items[2]
    )


def build(world: Any) -> None:
    """Called by matrix_world.build_world, inside the module's transaction."""
    world.__dict__["_centre"] = {inside: _build(world, inside) for inside in (True, False)}


def _pk(attr: str) -> Filler:
    def fill(world: Any, inside: bool) -> Sample:
        obj = getattr(world.__dict__["_centre"][inside], attr)
        return Sample({"pk": obj.pk}, obj)

    return fill


def _partner(world: Any, inside: bool) -> Sample:
    """A partner's routes: the centre decides (centre.edit), the partner is one of its own."""
    samples = world.__dict__["_centre"][inside]
    return Sample({"pk": samples.centre.pk, "partner_pk": samples.partner.pk}, samples.centre)


FILLERS: dict[str, Filler] = {
    "centre:overview": _pk("centre"),
    "centre:enterprises": _pk("centre"),
    "centre:board": _pk("centre"),
    "centre:match": _pk("centre"),
    "centre:events": _pk("centre"),
    "centre:event": _pk("event"),
    "centre:event_new": _pk("centre"),
    "centre:event_edit": _pk("event"),
    "centre:agreement_new": _pk("event"),
    "centre:project_new": _pk("centre"),
    "centre:project": _pk("project"),
    "centre:project_edit": _pk("project"),
    "centre:project_advance": _pk("project"),
    "centre:project_credit": _pk("project"),
    "centre:project_land": _pk("project"),
    "centre:request_file": _pk("enterprise"),
    "centre:request_answer": _pk("request"),
    "centre:request_rate": _pk("request"),
    "centre:request": _pk("request"),
    "centre:referral_new": _pk("request"),
    "centre:referral_answer": _pk("referral"),
    "centre:referrals": _pk("centre"),
    "centre:partner_new": _pk("centre"),
    "centre:partners": _pk("centre"),
    "centre:partner_rename": _partner,
    "centre:partner_end": _partner,
    "centre:items": _pk("centre"),
    "centre:item_new": _pk("centre"),
    "centre:item_edit": _pk("item"),
    "centre:item_retire": _pk("item"),
    "centre-referral-detail": _pk("referral"),
    "centre-room-detail": _pk("space"),
    "centre-enterprise-detail": _pk("enterprise"),
    "centre-lease-detail": _pk("lease"),
    "centre-project-detail": _pk("project"),
}

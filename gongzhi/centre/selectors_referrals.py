"""Reads of the finance referrals: the partners a centre refers to, a centre's referrals with their filters,
and the one sum the figure `finance_arranged_yuan` is (approved amounts)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.utils import timezone

from gongzhi.centre.models import PARTNER_KINDS, Centre, Referral
from gongzhi.organisations.models import Organisation


def ancestors(path: str) -> list[str]:
    """A path and every path above it: "a/b/c/" → ["a/", "a/b/", "a/b/c/"]."""
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def partners_all(centre: Centre) -> QuerySet[Organisation]:
    """Every partner of the centre (its place or a place above it), ended ones too: old referrals keep
    showing theirs, the list's filter and the partners page offer them."""
    return Organisation.objects.filter(
        kind__in=list(PARTNER_KINDS), path__in=ancestors(centre.path)
    ).order_by("name", "id")


def partners_for(centre: Centre) -> QuerySet[Organisation]:
    """The partners (banks, funds, guarantors) covering the centre's place or a place above it, active: the
    ones a new referral may name."""
    return partners_all(centre).active()  # type: ignore[attr-defined]  # OrganisationQuerySet


def partner_since(partner: Organisation) -> date:
    """The day a partnership began: the organisation's founding day when given, else the day it was
    registered (its first history row)."""
    if partner.founded_on is not None:
        return partner.founded_on
    first = (
        Organisation.history.filter(id=partner.pk)  # type: ignore[attr-defined]
        .order_by("history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    return timezone.localdate(first) if first is not None else timezone.localdate()


def partner_rows(centre: Centre) -> list[tuple[Organisation, date, int]]:
    """The partners page: each partner with the day it began and its referrals at this centre (two
    queries whatever the number of partners)."""
    partners = list(partners_all(centre))
    ids = [p.pk for p in partners]
    begun = dict(
        Organisation.history.filter(id__in=ids)  # type: ignore[attr-defined]
        .values("id")
        .annotate(first=Min("history_date"))
        .values_list("id", "first")
    )
    used = dict(
        Referral.objects.filter(path=centre.path, partner_id__in=ids)
        .values("partner_id")
        .annotate(n=Count("id"))
        .values_list("partner_id", "n")
    )
    return [
        (
            p,
            p.founded_on or (timezone.localdate(begun[p.pk]) if p.pk in begun else timezone.localdate()),
            used.get(p.pk, 0),
        )
        for p in partners
    ]


def finance_arranged(path: str) -> int:
    """The finance arranged for the enterprises under `path`: the amounts partners approved on referrals.
    The figure `finance_arranged_yuan`, the overview and the demo read this one sum."""
    total = Referral.objects.filter(path__under=path, result=Referral.Result.APPROVED).aggregate(
        s=Sum("amount_approved_yuan")
    )["s"]
    return int(total or 0)


def referral_figures(path: str) -> dict[str, Any]:
    """Counts per result, the amounts asked and approved, and pending answers past their day: one query."""
    today = timezone.localdate()
    agg = Referral.objects.filter(path__under=path).aggregate(
        n=Count("id"),
        pending=Count("id", filter=Q(result="pending")),
        approved=Count("id", filter=Q(result="approved")),
        declined=Count("id", filter=Q(result="declined")),
        withdrawn=Count("id", filter=Q(result="withdrawn")),
        overdue=Count("id", filter=Q(result="pending", answer_due_on__lt=today)),
        asked=Sum("amount_asked_yuan"),
        arranged=Sum("amount_approved_yuan", filter=Q(result="approved")),
    )
    agg["asked"] = int(agg["asked"] or 0)
    agg["arranged"] = int(agg["arranged"] or 0)
    return agg


PAGE = 50


def referral_list(
    centre: Centre,
    *,
    partner: int = 0,
    result: str = "",
    overdue: bool = False,
    on: date | None = None,
    after: tuple[date, int] | None = None,
    size: int = PAGE,
) -> list[Referral]:
    """One page of a centre's referrals, newest first (keyset on (referred_on, id)), filtered by partner,
    result and overdue answer; one query with the request, enterprise and partner joined."""
    qs = Referral.objects.filter(path=centre.path)
    if partner:
        qs = qs.filter(partner_id=partner)
    if result in Referral.Result.values:
        qs = qs.filter(result=result)
    if overdue:
        qs = qs.filter(result=Referral.Result.PENDING, answer_due_on__lt=on or timezone.localdate())
    if after is not None:
        qs = qs.filter(Q(referred_on__lt=after[0]) | Q(referred_on=after[0], id__lt=after[1]))
    qs = qs.select_related("request__item", "enterprise", "partner", "officer")
    return list(qs.order_by("-referred_on", "-id")[:size])


def request_referrals(request_id: int) -> list[Referral]:
    return list(
        Referral.objects.filter(request_id=request_id)
        .select_related("partner", "officer")
        .order_by("referred_on", "id")
    )

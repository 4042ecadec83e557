"""Reads of the finance referrals: the partners a centre refers to, a centre's referrals with their filters,
and the one sum the figure `finance_arranged_yuan` is (approved amounts)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from gongzhi.centre.models import PARTNER_KINDS, Centre, Referral
from gongzhi.organisations.models import Organisation


def ancestors(path: str) -> list[str]:
    """A path and every path above it: "a/b/c/" → ["a/", "a/b/", "a/b/c/"]."""
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def partners_for(centre: Centre) -> QuerySet[Organisation]:
    """The partners (banks, funds, guarantors) covering the centre's place or a place above it, active."""
    return (
        Organisation.objects.filter(kind__in=list(PARTNER_KINDS), path__in=ancestors(centre.path))
        .active()
        .order_by("name", "id")
    )


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

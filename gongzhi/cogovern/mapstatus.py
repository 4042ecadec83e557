"""The per-compound status rows behind the map: what they hold (computed from this app's own rows) and the
map's states read from them in one query.

`statusrows.facts` copies, for each compound, the facts of its assembly case, its current committee and
its current (or next) contract; `map_states` joins the rows to the compounds and evaluates art. 21 and the status on
the day asked. `committee_counts` counts the required and formed compounds of many places in SQL from the
rows' stored `required_from`. The map's result equals `selectors.compound_states` for the fields the map shows
(tests/test_mapstatus.py compares them), without the overdue steps, which only the overdue list needs.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, F, Q, TextField
from django.db.models.functions import Cast, Substr
from django.utils import timezone

from gongzhi.cogovern import rules
from gongzhi.cogovern.selectors import COMPOUND_FIELDS, CompoundState, RedStatus
from gongzhi.cogovern.statusrows import DELIVERY
from gongzhi.core.paths import under, under_any
from gongzhi.insights.batch import Batch
from gongzhi.places.models import Compound

S = "cogovern_status__"
FIELDS = (
    *COMPOUND_FIELDS,
    f"{S}exempt",
    f"{S}preparing",
    f"{S}has_committee",
    f"{S}committee_until",
    f"{S}contract_from",
    f"{S}contract_until",
    f"{S}company",
    f"{S}company_red",
)


def map_states(path: str, on: date | None = None, *, outlines: bool = False) -> list[CompoundState]:
    """Every compound under `path` with the three values the map colours by: one query at any size.

    A compound without a status row has none of this app's facts yet (no case, committee or contract),
    which is what the missing row's nulls say.
    """
    day = on or timezone.localdate()
    qs = Compound.objects.filter(under(path)).order_by("code")
    fields: Iterable[str] = FIELDS
    if outlines:  # as text: decoding and re-encoding thousands of outlines would cost most of the time
        qs = qs.annotate(outline_text=Cast("outline", TextField()))
        fields = (*FIELDS, "outline_text")
    states = []
    for c in qs.values(*fields):
        fa = rules.first_assembly(
            total_area=c["total_area"],
            delivered_area=c["delivered_area"],
            owners_total=c["owners_total"],
            owners_delivered=c["owners_delivered"],
            first_delivered_on=c["first_delivered_on"],
            on=day,
        )
        required = fa.required and not c[f"{S}exempt"]
        until = c[f"{S}committee_until"]
        starts, ends = c[f"{S}contract_from"], c[f"{S}contract_until"]
        serving = starts is not None and ends is not None and starts <= day <= ends
        red = RedStatus.NONE
        if serving:
            red = RedStatus.RED if c[f"{S}company_red"] else RedStatus.PLAIN
        states.append(
            CompoundState(
                id=c["id"],
                code=c["code"],
                name=c["name"],
                path=c["path"],
                community_id=c["community_id"],
                management_type=c["management_type"],
                outline=c.get("outline_text"),
                required=required,
                trigger=fa.trigger if fa.required else "",
                status=rules.committee_status(
                    required=required,
                    preparing=bool(c[f"{S}preparing"]),
                    has_committee=bool(c[f"{S}has_committee"]),
                    term_end=until,
                    on=day,
                ),
                red=red,
                company=(c[f"{S}company"] or "") if serving else "",
                term_end=until,
            )
        )
    return states


# A compound's status row is fresh while its copy of the delivery data equals the compound's own: its
# required_from is then exactly what art. 21 says of the compound today.
FRESH = Q(
    **{f"{S}basis_{k}": F(k) for k in ("total_area", "delivered_area", "owners_total", "owners_delivered")}
) & (
    Q(**{f"{S}basis_first_delivered_on": F("first_delivered_on")})
    | Q(**{f"{S}basis_first_delivered_on__isnull": True, "first_delivered_on__isnull": True})
)


def committee_counts(batch: Batch, on: date | None = None) -> dict[str, tuple[int, int]]:
    """place path → (compounds required to have an owners' committee on `on`, those of them that have one,
    term expired or not), as `selectors.committee_figures` counts them.

    One query: the compounds under the places' common path joined to their status rows, grouped by the
    first `longest` characters of the path (every place asked about is a prefix of such a group), counting
    the fresh rows by their stored `required_from`, and how many rows are missing or stale. Only when some
    are (delivery data changed by a writer outside this app, before the next rebuild) are those compounds
    read in one more query and the rule evaluated for each: a missed refresh costs time, never a wrong figure.
    """
    day = on or timezone.localdate()
    longest = max(len(p) for p in batch.paths)
    required = FRESH & Q(**{f"{S}required_from__lte": day, f"{S}exempt": False})
    groups = (
        Compound.objects.filter(under(batch.root()))
        .annotate(_prefix=Substr("path", 1, longest))
        .values("_prefix")
        .order_by()
        .annotate(
            all=Count("pk"),
            fresh=Count("pk", filter=FRESH),
            required=Count("pk", filter=required),
            formed=Count("pk", filter=required & Q(**{f"{S}has_committee": True})),
        )
    )
    out = dict.fromkeys(batch.paths, (0, 0))
    stale = []
    for g in groups:
        for path in batch.paths:
            if g["_prefix"].startswith(path):
                out[path] = (out[path][0] + g["required"], out[path][1] + g["formed"])
        if g["all"] > g["fresh"]:
            stale.append(g["_prefix"])
    if not stale:
        return out
    rest = (
        Compound.objects.filter(under_any(stale))
        .exclude(pk__in=Compound.objects.filter(under_any(stale)).filter(FRESH).values("pk"))
        .values("path", *DELIVERY, f"{S}exempt", f"{S}has_committee")
    )
    for c in rest:
        starts = rules.required_from(**{k: c[k] for k in DELIVERY})
        if starts is None or starts > day or c[f"{S}exempt"]:
            continue
        for path in batch.paths:
            if c["path"].startswith(path):
                out[path] = (out[path][0] + 1, out[path][1] + int(bool(c[f"{S}has_committee"])))
    return out

"""The per-compound status rows behind the map: what they hold (computed from this app's own rows) and the
map's states read from them in one query.

`statusrows.facts` copies, for each compound, the facts of its assembly case, its current committee and
its current (or next) contract; `map_states` joins the rows to the compounds and evaluates art. 21 and the status on
the day asked. The result equals `selectors.compound_states` for the fields the map shows
(tests/test_mapstatus.py compares them), without the overdue steps, which only the overdue list needs.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from gongzhi.cogovern import rules
from gongzhi.cogovern.selectors import COMPOUND_FIELDS, CompoundState, RedStatus
from gongzhi.core.paths import under
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

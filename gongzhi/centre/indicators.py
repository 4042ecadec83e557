"""The centre's figures for the indicator catalogue: computed from rows under the place's path, for a centre's
division and any division above it (a centre's path hangs under the division it stands in)."""

from __future__ import annotations

from typing import Any

from gongzhi.centre import selectors
from gongzhi.centre.models import Centre, Platform
from gongzhi.core.paths import under
from gongzhi.core.registry import Figure
from gongzhi.insights.batch import Batch, batched

LEVELS = frozenset({"province", "city", "district", "subdistrict", "community"})
STAGES = ("lead", "contact", "visit", "negotiation", "signed", "registered", "moved_in", "producing")

FIGURES = [
    Figure("centre_platforms", "产业平台数", "Industry platforms of the centres", "个", LEVELS),
    Figure("enterprises_settled", "入驻企业数", "Enterprises settled in the centres", "家", LEVELS),
    Figure("occupancy_rate", "楼宇出租率", "Share of the centres' floor area let today", "比例", LEVELS),
    Figure("projects_in_pipeline", "在库招商项目数", "Projects in the attraction pipeline", "个", LEVELS),
    *(
        Figure(
            f"projects_stage_{code}",
            f"处于“{code}”阶段的项目数",
            f"Projects now at stage {code}",
            "个",
            LEVELS,
        )
        for code in STAGES
    ),
    Figure("agreements_signed", "签约协议数", "Agreements signed at events", "份", LEVELS),
    Figure(
        "agreements_landed", "签约落地数", "Signed agreements whose enterprise holds a lease", "份", LEVELS
    ),
    Figure("service_requests", "企业服务诉求数", "Service requests filed by enterprises", "件", LEVELS),
    Figure(
        "service_on_time_rate",
        "诉求按时办结率",
        "Answered requests answered within the limit",
        "比例",
        LEVELS,
    ),
    Figure("service_rating", "企业平均评价", "Average rating given by enterprises (1–5)", "分", LEVELS),
    Figure(
        "finance_arranged_yuan",
        "落实融资金额",
        "Finance approved by partners on the centres' referrals",
        "元",
        LEVELS,
    ),
]


def _centre_figures(path: str) -> dict[str, Any]:
    """The figures of the centres under `path` (a dozen queries: asked only where a centre is)."""
    stages = {row["stage"].code: row["current"] for row in selectors.funnel(path)}
    agreements = selectors.agreement_figures(path)
    service = selectors.service_figures(path)
    out: dict[str, Any] = {
        "centre_platforms": Platform.objects.filter(path__under=path).count(),
        "enterprises_settled": selectors.enterprises_settled(path),
        "occupancy_rate": selectors.occupancy(path)["rate"],
        "projects_in_pipeline": sum(stages.values()),
        "agreements_signed": agreements["signed"],
        "agreements_landed": agreements["landed"],
        "service_requests": service["requests"],
        "service_on_time_rate": service["on_time_rate"],
        "service_rating": service["rating"],
        "finance_arranged_yuan": service["finance_yuan"],
    }
    for code in STAGES:
        out[f"projects_stage_{code}"] = stages.get(code, 0)
    return out


def _nothing() -> dict[str, Any]:
    """A place with no centre: no platforms, enterprises, projects or requests, and rates of 0."""
    out: dict[str, Any] = {
        "centre_platforms": 0,
        "enterprises_settled": 0,
        "occupancy_rate": 0.0,
        "projects_in_pipeline": 0,
        "agreements_signed": 0,
        "agreements_landed": 0,
        "service_requests": 0,
        "service_on_time_rate": 0.0,
        "service_rating": 0.0,
        "finance_arranged_yuan": 0,
    }
    out.update({f"projects_stage_{code}": 0 for code in STAGES})
    return out


@batched
def figures(batch: Batch) -> dict[str, dict[str, Any]]:
    """Centres are few: one query finds the places asked about that hold one, and only those are counted, once
    per distinct set of centres, so a page of a district's hundred communities pays for its one centre, not
    for a hundred, and the city's page with that district's for it once."""
    centres = Centre.objects.filter(under(batch.root())).values_list("path", flat=True)
    holding = batch.assign(centres, path_of=lambda path: path)
    # Every row these figures count carries its centre's path (models' docstring), so a place's figures
    # depend only on the centres under it: a city and the district holding its one centre are counted once.
    done: dict[tuple[str, ...], dict[str, Any]] = {}
    out: dict[str, dict[str, Any]] = {}
    for path in batch.paths:
        held = tuple(sorted(holding[path]))
        if held not in done:
            done[held] = _centre_figures(path) if held else _nothing()
        out[path] = dict(done[held])
    return out

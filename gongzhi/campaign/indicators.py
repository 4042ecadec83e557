"""The campaign's figures for the indicator catalogue: targets under a place, done, and weighted progress."""

from __future__ import annotations

from typing import Any

from gongzhi.campaign.selectors import figures_under
from gongzhi.core.registry import Figure
from gongzhi.insights.registry import PlaceScope

FIGURES = [
    Figure("campaign_targets", "攻坚目标数", "Campaign targets", "个"),
    Figure("campaign_targets_done", "已完成攻坚目标数", "Campaign targets done", "个"),
    Figure("campaign_progress", "攻坚目标总体进度", "Campaign progress (0–1)", "比例"),
]


def figures(scope: PlaceScope) -> dict[str, Any]:
    return figures_under(scope.path, scope.as_of)

"""The campaign's figures for the indicator catalogue: targets under a place, done, and weighted progress."""

from __future__ import annotations

from typing import Any

from gongzhi.campaign.selectors import figures_of, targets_as_of
from gongzhi.core.registry import Figure
from gongzhi.insights.batch import Batch, batched

FIGURES = [
    Figure("campaign_targets", "攻坚目标数", "Campaign targets", "个", dated=True),
    Figure("campaign_targets_done", "已完成攻坚目标数", "Campaign targets done", "个", dated=True),
    Figure("campaign_progress", "攻坚目标总体进度", "Campaign progress (0–1)", "比例", dated=True),
]


@batched
def figures(batch: Batch) -> dict[str, dict[str, Any]]:
    """The targets under the places' common path, loaded once and shared out by path; the
    dated updates give each target's state on a past day."""
    targets = targets_as_of(batch.root(), batch.as_of)
    return {path: figures_of(mine) for path, mine in batch.assign(targets).items()}

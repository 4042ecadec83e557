"""How a catalogued figure is written on a page: a ratio as a percentage, a count with thousands separators."""

from __future__ import annotations

from typing import Any

from django import template

from gongzhi.core.registry import FIGURES, Figure
from gongzhi.dashboard.sandbox import num, pct

register = template.Library()


@register.filter
def figure(value: Any, fig: Figure) -> str:
    return pct(value) if fig.unit in ("比例", "%") else num(value)


@register.filter
def figure_code(value: Any, code: str) -> str:
    fig = FIGURES.get(code)
    return figure(value, fig) if fig is not None else num(value)

"""Render a bulletin template a district edited, in a sandbox.

The template is Django's template language with a short list of tags and filters (no `load`, `include`,
`extends`, `debug`, `url`…), no loaders, autoescaping on, a size limit, and a context of plain numbers and
strings only — so an edited template can format the figures it is given and nothing else.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.template import Context, Engine, Library, TemplateSyntaxError, defaultfilters, defaulttags

MAX_TEMPLATE_CHARS = 5000
MAX_OUTPUT_CHARS = 20000

TAGS = ("if", "for", "with", "comment", "firstof", "spaceless", "widthratio", "cycle")
FILTERS = (
    "default",
    "default_if_none",
    "floatformat",
    "length",
    "add",
    "join",
    "first",
    "last",
    "upper",
    "lower",
    "yesno",
    "date",
    "divisibleby",
    "intcomma",
)

safe = Library()
for _name in TAGS:
    safe.tags[_name] = defaulttags.register.tags[_name]
for _name in FILTERS:
    if _name in defaultfilters.register.filters:
        safe.filters[_name] = defaultfilters.register.filters[_name]


def _number(value: Any) -> float | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@safe.filter
def pct(value: Any, digits: int = 2) -> str:
    """A share as a percentage: 0.5 → "50.00%"; no figure → "—"."""
    n = _number(value)
    return "—" if n is None else f"{n * 100:.{int(digits)}f}%"


@safe.filter
def num(value: Any) -> str:
    """A count with thousands separators, a fraction with two places: 1234 → "1,234"; 12.5 → "12.50"; no figure → "—"."""
    n = _number(value)
    if n is None:
        return "—"
    return f"{int(n):,}" if n == int(n) else f"{n:,.2f}"


class _Sandbox(Engine):
    default_builtins: list[str] = []


ENGINE = _Sandbox(loaders=[], libraries={}, autoescape=True, debug=False)
ENGINE.template_builtins = [safe]


def compile_body(body: str) -> Any:
    """The compiled template, or a ValidationError in Chinese naming what is wrong."""
    if len(body) > MAX_TEMPLATE_CHARS:
        raise ValidationError({"body": f"模板超过 {MAX_TEMPLATE_CHARS} 个字符"})
    try:
        return ENGINE.from_string(body)
    except TemplateSyntaxError as exc:
        raise ValidationError({"body": f"模板有误：{exc}"}) from None


def render_body(body: str, context: dict[str, Any]) -> str:
    out = compile_body(body).render(Context(context, autoescape=True))
    return str(out)[:MAX_OUTPUT_CHARS]

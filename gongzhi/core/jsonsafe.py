"""JSON from users, parsed with a bound on nesting (issue 15: deeply nested outline JSON answered 500).

Python's json module recurses once per level, so `[[[[…]]]]` 100,000 deep raises RecursionError — not a
ValueError, so no form or parser caught it. The depth is measured first without recursion; GeoJSON needs 4.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 32
_STRING = re.compile(r'"(?:\\.|[^"\\])*"')
_BRACKET = re.compile(r"[\[\]{}]")


def depth(text: str) -> int:
    """The deepest nesting of arrays and objects in `text` (strings ignored; not a validity check)."""
    level = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        if match.group() in "[{":
            level += 1
            deepest = max(deepest, level)
        else:
            level -= 1
    return deepest


def loads(text: str | bytes, max_depth: int = MAX_DEPTH) -> Any:
    """json.loads, refusing (ValueError) what is nested deeper than `max_depth`."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    if depth(text) > max_depth:
        raise ValueError(f"JSON 嵌套超过 {max_depth} 层")
    return json.loads(text)

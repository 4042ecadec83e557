"""Approximate extents of Qingdao's districts (public map knowledge, rounded) for synthetic outlines.

Compounds are laid out on a grid inside their community's cell, so outlines never overlap and each lies
within its community's area. Real outlines come from the districts' own surveys, not from here.
"""

from __future__ import annotations

# code: (min_lon, min_lat, max_lon, max_lat)
DISTRICT_BOXES: dict[str, tuple[float, float, float, float]] = {
    "370202": (120.330, 36.045, 120.440, 36.090),  # 市南区
    "370203": (120.330, 36.085, 120.420, 36.130),  # 市北区
    "370211": (119.950, 35.850, 120.250, 36.050),  # 黄岛区
    "370212": (120.440, 36.090, 120.600, 36.200),  # 崂山区
    "370213": (120.380, 36.135, 120.480, 36.200),  # 李沧区
    "370214": (120.300, 36.220, 120.480, 36.350),  # 城阳区
    "370215": (120.400, 36.360, 120.600, 36.500),  # 即墨区
    "370281": (119.900, 36.220, 120.100, 36.350),  # 胶州市
    "370283": (119.900, 36.720, 120.050, 36.850),  # 平度市
    "370285": (120.450, 36.820, 120.600, 36.920),  # 莱西市
}


def grid(n: int, box: tuple[float, float, float, float]) -> list[tuple[float, float, float, float]]:
    """Split a box into n cells (row-major), as square as possible."""
    import math

    cols = max(1, math.ceil(math.sqrt(n)))
    rows = max(1, math.ceil(n / cols))
    min_lon, min_lat, max_lon, max_lat = box
    w = (max_lon - min_lon) / cols
    h = (max_lat - min_lat) / rows
    cells = []
    for i in range(n):
        r, c = divmod(i, cols)
        cells.append((min_lon + c * w, min_lat + r * h, min_lon + (c + 1) * w, min_lat + (r + 1) * h))
    return cells

"""The property-management map drawn as SVG on the server from the compounds' outlines (shapely), for the
A3 PDF: vector, sharp on a wall, no browser and no tiles involved.

Longitude is scaled by cos(latitude) so a compound keeps its shape at Qingdao's 36°N; the drawing fits the
box with a margin; each compound is filled with its category's colour and labelled at a point inside it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from django.utils.html import escape
from shapely.geometry import shape


def _rings(geom: Any) -> list[Any]:
    polys = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
    return [(p.exterior, list(p.interiors)) for p in polys]


def render_svg(
    features: Sequence[dict[str, Any]],
    colour_of: dict[str, str],
    layer: str,
    *,
    width: float = 1000,
    height: float = 640,
    margin: float = 24,
) -> str:
    """An <svg> of the features (GeoJSON Features with properties[layer] and name) filled by colour_of."""
    shapes = []
    for f in features:
        try:
            geom = shape(f["geometry"])
        except Exception:  # an outline that cannot be read is left out, never breaks the print
            continue
        if not geom.is_empty:
            shapes.append((f["properties"], geom))
    head = f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" width="100%">'
    if not shapes:
        return head + "</svg>"
    minx = min(g.bounds[0] for _, g in shapes)
    miny = min(g.bounds[1] for _, g in shapes)
    maxx = max(g.bounds[2] for _, g in shapes)
    maxy = max(g.bounds[3] for _, g in shapes)
    kx = math.cos(math.radians((miny + maxy) / 2))
    span_x, span_y = max((maxx - minx) * kx, 1e-9), max(maxy - miny, 1e-9)
    scale = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)
    ox = (width - span_x * scale) / 2
    oy = (height - span_y * scale) / 2

    def xy(lon: float, lat: float) -> str:
        return f"{ox + (lon - minx) * kx * scale:.1f},{oy + (maxy - lat) * scale:.1f}"

    parts = [head, f'<rect width="{width:g}" height="{height:g}" fill="#fafafa"/>']
    labels = []
    for props, geom in shapes:
        d = []
        for exterior, interiors in _rings(geom):
            for ring in [exterior, *interiors]:
                d.append("M" + " L".join(xy(x, y) for x, y in ring.coords) + " Z")
        colour = colour_of.get(str(props.get(layer, "")), "#bdbdbd")
        parts.append(
            f'<path d="{" ".join(d)}" fill="{colour}" fill-opacity="0.75" stroke="#333" '
            f'stroke-width="0.8" fill-rule="evenodd"/>'
        )
        p = geom.representative_point()
        x, y = xy(p.x, p.y).split(",")
        name = str(props.get("name", ""))
        box_px = (geom.bounds[2] - geom.bounds[0]) * kx * scale
        font = max(6.0, min(14.0, box_px * 0.9 / max(len(name), 1)))  # the name fits inside its compound
        labels.append(
            f'<text x="{x}" y="{y}" font-size="{font:.1f}" text-anchor="middle" '
            f'dominant-baseline="middle">{escape(name)}</text>'
        )
    parts.extend(labels)
    parts.append("</svg>")
    return "".join(parts)

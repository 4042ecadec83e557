"""Compound outlines: GeoJSON polygons checked with shapely."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.validation import explain_validity

# China's extent in WGS 84 / GCJ-02 degrees (mainland, islands included), generously rounded.
CHINA_LON = (73.0, 136.0)
CHINA_LAT = (3.0, 54.0)


def validate_outline(value: Any) -> dict[str, Any]:
    """Return the GeoJSON geometry if it is a valid Polygon or MultiPolygon inside China, else raise."""
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or value.get("type") not in {"Polygon", "MultiPolygon"}:
        raise ValidationError(_("边界必须是 GeoJSON 的 Polygon 或 MultiPolygon。"))
    try:
        geom = shape(value)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        raise ValidationError(_("边界坐标无法解析：%(err)s") % {"err": exc}) from exc
    if geom.is_empty:
        raise ValidationError(_("边界为空。"))
    if not geom.is_valid:
        raise ValidationError(_("边界不是有效的多边形：%(why)s") % {"why": explain_validity(geom)})
    minx, miny, maxx, maxy = geom.bounds
    if minx < CHINA_LON[0] or maxx > CHINA_LON[1] or miny < CHINA_LAT[0] or maxy > CHINA_LAT[1]:
        raise ValidationError(_("边界超出中国的经纬度范围（经度 73–136，纬度 3–54）。"))
    return dict(value)


def rectangle(lon: float, lat: float, width: float, height: float) -> dict[str, Any]:
    """A closed rectangular Polygon, used by the demo generator."""
    ring = [
        [round(lon, 6), round(lat, 6)],
        [round(lon + width, 6), round(lat, 6)],
        [round(lon + width, 6), round(lat + height, 6)],
        [round(lon, 6), round(lat + height, 6)],
        [round(lon, 6), round(lat, 6)],
    ]
    return {"type": "Polygon", "coordinates": [ring]}

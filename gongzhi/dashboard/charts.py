"""Charts drawn on the server for printed bulletins: SVG for HTML and PDF, PNG (Pillow) for DOCX.

One description (`Bars`: a title, labels, values, a unit) and two renderers, so the PDF and the DOCX show the
same chart; no browser is involved.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from html import escape

WIDTH, ROW, LEFT, TOP = 640, 26, 150, 40
FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
RED = "#b71c1c"


@dataclass(frozen=True)
class Bars:
    title: str
    labels: list[str]
    values: list[float | None]
    percent: bool = False

    def text(self, value: float | None) -> str:
        if value is None:
            return "—"
        return (
            f"{value * 100:.2f}%"
            if self.percent
            else f"{value:,.0f}"
            if value == int(value)
            else f"{value:,.2f}"
        )

    @property
    def height(self) -> int:
        return TOP + ROW * max(1, len(self.labels)) + 16

    def scale(self) -> float:
        top = max([v for v in self.values if v is not None] + [0.0])
        return (WIDTH - LEFT - 90) / top if top > 0 else 0.0


def bars_svg(chart: Bars) -> str:
    """A horizontal bar chart as an SVG element (inline in HTML and in WeasyPrint's PDF)."""
    k = chart.scale()
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{chart.height}" '
        f'viewBox="0 0 {WIDTH} {chart.height}" role="img" aria-label="{escape(chart.title)}" font-size="13">',
        f'<text x="0" y="20" font-size="15" font-weight="bold">{escape(chart.title)}</text>',
    ]
    for i, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
        y = TOP + i * ROW
        w = max(0.0, (value or 0) * k)
        parts.append(f'<text x="{LEFT - 8}" y="{y + 16}" text-anchor="end">{escape(label[:12])}</text>')
        parts.append(f'<rect x="{LEFT}" y="{y + 3}" width="{w:.1f}" height="{ROW - 8}" fill="{RED}"/>')
        parts.append(f'<text x="{LEFT + w + 6:.1f}" y="{y + 16}">{escape(chart.text(value))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bars_png(chart: Bars, scale: int = 2) -> bytes:
    """The same chart as PNG bytes (python-docx embeds raster images only)."""
    from PIL import Image, ImageDraw, ImageFont

    font: ImageFont.FreeTypeFont | ImageFont.ImageFont
    bold: ImageFont.FreeTypeFont | ImageFont.ImageFont
    for path in FONT_FILES:
        try:
            font = ImageFont.truetype(path, 13 * scale)
            bold = ImageFont.truetype(path, 15 * scale)
            break
        except OSError:
            continue
    else:
        font = bold = ImageFont.load_default()
    image = Image.new("RGB", (WIDTH * scale, chart.height * scale), "white")
    draw = ImageDraw.Draw(image)
    draw.text((0, 4 * scale), chart.title, fill="black", font=bold)
    k = chart.scale()
    for i, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
        y = (TOP + i * ROW) * scale
        w = max(0.0, (value or 0) * k) * scale
        draw.text(((LEFT - 8) * scale, y + 4 * scale), label[:12], fill="black", font=font, anchor="ra")
        draw.rectangle([LEFT * scale, y + 3 * scale, LEFT * scale + w, y + (ROW - 5) * scale], fill=RED)
        draw.text((LEFT * scale + w + 6 * scale, y + 4 * scale), chart.text(value), fill="black", font=font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()

"""The bulletin (工作简报) of a place on a day: sentences from the district's template, a table by
subdivision and a chart — built once (`build`) and written as HTML, PDF, DOCX or XLSX.

Every figure comes from the catalogue: live for today, from the day's snapshot for a past date; nothing in a
bulletin is typed in by hand.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from gongzhi.core.registry import FIGURES
from gongzhi.dashboard import charts, selectors
from gongzhi.dashboard.sandbox import num, pct, render_body
from gongzhi.dashboard.services import as_number
from gongzhi.places.models import Compound, Division


@dataclass
class Bulletin:
    title: str
    place: Division | Compound
    on: date
    source: str  # "live" or "snapshot"
    snapshot_day: date | None
    paragraphs: list[str]
    headers: list[str]
    rows: list[list[str]]
    raw_rows: list[list[Any]]
    chart: charts.Bars

    @property
    def date_text(self) -> str:
        return f"{self.on.year}年{self.on.month}月{self.on.day}日"

    @property
    def svg(self) -> SafeString:
        return mark_safe(charts.bars_svg(self.chart))  # built from escaped text only (charts.bars_svg)

    @property
    def filename(self) -> str:
        return f"{self.place.name}工作简报{self.on.isoformat()}"


def fmt(code: str, value: Any) -> str:
    f = FIGURES.get(code)
    return pct(value) if f is not None and selectors.is_ratio(f) else num(value)


def build(place: Division | Compound, on: date, today: date) -> Bulletin:
    template = selectors.bulletin_template(place)
    asked = None if on >= today else on
    source, day, found = selectors.figures_of(place, asked)
    _ago_day, ago = selectors.year_ago(place.code, on) if isinstance(place, Division) else (None, {})
    codes = [c for c in template.figure_codes() if c in FIGURES]
    breakdown = selectors.breakdown(place, [*codes, template.chart_figure], asked)
    context = {
        "place": place.name,
        "date": f"{on.year}年{on.month}月{on.day}日",
        "f": {k: v for k, v in found.items()},
        "ya": dict(ago),
        "subs": [{"name": r["name"], "f": dict(zip(codes, r["values"], strict=False))} for r in breakdown],
    }
    text = render_body(template.body, context)
    paragraphs = [p.strip() for p in text.replace("\r", "").split("\n\n") if p.strip()]
    chart_code = template.chart_figure
    chart_figure = FIGURES.get(chart_code)
    chart = charts.Bars(
        title=f"{selectors.label(chart_code)}（按{'小区' if breakdown and isinstance(breakdown[0]['place'], Compound) else '下级地区'}）",
        labels=[r["name"] for r in breakdown],
        values=[as_number(r["values"][-1]) for r in breakdown],
        percent=chart_figure is not None and selectors.is_ratio(chart_figure),
    )
    return Bulletin(
        title=template.title,
        place=place,
        on=on,
        source=source,
        snapshot_day=day,
        paragraphs=paragraphs,
        headers=["名称", *[selectors.label(c) for c in codes]],
        rows=[[r["name"], *[fmt(c, v) for c, v in zip(codes, r["values"], strict=False)]] for r in breakdown],
        raw_rows=[[r["name"], *r["values"][: len(codes)]] for r in breakdown],
        chart=chart,
    )


def to_pdf(b: Bulletin) -> bytes:
    from gongzhi.core.pdf import render_pdf

    return render_pdf("print/bulletin.html", {"b": b})


def to_docx(b: Bulletin) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    doc.add_heading(b.title, level=1)
    doc.add_paragraph(f"{b.place.name}　{b.date_text}")
    for p in b.paragraphs:
        doc.add_paragraph(p)
    table = doc.add_table(rows=1, cols=len(b.headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, b.headers, strict=True):
        cell.text = text
    for row in b.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    doc.add_paragraph()
    doc.add_picture(io.BytesIO(charts.bars_png(b.chart)), width=Cm(16))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def to_xlsx(b: Bulletin) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("简报")
    bold = book.add_format({"bold": True})
    sheet.write(0, 0, b.title, bold)
    sheet.write(1, 0, f"{b.place.name} {b.date_text}")
    for i, p in enumerate(b.paragraphs):
        sheet.write(3 + i, 0, p)
    table = book.add_worksheet("分地区")
    for j, h in enumerate(b.headers):
        table.write(0, j, h, bold)
    for i, row in enumerate(b.raw_rows, 1):
        for j, v in enumerate(row):
            table.write(i, j, v if v is not None else "—")
    table.set_column(0, 0, 20)
    table.set_column(1, len(b.headers), 14)
    book.close()
    return out.getvalue()

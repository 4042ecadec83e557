"""The shared PDF renderer: Chinese text survives, pages are drawn, and nothing is fetched from the network."""

from __future__ import annotations

import pytest
from django.template import engines

from gongzhi.core import pdf


def _render(body: str) -> bytes:
    template = engines["django"].from_string(
        '{% extends "print/base.html" %}{% block body %}' + body + "{% endblock %}"
    )
    html = template.render({"cjk_fonts": pdf.CJK_FONTS})
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=pdf._static_fetcher()).write_pdf()


def test_chinese_text_comes_back_out_of_the_pdf() -> None:
    data = _render("<h1>业主表决票</h1><table><tr><td>1号楼1单元101</td><td>89.50</td></tr></table>")
    text = pdf.pdf_text(data)
    assert "业主表决票" in text
    assert "1号楼1单元101" in text
    png = pdf.pdf_page_png(data)
    assert png.startswith(b"\x89PNG")


def test_a_remote_resource_is_refused_not_fetched() -> None:
    with pytest.raises(ValueError, match="static files only"):
        pdf._static_fetcher().fetch("http://example.com/evil.css")


def test_a_static_file_is_read_from_disk() -> None:
    found = pdf._static_fetcher().fetch("http://gongzhi.local/static/gongzhi/site.css")
    assert b"{" in found.read()

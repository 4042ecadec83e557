"""PDF documents rendered from Django templates (WeasyPrint), for the sheets, maps, cards and bulletins.

One place decides how a printed page is made: the template extends ``print/base.html`` (A4 or A3, the CJK
font stack, page numbers), static files are read from disk (no network: a government intranet), and the
result is bytes the view returns or the task stores. Tests read the text back with ``pdf_text`` and look at
a page with ``pdf_page_png`` (pypdfium2, no poppler needed).
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header

# The fonts browser-deps installs (Debian's fonts-noto-cjk), then what a Windows or Kylin intranet PC has.
CJK_FONTS = '"Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "SimSun"'


def _static_fetcher() -> Any:
    """A WeasyPrint fetcher serving ``/static/…`` and ``data:`` only, so a PDF never reaches the network."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            prefix = "/static/"
            path = url.split("://", 1)[-1]
            if prefix in path:
                found = finders.find(path[path.find(prefix) + len(prefix) :].split("?")[0])
                if isinstance(found, str):
                    with open(found, "rb") as fh:
                        return URLFetcherResponse(url, fh.read())
            raise ValueError(f"PDF resources come from static files only: {url}")

    return StaticOnly()


def render_pdf(
    template_name: str, context: dict[str, Any], *, base_url: str = "http://gongzhi.local/"
) -> bytes:
    """Render ``template_name`` with ``context`` to PDF bytes."""
    from weasyprint import HTML

    html = render_to_string(template_name, {"cjk_fonts": CJK_FONTS, **context})
    return HTML(string=html, base_url=base_url, url_fetcher=_static_fetcher()).write_pdf()  # type: ignore[no-any-return]


def pdf_response(pdf: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """An HTTP response carrying ``pdf``; ``filename`` may be Chinese (RFC 5987 encoding by Django)."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(not inline, filename) or "attachment"
    return response


def pdf_text(pdf: bytes) -> str:
    """The text of every page, for tests and for checking what a printed document says."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    doc = pdfium.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()


def pdf_page_png(pdf: bytes, page: int = 0, scale: float = 1.5) -> bytes:
    """One page as PNG bytes, to look at a printed document or check it is not blank."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        image = doc[page].render(scale=scale).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue()
    finally:
        doc.close()

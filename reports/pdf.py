"""HTML to tagged PDF with WeasyPrint, and reading a PDF's page count back.

PDF/UA-1 gives a structure tree (headings, tables, figures with the SVG title as alternative
text), /Lang from <html lang>, the document title from <title> and XMP metadata, so the report
can be read with a screen reader.
"""

from __future__ import annotations

import gc
import io
import logging
from collections.abc import Mapping

from reports.pdf_tags import fix_tags

PDF_VARIANT = "pdf/ua-1"
# WeasyPrint reports every layout step at INFO; the root logger here is at INFO too.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def render_pdf(html: str, *, base_url: str | None = None, link_titles: Mapping[str, str] | None = None) -> bytes:
    """The PDF of a complete HTML document (the report template's output)."""
    return render_pdf_with_pages(html, base_url=base_url, link_titles=link_titles)[0]


def render_pdf_with_pages(
    html: str, *, base_url: str | None = None, link_titles: Mapping[str, str] | None = None
) -> tuple[bytes, int]:
    """The PDF and its page count, taken from the layout rather than by re-reading the PDF.

    The tags are then corrected for PDF/UA (reports.pdf_tags): margin boxes as artifacts, the contents
    as TOC, links described by `link_titles` (target id -> what is there)."""
    # Imported here: WeasyPrint loads Pango and friends, which pages that never print do not need.
    from weasyprint import HTML

    # Layout makes millions of short-lived objects; the cyclic collector walking them (and all of
    # Django) costs ~15% of the render, for a few MB it would free. Paused for the render only.
    collecting = gc.isenabled()
    gc.disable()
    try:
        document = HTML(string=html, base_url=base_url).render(pdf_variant=PDF_VARIANT)
        pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
        pages = len(document.pages)
    finally:
        if collecting:
            gc.enable()
    return fix_tags(pdf, link_titles=link_titles), pages


def page_count(pdf_bytes: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        return len(pdf.pages)

"""HTML to tagged PDF with WeasyPrint, and reading a PDF's page count back.

PDF/UA-1 gives a structure tree (headings, tables, figures with the SVG title as alternative
text), /Lang from <html lang>, the document title from <title> and XMP metadata, so the report
can be read with a screen reader.
"""

from __future__ import annotations

import io
import logging

PDF_VARIANT = "pdf/ua-1"
# WeasyPrint reports every layout step at INFO; the root logger here is at INFO too.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """The PDF of a complete HTML document (the report template's output)."""
    # Imported here: WeasyPrint loads Pango and friends, which pages that never print do not need.
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant=PDF_VARIANT)


def page_count(pdf_bytes: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf_bytes)).pages)

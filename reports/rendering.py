"""From an inspection (or a published snapshot) to report HTML and PDF bytes."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from inspections.models import Inspection
from reports.assembly import assemble_report
from reports.pdf import render_pdf_with_pages


def report_html(
    inspection: Inspection, *, snapshot: dict | None = None, for_pdf: bool = False, back_url: str = ""
) -> str:
    """The report as one HTML document; `back_url` (the preview only) links back to the application."""
    context = assemble_report(inspection, snapshot=snapshot)
    context["for_pdf"] = for_pdf
    context["back_url"] = "" if for_pdf else back_url
    return render_to_string("reports/report.html", context)


def render_report_pdf(inspection: Inspection, *, snapshot: dict | None = None) -> tuple[bytes, int]:
    context = assemble_report(inspection, snapshot=snapshot)
    context["for_pdf"] = True
    html = render_to_string("reports/report.html", context)
    return render_pdf_with_pages(html, base_url=str(settings.BASE_DIR), link_titles=context["link_titles"])

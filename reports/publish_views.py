"""Report preview, background rendering, publishing, published versions and exports."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST

from cases.access import InspectionAccess, as_policy_access, inspection_access
from inspections.models import Membership
from reports import exports
from reports.models import PublishedReport, ReportRender
from reports.publishing import PublishingError, may_publish, publish_report, request_render, verified_pdf


def _readers(user, slug: str) -> InspectionAccess:
    """Leads, observers and admins read drafts and exports; assessors do not (403)."""
    access = inspection_access(user, slug)
    if not (access.is_lead or access.role == Membership.Role.OBSERVER):
        raise PermissionDenied("Only the lead inspector can see the draft report.")
    return access


# The report's layout and its charts (as for the PDF) are styled inline; scripts stay forbidden.
@csp_override({**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]})
@login_required
def preview(request: HttpRequest, slug: str) -> HttpResponse:
    from reports.rendering import report_html

    access = _readers(request.user, slug)
    return HttpResponse(report_html(access.inspection))


@login_required
def report_status(request: HttpRequest, slug: str) -> HttpResponse:
    access = _readers(request.user, slug)
    inspection = access.inspection
    latest = inspection.renders.defer("pdf").first()
    template = "reports/includes/render_status.html" if request.htmx else "reports/report_status.html"
    return render(
        request,
        template,
        {
            "inspection": inspection,
            "access": access,
            "latest": latest,
            "published": inspection.published_reports.defer("pdf", "snapshot").select_related("published_by"),
            "may_publish": may_publish(request.user, inspection),
            "finalised": inspection.status in {"finalised", "published"},
        },
    )


@login_required
@require_POST
def render_request(request: HttpRequest, slug: str) -> HttpResponse:
    access = inspection_access(request.user, slug)
    access.require_lead()
    request_render(user=request.user, inspection=access.inspection)
    messages.success(request, "The report is being rendered. This page shows when it is ready.")
    return redirect("report_status", slug)


@login_required
def render_download(request: HttpRequest, slug: str, render_id: int) -> HttpResponse:
    access = _readers(request.user, slug)
    job = get_object_or_404(ReportRender, pk=render_id, inspection=access.inspection, status=ReportRender.Status.READY)
    response = HttpResponse(bytes(job.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{slug}-draft-{job.pk}.pdf"'
    return response


@login_required
@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    access = inspection_access(request.user, slug)
    if not may_publish(request.user, access.inspection):
        raise PermissionDenied("Only an administrator can publish reports.")
    try:
        published = publish_report(
            user=request.user, inspection=access.inspection, reason=request.POST.get("reason", "")
        )
    except PublishingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Version {published.version} published. SHA-256 {published.sha256}")
    return redirect("report_status", slug)


@login_required
def published_download(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    access = inspection_access(request.user, slug)  # members of the inspection and admins
    published = get_object_or_404(PublishedReport, inspection=access.inspection, version=version)
    try:
        data = verified_pdf(published)
    except PublishingError as error:
        return HttpResponse(str(error), status=500, content_type="text/plain")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{slug}-v{version}.pdf"'
    response["X-Content-SHA256"] = published.sha256
    return response


def _export(request: HttpRequest, name: str, sheet: str, header: list[str], rows) -> HttpResponse:
    kind = request.GET.get("format", "csv")
    if kind == "xlsx":
        response = FileResponse(
            exports.xlsx_file(sheet, header, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    if kind != "csv":
        raise Http404("Unknown format")
    response = StreamingHttpResponse(exports.csv_stream(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@login_required
def export_answers(request: HttpRequest, slug: str) -> HttpResponse:
    access = _readers(request.user, slug)
    pseudonymise = not as_policy_access(request.user, access).sees_case_refs
    header = exports.PSEUDONYMOUS_COLUMNS if pseudonymise else exports.ANSWER_COLUMNS
    rows = exports.answer_rows(access.inspection, pseudonymise=pseudonymise)
    return _export(request, f"{slug}-answers", "Answers", header, rows)


@login_required
def export_scores_file(request: HttpRequest, slug: str) -> HttpResponse:
    access = _readers(request.user, slug)
    return _export(request, f"{slug}-scores", "Scores", exports.SCORE_COLUMNS, exports.score_rows(access.inspection))

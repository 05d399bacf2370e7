"""Report preview, background rendering, publishing, revisions, published versions and exports."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST

from inspections.errors import Refused, http_status
from inspections.lifecycle import refusal, stage_allows
from inspections.policy import Access, Action, access_for
from inspections.seen import seen_token
from reports import exports
from reports.models import PublishedReport, ReportRender
from reports.publishing import (
    TamperedPublication,
    publish_report,
    publish_summary,
    request_render,
    start_revision,
    verify,
)
from reports.versions import version_history


def _readers(user, slug: str) -> Access:
    """Leads, observers and admins read drafts and exports; assessors do not (403)."""
    access = access_for(user, slug)
    access.require(Action.SEE_SCORES)
    return access


# The report's layout and its charts (as for the PDF) are styled inline; scripts stay forbidden.
@csp_override({**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]})
@login_required
def preview(request: HttpRequest, slug: str) -> HttpResponse:
    from reports.rendering import report_html

    access = _readers(request.user, slug)
    return HttpResponse(report_html(access.inspection, back_url=reverse("report_status", args=[slug])))


@login_required
def report_status(request: HttpRequest, slug: str) -> HttpResponse:
    access = _readers(request.user, slug)
    if request.htmx:
        latest = access.inspection.renders.defer("pdf").first()
        return render(
            request, "reports/includes/render_status.html", {"inspection": access.inspection, "latest": latest}
        )
    return _status_page(request, access)


def _status_page(request, access: Access, *, errors: dict | None = None, posted: dict | None = None, status=200):
    inspection = access.inspection
    published = list(inspection.published_reports.defer("pdf").select_related("published_by", "revision"))
    may_publish = access.may(Action.PUBLISH) and stage_allows(inspection, Action.PUBLISH)
    may_revise = access.may(Action.START_REVISION) and stage_allows(inspection, Action.START_REVISION)
    return render(
        request,
        "reports/report_status.html",
        {
            "inspection": inspection,
            "access": access,
            "latest": inspection.renders.defer("pdf").first(),
            "versions": version_history(published),
            "may_publish": may_publish,
            "may_revise": may_revise,
            "publish_refusal": ""
            if stage_allows(inspection, Action.PUBLISH)
            else refusal(Action.PUBLISH, inspection.status),
            "publisher_role": "lead or an administrator"
            if access.may(Action.PUBLISH) and not access.admin
            else "an administrator",
            "open_revision": inspection.report_revisions.filter(published__isnull=True).order_by("-number").first(),
            "seen": seen_token(publish_summary(inspection)) if may_publish else "",
            "latest_version": published[0].version if published else None,
            "errors": errors or {},
            "posted": posted or {},
        },
        status=status,
    )


@login_required
@require_POST
def render_request(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user, slug)
    access.require(Action.EDIT_REPORT)
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


def _refused(request, access: Access, error: Refused, key: str, posted: dict) -> HttpResponse:
    field_key = key if error.field == "reason" else "publish"
    return _status_page(
        request,
        access,
        errors={field_key: str(error)},
        posted=posted,
        status=http_status(error),
    )


@login_required
@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user, slug)
    access.require(Action.PUBLISH)
    posted = {"reason": request.POST.get("reason", "").strip()}
    try:
        published = publish_report(
            user=request.user, inspection=access.inspection, seen=request.POST.get("seen"), reason=posted["reason"]
        )
    except Refused as error:
        return _refused(request, access, error, "publish-reason", posted)
    messages.success(request, f"Version {published.version} published. SHA-256 of the PDF: {published.sha256}")
    return redirect("report_status", slug)


@login_required
@require_POST
def revise(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user, slug)
    access.require(Action.START_REVISION)
    posted = {"reason": request.POST.get("reason", "").strip(), "reopen_scores": request.POST.get("reopen_scores")}
    try:
        revision = start_revision(
            user=request.user,
            inspection=access.inspection,
            reason=posted["reason"],
            published_version=_int_or_none(request.POST.get("published_version")),
            reopen_scores=posted["reopen_scores"] == "yes",
        )
    except Refused as error:
        return _refused(request, access, error, "revision-reason", posted)
    messages.success(
        request,
        f"Revision {revision.number} started. The narrative and judgements can be changed"
        + (" and the scores are reopened" if revision.scores_reopened else "")
        + "; version "
        + str(revision.number - 1)
        + " stays published until the revision is.",
    )
    return redirect("report_status", slug)


def _int_or_none(raw) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


@login_required
def published_download(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    access = access_for(request.user, slug)  # members of the inspection and admins
    published = get_object_or_404(PublishedReport, inspection=access.inspection, version=version)
    try:
        data = verify(published).pdf
    except TamperedPublication as error:
        return render(
            request, "reports/tampered.html", {"inspection": access.inspection, "message": str(error)}, status=409
        )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{slug}-v{version}.pdf"'
    response["X-Content-SHA256"] = published.sha256
    return response


def _export(request: HttpRequest, name: str, sheet: str, header: list[str], rows) -> HttpResponse:
    response = exports.download(request.GET.get("format", "csv"), name, sheet, header, rows)
    if response is None:
        raise Http404("Unknown format")
    return response


@login_required
def export_answers(request: HttpRequest, slug: str) -> HttpResponse:
    access = _readers(request.user, slug)
    pseudonymise = not access.may(Action.SEE_CASE_REFS)
    header = exports.PSEUDONYMOUS_COLUMNS if pseudonymise else exports.ANSWER_COLUMNS
    rows = exports.answer_rows(access.inspection, pseudonymise=pseudonymise)
    return _export(request, f"{slug}-answers", "Answers", header, rows)


@login_required
def export_scores_file(request: HttpRequest, slug: str) -> HttpResponse:
    access = _readers(request.user, slug)
    return _export(request, f"{slug}-scores", "Scores", exports.SCORE_COLUMNS, exports.score_rows(access.inspection))

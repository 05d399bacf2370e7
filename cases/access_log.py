"""The access log: who viewed or exported which case data (CaseDataAccess), written after the page.

A middleware rather than a line in each view, so no page that shows case data can forget it: the pages
are named here by their URL names. Only successful GETs by signed-in people are logged; one INSERT each,
finding the inspection and the case from the URL in the same statement.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Subquery
from django.http import HttpRequest, HttpResponse

from cases.models import Case, CaseDataAccess
from inspections.models import Inspection

Kind = CaseDataAccess.Kind

# Pages and exports that show case-level data, by URL name.
LOGGED: dict[str, str] = {
    "case_list": Kind.VIEW,
    "case_tasks": Kind.VIEW,
    "criterion_form": Kind.VIEW,
    "check_answers": Kind.VIEW,
    "review_assessment": Kind.VIEW,
    "case_history": Kind.VIEW,
    "question_cases": Kind.VIEW,
    "second_marking_tasks": Kind.VIEW,
    "second_marking_form": Kind.VIEW,
    "second_marking_check": Kind.VIEW,
    "reconciliation": Kind.VIEW,
    "export_answers": Kind.EXPORT,
}


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (
            match is not None
            and match.url_name in LOGGED
            and request.method == "GET"
            and response.status_code == 200
            and request.user.is_authenticated
        ):
            record(request, match.url_name, match.kwargs)
        return response


def record(request: HttpRequest, page: str, kwargs: dict) -> None:
    slug, case_ref = kwargs.get("slug", ""), kwargs.get("case_ref")
    detail = kwargs.get("question") or kwargs.get("criterion") or ""
    if LOGGED[page] == Kind.EXPORT:
        detail = request.GET.get("format", "csv")[:10]
    cases = Case.objects.filter(inspection__slug=slug, case_ref=case_ref).values("pk")[:1]
    CaseDataAccess.objects.create(
        user=request.user,
        username=request.user.get_username(),
        kind=LOGGED[page],
        page=page,
        detail=detail[:60],
        inspection_id=Subquery(Inspection.objects.filter(slug=slug).values("pk")[:1]),
        case_id=Subquery(cases) if case_ref else None,
    )


# --- Exporting it (Django admin's action and the export_access_log command) -------------------------------------

ACCESS_LOG_COLUMNS = ["at", "username", "kind", "page", "detail", "inspection", "case"]


def access_log_rows(records) -> Iterator[list[str]]:
    for access in records.select_related("inspection", "case").order_by("at").iterator(chunk_size=2000):
        yield [
            access.at.isoformat(),
            access.username,
            access.kind,
            access.page,
            access.detail,
            access.inspection.slug if access.inspection else "",
            access.case.case_ref if access.case else "",
        ]

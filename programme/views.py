"""The programme page: every finalised inspection of a framework compared, criterion by criterion;
its exports; and an area's trends between inspections. Who sees what is asked of inspections.policy."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from inspections.models import Framework, Inspection
from inspections.policy import (
    Action,
    access_for,
    may_include_unpublished,
    may_see_programme,
    programme_inspections,
)
from inspections.services import InspectionError
from programme.charts import chart_svg, programme_chart
from programme.figures import Programme, ProgrammeEntry, load_programme, programme_table
from programme.forms import ProgrammeFilterForm
from programme.trends import area_trend, earlier_inspections
from reports import exports
from scoring.engine import display
from scoring.scores import score_document

DATE_PARTS = [(0, "Day", 2), (1, "Month", 2), (2, "Year", 4)]


def _programme_for(request: HttpRequest, code: str) -> tuple[Programme | None, ProgrammeFilterForm, bool]:
    """The programme as the person may see it, filtered by the query; 404 for anyone not of it."""
    if not may_see_programme(request.user, code):
        raise Http404("No such programme")
    offers_unpublished = may_include_unpublished(request.user, code)
    form = ProgrammeFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return None, form, offers_unpublished
    filters = form.cleaned_data if request.GET else {}
    inspections = programme_inspections(
        request.user, code, include_unpublished=offers_unpublished and bool(filters.get("include_unpublished"))
    )
    try:
        programme = load_programme(
            code, inspections, fieldwork_from=filters.get("fieldwork_from"), fieldwork_to=filters.get("fieldwork_to")
        )
    except InspectionError:
        raise Http404("No such programme") from None  # an admin asking for an unknown framework
    return programme, form, offers_unpublished


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    codes = Framework.objects.values("code").annotate(versions=Count("id")).order_by("code")
    titles = dict(Framework.objects.order_by("version").values_list("code", "title"))
    programmes = [
        {"code": row["code"], "title": titles[row["code"]]}
        for row in codes
        if may_see_programme(request.user, row["code"])
    ]
    return render(request, "programme/programme_list.html", {"programmes": programmes})


@login_required
def programme_page(request: HttpRequest, code: str) -> HttpResponse:
    programme, form, offers_unpublished = _programme_for(request, code)
    if programme is None:
        framework = Framework.objects.filter(code=code).order_by("-version").first()
        context = {
            "form": form,
            "code": code,
            "framework": framework,
            "offers_unpublished": offers_unpublished,
            "date_parts": DATE_PARTS,
        }
        return render(request, "programme/programme.html", context, status=400)
    slug = form.cleaned_data.get("inspection") if request.GET else None
    selected = next((entry for entry in programme.entries if entry.slug == slug), None)  # others: ignored
    return render(
        request,
        "programme/programme.html",
        {
            "code": code,
            "framework": programme.framework,
            "programme": programme,
            "form": form,
            "offers_unpublished": offers_unpublished,
            "chart_svg": mark_safe(chart_svg(programme_chart(programme, selected.slug if selected else None))),  # noqa: S308 - built escaped
            "rows": _criterion_rows(programme, selected),
            "question_tables": _question_tables(programme),
            "selected": selected,
            "query": request.GET.urlencode(),
            "date_parts": DATE_PARTS,
        },
    )


def _interval(bounds: tuple[float, float] | None) -> str:
    return f"{display(bounds[0])} to {display(bounds[1])}" if bounds else "–"


def _criterion_rows(programme: Programme, selected: ProgrammeEntry | None) -> list[tuple[str, ...]]:
    """The criteria table as text (formatted here once: a template filter per cell costs more)."""
    rows = []
    for figures, (code, title, _) in zip(programme.figures, programme.criteria, strict=True):
        spread = figures.spread
        row = [f"{code} {title}", str(spread.count), display(spread.mean), display(spread.minimum)]
        row += [display(spread.maximum), _interval(spread.ci95)]
        if selected:
            row.append(display(selected.figures.criteria.get(code)))
        rows.append(tuple(row))
    return rows


QUESTION_ROW = (
    '<tr class="govuk-table__row"><td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>'
    '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>'
    '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td></tr>'
)


def _question_tables(programme: Programme) -> list[tuple[str, str]]:
    """(criterion code, the rows of its pooled questions as escaped HTML): hundreds of rows, joined
    here rather than looked up cell by cell in the template."""
    return [
        (
            figures.code,
            format_html_join(
                "\n",
                QUESTION_ROW,
                (
                    (
                        question.code,
                        f"{question.pooled.successes} / {question.pooled.trials}",
                        display(question.pooled.percentage),
                        _interval(question.pooled.wilson95),
                    )
                    for question in figures.questions
                ),
            ),
        )
        for figures in programme.figures
    ]


@login_required
def programme_export(request: HttpRequest, code: str) -> HttpResponse:
    programme, _, _ = _programme_for(request, code)
    if programme is None:
        raise Http404("The filters are not valid")  # the page's export links only carry valid filters
    header, rows = programme_table(programme)
    response = exports.download(request.GET.get("format", "csv"), f"programme-{code}", "Programme", header, rows)
    if response is None:
        raise Http404("Unknown format")
    return response


@login_required
def trends(request: HttpRequest, slug: str) -> HttpResponse:
    """The area's scores beside an earlier inspection's: the people who see this inspection's scores."""
    access = access_for(request.user, slug)
    access.require(Action.SEE_SCORES)
    inspection = access.inspection
    earlier = earlier_inspections(request.user, inspection)
    chosen = next((e for e in earlier if e.slug == request.GET.get("earlier")), earlier[0] if earlier else None)
    trend = None
    if chosen:
        inspection = Inspection.objects.select_related("framework", "area").get(pk=inspection.pk)
        trend = area_trend(inspection, score_document(inspection).data["criteria"], chosen)
    return render(
        request,
        "programme/trends.html",
        {"inspection": inspection, "access": access, "earlier": earlier, "trend": trend},
    )

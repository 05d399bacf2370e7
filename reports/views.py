"""The lead inspector's report-content pages: task list, parts, criterion narratives, recommendations, good practice.

Included under /inspections/<slug>/report/. Only the lead and admins may use them: other members of the
inspection get 403, everyone else 404. Invalid input re-renders the page with an error summary and nothing
is saved; a save based on an out-of-date version is refused and shows the other person's text beside yours.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from inspections.errors import Refused
from inspections.lifecycle import refusal, stage_allows
from inspections.models import Inspection
from inspections.policy import Access, Action, access_for
from reports import services
from reports.forms import (
    CriterionNarrativeForm,
    GoodPracticeForm,
    Part,
    PartForm,
    PerformanceForm,
    RecommendationForm,
)
from reports.layouts import entry_parts, kinds_of, narrative_inputs, performance_spec
from reports.models import CriterionNarrative, GoodPractice, Recommendation, ReportContent
from reports.services import (
    StaleContent,
    StaleNarrative,
    add_good_practice,
    add_recommendation,
    criterion_codes,
    narrative_codes,
    narrative_token,
    person_name,
    placeholder_codes,
    save_content,
    save_criterion_narrative,
    save_performance_rows,
    update_good_practice,
    update_recommendation,
)

STATUS_LABELS = {"completed": "Completed", "in_progress": "In progress", "not_started": "Not started"}


def _lead_access(user, slug: str) -> Access:
    access = access_for(user, slug)
    access.require(Action.EDIT_REPORT)
    return access


def _content(inspection: Inspection) -> ReportContent | None:
    return ReportContent.objects.filter(inspection=inspection).select_related("updated_by").first()


def _page(request, template: str, inspection: Inspection, context: dict, status: int = 200) -> HttpResponse:
    """Render a report-content page with what every one of them shows."""
    frozen = not stage_allows(inspection, Action.EDIT_REPORT)
    message = refusal(Action.EDIT_REPORT, inspection.status) if frozen else ""
    context = {"inspection": inspection, "frozen": frozen, "frozen_message": message, **context}
    context.setdefault("placeholders", placeholder_help(inspection))
    return render(request, template, context, status=status)


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _add_service_error(form, error: Refused) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error))


def _saved_or_none(request, form, save, success, *target) -> HttpResponse | None:
    """Run a list item's save; on success say so and go to `target`, else put the error on the form."""
    try:
        result = save()
    except Refused as error:
        _add_service_error(form, error)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return redirect(*target)


def placeholder_help(inspection: Inspection) -> list[tuple[str, str]]:
    """The placeholders usable in this inspection's texts, with what each stands for."""
    definition = inspection.framework.definition

    def tag(kind: str, code: str = "") -> str:
        return "{{" + kind + (f":{code}" if code else "") + "}}"

    rows = [(tag("headline", h["code"]), f"{h['title']} score") for h in definition["headlines"]]
    for section in definition["sections"]:
        if section["kind"] == "case":
            rows.append((tag("section", section["code"]), f"Score of {section['code']} {section['title']}"))
        rows += [
            (tag("score", c["code"]), f"Score of {c['code']} {c['title']}")
            for c in section["criteria"]
            if c["kind"] == "case"
        ]
    rows += [(tag("cases"), "The number of cases inspected"), (tag("area"), f"The area's name, {inspection.area.name}")]
    return rows


# --- Overview -----------------------------------------------------------------------------------------------------


def _task(title: str, url: str, status: str, hint: str = "") -> dict:
    return {"title": title, "url": url, "status": status, "status_label": STATUS_LABELS[status], "hint": hint}


def report_parts(inspection: Inspection) -> dict[str, Part]:
    """The parts of this inspection's report the lead enters, by key, in report order."""
    return {entry.key: entry for _, entry in entry_parts(inspection.framework.definition, inspection.area.name)}


def _narrative_groups(inspection: Inspection, narratives: dict[str, CriterionNarrative]) -> list[dict]:
    """One group of tasks per section: its own narrative where the report has one, then its criteria."""
    slug = inspection.slug
    definition = inspection.framework.definition
    report = definition["report"]
    chapter = report["chapter"]
    groups = []
    for section in definition["sections"]:
        targets = [(section, True)] if narrative_inputs(report, section, True) else []
        targets += [(criterion, False) for criterion in section["criteria"]]
        tasks = []
        for target, is_section in targets:
            narrative = narratives.get(target["code"])
            inputs = narrative_inputs(report, target, is_section)
            filled = narrative is not None and any(getattr(narrative, name) for name, _, _ in inputs)
            title = inputs[0][1] if is_section and len(inputs) == 1 else f"{target['code']} {target['title']}"
            if is_section and len(inputs) > 1:
                title = f"{chapter} {section['code']}: " + " and ".join(label.lower() for _, label, _ in inputs)
            tasks.append(
                _task(
                    title,
                    reverse("edit_criterion_narrative", args=[slug, target["code"]]),
                    "completed" if filled else "not_started",
                    "Leadership" if target.get("kind") == "leadership" and not is_section else "",
                )
            )
        groups.append({"title": f"{chapter} {section['code']}: {section['title']}", "tasks": tasks})
    return groups


@login_required
def report_content(request: HttpRequest, slug: str) -> HttpResponse:
    """A task list of every part of the report the inspectors write or enter, in the order of the report."""
    inspection = _lead_access(request.user, slug).inspection
    content = _content(inspection)
    entries = {spec["id"]: entry for spec, entry in entry_parts(inspection.framework.definition, inspection.area.name)}
    narratives = {n.code: n for n in inspection.criterion_narratives.all()}
    recommendations = inspection.recommendations.count()
    examples = inspection.good_practice.count()
    performance_rows = inspection.performance_rows.count()

    def counted(count: int, noun: str) -> str:
        return f"{count} {noun}{'' if count == 1 else 's'}" if count else ""

    groups: list[dict] = []
    current: list[dict] = []

    def close(title: str = "Report parts") -> None:
        if current:
            groups.append({"title": title, "tasks": list(current)})
            current.clear()

    for spec, kind in kinds_of(inspection.framework.definition["report"]):
        entry = entries.get(spec["id"])
        if entry is not None:
            current.append(
                _task(
                    entry.title, reverse("edit_report_part", args=[slug, entry.key]), entry.status(content), entry.hint
                )
            )
        if spec["part"] == "recommendations":
            current.append(
                _task(
                    "Recommendations",
                    reverse("recommendations", args=[slug]),
                    "completed" if recommendations else "not_started",
                    counted(recommendations, "recommendation"),
                )
            )
        if spec["part"] in ("good_practice", "outcomes"):  # IAOW prints its examples inside the chapters
            current.append(
                _task(
                    "Good practice" if spec["part"] == "good_practice" else "Practice illustrations",
                    reverse("good_practice", args=[slug]),
                    "completed" if examples else "not_started",
                    counted(examples, "example"),
                )
            )
        if kind.narrative:
            close()
            groups += _narrative_groups(inspection, narratives)
        if spec.get("performance"):
            current.append(
                _task(
                    "Performance against targets",
                    reverse("edit_performance", args=[slug]),
                    "completed" if performance_rows else "not_started",
                    counted(performance_rows, "row"),
                )
            )
    close("Appendices and acknowledgements" if groups else "Report parts")
    tasks = [task for group in groups for task in group["tasks"]]
    return _page(
        request,
        "reports/content/overview.html",
        inspection,
        {
            "content": content,
            "updated_by": person_name(content.updated_by) if content and content.updated_by else "",
            "groups": groups,
            "completed": sum(task["status"] == "completed" for task in tasks),
            "total": len(tasks),
        },
    )


# --- Parts of the report content ----------------------------------------------------------------------------------


def _their_text(field, content: ReportContent) -> str:
    value = field.stored(content)
    if field.kind == "yes_no":
        return {True: "Yes", False: "No"}.get(value, "Not answered")
    return field.form_field().prepare_value(value) or "(empty)"


@login_required
def edit_part(request: HttpRequest, slug: str, part: str) -> HttpResponse:
    inspection = _lead_access(request.user, slug).inspection
    found: Part | None = report_parts(inspection).get(part)
    if found is None:
        raise Http404("No such part of the report")
    content = _content(inspection)
    data = request.POST if request.method == "POST" else None
    form = PartForm(data, part=found, content=content, known=placeholder_codes(inspection))
    theirs, stale, their_name = {}, None, ""
    if form.is_bound and form.is_valid():
        try:
            save_content(
                user=request.user,
                inspection=inspection,
                fields=form.content_fields(content),
                base_version=form.cleaned_data["version"],
            )
        except StaleContent as error:
            # Keep what was typed and base the next save on the version now stored, shown beside it.
            stale = str(error)
            data = request.POST.copy()
            data["version"] = str(error.content.version)
            form = PartForm(data, part=found, content=error.content, known=placeholder_codes(inspection))
            theirs = {field.name: _their_text(field, error.content) for field in found.fields}
            their_name = person_name(error.content.updated_by)
        except Refused as error:
            _add_service_error(form, error)
        else:
            messages.success(request, f"{found.title} saved.")
            return redirect("report_content", slug)
    rows = [{"field": form[field.name], "theirs": theirs.get(field.name)} for field in found.fields]
    return _page(
        request,
        "reports/content/part_form.html",
        inspection,
        {
            "part": found,
            "form": form,
            "rows": rows,
            "stale": stale,
            "their_name": their_name,
        },
        status=409 if stale else _status(form),
    )


# --- Criterion narratives -----------------------------------------------------------------------------------------


def _narrative_target(inspection: Inspection, code: str) -> tuple[dict, dict, bool]:
    """(section, target, is_section) for a narrative code; 404 if there is no such narrative."""
    if code not in narrative_codes(inspection):
        raise Http404("No such criterion")
    for section in inspection.framework.definition["sections"]:
        if section["code"] == code:
            return section, section, True
        for criterion in section["criteria"]:
            if criterion["code"] == code:
                return section, criterion, False
    raise Http404("No such criterion")


@login_required
def edit_criterion_narrative(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    inspection = _lead_access(request.user, slug).inspection
    section, target, is_section = _narrative_target(inspection, code)
    inputs = narrative_inputs(inspection.framework.definition["report"], target, is_section)
    narrative = CriterionNarrative.objects.filter(inspection=inspection, code=code).select_related("updated_by").first()
    data = request.POST if request.method == "POST" else None
    known = placeholder_codes(inspection)
    form = CriterionNarrativeForm(data, inputs=inputs, narrative=narrative, known=known)
    theirs, stale, their_name = {}, None, ""
    if form.is_bound and form.is_valid():
        try:
            save_criterion_narrative(
                user=request.user,
                inspection=inspection,
                code=code,
                base=form.cleaned_data["base"],
                **form.narrative_fields(),
            )
        except StaleNarrative as error:
            stale, their_name = str(error), person_name(error.narrative.updated_by)
            data = request.POST.copy()
            data["base"] = narrative_token(error.narrative)
            form = CriterionNarrativeForm(data, inputs=inputs, narrative=error.narrative, known=known)
            theirs = {name: form.fields[name].prepare_value(getattr(error.narrative, name)) for name, _, _ in inputs}
        except Refused as error:
            _add_service_error(form, error)
        else:
            messages.success(request, f"Narrative of {code} saved.")
            return redirect("report_content", slug)
    chapter = inspection.framework.definition["report"]["chapter"]
    return _page(
        request,
        "reports/content/criterion_narrative.html",
        inspection,
        {
            "form": form,
            "rows": [{"field": form[name], "theirs": theirs.get(name)} for name, _, _ in inputs],
            "target": target,
            "section": section,
            "chapter": chapter,
            "is_section": is_section,
            "scored": not is_section and target["kind"] == "case",
            "narrative": narrative,
            "narrative_by": person_name(narrative.updated_by) if narrative else "",
            "stale": stale,
            "their_name": their_name,
        },
        status=409 if stale else _status(form),
    )


# --- Performance against targets ---------------------------------------------------------------------------------


@login_required
def edit_performance(request: HttpRequest, slug: str) -> HttpResponse:
    """The table of the area's performance against targets, where the report has one (OMI 4.2)."""
    inspection = _lead_access(request.user, slug).inspection
    spec = performance_spec(inspection.framework.definition["report"])
    if spec is None:
        raise Http404("This report has no performance table")
    rows = list(inspection.performance_rows.order_by("position"))
    data = request.POST if request.method == "POST" else None
    form = PerformanceForm(data, rows=rows, area=inspection.area.name, known=placeholder_codes(inspection))
    if form.is_bound and form.is_valid():
        try:
            save_performance_rows(user=request.user, inspection=inspection, rows=form.cleaned_data["rows"])
        except Refused as error:
            _add_service_error(form, error)
        else:
            messages.success(request, "Performance table saved.")
            return redirect("report_content", slug)
    return _page(
        request,
        "reports/content/performance.html",
        inspection,
        {"form": form, "caption": spec.get("caption", "Performance against targets"), "criterion": spec["criterion"]},
        status=_status(form),
    )


# --- Recommendations ----------------------------------------------------------------------------------------------


@login_required
def recommendations(request: HttpRequest, slug: str) -> HttpResponse:
    """The numbered recommendations, and a form to add one at the end (POST)."""
    inspection = _lead_access(request.user, slug).inspection
    data = request.POST if request.method == "POST" else None
    form = RecommendationForm(data, criteria=criterion_codes(inspection), known=placeholder_codes(inspection))
    if form.is_bound and form.is_valid():
        done = _saved_or_none(
            request,
            form,
            lambda: add_recommendation(
                user=request.user,
                inspection=inspection,
                text=form.cleaned_data["text"],
                criteria=form.cleaned_data["criteria"],
            ),
            lambda added: f"Recommendation {added.number} added.",
            "recommendations",
            slug,
        )
        if done:
            return done
    return _page(
        request,
        "reports/content/recommendations.html",
        inspection,
        {"form": form, "recommendations": inspection.recommendations.all()},
        status=_status(form),
    )


@login_required
def edit_recommendation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    inspection = _lead_access(request.user, slug).inspection
    recommendation = get_object_or_404(Recommendation, pk=pk, inspection=inspection)
    count = inspection.recommendations.count()
    data = request.POST if request.method == "POST" else None
    initial = {"text": recommendation.text, "criteria": recommendation.criteria, "number": recommendation.number}
    form = RecommendationForm(
        data, initial=initial, criteria=criterion_codes(inspection), count=count, known=placeholder_codes(inspection)
    )
    if form.is_bound and form.is_valid():
        done = _saved_or_none(
            request,
            form,
            lambda: update_recommendation(
                user=request.user,
                recommendation=recommendation,
                text=form.cleaned_data["text"],
                criteria=form.cleaned_data["criteria"],
                number=form.cleaned_data["number"],
            ),
            "Recommendation saved.",
            "recommendations",
            slug,
        )
        if done:
            return done
    return _page(
        request,
        "reports/content/recommendation_form.html",
        inspection,
        {"form": form, "recommendation": recommendation},
        status=_status(form),
    )


@login_required
@require_POST
def delete_recommendation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    inspection = _lead_access(request.user, slug).inspection
    recommendation = get_object_or_404(Recommendation, pk=pk, inspection=inspection)
    try:
        services.delete_recommendation(user=request.user, recommendation=recommendation)
    except Refused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Recommendation {recommendation.number} deleted. The others were renumbered.")
    return redirect("recommendations", slug)


# --- Good practice ------------------------------------------------------------------------------------------------


def _criterion_choices(inspection: Inspection) -> list[tuple[str, str]]:
    return [
        (c["code"], f"{c['code']} {c.get('short_title') or c['title']}")
        for s in inspection.framework.definition["sections"]
        for c in s["criteria"]
    ]


@login_required
def good_practice(request: HttpRequest, slug: str) -> HttpResponse:
    """The examples of good practice, and a form to add one at the end (POST)."""
    inspection = _lead_access(request.user, slug).inspection
    choices = _criterion_choices(inspection)
    data = request.POST if request.method == "POST" else None
    form = GoodPracticeForm(data, criteria=choices, known=placeholder_codes(inspection))
    if form.is_bound and form.is_valid():
        done = _saved_or_none(
            request,
            form,
            lambda: add_good_practice(user=request.user, inspection=inspection, **_example_fields(form)),
            lambda added: f"Example {added.position} added.",
            "good_practice",
            slug,
        )
        if done:
            return done
    return _page(
        request,
        "reports/content/good_practice.html",
        inspection,
        {"form": form, "examples": inspection.good_practice.all(), "criterion_labels": dict(choices)},
        status=_status(form),
    )


def _example_fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in ("title", "criterion", "text")}


@login_required
def edit_good_practice(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    inspection = _lead_access(request.user, slug).inspection
    example = get_object_or_404(GoodPractice, pk=pk, inspection=inspection)
    count = inspection.good_practice.count()
    data = request.POST if request.method == "POST" else None
    initial = {
        "title": example.title,
        "criterion": example.criterion,
        "text": example.text,
        "position": example.position,
    }
    form = GoodPracticeForm(
        data, initial=initial, criteria=_criterion_choices(inspection), count=count, known=placeholder_codes(inspection)
    )
    if form.is_bound and form.is_valid():
        done = _saved_or_none(
            request,
            form,
            lambda: update_good_practice(
                user=request.user,
                good_practice=example,
                position=form.cleaned_data["position"],
                **_example_fields(form),
            ),
            "Example saved.",
            "good_practice",
            slug,
        )
        if done:
            return done
    return _page(
        request,
        "reports/content/good_practice_form.html",
        inspection,
        {"form": form, "example": example},
        status=_status(form),
    )


@login_required
@require_POST
def delete_good_practice(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    inspection = _lead_access(request.user, slug).inspection
    example = get_object_or_404(GoodPractice, pk=pk, inspection=inspection)
    try:
        services.delete_good_practice(user=request.user, good_practice=example)
    except Refused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Example ‘{example.title}’ deleted.")
    return redirect("good_practice", slug)

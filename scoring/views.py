"""The lead inspector's scores: dashboard, drill-down to questions and cases, judgements, finalising."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases.models import Answer
from cases.pseudonyms import label_cases
from inspections.errors import Refused, http_status
from inspections.lifecycle import refusal, stage_allows
from inspections.policy import Access, Action, access_for
from inspections.seen import seen_token
from scoring.charts import criterion_chart
from scoring.engine import published_percentage
from scoring.models import Judgement
from scoring.scores import (
    compute_scores,
    criterion_judgement_kind,
    current_snapshot,
    headline_judgement_kind,
    judgement_options,
    judgements_by_target,
    sensitivity,
    tallies_of,
)
from scoring.sensitivity import case_leverage
from scoring.services import finalise_scores, finalise_summary, record_judgement, reopen_scores
from scoring.tallies import DRAFT_STATES, FINAL_STATES, assessment_counts, case_answers

Target = Judgement.Target


def _scores_access(user, slug: str) -> Access:
    """Leads, observers and admins read the scores; assessors do not (403)."""
    access = access_for(user, slug)
    access.require(Action.SEE_SCORES)
    return access


def _basis(request) -> bool:
    return request.GET.get("basis") == "final"


@login_required
def scores(request: HttpRequest, slug: str) -> HttpResponse:
    return _scores_page(request, _scores_access(request.user, slug))


def _scores_page(request, access: Access, *, errors: dict | None = None, posted: dict | None = None, status=200):
    inspection = access.inspection
    definition = inspection.framework.definition
    final = _basis(request)
    result = compute_scores(inspection, final=final)
    boundary = sensitivity(definition, tallies_of(result))
    judgements = judgements_by_target(inspection)
    criterion_kind = criterion_judgement_kind(definition)
    headline_kind = headline_judgement_kind(definition)
    titles = {c["code"]: c["title"] for s in definition["sections"] for c in s["criteria"]}
    sections = []
    for section in definition["sections"]:
        rows = []
        for criterion in section["criteria"]:
            code = criterion["code"]
            score = result.criteria.get(code)
            kind = criterion_kind if criterion["kind"] == "case" else Judgement.Kind.GRADE
            if criterion["kind"] == "leadership" and not definition["judgement_scales"]["leadership"]:
                kind = None
            if score is None and kind != Judgement.Kind.GRADE:
                continue
            judgement = judgements.get((Target.CRITERION, code, kind or ""))
            rows.append(
                {
                    "code": code,
                    "title": titles[code],
                    "score": score,
                    "relevant": max((q.relevant for q in score.questions), default=0) if score else None,
                    "judgement": judgement,
                    "judgement_label": _label(definition, kind, judgement.value) if judgement else "",
                    "suggested_label": _label(definition, kind, score.suggested_judgement) if score else "",
                    "leadership": criterion["kind"] == "leadership",
                    "sensitivity": boundary.get(code),
                }
            )
        if rows:
            sections.append(
                {
                    "code": section["code"],
                    "title": section["title"],
                    "score": result.sections.get(section["code"]),
                    "rows": rows,
                }
            )
    headlines = [
        {
            "code": headline["code"],
            "title": headline["title"],
            "score": result.headlines.get(headline["code"]),
            "comment": judgements.get((Target.HEADLINE, headline["code"], headline_kind or "")),
        }
        for headline in definition["headlines"]
    ]
    chart_items = [
        (code, titles[code], None if score.score is None else published_percentage(score.score))
        for code, score in result.criteria.items()
    ]
    counts = assessment_counts(inspection)
    return render(
        request,
        "scoring/scores.html",
        {
            "inspection": inspection,
            "access": access,
            "final": final,
            "sections": sections,
            "headlines": headlines,
            "headline_kind": headline_kind,
            "headline_options": judgement_options(definition, headline_kind, "headline") if headline_kind else [],
            "chart": criterion_chart(
                chart_items,
                title="Criterion scores",
                line=definition["rules"].get("priority_line"),
                line_label=definition["report"]["line_of_priority"],
                chart_id="scores-chart",
            ),
            "has_line": definition["rules"].get("priority_line") is not None,
            "counts": counts,
            "included": sum(counts.get(state, 0) for state in (FINAL_STATES if final else DRAFT_STATES)),
            "outstanding": sum(n for state, n in counts.items() if state != "approved"),
            "snapshot": current_snapshot(inspection),
            "snapshots": inspection.score_snapshots.select_related("created_by", "reopened_by"),
            "may_finalise": access.may(Action.FINALISE) and stage_allows(inspection, Action.FINALISE),
            "may_reopen": access.may(Action.REOPEN_SCORES) and stage_allows(inspection, Action.REOPEN_SCORES),
            "may_judge": access.may(Action.JUDGE) and stage_allows(inspection, Action.JUDGE),
            "judge_refusal": "" if stage_allows(inspection, Action.JUDGE) else refusal(Action.JUDGE, inspection.status),
            "seen": seen_token(finalise_summary(inspection)) if access.may(Action.FINALISE) else "",
            "errors": errors or {},
            "posted": posted or {},
        },
        status=status,
    )


def _label(definition: dict, kind: str | None, code: str | None) -> str:
    if not kind or not code:
        return ""
    return next((o["label"] for o in judgement_options(definition, kind, "") if o["code"] == code), code)


@login_required
def criterion_scores(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    access = _scores_access(request.user, slug)
    return _criterion_page(request, access, code, errors={}, posted=None)


def _criterion_page(request, access: Access, code: str, *, errors: dict, posted: dict | None, status=200):
    inspection = access.inspection
    definition = inspection.framework.definition
    criterion = next((c for s in definition["sections"] for c in s["criteria"] if c["code"] == code), None)
    if criterion is None:
        raise Http404("No such criterion")
    final = _basis(request)
    result = compute_scores(inspection, final=final)
    score = result.criteria.get(code)
    texts = {q["code"]: q["text"] for s in definition["sections"] for c in s["criteria"] for q in c["questions"]}
    if criterion["kind"] == "leadership":
        kind = Judgement.Kind.GRADE if definition["judgement_scales"]["leadership"] else None
    else:
        kind = criterion_judgement_kind(definition)
    judgement = judgements_by_target(inspection).get((Target.CRITERION, code, kind or ""))
    near = sensitivity(definition, tallies_of(result)).get(code)
    movers = []
    if near and near.direction:
        states = FINAL_STATES if final else DRAFT_STATES
        movers = case_leverage(near, case_answers(inspection, [lever.question for lever in near.levers], states))
    initial = posted or (
        {
            "value": judgement.value,
            "reason": judgement.reason,
            "evidence": judgement.evidence,
            "cases": " ".join(judgement.linked_cases.values_list("case_ref", flat=True)),
            "criteria": " ".join(judgement.linked_criteria),
        }
        if judgement
        else {"value": score.suggested_judgement if score else ""}
    )
    return render(
        request,
        "scoring/criterion_scores.html",
        {
            "inspection": inspection,
            "access": access,
            "criterion": criterion,
            "score": score,
            "questions": [(q, texts.get(q.code, "")) for q in score.questions] if score else [],
            "kind": kind,
            "options": judgement_options(definition, kind, "criterion") if kind else [],
            "judgement": judgement,
            "initial": initial,
            "errors": errors,
            "final": final,
            "locked": not stage_allows(inspection, Action.JUDGE),
            "locked_message": ""
            if stage_allows(inspection, Action.JUDGE)
            else refusal(Action.JUDGE, inspection.status),
            "sensitivity": near,
            "levers": [(lever, texts.get(lever.question, "")) for lever in near.levers[:10]] if near else [],
            "movers": movers[:10],
        },
        status=status,
    )


@login_required
def question_cases(request: HttpRequest, slug: str, code: str, question: str) -> HttpResponse:
    """The cases behind one question's figure, with their answers and evidence notes."""
    access = _scores_access(request.user, slug)
    inspection = access.inspection
    states = FINAL_STATES if _basis(request) else DRAFT_STATES
    answers = (
        Answer.objects.filter(
            assessment__case__inspection=inspection,
            assessment__state__in=states,
            question__code=question,
            question__framework=inspection.framework,
        )
        .select_related("assessment__case__assessor", "question")
        .order_by("assessment__case__case_ref")
    )
    question_obj = inspection.framework.questions.filter(code=question).select_related("scale").first()
    if question_obj is None:
        raise Http404("No such question")
    labels = {o.code: o.label for o in question_obj.scale.options.all()}
    answers = list(answers)
    # Pseudonymised viewers see pseudonyms, no notes and no links, in the pseudonyms' order.
    label_cases([answer.assessment.case for answer in answers], request.user, access)
    rows = sorted(
        ({"answer": a, "case": a.assessment.case, "label": labels.get(a.value, "Not applicable")} for a in answers),
        key=lambda row: (not row["case"].shows_ref, row["case"].label),
    )
    return render(
        request,
        "scoring/question_cases.html",
        {
            "inspection": inspection,
            "criterion_code": code,
            "question": question_obj,
            "rows": rows,
            "sufficient": sum(1 for a in answers if a.sufficient),
            "relevant": sum(1 for a in answers if a.sufficient is not None),
            "final": _basis(request),
        },
    )


@login_required
@require_POST
def save_judgement(request: HttpRequest, slug: str, target: str, code: str) -> HttpResponse:
    access = access_for(request.user, slug)
    access.require(Action.JUDGE)
    if target not in Target.values:
        raise Http404("No such target")
    posted = {
        key: request.POST.get(key, "").strip() for key in ("kind", "value", "reason", "evidence", "cases", "criteria")
    }
    try:
        record_judgement(
            user=request.user,
            inspection=access.inspection,
            target=target,
            code=code,
            kind=posted["kind"],
            value=posted["value"],
            reason=posted["reason"],
            evidence=posted["evidence"],
            linked_criteria=posted["criteria"].replace(",", " ").split(),
            linked_case_refs=posted["cases"].replace(",", " ").split(),
        )
    except Refused as error:
        field = error.field if error.field in posted else "value"
        if target == Target.HEADLINE:
            return _scores_page(
                request, access, errors={f"headline-{code}": f"{code}: {error}"}, posted=posted, status=400
            )
        return _criterion_page(request, access, code, errors={field: str(error)}, posted=posted, status=400)
    messages.success(request, f"Judgement on {code} saved.")
    return redirect("scores", slug) if target == Target.HEADLINE else redirect("criterion_scores", slug, code)


@login_required
@require_POST
def finalise(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user, slug)
    access.require(Action.FINALISE)
    posted = {"override_reason": request.POST.get("override_reason", "").strip()}
    try:
        snapshot = finalise_scores(
            user=request.user,
            inspection=access.inspection,
            seen=request.POST.get("seen"),
            override_reason=posted["override_reason"],
        )
    except Refused as error:
        key = "override-reason" if error.field == "override_reason" else "finalise"
        return _scores_page(request, access, errors={key: str(error)}, posted=posted, status=http_status(error))
    messages.success(request, f"Scores finalised (snapshot {snapshot.number}). The report will use these figures.")
    return redirect("scores", slug)


@login_required
@require_POST
def reopen(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user, slug)
    access.require(Action.REOPEN_SCORES)
    posted = {"reason": request.POST.get("reason", "").strip()}
    try:
        reopen_scores(
            user=request.user,
            inspection=access.inspection,
            reason=posted["reason"],
            snapshot_number=_int_or_none(request.POST.get("snapshot")),
        )
    except Refused as error:
        return _scores_page(
            request, access, errors={"reopen-reason": str(error)}, posted=posted, status=http_status(error)
        )
    messages.success(request, "Scores reopened. The finalised snapshot is kept in the record.")
    return redirect("scores", slug)


def _int_or_none(raw) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None

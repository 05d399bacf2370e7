"""An inspector's pages for one case: task list, one page per criterion, autosave, check and submit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.access import get_case_for_user
from cases.answer_forms import posted_answer
from cases.models import Assessment, Case
from cases.pending import keeps_post_when_signed_out, take_pending
from cases.progress import CaseProgress, case_progress
from cases.services import EDITABLE, AnswerConflict, NotApplicable, save_answer, submit_assessment
from inspections.applicability import applies_to_case
from inspections.describe import value_text
from inspections.errors import Refused, http_status, posted_version
from inspections.lifecycle import refusal, stage_allows
from inspections.policy import Access, Action, may_assess_case

STALE_PAGE = "The page did not say which version of this answer it showed. Reload the page and answer again."


def can_answer(user, case: Case, access: Access, assessment: Assessment) -> bool:
    """May this person change the case's answers now: whose case, the inspection's stage, the state."""
    return (
        may_assess_case(user, case, access)
        and stage_allows(case.inspection, Action.ASSESS)
        and assessment.state in EDITABLE
    )


def _frozen_message(case: Case) -> str:
    """Why nobody may change the case's answers at this stage of the inspection ("" when they may)."""
    return "" if stage_allows(case.inspection, Action.ASSESS) else refusal(Action.ASSESS, case.inspection.status)


def _refuse_answering(user, case: Case, access: Access) -> None:
    """403 with the reason: not one's case, or the inspection's stage freezes answers."""
    if not may_assess_case(user, case, access):
        raise PermissionDenied("Only the person the case is allocated to, or the lead inspector, can answer.")
    if not stage_allows(case.inspection, Action.ASSESS):
        raise PermissionDenied(refusal(Action.ASSESS, case.inspection.status))


def _criterion_url(request, slug: str, case_ref: str, **kwargs) -> str:
    criterion = kwargs.get("criterion")
    if criterion is None:
        question = kwargs["question"]
        criterion = question.rsplit(".", 1)[0]
    return reverse("criterion_form", args=[slug, case_ref, criterion])


@login_required
def case_tasks(request: HttpRequest, slug: str, case_ref: str) -> HttpResponse:
    case, access = get_case_for_user(request.user, slug, case_ref)
    progress = case_progress(case)
    attributes = [
        (attribute["label"], value_text(attribute, case.attributes.get(attribute["code"])))
        for attribute in case.inspection.framework.definition["case_attributes"]
        if case.attributes.get(attribute["code"]) not in (None, [], "")
    ]
    return render(
        request,
        "cases/case_tasks.html",
        {
            "case": case,
            "inspection": case.inspection,
            "access": access,
            "progress": progress,
            "attributes": attributes,
            "can_edit": can_answer(request.user, case, access, progress.assessment),
            "frozen_message": _frozen_message(case),
        },
    )


def _question_rows(progress: CaseProgress, codes, errors: dict[str, str] | None = None) -> list[dict]:
    applicable = set(progress.applicable)
    rows = []
    for code in codes:
        question = progress.structure.questions[code]
        answer = progress.answers.get(code)
        rows.append(
            {
                "dom": code.replace(".", "-"),
                "question": question,
                "answer": answer,
                "value": answer.value if answer else "",
                "note": answer.note if answer else "",
                "version": answer.version if answer else 0,
                "hidden": code not in applicable,
                "comments": progress.open_comments.get(code, []),
                "error": (errors or {}).get(code),
            }
        )
    return rows


def _criterion_codes(progress: CaseProgress, criterion_code: str) -> list[str]:
    """Questions shown on a criterion page: those that apply, plus those gated on answers
    (rendered hidden until they apply); questions excluded by the case's details are left out."""
    criterion = progress.structure.criteria[criterion_code]
    return [
        code
        for code in criterion.questions
        if applies_to_case(progress.structure.questions[code].applies_to, progress.case.attributes)
    ]


def _next_url(progress: CaseProgress, slug: str, criterion_code: str) -> str:
    codes = [item.criterion.code for item in progress.criteria if item.applicable]
    later = codes[codes.index(criterion_code) + 1 :] if criterion_code in codes else []
    if later:
        return reverse("criterion_form", args=[slug, progress.case.case_ref, later[0]])
    return reverse("check_answers", args=[slug, progress.case.case_ref])


@keeps_post_when_signed_out(_criterion_url)
def criterion_form(request: HttpRequest, slug: str, case_ref: str, criterion: str) -> HttpResponse:
    case, access = get_case_for_user(request.user, slug, case_ref)
    progress = case_progress(case)
    if criterion not in progress.structure.criteria or progress.structure.criteria[criterion].kind != "case":
        raise Http404("No such criterion")
    can_edit = can_answer(request.user, case, access, progress.assessment)
    errors: dict[str, str] = {}
    conflicts: set[str] = set()
    if request.method == "GET" and can_edit:
        replayed = take_pending(request, request.path)
        for data in replayed:
            errors.update(_save_posted(request.user, case, progress, data, conflicts))
        if replayed:
            messages.success(request, "You were signed out; the answers you gave before signing in again were saved.")
            progress = case_progress(case)
    if request.method == "POST":
        if not can_edit:
            _refuse_answering(request.user, case, access)
            raise PermissionDenied(
                f"This assessment is {progress.assessment.get_state_display().lower()}, so its answers cannot change."
            )
        before = set(progress.applicable)
        errors = _save_posted(request.user, case, progress, request.POST, conflicts)
        progress = case_progress(case)
        if not errors:
            new_here = [
                code
                for code in progress.structure.criteria[criterion].questions
                if code in set(progress.applicable) - before and code not in progress.answers
            ]
            if new_here:
                messages.info(request, "More questions apply because of your answers. Answer them before you continue.")
                return redirect(request.path)
            return redirect(_next_url(progress, slug, criterion))
    info = progress.structure.criteria[criterion]
    return render(
        request,
        "cases/criterion_form.html",
        {
            "case": case,
            "inspection": case.inspection,
            "progress": progress,
            "criterion": info,
            "rows": _question_rows(progress, _criterion_codes(progress, criterion), errors),
            "errors": errors,
            "can_edit": can_edit,
            "frozen_message": _frozen_message(case),
        },
        status=200 if not errors else 409 if conflicts else 400,
    )


def _save_posted(user, case, progress: CaseProgress, data, conflicts: set[str]) -> dict[str, str]:
    """Save every changed answer on the page, in framework order; returns errors by question code
    and adds the codes refused because someone else saved them meanwhile to `conflicts`."""
    errors: dict[str, str] = {}
    for code in progress.structure.questions:
        posted = posted_answer(data, code)
        if posted is None:
            continue
        current = progress.answers.get(code)
        if current and current.value == posted.value and current.note == posted.note:
            continue
        if not current and not posted.value and not posted.note:
            continue
        if posted.version is None:
            errors[code] = STALE_PAGE
            continue
        try:
            save_answer(
                user=user,
                case=case,
                question_code=code,
                value=posted.value,
                note=posted.note,
                base_version=posted.version,
            )
        except AnswerConflict as conflict:
            errors[code] = _conflict_text(conflict, posted)
            conflicts.add(code)
        except NotApplicable:
            continue  # hidden by an earlier answer on the same page: nothing to keep
        except Refused as error:
            errors[code] = str(error)
    return errors


def _conflict_text(conflict: AnswerConflict, posted) -> str:
    text = str(conflict)
    if posted.note:
        text += f" Your note was: “{posted.note}”"
    return text


@require_POST
@keeps_post_when_signed_out(_criterion_url)
def save_answer_view(request: HttpRequest, slug: str, case_ref: str, question: str) -> HttpResponse:
    """Autosave of one answer (htmx). Returns the status line, plus out-of-band updates."""
    case, access = get_case_for_user(request.user, slug, case_ref)
    progress = case_progress(case)
    if question not in progress.structure.questions:
        raise Http404("No such question")
    if not may_assess_case(request.user, case, access):
        raise PermissionDenied("Only the person the case is allocated to, or the lead inspector, can answer.")
    posted = posted_answer(request.POST, question)
    if posted is None:
        return _status(request, question, error="Nothing was sent to save.", status=400)
    if posted.version is None:
        return _status(request, question, error=STALE_PAGE, status=400)
    before = set(progress.applicable)
    try:
        answer = save_answer(
            user=request.user,
            case=case,
            question_code=question,
            value=posted.value,
            note=posted.note,
            base_version=posted.version,
        )
    except AnswerConflict as conflict:
        progress = case_progress(case)
        row = _question_rows(progress, [question], {question: _conflict_text(conflict, posted)})[0]
        response = render(request, "cases/includes/question_block.html", {"row": row, "case": case, "can_edit": True})
        response["HX-Retarget"] = f"#q-{question.replace('.', '-')}"
        response["HX-Reswap"] = "outerHTML"
        return response
    except Refused as error:
        return _status(request, question, error=str(error), status=200)
    progress.answers[question] = answer
    progress.applicable = progress.structure.applicable(case.attributes, progress.values)
    criterion = progress.structure.questions[question].criterion
    changed = [
        code
        for code in _criterion_codes(progress, criterion)
        if (code in before) != (code in set(progress.applicable)) and code != question
    ]
    return render(
        request,
        "cases/includes/answer_saved.html",
        {
            "code": question,
            "dom": question.replace(".", "-"),
            "answer": answer,
            "saved_at": timezone.localtime(),
            "changed_rows": _question_rows(progress, changed),
            "case": case,
            "can_edit": True,
        },
    )


def _status(request, question: str, *, error: str, status: int) -> HttpResponse:
    context = {"code": question, "dom": question.replace(".", "-"), "error": error}
    return render(request, "cases/includes/answer_saved.html", context, status=status)


@login_required
def check_answers(request: HttpRequest, slug: str, case_ref: str) -> HttpResponse:
    case, access = get_case_for_user(request.user, slug, case_ref)
    return _check_page(request, case, access, submit_error=None)


def _check_page(request, case, access, submit_error: str | None, status: int = 200) -> HttpResponse:
    progress = case_progress(case)
    sections = []
    for item in progress.criteria:
        if not item.applicable:
            continue
        sections.append({"progress": item, "rows": _question_rows(progress, item.applicable)})
    missing = [progress.structure.questions[code] for code in progress.missing]
    return render(
        request,
        "cases/check_answers.html",
        {
            "case": case,
            "inspection": case.inspection,
            "progress": progress,
            "sections": sections,
            "missing": missing,
            "submit_error": submit_error,
            "can_edit": can_answer(request.user, case, access, progress.assessment),
            "can_submit": can_answer(request.user, case, access, progress.assessment)
            and progress.assessment.state in {Assessment.State.IN_PROGRESS, Assessment.State.RETURNED},
        },
        status=status,
    )


@login_required
@require_POST
def submit(request: HttpRequest, slug: str, case_ref: str) -> HttpResponse:
    case, access = get_case_for_user(request.user, slug, case_ref)
    _refuse_answering(request.user, case, access)
    try:
        submit_assessment(user=request.user, case=case, expected_version=posted_version(request.POST))
    except Refused as error:
        return _check_page(request, case, access, submit_error=str(error), status=http_status(error))
    messages.success(request, f"Case {case.case_ref} submitted for review.")
    return redirect("case_tasks", slug, case_ref)

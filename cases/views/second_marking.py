"""The second marker's pages: their list of cases, and for each case the same task list, criterion
pages, autosave and check page as a first assessment, over the second marking's own answers.

Blind: these pages read the second marking only (cases.second_marking.second_marking_progress never
touches the first assessment), and only the assigned marker opens them. Everyone else who may see
every case gets 403; anyone else 404, as for a case that is not theirs.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.answer_forms import posted_answer
from cases.models import SecondMarking
from cases.pending import keeps_post_when_signed_out, take_pending
from cases.progress import CaseProgress
from cases.second_marking import (
    NotApplicable,
    SecondMarkingError,
    complete_second_marking,
    save_second_answer,
    second_marking_progress,
)
from cases.services import AnswerConflict
from cases.views.assessment import _conflict_text, _criterion_codes, _question_rows
from inspections import policy
from inspections.describe import value_text
from inspections.errors import MissingVersion, NotAllowed, StaleVersion
from inspections.policy import Action

SAVE_URL = "second_marking_save_answer"
FORM_URL = "second_marking_form"


def _marking_for(user, slug: str, case_ref: str) -> tuple[SecondMarking, policy.Access]:
    """The second marking of a case, for its marker only: 403 for people who see every case, else 404."""
    access = policy.access_for(user, slug)
    marking = (
        SecondMarking.objects.select_related("case", "marker")
        .filter(case__inspection=access.inspection, case__case_ref=case_ref)
        .first()
    )
    if marking is not None and policy.may_second_mark(user, marking, access):
        marking.case.inspection = access.inspection
        return marking, access
    if marking is not None and access.may(Action.SEE_ALL_CASES):
        raise NotAllowed("Second marking is blind: only the second marker of this case opens it.")
    raise Http404("No such second marking")


def _form_url(request, slug: str, case_ref: str, **kwargs) -> str:
    criterion = kwargs.get("criterion") or kwargs["question"].rsplit(".", 1)[0]
    return reverse(FORM_URL, args=[slug, case_ref, criterion])


@login_required
def my_second_marking(request: HttpRequest, slug: str) -> HttpResponse:
    access = policy.access_for(request.user, slug)
    markings = (
        SecondMarking.objects.filter(case__inspection=access.inspection, marker=request.user)
        .select_related("case")
        .order_by("case__case_ref")
    )
    return render(
        request,
        "cases/second_marking/mine.html",
        {"inspection": access.inspection, "markings": markings, "may_mark": access.may(Action.SECOND_MARK)},
    )


@login_required
def second_marking_tasks(request: HttpRequest, slug: str, case_ref: str) -> HttpResponse:
    marking, access = _marking_for(request.user, slug, case_ref)
    case = marking.case
    attributes = [
        (attribute["label"], value_text(attribute, case.attributes.get(attribute["code"])))
        for attribute in access.inspection.framework.definition["case_attributes"]
        if case.attributes.get(attribute["code"]) not in (None, [], "")
    ]
    return render(
        request,
        "cases/second_marking/tasks.html",
        {
            "inspection": access.inspection,
            "case": case,
            "marking": marking,
            "progress": second_marking_progress(marking),
            "attributes": attributes,
        },
    )


def _next_url(progress: CaseProgress, slug: str, criterion_code: str) -> str:
    codes = [item.criterion.code for item in progress.criteria if item.applicable]
    later = codes[codes.index(criterion_code) + 1 :] if criterion_code in codes else []
    if later:
        return reverse(FORM_URL, args=[slug, progress.case.case_ref, later[0]])
    return reverse("second_marking_check", args=[slug, progress.case.case_ref])


def _save_posted(user, marking: SecondMarking, progress: CaseProgress, data) -> tuple[dict[str, str], bool]:
    """Save every changed answer on the page, in framework order; returns errors by question code,
    and whether one of them is a conflict with someone else's save."""
    errors: dict[str, str] = {}
    conflict = False
    for code in progress.structure.questions:
        posted = posted_answer(data, code)
        if posted is None:
            continue
        current = progress.answers.get(code)
        if current and current.value == posted.value and current.note == posted.note:
            continue
        if not current and not posted.value and not posted.note:
            continue
        try:
            save_second_answer(
                user=user,
                second_marking=marking,
                question_code=code,
                value=posted.value,
                note=posted.note,
                base_version=posted.version,
            )
        except AnswerConflict as refused:
            errors[code] = _conflict_text(refused, posted)
            conflict = True
        except NotApplicable:
            continue  # hidden by an earlier answer on the same page: nothing to keep
        except SecondMarkingError as error:
            errors[code] = str(error)
    return errors, conflict


@keeps_post_when_signed_out(_form_url)
def second_marking_form(request: HttpRequest, slug: str, case_ref: str, criterion: str) -> HttpResponse:
    marking, access = _marking_for(request.user, slug, case_ref)
    progress = second_marking_progress(marking)
    if criterion not in progress.structure.criteria or progress.structure.criteria[criterion].kind != "case":
        raise Http404("No such criterion")
    can_edit = marking.is_open
    errors: dict[str, str] = {}
    conflict = False
    if request.method == "GET" and can_edit:
        replayed = take_pending(request, request.path)
        for data in replayed:
            errors.update(_save_posted(request.user, marking, progress, data)[0])
        if replayed:
            messages.success(request, "You were signed out; the answers you gave before signing in again were saved.")
            progress = second_marking_progress(marking)
    if request.method == "POST":
        if not can_edit:
            return HttpResponse("This second marking cannot be changed now.", status=403)
        before = set(progress.applicable)
        errors, conflict = _save_posted(request.user, marking, progress, request.POST)
        progress = second_marking_progress(marking)
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
    return render(
        request,
        "cases/second_marking/criterion_form.html",
        {
            "case": marking.case,
            "inspection": access.inspection,
            "marking": marking,
            "progress": progress,
            "criterion": progress.structure.criteria[criterion],
            "rows": _question_rows(progress, _criterion_codes(progress, criterion), errors),
            "errors": errors,
            "can_edit": can_edit,
            "save_url_name": SAVE_URL,
        },
        status=200 if not errors else 409 if conflict else 400,
    )


@require_POST
@keeps_post_when_signed_out(_form_url)
def second_marking_save_answer(request: HttpRequest, slug: str, case_ref: str, question: str) -> HttpResponse:
    """Autosave of one of the second marker's answers (htmx): the status line and out-of-band updates."""
    marking, access = _marking_for(request.user, slug, case_ref)
    progress = second_marking_progress(marking)
    if question not in progress.structure.questions:
        raise Http404("No such question")
    case = marking.case
    posted = posted_answer(request.POST, question)
    if posted is None:
        return _status(request, question, error="Nothing was sent to save.", status=400)
    before = set(progress.applicable)
    try:
        answer = save_second_answer(
            user=request.user,
            second_marking=marking,
            question_code=question,
            value=posted.value,
            note=posted.note,
            base_version=posted.version,
        )
    except AnswerConflict as conflict:
        progress = second_marking_progress(marking)
        row = _question_rows(progress, [question], {question: _conflict_text(conflict, posted)})[0]
        context = {"row": row, "case": case, "can_edit": True, "save_url_name": SAVE_URL}
        response = render(request, "cases/includes/question_block.html", context)
        response["HX-Retarget"] = f"#q-{question.replace('.', '-')}"
        response["HX-Reswap"] = "outerHTML"
        return response
    except SecondMarkingError as error:
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
            "save_url_name": SAVE_URL,
        },
    )


def _status(request, question: str, *, error: str, status: int) -> HttpResponse:
    context = {"code": question, "dom": question.replace(".", "-"), "error": error}
    return render(request, "cases/includes/answer_saved.html", context, status=status)


@login_required
def second_marking_check(request: HttpRequest, slug: str, case_ref: str) -> HttpResponse:
    marking, access = _marking_for(request.user, slug, case_ref)
    return _check_page(request, marking, access, error=None)


def _check_page(request, marking: SecondMarking, access, error: str | None, status: int = 200) -> HttpResponse:
    progress = second_marking_progress(marking)
    sections = [
        {"progress": item, "rows": _question_rows(progress, item.applicable)}
        for item in progress.criteria
        if item.applicable
    ]
    return render(
        request,
        "cases/second_marking/check.html",
        {
            "case": marking.case,
            "inspection": access.inspection,
            "marking": marking,
            "progress": progress,
            "sections": sections,
            "missing": [progress.structure.questions[code] for code in progress.missing],
            "error": error,
            "can_edit": marking.is_open,
            "can_complete": marking.state == SecondMarking.State.IN_PROGRESS,
            "form_url_name": FORM_URL,
        },
        status=status,
    )


@login_required
@require_POST
def complete(request: HttpRequest, slug: str, case_ref: str) -> HttpResponse:
    marking, access = _marking_for(request.user, slug, case_ref)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        if version is None:
            raise MissingVersion("The page did not say which version it completes. Reload it and try again.")
        complete_second_marking(user=request.user, second_marking=marking, base_version=version)
    except (SecondMarkingError, MissingVersion) as error:
        return _check_page(request, marking, access, error=str(error), status=400)
    except StaleVersion as error:
        return _check_page(request, marking, access, error=str(error), status=409)
    messages.success(request, f"Second marking of case {case_ref} completed. The lead inspector will compare it.")
    return redirect("my_second_marking", slug)

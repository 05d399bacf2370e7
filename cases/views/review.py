"""The lead inspector's review of a submitted assessment: approve, return with comments, reopen."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases.access import get_case_for_user
from cases.progress import case_progress
from cases.services import approve_assessment, reopen_assessment, return_assessment
from cases.views.assessment import _question_rows
from inspections.errors import Refused, http_status, posted_version
from inspections.input_rules import REASON_MAX, text_problem, visible
from inspections.policy import Action


@dataclass
class ReviewForm:
    """What the lead typed: kept and shown again when something is wrong."""

    reason: str = ""
    comments: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    reason_field: str = "reason"  # the textarea the reason came from (return and reopen have one each)

    @classmethod
    def from_post(cls, data) -> ReviewForm:
        comments = {
            key.removeprefix("comment-"): value.strip()
            for key, value in data.items()
            if key.startswith("comment-") and value.strip()
        }
        form = cls(reason=data.get("reason", "").strip(), comments=comments)
        form.check()
        return form

    def check(self) -> None:
        """Texts the input rules refuse, each marked on its field (key: the field's id)."""
        problem = text_problem(self.reason, max_length=REASON_MAX, what="The reason")
        if problem:
            self.errors[self.reason_field] = problem
        for code, text in self.comments.items():
            problem = text_problem(text, max_length=REASON_MAX, what=f"The comment on {visible(code, 20)}")
            if problem:
                self.errors[f"comment-{code.replace('.', '-')}"] = problem

    @property
    def comment_errors(self) -> dict[str, str]:
        return {code: self.errors.get(f"comment-{code.replace('.', '-')}", "") for code in self.comments}


def _review_page(request, slug: str, case_ref: str, form: ReviewForm, status: int = 200) -> HttpResponse:
    case, access = get_case_for_user(request.user, slug, case_ref)
    access.require(Action.REVIEW)
    progress = case_progress(case)
    sections = [
        {"progress": item, "rows": _question_rows(progress, item.applicable)}
        for item in progress.criteria
        if item.applicable
    ]
    return render(
        request,
        "cases/review.html",
        {
            "case": case,
            "inspection": case.inspection,
            "progress": progress,
            "sections": sections,
            "review_form": form if progress.assessment.state == "submitted" else None,
            "form": form,
            "can_edit": False,
        },
        status=status,
    )


@login_required
def review(request: HttpRequest, slug: str, case_ref: str) -> HttpResponse:
    return _review_page(request, slug, case_ref, ReviewForm())


def _transition(request, slug: str, case_ref: str, action, success: str, form: ReviewForm, **kwargs) -> HttpResponse:
    """Run a review decision; a refusal re-renders the review page with the error summary."""
    case, access = get_case_for_user(request.user, slug, case_ref)
    access.require(Action.REVIEW)
    try:
        action(user=request.user, case=case, expected_version=posted_version(request.POST), **kwargs)
    except Refused as error:
        form.errors[_error_key(error, form)] = str(error)
        return _review_page(request, slug, case_ref, form, status=http_status(error))
    messages.success(request, success.format(case=case.case_ref))
    return redirect("case_list", slug)


def _error_key(error: Refused, form: ReviewForm) -> str:
    if error.field == "reason":
        return form.reason_field
    return error.field or "version"


@login_required
@require_POST
def return_view(request: HttpRequest, slug: str, case_ref: str) -> HttpResponse:
    form = ReviewForm.from_post(request.POST)
    if not form.reason:
        form.errors["reason"] = "Enter the reason for returning the assessment"
    if form.errors:
        return _review_page(request, slug, case_ref, form, status=400)
    return _transition(
        request,
        slug,
        case_ref,
        return_assessment,
        "Case {case} returned to the assessor.",
        form,
        reason=form.reason,
        comments=form.comments,
    )


@login_required
@require_POST
def approve(request: HttpRequest, slug: str, case_ref: str) -> HttpResponse:
    return _transition(request, slug, case_ref, approve_assessment, "Case {case} approved.", ReviewForm())


@login_required
@require_POST
def reopen(request: HttpRequest, slug: str, case_ref: str) -> HttpResponse:
    form = ReviewForm(reason=request.POST.get("reason", "").strip(), reason_field="reopen")
    form.check()
    if not form.reason:
        form.errors["reopen"] = "Enter the reason for reopening the assessment"
    if form.errors:
        return _review_page(request, slug, case_ref, form, status=400)
    return _transition(
        request,
        slug,
        case_ref,
        reopen_assessment,
        "Case {case} reopened and returned to the assessor.",
        form,
        reason=form.reason,
    )

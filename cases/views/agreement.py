"""Agreement between first and second marking (per question, criterion and assessor, with the
disagreements listed), and the lead's reconciliation of one case."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases.agreement import agreement_report, disagreements
from cases.models import SecondAnswer, SecondMarking
from cases.second_marking import (
    Decision,
    ReconciliationIncomplete,
    SecondMarkingError,
    compare,
    reconcile,
)
from inspections import policy
from inspections.errors import MissingVersion, StaleVersion, WrongStage
from inspections.policy import Action

Standing = SecondAnswer.Standing


@login_required
def agreement(request: HttpRequest, slug: str) -> HttpResponse:
    access = policy.access_for(request.user, slug)
    access.require(Action.SEE_SCORES)
    report = agreement_report(access.inspection)
    by_case = []
    for case_ref, group in groupby(disagreements(access.inspection), key=lambda row: row.case_ref):
        items = list(group)
        # One line per case, joined here: a full second-marked sample has thousands of disagreements.
        by_case.append(
            {
                "case_ref": case_ref,
                "count": len(items),
                "reconciled": items[0].state == SecondMarking.State.RECONCILED,
                "text": "; ".join(f"{item.question} {item.first} → {item.second}{_stands(item)}" for item in items),
            }
        )
    return render(
        request,
        "cases/second_marking/agreement.html",
        {
            "inspection": access.inspection,
            "report": report,
            "questions": [row for row in report.questions if row.result.pairs],
            "unpaired": sum(1 for row in report.questions if not row.result.pairs),
            "disagreements": by_case,
            "may_reconcile": access.may(Action.RECONCILE),
        },
    )


def _stands(item) -> str:
    return {"first": " (first stands)", "second": " (second stands)"}.get(item.standing, "")


def _marking(access: policy.Access, case_ref: str) -> SecondMarking:
    marking = (
        SecondMarking.objects.select_related("case__assessment", "marker", "first_assessor", "reconciled_by")
        .filter(case__inspection=access.inspection, case__case_ref=case_ref)
        .first()
    )
    if marking is None:
        raise Http404("This case is not second-marked")
    marking.case.inspection = access.inspection
    return marking


def _page(request, access, marking: SecondMarking, *, errors: dict[str, str], posted=None, status: int = 200):
    comparison = compare(marking)
    posted = posted or {}
    rows = []
    for item in comparison.disagreements:
        dom = item.code.replace(".", "-")
        rows.append(
            {
                "item": item,
                "dom": dom,
                "standing": posted.get(f"standing-{item.code}", item.second.standing),
                "reason": posted.get(f"reason-{item.code}", item.second.reason),
                "standing_error": errors.get(f"standing-{item.code}"),
                "reason_error": errors.get(f"reason-{item.code}"),
            }
        )
    summary = [(key.replace(".", "-") if key != "decisions" else "decisions", error) for key, error in errors.items()]
    return render(
        request,
        "cases/second_marking/reconcile.html",
        {
            "inspection": access.inspection,
            "case": marking.case,
            "marking": marking,
            "rows": rows,
            "errors": summary,
            "general_error": errors.get("decisions"),
            "standings": Standing.choices,
        },
        status=status,
    )


@login_required
def reconciliation(request: HttpRequest, slug: str, case_ref: str) -> HttpResponse:
    access = policy.access_for(request.user, slug)
    access.require(Action.RECONCILE)
    return _page(request, access, _marking(access, case_ref), errors={})


@login_required
@require_POST
def reconcile_case(request: HttpRequest, slug: str, case_ref: str) -> HttpResponse:
    access = policy.access_for(request.user, slug)
    access.require(Action.RECONCILE)
    marking = _marking(access, case_ref)
    posted = {key: value.strip() for key, value in request.POST.items() if key.startswith(("standing-", "reason-"))}
    codes = {key.split("-", 1)[1] for key in posted}
    decisions = {code: Decision(posted.get(f"standing-{code}", ""), posted.get(f"reason-{code}", "")) for code in codes}
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        if version is None:
            raise MissingVersion("The page did not say which version it decides on. Reload it and decide again.")
        reconcile(user=request.user, second_marking=marking, decisions=decisions, base_version=version)
    except ReconciliationIncomplete as incomplete:
        return _page(request, access, marking, errors=incomplete.errors, posted=posted, status=400)
    except MissingVersion as error:
        return _page(request, access, marking, errors={"decisions": str(error)}, posted=posted, status=400)
    except StaleVersion as error:
        marking.refresh_from_db()
        return _page(request, access, marking, errors={"decisions": str(error)}, posted=posted, status=409)
    except (SecondMarkingError, WrongStage) as error:
        return _page(request, access, marking, errors={"decisions": str(error)}, posted=posted, status=400)
    messages.success(
        request, f"Second marking of case {case_ref} reconciled. The answers that stand count in the scores."
    )
    return redirect("agreement", slug)

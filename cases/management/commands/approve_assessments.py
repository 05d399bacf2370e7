"""approve_assessments SLUG [--cases REF,REF,...] [--user USERNAME] (the interface contract, "Teams and scores")."""

from django.db import transaction

from cases.models import Assessment, Case
from cases.services import approve_assessment
from inspections.errors import Refused
from inspections.lifecycle import authorise
from inspections.management.actors import WorkflowCommand
from inspections.policy import Action


class Command(WorkflowCommand):
    help = (
        "Approve submitted assessments exactly as the lead's approve button does (all submitted ones unless "
        "--cases names some); refuses cases that are not submitted. All or nothing."
    )
    acts_as = "lead"

    def add_options(self, parser):
        parser.add_argument("--cases", help="case references separated by commas")

    def act(self, inspection, actor, *, cases: str | None, **options) -> str:
        chosen = Case.objects.filter(inspection=inspection).select_related("assessment").order_by("case_ref")
        if cases:
            targets = _named(chosen, [ref.strip() for ref in cases.split(",") if ref.strip()])
        else:
            targets = list(chosen.filter(assessment__state=Assessment.State.SUBMITTED))
        with transaction.atomic():
            # Asked even when nothing is submitted: the command must not report success on a frozen
            # record or for someone who may not review.
            authorise(actor, inspection, Action.REVIEW)
            for case in targets:
                case.inspection = inspection
                approve_assessment(user=actor, case=case, expected_version=case.assessment.version)
        return f"{inspection.slug}: {len(targets)} assessment{'' if len(targets) == 1 else 's'} approved"


def _named(cases, refs: list[str]) -> list[Case]:
    found = {case.case_ref: case for case in cases.filter(case_ref__in=refs)}
    unknown = [ref for ref in refs if ref not in found]
    if unknown:
        raise Refused(f"no case with the reference {', '.join(unknown)}")
    not_submitted = [
        f"{ref} ({Assessment.State(_state(found[ref])).label})" for ref in refs if _state(found[ref]) != "submitted"
    ]
    if not_submitted:
        raise Refused(f"nothing approved; these cases are not submitted: {', '.join(not_submitted)}")
    return [found[ref] for ref in refs]


def _state(case: Case) -> str:
    assessment = getattr(case, "assessment", None)
    return assessment.state if assessment else Assessment.State.NOT_STARTED.value

"""approve_assessments SLUG [--cases REF,REF,...] [--user USERNAME] (the interface contract, "Teams and scores")."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cases.models import Assessment, Case
from cases.services import approve_assessment
from inspections.errors import Refused
from inspections.lifecycle import authorise
from inspections.management.actors import inspection_or_exit, lead_or_named
from inspections.policy import Action


class Command(BaseCommand):
    help = (
        "Approve submitted assessments exactly as the lead's approve button does (all submitted ones unless "
        "--cases names some); refuses cases that are not submitted. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the inspection, e.g. cumbria-2006")
        parser.add_argument("--cases", help="case references separated by commas")
        parser.add_argument("--user", help="act as this user (default: the inspection's lead)")

    def handle(self, *args, slug, cases, user, **options):
        inspection = inspection_or_exit(slug)
        actor = lead_or_named(inspection, user)
        chosen = Case.objects.filter(inspection=inspection).select_related("assessment").order_by("case_ref")
        if cases:
            refs = [ref.strip() for ref in cases.split(",") if ref.strip()]
            found = {case.case_ref: case for case in chosen.filter(case_ref__in=refs)}
            unknown = [ref for ref in refs if ref not in found]
            if unknown:
                raise CommandError(f"{slug}: no case with the reference {', '.join(unknown)}", returncode=2)
            not_submitted = [
                f"{ref} ({_state(found[ref])})"
                for ref in refs
                if _state(found[ref]) != Assessment.State.SUBMITTED.label
            ]
            if not_submitted:
                raise CommandError(
                    f"{slug}: nothing approved; these cases are not submitted: {', '.join(not_submitted)}",
                    returncode=2,
                )
            targets = [found[ref] for ref in refs]
        else:
            targets = list(chosen.filter(assessment__state=Assessment.State.SUBMITTED))
        try:
            with transaction.atomic():
                # Asked even when nothing is submitted: the command must not report success on a
                # frozen record or for someone who may not review.
                authorise(actor, inspection, Action.REVIEW)
                for case in targets:
                    case.inspection = inspection
                    approve_assessment(user=actor, case=case, expected_version=case.assessment.version)
        except Refused as error:
            raise CommandError(f"{slug}: nothing approved: {error}", returncode=2) from None
        self.stdout.write(f"{slug}: {len(targets)} assessment{'' if len(targets) == 1 else 's'} approved")


def _state(case: Case) -> str:
    assessment = getattr(case, "assessment", None)
    return assessment.get_state_display() if assessment else Assessment.State.NOT_STARTED.label

"""finalise_scores SLUG [--reason TEXT] [--user USERNAME] (the interface contract, "Teams and scores")."""

from inspections.management.actors import WorkflowCommand
from inspections.seen import seen_token
from scoring.services import finalise_scores, finalise_summary


class Command(WorkflowCommand):
    help = (
        "Finalise the scores exactly as the lead's finalise button does: final scores count approved assessments "
        "only; a reason is required when cases are not all approved."
    )
    acts_as = "lead"

    def add_options(self, parser):
        parser.add_argument("--reason", default="", help="why scores are finalised before every case is approved")

    def act(self, inspection, actor, *, reason: str, **options) -> str:
        # The command decides on the record as it is now, as a lead does on the page just loaded.
        seen = seen_token(finalise_summary(inspection))
        snapshot = finalise_scores(user=actor, inspection=inspection, seen=seen, override_reason=reason)
        return f"{inspection.slug}: scores finalised (snapshot {snapshot.number})"

"""start_revision SLUG --reason TEXT [--user USERNAME] (the interface contract, "Publishing and revisions")."""

from inspections.management.actors import WorkflowCommand
from reports.publishing import start_revision


class Command(WorkflowCommand):
    help = (
        "Open a new revision of a published report: the narrative and judgements become editable again; the "
        "published versions stay untouched. --reopen-scores reopens the scores too."
    )
    acts_as = "operator"

    def add_options(self, parser):
        parser.add_argument("--reason", required=True, help="why the report is revised")
        parser.add_argument("--reopen-scores", action="store_true", help="reopen the scores as well")

    def act(self, inspection, actor, *, reason: str, reopen_scores: bool, **options) -> str:
        latest = inspection.published_reports.order_by("-version").values_list("version", flat=True).first()
        revision = start_revision(
            user=actor, inspection=inspection, reason=reason, published_version=latest, reopen_scores=reopen_scores
        )
        return f"{inspection.slug}: revision {revision.number} started"

"""start_revision SLUG --reason TEXT [--user USERNAME] (the interface contract, "Publishing and revisions")."""

from django.core.management.base import BaseCommand, CommandError

from inspections.errors import Refused
from inspections.management.actors import inspection_or_exit, operator_or_named
from reports.publishing import start_revision


class Command(BaseCommand):
    help = (
        "Open a new revision of a published report: the narrative and judgements become editable again; the "
        "published versions stay untouched. --reopen-scores reopens the scores too."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the inspection, e.g. cumbria-2006")
        parser.add_argument("--reason", required=True, help="why the report is revised")
        parser.add_argument("--reopen-scores", action="store_true", help="reopen the scores as well")
        parser.add_argument("--user", help="act as this user (default: the operator)")

    def handle(self, *args, slug, reason, reopen_scores, user, **options):
        inspection = inspection_or_exit(slug)
        actor = operator_or_named(user)
        latest = inspection.published_reports.order_by("-version").values_list("version", flat=True).first()
        try:
            revision = start_revision(
                user=actor,
                inspection=inspection,
                reason=reason,
                published_version=latest,
                reopen_scores=reopen_scores,
            )
        except Refused as error:
            raise CommandError(f"{slug}: {error}", returncode=2) from None
        self.stdout.write(f"{slug}: revision {revision.number} started")

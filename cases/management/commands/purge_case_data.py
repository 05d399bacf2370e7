import datetime

from django.core.management.base import BaseCommand, CommandError

from cases.retention import RetentionError, due_for_purge, purge_case_data
from inspections.models import Inspection


class Command(BaseCommand):
    help = (
        "Purge the case references, evidence notes, case details and their history of every inspection whose "
        "retention date has passed (or of the inspections named); the published report and the figures stay."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG", help="only these inspections (each must be due)")
        parser.add_argument("--dry-run", action="store_true", help="list what would be purged; change nothing")
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="the date to judge by (YYYY-MM-DD)")

    def handle(self, *args, slugs: list[str], dry_run: bool, today: datetime.date | None, **options):
        if slugs:
            inspections = list(Inspection.objects.filter(slug__in=slugs))
            missing = sorted(set(slugs) - {inspection.slug for inspection in inspections})
            if missing:
                raise CommandError(f"no inspection with slug {', '.join(missing)}", returncode=2)
        else:
            inspections = list(due_for_purge(today))
            if not inspections:
                self.stdout.write("No inspection's case data is due for purging.")
                return
        for inspection in inspections:
            if dry_run:
                self.stdout.write(f"{inspection.slug}: {inspection.cases.count()} cases would be purged")
                continue
            try:
                record = purge_case_data(inspection, user=None, today=today)
            except RetentionError as error:
                raise CommandError(str(error), returncode=2) from None
            self.stdout.write(
                f"{inspection.slug}: {record.cases} cases purged ({record.notes_cleared} evidence notes, "
                f"{record.history_rows_deleted} history rows)"
            )

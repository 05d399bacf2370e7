import csv
import json

from django.core.management.base import BaseCommand, CommandError

from inspections.models import Inspection
from scoring.scores import compute_scores, current_snapshot, score_document


class Command(BaseCommand):
    help = "Print an inspection's current scores (finalised if they are, else draft) as JSON or CSV."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, slug: str, format: str, **options):
        inspection = Inspection.objects.select_related("framework").filter(slug=slug).first()
        if inspection is None:
            raise CommandError(f"no inspection with slug '{slug}'", returncode=2)
        document = score_document(inspection)
        if format == "json":
            self.stdout.write(json.dumps(document.data, ensure_ascii=False, indent=2))
            return
        snapshot = current_snapshot(inspection)
        rows = snapshot.data["rows"] if snapshot else compute_scores(inspection).as_rows()
        writer = csv.DictWriter(self.stdout, fieldnames=["criterion", "question", "sufficient", "relevant", "score"])
        writer.writeheader()
        writer.writerows(rows)

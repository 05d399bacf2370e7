import json

from django.core.management.base import BaseCommand, CommandError

from inspections.models import Inspection
from reports.exports import SCORE_COLUMNS, csv_stream, score_rows
from scoring.scores import score_document


class Command(BaseCommand):
    help = "Print an inspection's current scores (finalised if they are, else draft) as JSON or CSV."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, slug: str, format: str, **options):
        inspection = Inspection.objects.select_related("framework").filter(slug=slug).first()
        if inspection is None:
            raise CommandError(f"no inspection with slug '{slug}'", returncode=2)
        if format == "json":
            self.stdout.write(json.dumps(score_document(inspection).data, ensure_ascii=False, indent=2))
            return
        for line in csv_stream(SCORE_COLUMNS, score_rows(inspection)):
            self.stdout.write(line, ending="")

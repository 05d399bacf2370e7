import json

from django.core.management.base import BaseCommand, CommandError

from inspections.services import InspectionError
from programme.figures import load_programme, programme_table
from reports.exports import csv_stream


class Command(BaseCommand):
    help = (
        "Print the programme figures of a framework: every inspection whose scores are finalised (published "
        "ones included) and, per criterion, the mean, minimum, maximum and 95% interval of the mean."
    )

    def add_arguments(self, parser):
        parser.add_argument("--framework", required=True, help="framework code, e.g. omi-2006")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, framework: str, format: str, **options):
        try:
            programme = load_programme(framework)
        except InspectionError as error:
            raise CommandError(str(error), returncode=2) from None
        if format == "json":
            self.stdout.write(json.dumps(programme.document(), ensure_ascii=False, indent=2))
            return
        header, rows = programme_table(programme)
        for line in csv_stream(header, rows):
            self.stdout.write(line, ending="")

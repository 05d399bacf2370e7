import json

from django.core.management.base import BaseCommand, CommandError

from cases.agreement import agreement_report
from inspections.models import Inspection


class Command(BaseCommand):
    help = (
        "Print the agreement between first assessments and blind second marking as JSON: pairs, "
        "percentage agreement and Cohen's kappa per question, per criterion and overall."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the inspection, e.g. cumbria-2006")

    def handle(self, *args, slug: str, **options):
        inspection = Inspection.objects.select_related("framework").filter(slug=slug).first()
        if inspection is None:
            raise CommandError(f"no inspection with slug '{slug}'", returncode=2)
        self.stdout.write(json.dumps(agreement_report(inspection).document(), ensure_ascii=False, indent=2))

import datetime

from django.core.management.base import BaseCommand, CommandError

from inspections.services import InspectionError, create_inspection


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"'{value}' is not a date in the form YYYY-MM-DD", returncode=2) from None


class Command(BaseCommand):
    help = "Create an inspection of an area (and the area if it is new)."

    def add_arguments(self, parser):
        parser.add_argument("--framework", required=True, help="framework code, e.g. omi-2006")
        parser.add_argument("--area", required=True, help="area name")
        parser.add_argument("--slug", required=True, help="unique short name, e.g. cumbria-2006")
        parser.add_argument("--title", default="")
        parser.add_argument("--fieldwork-start", help="YYYY-MM-DD")
        parser.add_argument("--fieldwork-end", help="YYYY-MM-DD")

    def handle(self, *args, **options):
        try:
            inspection = create_inspection(
                framework_code=options["framework"],
                area_name=options["area"],
                slug=options["slug"],
                title=options["title"],
                fieldwork_start=_date(options["fieldwork_start"]) if options["fieldwork_start"] else None,
                fieldwork_end=_date(options["fieldwork_end"]) if options["fieldwork_end"] else None,
            )
        except InspectionError as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(
            f"{inspection.slug} created: {inspection.title} "
            f"({inspection.framework.code} {inspection.framework.version})"
        )

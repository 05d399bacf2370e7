"""publish_report SLUG [--reason TEXT] [--user USERNAME] (the interface contract, "Publishing and revisions")."""

from django.core.management.base import BaseCommand, CommandError

from inspections.errors import Refused
from inspections.management.actors import inspection_or_exit, operator_or_named
from inspections.seen import seen_token
from reports.publishing import publish_report, publish_summary


class Command(BaseCommand):
    help = (
        "Publish the report exactly as the admin's publish button does; prints 'SLUG version N published "
        "sha256 HEX'. Without --user it acts with admin authority, recorded as done from the command line."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the inspection, e.g. cumbria-2006")
        parser.add_argument("--reason", default="", help="a note kept with the first version")
        parser.add_argument("--user", help="act as this user (default: the operator)")

    def handle(self, *args, slug, reason, user, **options):
        inspection = inspection_or_exit(slug)
        actor = operator_or_named(user)
        try:
            published = publish_report(
                user=actor, inspection=inspection, seen=seen_token(publish_summary(inspection)), reason=reason
            )
        except Refused as error:
            raise CommandError(f"{slug}: {error}", returncode=2) from None
        self.stdout.write(f"{slug} version {published.version} published sha256 {published.sha256}")

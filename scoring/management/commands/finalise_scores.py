"""finalise_scores SLUG [--reason TEXT] [--user USERNAME] (the interface contract, "Teams and scores")."""

from django.core.management.base import BaseCommand, CommandError

from inspections.errors import Refused
from inspections.management.actors import inspection_or_exit, lead_or_named
from inspections.seen import seen_token
from scoring.services import finalise_scores, finalise_summary


class Command(BaseCommand):
    help = (
        "Finalise the scores exactly as the lead's finalise button does: final scores count approved assessments "
        "only; a reason is required when cases are not all approved."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the inspection, e.g. cumbria-2006")
        parser.add_argument("--reason", default="", help="why scores are finalised before every case is approved")
        parser.add_argument("--user", help="act as this user (default: the inspection's lead)")

    def handle(self, *args, slug, reason, user, **options):
        inspection = inspection_or_exit(slug)
        actor = lead_or_named(inspection, user)
        try:
            # The command decides on the record as it is now, as a lead does on the page just loaded.
            snapshot = finalise_scores(
                user=actor,
                inspection=inspection,
                seen=seen_token(finalise_summary(inspection)),
                override_reason=reason,
            )
        except Refused as error:
            raise CommandError(f"{slug}: {error}", returncode=2) from None
        self.stdout.write(f"{slug}: scores finalised (snapshot {snapshot.number})")

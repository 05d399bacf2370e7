"""verify_published [SLUG ...]: check every published report version against the hash recorded at publication.

Run after restoring a backup (scripts/restore.sh does), or at any time by an auditor. Each version is
read through reports.publishing.verify (its PDF and its snapshot), the same check a download makes.
Exit status 0 when all match, 1 when one does not (each named on stderr), 2 for an unknown slug.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from inspections.models import Inspection
from reports.models import PublishedReport
from reports.publishing import TamperedPublication, verify


class Command(BaseCommand):
    help = "Check every published report version (or those of the inspections named) against its recorded hash."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slugs", nargs="*", metavar="SLUG", help="only these inspections (default: all)")

    def handle(self, *args, slugs: list[str], **options) -> None:
        unknown = sorted(set(slugs) - set(Inspection.objects.filter(slug__in=slugs).values_list("slug", flat=True)))
        if unknown:
            raise CommandError(f"no inspection with the slug {', '.join(unknown)}", returncode=2)
        versions = PublishedReport.objects.select_related("inspection").order_by("inspection__slug", "version")
        if slugs:
            versions = versions.filter(inspection__slug__in=slugs)
        checked, problems = 0, []
        # One at a time: each holds a whole PDF.
        for published in versions.iterator(chunk_size=1):
            checked += 1
            try:
                verify(published)
            except TamperedPublication as error:
                problems.append(f"{published.inspection.slug} version {published.version}: {error}")
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} of {checked} published versions failed the check", returncode=1)
        self.stdout.write(f"{checked} published version{'s' if checked != 1 else ''} verified")

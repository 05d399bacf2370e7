"""publish_report SLUG [--reason TEXT] [--user USERNAME] (the interface contract, "Publishing and revisions")."""

from inspections.management.actors import WorkflowCommand
from inspections.seen import seen_token
from reports.publishing import publish_report, publish_summary


class Command(WorkflowCommand):
    help = (
        "Publish the report exactly as the admin's publish button does; prints 'SLUG version N published "
        "sha256 HEX'. Without --user it acts with admin authority, recorded as done from the command line."
    )
    acts_as = "operator"

    def add_options(self, parser):
        parser.add_argument("--reason", default="", help="a note kept with the first version")

    def act(self, inspection, actor, *, reason: str, **options) -> str:
        seen = seen_token(publish_summary(inspection))
        published = publish_report(user=actor, inspection=inspection, seen=seen, reason=reason)
        return f"{inspection.slug} version {published.version} published sha256 {published.sha256}"

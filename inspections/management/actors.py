"""Who a workflow command acts for: a named person, the inspection's lead, or the operator.

A command goes through the same services, and so the same permission and lifecycle checks, as the
buttons. `--user` names the person; without it, commands that act for a person (approving,
finalising) act as the inspection's lead, and those with admin authority (publishing, revising,
team changes) act as the operator: whoever has a shell on the server, recorded as "command line".
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from inspections.errors import Refused
from inspections.models import Inspection, Membership

OPERATOR = None


def inspection_or_exit(slug: str) -> Inspection:
    inspection = Inspection.objects.select_related("framework", "area").filter(slug=slug).first()
    if inspection is None:
        raise CommandError(f"{slug}: there is no inspection with this slug", returncode=2)
    return inspection


def named_user(username: str):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"--user {username}: there is no such user", returncode=2)
    if not user.is_active:
        raise CommandError(f"--user {username}: the account is deactivated", returncode=2)
    return user


def lead_or_named(inspection: Inspection, username: str | None):
    """The named user, or the inspection's lead (the first by username); refuses if there is none."""
    if username:
        return named_user(username)
    lead = (
        Membership.objects.filter(inspection=inspection, role=Membership.Role.LEAD)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    if lead is None:
        raise CommandError(
            f"{inspection.slug}: the inspection has no lead inspector to act as; add one "
            "(add_member SLUG USERNAME --role lead) or name a user with --user",
            returncode=2,
        )
    return lead.user


def operator_or_named(username: str | None):
    return named_user(username) if username else OPERATOR


class WorkflowCommand(BaseCommand):
    """`<command> SLUG [options] [--user USERNAME]`: one workflow action through the domain services.

    Subclasses set `acts_as` ("lead": the inspection's lead by default; "operator": admin authority by
    default), add their own options in `add_options` and do the action in `act`, which returns the line
    to print. A refusal (who, when, a stale or bad input) exits with status 2 and the reason.
    """

    acts_as = "lead"

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the inspection, e.g. cumbria-2006")
        default = "the inspection's lead" if self.acts_as == "lead" else "the operator"
        parser.add_argument("--user", help=f"act as this user (default: {default})")
        self.add_options(parser)

    def add_options(self, parser) -> None:
        """Options of the command besides SLUG and --user."""

    def act(self, inspection: Inspection, actor, **options) -> str:
        raise NotImplementedError

    def handle(self, *args, slug: str, user: str | None, **options):
        inspection = inspection_or_exit(slug)
        actor = lead_or_named(inspection, user) if self.acts_as == "lead" else operator_or_named(user)
        try:
            line = self.act(inspection, actor, **options)
        except Refused as error:
            raise CommandError(f"{slug}: {error}", returncode=2) from None
        self.stdout.write(line)

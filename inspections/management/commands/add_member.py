"""add_member SLUG USERNAME --role ROLE [--name "FULL NAME"] [--create] (the interface contract, "Teams")."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from inspections.errors import Refused
from inspections.management.actors import inspection_or_exit, operator_or_named
from inspections.models import Membership
from inspections.services import add_member


class Command(BaseCommand):
    help = "Add a user to an inspection's team with a role; --create creates the user (without a usable password)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the inspection, e.g. cumbria-2006")
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Membership.Role.values)
        parser.add_argument("--name", default="", help='the person\'s full name, e.g. "Ann Other"')
        parser.add_argument("--create", action="store_true", help="create the user if there is none")
        parser.add_argument("--user", help="act as this administrator (default: the operator)")

    def handle(self, *args, slug, username, role, name, create, user, **options):
        inspection = inspection_or_exit(slug)
        actor = operator_or_named(user)
        users = get_user_model()
        with transaction.atomic():
            member = users.objects.filter(username=username).first()
            if member is None and not create:
                raise CommandError(f"{username}: there is no such user (add --create to create one)", returncode=2)
            if member is None:
                first, _, last = name.strip().partition(" ")
                member = users(username=username, first_name=first, last_name=last)
                member.set_unusable_password()
                member.full_clean(exclude=["password"])
                member.save()
            elif name.strip():
                first, _, last = name.strip().partition(" ")
                member.first_name, member.last_name = first, last
                member.save(update_fields=["first_name", "last_name"])
            try:
                membership = add_member(user=actor, inspection=inspection, member=member, role=role)
            except Refused as error:
                raise CommandError(str(error), returncode=2) from None
        self.stdout.write(f"{inspection.slug}: {member.get_username()} is {membership.get_role_display()}")

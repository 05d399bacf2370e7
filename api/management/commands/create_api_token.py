from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.tokens import create_token
from inspections.errors import Refused


class Command(BaseCommand):
    help = "Create an API token for a user and print it (it is shown once: only its digest is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="Created on the command line", help="what the token is for")

    def handle(self, *args, username: str, name: str, **options):
        owner = get_user_model().objects.filter(username=username).first()
        if owner is None:
            raise CommandError(f"no user '{username}'", returncode=2)
        try:
            _, token = create_token(user=None, owner=owner, name=name)
        except Refused as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(token)

from django.core.management.base import BaseCommand, CommandError

from demo.seed import DEMO_PASSWORD, DEMO_USERS, create_demo
from inspections.services import InspectionError


class Command(BaseCommand):
    help = "Create the demo inspection and its users (once), and print how to sign in."

    def handle(self, *args, **options):
        try:
            inspection, created = create_demo()
        except InspectionError as error:
            raise CommandError(f"{error} (run load_frameworks first)", returncode=2) from None
        state = "created" if created else "already present"
        self.stdout.write(f"Demo inspection {inspection.slug} {state}: {inspection.title}")
        self.stdout.write(f"Sign in at http://127.0.0.1:8000/ with password '{DEMO_PASSWORD}' as:")
        for username, first, last, role in DEMO_USERS:
            self.stdout.write(f"  {username:<11} {first} {last}, {role.label if role else 'Administrator'}")

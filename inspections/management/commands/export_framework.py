from django.core.management.base import BaseCommand, CommandError

from inspections.framework_export import export_document
from inspections.models import Framework


class Command(BaseCommand):
    help = "Print a loaded framework as JSON (the newest version unless --version is given)."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--framework-version", dest="framework_version", help="a specific version")

    def handle(self, *args, code, framework_version=None, **options):
        frameworks = Framework.objects.filter(code=code)
        if framework_version:
            frameworks = frameworks.filter(version=framework_version)
        # Versions are compared as text padded on the left, so "10" sorts after "9".
        framework = max(frameworks, key=lambda f: f.version.rjust(20, "0"), default=None)
        if framework is None:
            known = ", ".join(Framework.objects.values_list("code", flat=True).distinct()) or "none"
            raise CommandError(f"no framework '{code}' is loaded (loaded: {known})", returncode=2)
        self.stdout.write(export_document(framework.definition))

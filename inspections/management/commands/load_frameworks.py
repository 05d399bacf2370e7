from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspections.framework_loader import FrameworkFileError, load_framework_files, shipped_files


class Command(BaseCommand):
    help = "Validate and load framework definition files (all shipped files when none is named)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path, help="framework YAML files")

    def handle(self, *args, files, **options):
        paths = files or shipped_files()
        if not paths:
            raise CommandError("no framework files found", returncode=2)
        try:
            results = load_framework_files(paths)
        except FrameworkFileError as error:
            raise CommandError("nothing was loaded:\n" + "\n".join(error.problems), returncode=2) from None
        for framework, outcome in results:
            self.stdout.write(f"{framework.code} {framework.version} {outcome}")

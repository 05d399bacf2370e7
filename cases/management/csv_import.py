"""The shared shape of the CSV import commands: `<command> SLUG FILE.csv`, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.importing import ImportRefused
from inspections.errors import Refused
from inspections.input_rules import file_size_problem
from inspections.models import Inspection


def read_input(slug: str, path: Path) -> tuple[Inspection, bytes]:
    """The inspection and the file's bytes, or a CommandError naming what is missing."""
    inspection = Inspection.objects.select_related("framework").filter(slug=slug).first()
    if inspection is None:
        raise CommandError(f"no inspection with slug '{slug}'", returncode=2)
    try:
        # The size is checked before anything is read: a file over the limit is never loaded.
        too_big = file_size_problem(path.stat().st_size)
        if too_big:
            raise CommandError(f"{path.name}: line 1: {too_big}", returncode=2)
        return inspection, path.read_bytes()
    except (OSError, ValueError) as error:  # ValueError: a name with a NUL in it
        reason = getattr(error, "strerror", None) or error
        raise CommandError(f"{path.name}: cannot read the file ({reason})", returncode=2) from None


def refusal(refused: ImportRefused) -> CommandError:
    count = len(refused.problems)
    heading = f"{refused.filename}: nothing was imported; {count} problem{'' if count == 1 else 's'}:"
    return CommandError("\n".join([heading, *refused.messages]), returncode=2)


class CsvImportCommand(BaseCommand):
    """Subclasses set `help` and `importer(inspection, data, filename) -> result with summary()`."""

    @staticmethod
    def importer(inspection, data: bytes, filename: str):
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the inspection, e.g. cumbria-2006")
        parser.add_argument("file", type=Path, help="UTF-8 CSV file with a header row")

    def handle(self, *args, slug: str, file: Path, **options):
        inspection, data = read_input(slug, file)
        try:
            result = self.importer(inspection, data, file.name)
        except ImportRefused as refused:
            raise refusal(refused) from None
        except Refused as error:
            raise CommandError(f"{file.name}: nothing was imported: {error}", returncode=2) from None
        self.stdout.write(f"{inspection.slug}: {result.summary()}")

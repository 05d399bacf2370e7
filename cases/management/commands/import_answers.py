from cases.importing import import_answer_file
from cases.management.csv_import import CsvImportCommand
from cases.second_marking_import import import_second_marking_file


class Command(CsvImportCommand):
    help = (
        "Record case assessments made elsewhere from a long-format CSV file "
        "(case_ref,question_code,answer, optional note and assessor); they are imported as submitted. "
        "With --second-marking, the answers are a blind second marking of cases already assessed, by the "
        "member named in the assessor column; they count in scores only once the lead reconciles them."
    )
    importer = staticmethod(import_answer_file)

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--second-marking",
            action="store_true",
            help="import a blind second marking (assessor: the second marker, not the case's first assessor)",
        )

    def handle(self, *args, second_marking: bool = False, **options):
        if second_marking:
            self.importer = import_second_marking_file
        return super().handle(*args, **options)

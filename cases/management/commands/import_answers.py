from cases.importing import import_answer_file
from cases.management.csv_import import CsvImportCommand


class Command(CsvImportCommand):
    help = (
        "Record case assessments made elsewhere from a long-format CSV file "
        "(case_ref,question_code,answer, optional note and assessor); they are imported as submitted."
    )
    importer = staticmethod(import_answer_file)

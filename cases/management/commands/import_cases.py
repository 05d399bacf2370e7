from cases.importing import import_case_sample
from cases.management.csv_import import CsvImportCommand


class Command(CsvImportCommand):
    help = "Add the cases of a CSV file (case_ref, case attribute codes, optional assessor) to an inspection's sample."
    importer = staticmethod(import_case_sample)

import datetime

from django.core.management.base import BaseCommand

from cases.access_log import ACCESS_LOG_COLUMNS, access_log_rows
from cases.models import CaseDataAccess
from reports.exports import csv_stream


class Command(BaseCommand):
    help = "Print the case data access log (who viewed or exported which case data) as CSV, oldest first."

    def add_arguments(self, parser):
        parser.add_argument("--since", type=datetime.date.fromisoformat, help="from this date (YYYY-MM-DD)")
        parser.add_argument("--inspection", metavar="SLUG", help="only this inspection")

    def handle(self, *args, since: datetime.date | None, inspection: str | None, **options):
        records = CaseDataAccess.objects.all()
        if since:
            records = records.filter(at__date__gte=since)
        if inspection:
            records = records.filter(inspection__slug=inspection)
        for line in csv_stream(ACCESS_LOG_COLUMNS, access_log_rows(records)):
            self.stdout.write(line, ending="")

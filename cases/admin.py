from django.contrib import admin
from django.http import StreamingHttpResponse
from simple_history.admin import SimpleHistoryAdmin

from cases.access_log import ACCESS_LOG_COLUMNS, access_log_rows
from cases.models import Case, CaseDataAccess, CaseDataPurge
from inspections.admin import ReadOnlyMixin
from reports.exports import csv_stream


@admin.register(Case)
class CaseAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """Read only: the sample, its allocation and assessments change through the workflow (import,
    allocation, review pages and commands), which checks who may and the inspection's stage."""

    list_display = ["case_ref", "inspection", "assessor"]
    list_filter = ["inspection"]
    search_fields = ["case_ref"]


class RecordAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Logs are read, filtered and exported here; nobody adds, changes or deletes a row."""


@admin.action(description="Export the selected rows as CSV")
def export_csv(modeladmin, request, queryset):
    response = StreamingHttpResponse(
        csv_stream(ACCESS_LOG_COLUMNS, access_log_rows(queryset)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="case-data-access-log.csv"'
    return response


@admin.register(CaseDataAccess)
class CaseDataAccessAdmin(RecordAdmin):
    list_display = ["at", "username", "kind", "page", "detail", "inspection", "case"]
    list_filter = ["kind", "page", "inspection"]
    search_fields = ["username", "case__case_ref"]
    date_hierarchy = "at"
    actions = [export_csv]
    list_select_related = ["inspection", "case"]


@admin.register(CaseDataPurge)
class CaseDataPurgeAdmin(RecordAdmin):
    list_display = ["at", "kind", "inspection_slug", "cases", "notes_cleared", "history_rows_deleted", "by"]
    list_filter = ["kind"]

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cases.models import Case
from inspections.admin import ReadOnlyMixin


@admin.register(Case)
class CaseAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """Read only: the sample, its allocation and assessments change through the workflow (import,
    allocation, review pages and commands), which checks who may and the inspection's stage."""

    list_display = ["case_ref", "inspection", "assessor"]
    list_filter = ["inspection"]
    search_fields = ["case_ref"]

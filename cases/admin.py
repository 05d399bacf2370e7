from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cases.models import Case


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    """Read only: the sample, its allocation and assessments change through the workflow (import,
    allocation, review pages and commands), which checks who may and the inspection's stage."""

    list_display = ["case_ref", "inspection", "assessor"]
    list_filter = ["inspection"]
    search_fields = ["case_ref"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cases.models import Case


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    list_display = ["case_ref", "inspection"]
    list_filter = ["inspection"]
    search_fields = ["case_ref"]
    readonly_fields = ["inspection"]

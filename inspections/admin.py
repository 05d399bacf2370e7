from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from inspections.models import (
    Area,
    Criterion,
    Framework,
    Inspection,
    Membership,
    Question,
    Section,
)


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "slug", "area", "framework", "fieldwork_start", "status"]
    list_filter = ["status", "framework"]
    search_fields = ["title", "slug", "area__name"]
    inlines = [MembershipInline]

    def get_readonly_fields(self, request, obj=None):
        # The stage changes only through the lifecycle (finalise, publish, revise buttons and commands);
        # the framework of an existing inspection never changes: its answers belong to it; a purge is
        # recorded by purge_case_data only.
        return ["status", "framework", "case_data_purged_at"] if obj else ["status", "case_data_purged_at"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "inspection"]
    list_filter = ["role", "inspection"]
    autocomplete_fields = ["user"]


class ReadOnlyMixin:
    """Django admin may show these rows but never change them: frameworks come from data files through
    load_frameworks; the case sample changes through the workflow, which checks who and when."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["code", "title", "kind"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ["code", "version", "title", "generation", "loaded_at"]
    readonly_fields = ["code", "version", "title", "generation", "source_file", "content_hash", "loaded_at"]
    exclude = ["definition", "description"]
    inlines = [SectionInline]


@admin.register(Criterion)
class CriterionAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "kind", "framework"]
    list_filter = ["framework", "kind"]
    search_fields = ["code", "title"]


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ["code", "text", "scale", "summary", "scored", "framework"]
    list_filter = ["framework", "summary", "scored"]
    search_fields = ["code", "text"]

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import OrganisationIdentity


@admin.register(OrganisationIdentity)
class OrganisationIdentityAdmin(SimpleHistoryAdmin):
    """Which user each identity of the organisation's provider signs in as. Deleting a link makes
    the next sign-in with that identity link or create an account again; links are not edited."""

    list_display = ["subject", "issuer", "user", "created_at"]
    search_fields = ["subject", "user__username", "user__email"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

"""Django admin for people: ask someone for a new password; see and clear locked-out sign-ins.

Failed sign-ins themselves are listed by django-axes under "Axes" (access attempts, failures, log).
"""

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import OrganisationIdentity, PasswordChangeRequired

User = get_user_model()


@admin.action(description="Ask for a new password at their next sign-in")
def require_password_change(modeladmin, request, queryset):
    for user in queryset:
        PasswordChangeRequired.objects.get_or_create(user=user, defaults={"required_by": request.user})
    modeladmin.message_user(
        request,
        f"{queryset.count()} people will be asked for a new password when they next sign in. To sign them out "
        "now as well, give each a temporary password with “Reset password” on their page and tell them it.",
        messages.SUCCESS,
    )


@admin.action(description="Unlock sign-in (clear failed attempts)")
def unlock_sign_in(modeladmin, request, queryset):
    cleared = sum(reset(username=user.get_username()) for user in queryset)
    modeladmin.message_user(request, f"{cleared} locked-out sign-in record(s) cleared.", messages.SUCCESS)


@admin.display(boolean=True, description="Must change password")
def must_change_password(user) -> bool:
    return PasswordChangeRequired.objects.filter(user=user).exists()


@admin.display(boolean=True, description="Sign-in locked")
def sign_in_locked(user) -> bool:
    attempts = AccessAttempt.objects.filter(username=user.get_username())
    return attempts.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).exists()


admin.site.unregister(User)


@admin.register(User)
class PersonAdmin(UserAdmin):
    list_display = [*UserAdmin.list_display, "is_active", must_change_password, sign_in_locked]
    actions = [require_password_change, unlock_sign_in]


@admin.register(PasswordChangeRequired)
class PasswordChangeRequiredAdmin(admin.ModelAdmin):
    list_display = ["user", "required_by", "required_at"]
    autocomplete_fields = ["user"]
    readonly_fields = ["required_by", "required_at"]

    def save_model(self, request, obj, form, change):
        obj.required_by = obj.required_by or request.user
        super().save_model(request, obj, form, change)


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

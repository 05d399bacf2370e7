"""Django admin, opened to the admin role only (inspections.policy.is_admin), not to every is_staff user."""

from django.contrib import admin


class AdminSite(admin.AdminSite):
    site_header = "Case assessment: administration"
    site_title = "Administration"

    def has_permission(self, request) -> bool:
        from inspections.policy import is_admin

        # is_staff is Django admin's own sign-in flag; the admin role is what grants the site.
        return bool(request.user.is_active and request.user.is_staff and is_admin(request.user))

"""What the service keeps about people's accounts beyond Django's user: a required password change."""

from django.conf import settings
from django.db import models


class PasswordChangeRequired(models.Model):
    """An administrator has asked this person for a new password: at their next sign-in they are sent to
    the change-password page and can do nothing else until they have chosen one. Removed when they do."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    required_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    required_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "required password change"

    def __str__(self) -> str:
        return f"{self.user} must choose a new password"

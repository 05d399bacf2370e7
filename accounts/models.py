"""What the service keeps about people's accounts beyond Django's user.

OrganisationIdentity: which user an identity of the organisation's identity provider (OpenID Connect)
signs in as. The provider names a person by its issuer and a subject identifier that never changes or
gets reused; e-mail addresses and usernames can change, so the link is kept on (issuer, subject).
PasswordChangeRequired: an administrator has asked someone for a new password.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class OrganisationIdentity(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_identities")
    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "organisation identities"
        constraints = [
            # One provider identity signs in as one user, whatever happens concurrently.
            models.UniqueConstraint(fields=["issuer", "subject"], name="organisation_identity_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} at {self.issuer} → {self.user}"


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

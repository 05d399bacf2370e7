"""Which user an identity of the organisation's identity provider (OpenID Connect) signs in as.

The provider names a person by its issuer and a subject identifier that never changes or gets
reused; e-mail addresses and usernames can change, so the link is kept on (issuer, subject).
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

from django.conf import settings
from django.db import models


class ReferenceRow(models.Model):
    """One row per user, read and updated by the reference save (an answer's value, note and version)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    value = models.CharField(max_length=40, blank=True)
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"reference row of user {self.user_id} (v{self.version})"

    @classmethod
    def seed(cls) -> int:
        """A row for every user who has none; how many were made."""
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.exclude(pk__in=cls.objects.values("user_id"))
        return len(cls.objects.bulk_create(cls(user=user) for user in users))

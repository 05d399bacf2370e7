"""The case sample of an inspection."""

from django.db import models
from simple_history.models import HistoricalRecords

from inspections.models import Inspection


class Case(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="cases")
    case_ref = models.CharField(max_length=60)
    # Values keyed by the framework's case attribute codes; validated by
    # inspections.applicability.case_attribute_errors before saving.
    attributes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "case_ref"]
        constraints = [models.UniqueConstraint(fields=["inspection", "case_ref"], name="case_ref_unique")]

    def __str__(self) -> str:
        return self.case_ref

"""Inspectors' judgements beside the computed scores, and the finalised score snapshots."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from cases.models import Case
from inspections.models import Inspection


class Judgement(models.Model):
    """A lead inspector's decision on one criterion, headline or leadership criterion.

    It sits beside the computed score and never changes it; where it differs from the
    framework's suggestion a reason is required (enforced in scoring.services).
    """

    class Kind(models.TextChoices):
        CONCLUSION = "conclusion", "Conclusion"  # OMI criterion: good / priority / urgent priority
        COMMENT = "comment", "Comment"  # OMI2: minimum … drastic improvement required
        GRADE = "grade", "Grade"  # leadership criteria

    class Target(models.TextChoices):
        CRITERION = "criterion", "Criterion"
        HEADLINE = "headline", "Headline"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="judgements")
    target = models.CharField(max_length=12, choices=Target.choices)
    code = models.CharField(max_length=30, help_text="Criterion or headline code.")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    value = models.CharField(max_length=40)
    suggested = models.CharField(max_length=40, blank=True)
    reason = models.TextField(blank=True, help_text="Why the judgement differs from the suggestion.")
    evidence = models.TextField(blank=True)
    linked_criteria = models.JSONField(default=list, blank=True)
    linked_cases = models.ManyToManyField(Case, blank=True, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[linked_cases])

    class Meta:
        ordering = ["inspection", "target", "code", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "target", "code", "kind"], name="judgement_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.get_kind_display()}: {self.value}"


class ScoreSnapshot(models.Model):
    """Finalised scores: the tallies, scores and judgements the report uses. Never changed;
    reopening marks it reopened (with a reason) and a later finalisation adds a new one."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="score_snapshots")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    # Null when stored from the command line (publishing a revision as the operator).
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    override_reason = models.TextField(
        blank=True, help_text="Why scores were finalised before every case was approved."
    )
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reopen_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "-number"]
        constraints = [models.UniqueConstraint(fields=["inspection", "number"], name="snapshot_number_unique")]

    def __str__(self) -> str:
        return f"Scores of {self.inspection} #{self.number}"

    def save(self, *args, **kwargs):
        if self.pk:
            stored = ScoreSnapshot.objects.filter(pk=self.pk).values_list("data", flat=True).first()
            if stored is not None and stored != self.data:
                raise ValueError("A finalised score snapshot cannot be changed")
        super().save(*args, **kwargs)

    @property
    def is_current(self) -> bool:
        return self.reopened_at is None

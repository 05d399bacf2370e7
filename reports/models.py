"""The published report: narrative entered by the lead, render jobs, and published versions.

Narrative text is plain paragraphs and "- " bullet lines (see reports.markup); numbers are never
typed: {{score:1.2}}-style placeholders are filled from the scores when the report is assembled.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from inspections.models import Inspection


class ReportContent(models.Model):
    """The report's free-standing parts. JSON parts are keyed as documented on each field."""

    inspection = models.OneToOneField(Inspection, on_delete=models.CASCADE, related_name="report_content")
    foreword = models.TextField(blank=True)
    # {section or outcome code: text}, plus "roh" etc. for headline summaries.
    summaries = models.JSONField(default=dict, blank=True)
    next_steps = models.TextField(blank=True)
    further_inspection = models.BooleanField(null=True, help_text="OMI/OMI2: will there be a further inspection?")
    # {"offenders": text, "victims": text, "courts": text}
    service_users = models.JSONField(default=dict, blank=True)
    # OMI: {"area": text, "prison_name": str, "prison": text}; OMI2: {"ofsted": text, "ippf": [[label, value], ...]};
    # IAOW: {"offending_factors": [[factor, percentage], ...]}
    framework_parts = models.JSONField(default=dict, blank=True)
    # {"caseload": [[label, value]], "ethnicity": [[label, value]], "gender": ..., "mappa": ..., "ppo": ...,
    #  "budgets": ..., "approved_premises": ..., IAOW also "demographics" and "crime"}: tables of label/value rows
    contextual = models.JSONField(default=dict, blank=True)
    acknowledgements = models.TextField(blank=True)
    # Optimistic concurrency: a save names the version it was based on.
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Report content of {self.inspection}"


class CriterionNarrative(models.Model):
    """Strengths, areas for improvement (lettered lists) and commentary for one criterion.

    The code may also be a section (outcome) code: IAOW's key strengths and areas for improvement
    per outcome and OMI2's commentary on a section as a whole.
    """

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="criterion_narratives")
    code = models.CharField(max_length=20)
    strengths = models.JSONField(default=list, blank=True)
    areas_for_improvement = models.JSONField(default=list, blank=True)
    commentary = models.TextField(blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["inspection", "code"], name="criterion_narrative_unique")]

    def __str__(self) -> str:
        return f"{self.code} narrative"


class Recommendation(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveIntegerField()
    text = models.TextField()
    criteria = models.JSONField(default=list, blank=True, help_text="Criterion codes it addresses.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "number"]
        constraints = [models.UniqueConstraint(fields=["inspection", "number"], name="recommendation_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:50]}"


class GoodPractice(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="good_practice")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    criterion = models.CharField(max_length=20)
    text = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "position"]

    def __str__(self) -> str:
        return self.title


class PerformanceRow(models.Model):
    """One row of the area's performance against national and regional targets (OMI criterion 4.2),
    entered by the lead from the performance data of the time; figures are kept as printed ("98%*")."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="performance_rows")
    position = models.PositiveIntegerField()
    group = models.CharField(max_length=200, blank=True, help_text="The block of measures it belongs to.")
    measure = models.CharField(max_length=300)
    target = models.CharField(max_length=60, blank=True)
    area_figure = models.CharField(max_length=60, blank=True)
    regional_figure = models.CharField(max_length=60, blank=True)
    national_figure = models.CharField(max_length=60, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "position"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "position"], name="performance_row_position_unique")
        ]

    def __str__(self) -> str:
        return self.measure


class ReportRender(models.Model):
    """One request to render the report to PDF, run in the background."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Rendering"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="renders")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    task_id = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    pdf = models.BinaryField(null=True, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["inspection", "-requested_at"]

    def __str__(self) -> str:
        return f"Render of {self.inspection} ({self.get_status_display()})"


class ReportRevision(models.Model):
    """A revision of a published report: opened with a reason, closed by publishing the next version."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="report_revisions")
    # The version this revision will publish (the published one it revises is number - 1).
    number = models.PositiveIntegerField()
    reason = models.TextField()
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    scores_reopened = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "number"]
        constraints = [models.UniqueConstraint(fields=["inspection", "number"], name="report_revision_unique")]

    def __str__(self) -> str:
        return f"Revision to version {self.number} of {self.inspection}"


class PublishedReport(models.Model):
    """A published version: the snapshot of everything in it and the PDF bytes, never changed.

    The snapshot is stored as its canonical JSON text (sorted keys, no spaces, UTF-8), so its
    SHA-256 can be recomputed exactly; `sha256` is the PDF's (what `sha256sum` prints for a
    downloaded copy) and `snapshot_sha256` the snapshot's. Every read checks both
    (reports.publishing.verify) and refuses on a mismatch.
    """

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="published_reports")
    version = models.PositiveIntegerField()
    published_at = models.DateTimeField(auto_now_add=True)
    # Null when published from the command line (an operator with a shell on the server).
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    reason = models.TextField(blank=True, help_text="Why a new version was published (required for a revision).")
    revision = models.OneToOneField(
        ReportRevision, on_delete=models.PROTECT, null=True, blank=True, related_name="published"
    )
    snapshot_json = models.TextField()
    snapshot_sha256 = models.CharField(max_length=64)
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["inspection", "-version"]
        constraints = [models.UniqueConstraint(fields=["inspection", "version"], name="published_version_unique")]

    def __str__(self) -> str:
        return f"{self.inspection} v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk and PublishedReport.objects.filter(pk=self.pk).exists():
            raise ValueError("A published report cannot be changed; publish a new version instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A published report cannot be deleted")

"""Areas, inspection frameworks (loaded from data files), inspections and their teams.

Framework rows are written only by the loader (`inspections.framework_loader`). The validated
definition is also kept whole on `Framework.definition`, so an export reproduces exactly what was
loaded and a changed file can be compared with the frozen one.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Area(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Framework(models.Model):
    code = models.CharField(max_length=50)
    version = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    generation = models.CharField(max_length=30)
    description = models.TextField(blank=True)
    source_file = models.CharField(max_length=300, blank=True)
    # SHA-256 of the normalised definition: "unchanged" on reload is decided by this.
    content_hash = models.CharField(max_length=64)
    definition = models.JSONField()
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code", "version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="framework_code_version_unique")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def is_frozen(self) -> bool:
        """A framework used by an inspection may never change."""
        return self.inspections.exists()

    @property
    def rules(self) -> dict:
        return self.definition["rules"]

    @property
    def judgement_scales(self) -> dict:
        return self.definition["judgement_scales"]

    @property
    def comment_scale(self) -> dict | None:
        return self.definition.get("comment_scale")

    @property
    def sample_rules(self) -> dict:
        return self.definition["sample"]


class CaseAttribute(models.Model):
    class Kind(models.TextChoices):
        CHOICE = "choice", "Choice"
        INTEGER = "integer", "Whole number"
        TEXT = "text", "Text"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="case_attributes")
    code = models.CharField(max_length=60)
    label = models.CharField(max_length=200)
    help_text = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    choices = models.JSONField(default=list, blank=True)
    choice_labels = models.JSONField(default=dict, blank=True)
    multiple = models.BooleanField(default=False)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["framework", "position"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="case_attribute_code_unique")]

    def __str__(self) -> str:
        return self.label

    def label_for(self, value) -> str:
        from inspections.describe import value_text

        return value_text({"choice_labels": self.choice_labels}, value)


class AnswerScale(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="scales")
    code = models.CharField(max_length=60)
    label = models.CharField(max_length=200)
    allows_na = models.BooleanField(default=False)

    class Meta:
        ordering = ["framework", "code"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="answer_scale_code_unique")]

    def __str__(self) -> str:
        return self.label


class AnswerOption(models.Model):
    scale = models.ForeignKey(AnswerScale, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(max_length=60)
    label = models.CharField(max_length=200)
    sufficient = models.BooleanField(help_text="Counts as above the line.")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["scale", "position"]
        constraints = [models.UniqueConstraint(fields=["scale", "code"], name="answer_option_code_unique")]

    def __str__(self) -> str:
        return self.label


class Headline(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="headlines")
    code = models.CharField(max_length=30)
    title = models.CharField(max_length=200)
    label = models.CharField(max_length=200, blank=True)
    descriptor = models.TextField(blank=True)
    sections = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["framework", "position"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="headline_code_unique")]

    def __str__(self) -> str:
        return self.title


class Kind(models.TextChoices):
    CASE = "case", "Case assessment"
    LEADERSHIP = "leadership", "Leadership and management"


class Section(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    descriptor = models.TextField(blank=True)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["framework", "position"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="section_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Criterion(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="criteria")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    short_title = models.CharField(max_length=200, blank=True)
    descriptor = models.TextField(blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    evidence_prompts = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField()
    report_order = models.PositiveIntegerField()

    class Meta:
        ordering = ["framework", "position"]
        verbose_name_plural = "criteria"
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="criterion_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_leadership(self) -> bool:
        return self.kind == Kind.LEADERSHIP


class Question(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="questions")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(max_length=20)
    text = models.TextField()
    guidance = models.TextField(blank=True)
    scale = models.ForeignKey(AnswerScale, on_delete=models.PROTECT, related_name="questions")
    summary = models.BooleanField(default=False)
    scored = models.BooleanField(default=True)
    applies_to = models.JSONField(default=dict, blank=True)
    applies_when = models.JSONField(default=dict, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    headlines = models.ManyToManyField(Headline, related_name="questions", blank=True)
    # A question may count in a second criterion (IAOW victim work counts in outcomes 4 and 5).
    also_in = models.ManyToManyField(Criterion, related_name="shared_questions", blank=True)
    # Global order in the framework: applies_when may only look backwards along it.
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["framework", "position"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="question_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class Inspection(models.Model):
    class Status(models.TextChoices):
        """The lifecycle (inspections.lifecycle decides what each stage allows)."""

        SETUP = "setup", "Setting up"
        FIELDWORK = "fieldwork", "Fieldwork"
        FINALISED = "finalised", "Scores finalised"
        PUBLISHED = "published", "Published"
        REVISION = "revision", "Revision open"
        REVISION_RESCORING = "revision_rescoring", "Revision open, scores reopened"

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="inspections")
    # PROTECT: an inspection freezes its framework version for good.
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="inspections")
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=100, unique=True)
    fieldwork_start = models.DateField(null=True, blank=True)
    fieldwork_end = models.DateField(null=True, blank=True)
    # Changed only through inspections.lifecycle.move_to, never by a form.
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SETUP)
    created_at = models.DateTimeField(auto_now_add=True)
    # Retention: after this date `purge_case_data` removes the case-level personal data (references,
    # notes, attributes and their history), keeping the published report and the figures.
    case_data_retained_until = models.DateField(
        null=True,
        blank=True,
        help_text="After this date the case references, evidence notes and case details are purged "
        "(manage.py purge_case_data); the published report and the scores stay.",
    )
    case_data_purged_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-fieldwork_start", "title"]
        permissions = [("administer", "Administer every inspection: teams, publishing, revisions")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fieldwork_end__isnull=True)
                | models.Q(fieldwork_start__isnull=True)
                | models.Q(fieldwork_end__gte=models.F("fieldwork_start")),
                name="inspection_fieldwork_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # The stage changes only through inspections.lifecycle.move_to: no form, admin page or
        # script can set it directly (an admin once published a report from draft scores that way).
        if self.pk and not getattr(self, "_lifecycle_move", False):
            stored = Inspection.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored is not None and stored != self.status:
                raise ValueError("An inspection's stage changes only through its lifecycle (inspections.lifecycle)")
        super().save(*args, **kwargs)


class Membership(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", "Lead inspector"
        INSPECTOR = "inspector", "Inspector"
        LOCAL_ASSESSOR = "local_assessor", "Local assessor"
        OBSERVER = "observer", "Observer"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "role", "user__username"]
        constraints = [models.UniqueConstraint(fields=["inspection", "user"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.inspection}"

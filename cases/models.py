"""The case sample of an inspection, its allocation, assessments, answers and review comments."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from inspections.input_rules import CASE_REF_MAX, validate_case_ref
from inspections.models import Inspection, Question


class Case(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="cases")
    # The pattern (inspections.input_rules) keeps a reference usable in a URL and safe in a spreadsheet.
    case_ref = models.CharField(max_length=CASE_REF_MAX, validators=[validate_case_ref])
    # Values keyed by the framework's case attribute codes; validated by
    # inspections.applicability.case_attribute_errors before saving.
    attributes = models.JSONField(default=dict, blank=True)
    # The inspector or local assessor who assesses the case (one person per case).
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocated_cases",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "case_ref"]
        constraints = [models.UniqueConstraint(fields=["inspection", "case_ref"], name="case_ref_unique")]
        # "My cases" lists a person's allocation in one inspection.
        indexes = [models.Index(fields=["inspection", "assessor"], name="case_allocation_idx")]

    def __str__(self) -> str:
        return self.case_ref


class Assessment(models.Model):
    class State(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned"
        APPROVED = "approved", "Approved"

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="assessment")
    state = models.CharField(max_length=12, choices=State.choices, default=State.NOT_STARTED)
    # Bumped on every state change: a transition based on a stale page is refused.
    version = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    return_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(fields=["state"], name="assessment_state_idx")]

    def __str__(self) -> str:
        return f"Assessment of {self.case}"

    @property
    def is_locked(self) -> bool:
        return self.state in {self.State.SUBMITTED, self.State.APPROVED}


class Answer(models.Model):
    NA = "na"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    # An option code of the question's scale, "na" (not applicable) or "" (not answered yet).
    value = models.CharField(max_length=60, blank=True)
    # Copied from the option when saved (frameworks in use are frozen), so tallies need no join;
    # null when not applicable or not answered.
    sufficient = models.BooleanField(null=True)
    note = models.TextField(blank=True)
    # Optimistic concurrency: a save names the version it was based on and is refused if
    # someone else saved in between, so neither person's answer is silently overwritten.
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="answer_unique"),
            models.CheckConstraint(
                condition=models.Q(sufficient__isnull=True) | ~models.Q(value__in=["", "na"]),
                name="answer_sufficient_only_for_options",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.value or 'not answered'}"


class ReviewComment(models.Model):
    """A lead inspector's comment on a returned assessment, on one question or on the whole."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="review_comments")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    text = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Comments of earlier returns stay for the record; only the latest return's are shown as open.
    review_round = models.PositiveIntegerField()
    resolved = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "review_round", "created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class SecondMarking(models.Model):
    """Blind second marking of one case: another member assesses it again, in the same forms,
    without seeing the first assessment; the lead then compares the two and reconciles them.

    Why separate tables (this and SecondAnswer) rather than a second Assessment with a `kind`:
    a case has one assessment (Case.assessment is one-to-one) and every existing query, the
    score tallies, progress, case lists, history, review, exports, reads "the case's assessment and
    its answers". Kept apart, second-marking answers cannot be picked up by any of them, by
    construction, and the first assessment's workflow stays exactly as it was. They count in scores
    only through reconciliation: where the lead decides the second marker's answer stands, it is
    written to the first assessment's answer, with the reason, in that answer's history.
    """

    class State(models.TextChoices):
        ASSIGNED = "assigned", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        RECONCILED = "reconciled", "Reconciled"

    class Selection(models.TextChoices):
        RANDOM = "random", "Random share"
        TARGETED = "targeted", "Targeted: near the line"
        CHOSEN = "chosen", "Chosen by the lead"
        IMPORTED = "imported", "Imported"

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="second_marking")
    marker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="second_markings")
    # Who made the first assessment when the case was picked: the pairs of the agreement figures.
    first_assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    selection = models.CharField(max_length=10, choices=Selection.choices)
    state = models.CharField(max_length=12, choices=State.choices, default=State.ASSIGNED)
    # Bumped on every state change: a transition based on a stale page is refused.
    version = models.PositiveIntegerField(default=0)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    reconciled_at = models.DateTimeField(null=True, blank=True)
    reconciled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["case"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_assessor__isnull=True) | ~models.Q(marker=models.F("first_assessor")),
                name="second_marker_is_not_first_assessor",
            ),
        ]
        # A marker's list of cases to second-mark.
        indexes = [models.Index(fields=["marker", "state"], name="second_marking_marker_idx")]

    def __str__(self) -> str:
        return f"Second marking of {self.case}"

    @property
    def is_open(self) -> bool:
        """The marker may still answer."""
        return self.state in {self.State.ASSIGNED, self.State.IN_PROGRESS}


class SecondAnswer(models.Model):
    """A second marker's answer to one question, and the lead's decision where it disagrees with
    the first assessment's. Never read by the score tallies."""

    class Standing(models.TextChoices):
        FIRST = "first", "The first marker’s answer stands"
        SECOND = "second", "The second marker’s answer stands"

    second_marking = models.ForeignKey(SecondMarking, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    # As Answer: an option code, "na" or "" (not answered yet); sufficient copied from the option.
    value = models.CharField(max_length=60, blank=True)
    sufficient = models.BooleanField(null=True)
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)  # optimistic concurrency, as Answer.version
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    # Set on reconciliation: the first assessment's answer as it was then, so the agreement figures
    # keep comparing the two markings after the reconciled answer has been written over it.
    first_value = models.CharField(max_length=60, null=True, blank=True)
    first_sufficient = models.BooleanField(null=True)
    standing = models.CharField(max_length=6, choices=Standing.choices, blank=True)
    reason = models.TextField(blank=True, help_text="Why the lead decided which answer stands.")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["second_marking", "question"], name="second_answer_unique"),
            models.CheckConstraint(
                condition=models.Q(sufficient__isnull=True) | ~models.Q(value__in=["", "na"]),
                name="second_answer_sufficient_only_for_options",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.value or 'not answered'}"


class CaseDataAccess(models.Model):
    """The access log: who viewed or exported which case data, and when (written by cases.access_log).

    Rows are never changed; the case is linked, not copied, so a purge leaves no reference here.
    """

    class Kind(models.TextChoices):
        VIEW = "view", "Viewed"
        EXPORT = "export", "Exported"

    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    username = models.CharField(max_length=150)  # kept if the account is deleted
    kind = models.CharField(max_length=6, choices=Kind.choices)
    page = models.CharField(max_length=60, help_text="The page or export, by its URL name.")
    detail = models.CharField(max_length=60, blank=True, help_text="Criterion, question or file format.")
    inspection = models.ForeignKey(Inspection, on_delete=models.SET_NULL, null=True, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-at"]
        verbose_name = "case data access"
        verbose_name_plural = "case data access log"
        # Admins read the log newest first, often for one inspection.
        indexes = [models.Index(fields=["inspection", "at"], name="case_access_inspection_idx")]

    def __str__(self) -> str:
        return f"{self.username} {self.get_kind_display().lower()} {self.page} at {self.at:%Y-%m-%d %H:%M}"


class CaseDataPurge(models.Model):
    """A record that case-level personal data was removed, with its history (cases.retention); never deleted."""

    class Kind(models.TextChoices):
        RETENTION = "retention", "Retention period ended"
        CASE_DELETED = "case_deleted", "Case deleted"

    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # None: the command line (an operator on the server).
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    inspection = models.ForeignKey(Inspection, on_delete=models.SET_NULL, null=True, related_name="+")
    inspection_slug = models.CharField(max_length=100)  # kept if the inspection is deleted
    cases = models.PositiveIntegerField()
    notes_cleared = models.PositiveIntegerField(default=0)
    history_rows_deleted = models.PositiveIntegerField(default=0)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.inspection_slug}, {self.cases} case(s), {self.at:%Y-%m-%d}"

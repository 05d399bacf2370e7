"""Forms of the report-content pages: they validate what the lead typed and turn it into domain values.

Lists are typed one item per line; tables one row per line as "label | value". Every text is checked for
{{...}} placeholders the inspection's framework does not have, with the problem shown on the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError

from inspections.input_rules import LINE_MAX, NARRATIVE_MAX, text_problem
from reports.markup import placeholder_errors, texts_in
from reports.models import CriterionNarrative, ReportContent

BULLET = re.compile(r"^\s*(?:[-*•]|\(?[a-z]\)|\d+[.)])\s+")


class LinesField(forms.CharField):
    """A list typed one item per line; blank lines and typed bullets ("- ", "(a) ", "1. ") are dropped."""

    widget = forms.Textarea

    def to_python(self, value) -> list[str]:
        lines = str(value or "").replace("\r\n", "\n").split("\n")
        return [BULLET.sub("", line).strip() for line in lines if BULLET.sub("", line).strip()]

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list | tuple) else value


class TableRowsField(forms.CharField):
    """Table rows typed one per line, cells separated by a vertical bar (e.g. "Total caseload | 2,173").

    `columns` is how many cells a row has; with `groups`, a line starting with "# " starts a group
    of rows (stored as a row of one cell).
    """

    widget = forms.Textarea

    def __init__(self, *args, columns: int = 2, groups: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns, self.groups = columns, groups

    def to_python(self, value) -> list[list[str]]:
        rows, errors = [], []
        for number, line in enumerate(str(value or "").replace("\r\n", "\n").split("\n"), start=1):
            if not line.strip():
                continue
            if self.groups and line.strip().startswith("#"):
                rows.append([line.strip().lstrip("#").strip()])
                continue
            cells = [cell.strip() for cell in line.split("|")]
            if len(cells) != self.columns or not cells[0]:
                example = " | ".join(["label"] + ["value"] * (self.columns - 1))
                errors.append(
                    ValidationError(
                        f"Line {number} (‘{line.strip()[:40]}’): write {self.columns} cells separated by a vertical "
                        f"bar |, e.g. “{example}”"
                    )
                )
            rows.append(cells)
        if errors:
            raise ValidationError(errors)
        return rows

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(
                f"# {row[0]}" if self.groups and len(row) == 1 else " | ".join(str(cell) for cell in row)
                for row in value
            )
        return value


YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(value) -> str:
    return {True: "yes", False: "no"}.get(value, "")


class ReportForm(forms.Form):
    """Checks the placeholders in every text against the inspection's codes."""

    def __init__(self, *args, known: dict[str, set[str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.known = known

    def clean(self):
        cleaned = super().clean()
        self._check_input_rules()
        for name, value in list(cleaned.items()):
            problems = [problem for text in texts_in(value) for problem in placeholder_errors(text, self.known)]
            if problems:
                self.add_error(name, problems)
        return cleaned

    def _check_input_rules(self) -> None:
        """Length and control characters, on the text as typed (list and table fields convert it first)."""
        for name, field in self.fields.items():
            raw = self.data.get(self.add_prefix(name))
            if not isinstance(raw, str) or name in self.errors:
                continue
            multiline = isinstance(field.widget, forms.Textarea)
            problem = text_problem(raw, max_length=NARRATIVE_MAX if multiline else LINE_MAX, multiline=multiline)
            if problem:
                self.add_error(name, problem)


# --- Parts of the report content --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartField:
    """One input of a part: a ReportContent field, or one key of a JSON field."""

    target: str
    key: str | None
    label: str
    kind: str = "text"  # text (paragraphs), line (one line), lines (a list), table (rows of cells), yes_no
    hint: str = ""
    optional: bool = False  # not needed for the part to count as completed
    columns: int = 2  # cells per row of a table
    groups: bool = False  # a table's "# " lines start groups of rows

    @property
    def name(self) -> str:
        return f"{self.target}__{self.key}" if self.key else self.target

    def stored(self, content: ReportContent | None):
        if content is None:
            return None if self.kind == "yes_no" else ""
        value = getattr(content, self.target)
        return value.get(self.key, "") if self.key else value

    def form_field(self) -> forms.Field:
        if self.kind == "table":
            return TableRowsField(
                label=self.label, help_text=self.hint, required=False, columns=self.columns, groups=self.groups
            )
        if self.kind == "lines":
            return LinesField(label=self.label, help_text=self.hint, required=False)
        if self.kind == "yes_no":
            return forms.ChoiceField(
                label=self.label, help_text=self.hint, choices=YES_NO, required=False, widget=forms.RadioSelect
            )
        widget = forms.TextInput if self.kind == "line" else forms.Textarea
        return forms.CharField(label=self.label, help_text=self.hint, required=False, strip=True, widget=widget)

    def initial(self, content):
        value = self.stored(content)
        return _yes_no(value) if self.kind == "yes_no" else value

    def is_filled(self, content) -> bool:
        value = self.stored(content)
        return value is not None if self.kind == "yes_no" else bool(value)


@dataclass(frozen=True)
class Part:
    key: str
    title: str
    hint: str
    fields: tuple[PartField, ...]

    def status(self, content: ReportContent | None) -> str:
        required = [field for field in self.fields if not field.optional] or self.fields
        if all(field.is_filled(content) for field in required):
            return "completed"
        return "in_progress" if any(field.is_filled(content) for field in self.fields) else "not_started"


PARAGRAPHS = (
    "Paragraphs separated by a blank line; a new line starts a new line; lines starting with “- ” form a bulleted list."
)
TABLE = "One row per line, the cells separated by a vertical bar |."


class PartForm(ReportForm):
    """The inputs of one part, and the version of the content it was based on."""

    version = forms.IntegerField(
        min_value=0,
        widget=forms.HiddenInput,
        error_messages={"required": "The page was incomplete: reload it and try again"},
    )

    def __init__(self, *args, part: Part, content: ReportContent | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.part = part
        self.fields["version"].initial = content.version if content else 0
        for field in part.fields:
            self.fields[field.name] = field.form_field()
            self.fields[field.name].initial = field.initial(content)

    def content_fields(self, content: ReportContent | None) -> dict:
        """The values for save_content: JSON parts keep their other keys; an emptied key is removed."""
        fields: dict = {}
        for field in self.part.fields:
            value = self.cleaned_data[field.name]
            if field.kind == "yes_no":
                value = {"yes": True, "no": False}.get(value)
            if field.key is None:
                fields[field.target] = value
                continue
            current = fields.setdefault(field.target, dict(getattr(content, field.target) if content else {}))
            if value:
                current[field.key] = value
            else:
                current.pop(field.key, None)
        return fields


# --- Criterion narratives -----------------------------------------------------------------------------------------


class CriterionNarrativeForm(ReportForm):
    base = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, inputs: list[tuple[str, str, str]], narrative: CriterionNarrative | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base"].initial = narrative.updated_at.isoformat() if narrative else ""
        for name, label, hint in inputs:
            field_class = forms.CharField if name == "commentary" else LinesField
            self.fields[name] = field_class(label=label, help_text=hint, required=False, widget=forms.Textarea)
            self.fields[name].initial = getattr(narrative, name) if narrative else ""

    def narrative_fields(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("strengths", "areas_for_improvement", "commentary")
            if name in self.fields
        }


# --- Performance against targets ---------------------------------------------------------------------------------

PERFORMANCE_COLUMNS = ("measure", "target", "area", "regional", "national")


class PerformanceForm(ReportForm):
    """The whole performance table in one text box: "# " lines start a block of measures."""

    rows = TableRowsField(
        label="Performance against targets",
        required=False,
        columns=len(PERFORMANCE_COLUMNS),
        groups=True,
        widget=forms.Textarea(attrs={"rows": 14}),
    )

    def __init__(self, *args, rows, area: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rows"].help_text = (
            f"One measure per line: the measure, the target, {area}'s figure, the region's figure and the national "
            "figure, separated by a vertical bar | (leave a cell empty where there is no figure). Figures are "
            "printed as typed, so add * where a target was met. A line starting with “# ” starts a block, e.g. "
            "“# NPS Performance Data”."
        )
        lines, group = [], None
        for row in rows:
            if row.group and row.group != group:
                group = row.group
                lines.append([group])
            lines.append([row.measure, row.target, row.area_figure, row.regional_figure, row.national_figure])
        self.fields["rows"].initial = lines

    def clean_rows(self) -> list[dict]:
        result, group = [], ""
        for cells in self.cleaned_data["rows"]:
            if len(cells) == 1:
                group = cells[0]
                continue
            result.append({"group": group, **dict(zip(PERFORMANCE_COLUMNS, cells, strict=True))})
        return result


# --- Recommendations and good practice ------------------------------------------------------------------------------


class CodesField(forms.CharField):
    """Criterion codes separated by spaces or commas."""

    def to_python(self, value) -> list[str]:
        return str(value or "").replace(",", " ").split()

    def prepare_value(self, value):
        return " ".join(value) if isinstance(value, list | tuple) else value


class RecommendationForm(ReportForm):
    text = forms.CharField(
        label="Recommendation",
        widget=forms.Textarea,
        help_text="Say what should improve, e.g. “a full RoH analysis is completed where required”.",
        error_messages={"required": "Enter the recommendation"},
    )
    criteria = CodesField(
        label="Criteria it addresses (optional)",
        required=False,
        help_text="Criterion codes separated by spaces, e.g. 1.2 2.2",
    )

    def __init__(self, *args, criteria: list[str], count: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criterion_codes = criteria
        if count is not None:  # editing: the recommendation may move
            self.fields["number"] = forms.IntegerField(
                label="Number",
                min_value=1,
                max_value=count,
                required=False,
                help_text=f"From 1 to {count}. The others are renumbered.",
                error_messages={
                    "min_value": f"Enter a number from 1 to {count}",
                    "max_value": f"Enter a number from 1 to {count}",
                    "invalid": "Enter a whole number",
                },
                widget=forms.TextInput(attrs={"inputmode": "numeric"}),
            )

    def clean_criteria(self) -> list[str]:
        codes = self.cleaned_data["criteria"]
        unknown = [code for code in codes if code not in self.criterion_codes]
        if unknown:
            raise ValidationError(
                f"{', '.join(unknown)} {'is not a criterion' if len(unknown) == 1 else 'are not criteria'} of this "
                f"framework. Use: {', '.join(self.criterion_codes)}"
            )
        return codes


class GoodPracticeForm(ReportForm):
    title = forms.CharField(
        label="Title",
        max_length=300,
        error_messages={
            "required": "Enter a title for the example",
            "max_length": "The title must be 300 characters or fewer",
        },
    )
    criterion = forms.ChoiceField(
        label="Criterion it illustrates",
        error_messages={
            "required": "Choose the criterion the example illustrates",
            "invalid_choice": "Choose a criterion from the list",
        },
    )
    text = forms.CharField(
        label="Description",
        widget=forms.Textarea,
        help_text=PARAGRAPHS,
        error_messages={"required": "Describe the good practice"},
    )

    def __init__(self, *args, criteria: list[tuple[str, str]], count: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [("", "Choose a criterion")] + criteria
        if count is not None:
            self.fields["position"] = forms.IntegerField(
                label="Position",
                min_value=1,
                max_value=count,
                required=False,
                help_text=f"From 1 to {count}. The others move to make room.",
                error_messages={
                    "min_value": f"Enter a number from 1 to {count}",
                    "max_value": f"Enter a number from 1 to {count}",
                    "invalid": "Enter a whole number",
                },
                widget=forms.TextInput(attrs={"inputmode": "numeric"}),
            )

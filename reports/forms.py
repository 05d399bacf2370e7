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
from reports.markup import placeholder_errors
from reports.models import CriterionNarrative, ReportContent
from reports.services import texts_in

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
    """Table rows typed one per line as "label | value" (e.g. "Total caseload | 2,173")."""

    widget = forms.Textarea

    def to_python(self, value) -> list[list[str]]:
        rows, errors = [], []
        for number, line in enumerate(str(value or "").replace("\r\n", "\n").split("\n"), start=1):
            if not line.strip():
                continue
            cells = [cell.strip() for cell in line.split("|")]
            if len(cells) != 2 or not all(cells):
                errors.append(
                    ValidationError(
                        f"Line {number} (‘{line.strip()[:40]}’): write the label, a vertical bar | and the value, "
                        "e.g. “Total caseload | 2,173”"
                    )
                )
            rows.append(cells)
        if errors:
            raise ValidationError(errors)
        return rows

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(" | ".join(str(cell) for cell in row) for row in value)
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
    kind: str = "text"  # text (paragraphs), line (one line), table (label | value rows), yes_no
    hint: str = ""
    optional: bool = False  # not needed for the part to count as completed

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
            return TableRowsField(label=self.label, help_text=self.hint, required=False)
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


PARAGRAPHS = "Paragraphs separated by a blank line; lines starting with “- ” form a bulleted list."
TABLE = "One row per line: the label, a vertical bar | and the value."


def report_parts(inspection) -> dict[str, Part]:
    """The free-standing parts of this inspection's report, in order; which exist depends on the generation."""
    generation = inspection.framework.generation
    definition = inspection.framework.definition
    area = inspection.area.name
    chapter = "Outcome" if generation == "iaow" else "Section"
    summaries = [
        PartField("summaries", s["code"], f"{chapter} {s['code']}: {s['title']}", hint=PARAGRAPHS)
        for s in definition["sections"]
    ]
    if generation == "omi":  # the OMI summary ends with the Risk of Harm thread (the reference report structure §1.1)
        summaries += [PartField("summaries", h["code"], h["title"], hint=PARAGRAPHS) for h in definition["headlines"]]
    parts = [
        Part(
            "foreword",
            "Foreword",
            "Signed by HM Chief Inspector of Probation.",
            (PartField("foreword", None, "Foreword", hint=PARAGRAPHS),),
        ),
        Part("summaries", "Summary", f"A summary of the findings for each {chapter.lower()}.", tuple(summaries)),
    ]
    if generation in {"omi", "omi2"}:
        next_steps = [
            PartField("further_inspection", None, f"Will there be a further inspection in {area}?", kind="yes_no"),
            PartField(
                "next_steps",
                None,
                "Next steps (optional)",
                hint="Leave blank for the standard paragraph on the improvement plan. " + PARAGRAPHS,
                optional=True,
            ),
        ]
        parts.append(
            Part("next_steps", "Next steps", "The improvement plan and any further inspection.", tuple(next_steps))
        )
    if generation == "iaow":
        service_users = (
            PartField("service_users", "courts", "Comments from sentencers (Outcome 1)", hint=PARAGRAPHS),
            PartField(
                "service_users", "offenders", "Offenders' survey results and comments (Outcome 2)", hint=PARAGRAPHS
            ),
            PartField("service_users", "victims", "Comments from victims (Outcome 5)", hint=PARAGRAPHS),
        )
    else:
        service_users = (
            PartField("service_users", "offenders", "Offenders", hint=PARAGRAPHS),
            PartField("service_users", "victims", "Victims", hint=PARAGRAPHS),
            PartField("service_users", "courts", "Courts", hint=PARAGRAPHS),
        )
    parts.append(
        Part(
            "service_users",
            "Service users' perspective",
            "Interview, questionnaire and survey results with comments.",
            service_users,
        )
    )
    parts.append(_framework_part(generation, area))
    parts.append(
        Part(
            "contextual",
            "Contextual information",
            f"Figures about {area} for the appendix.",
            tuple(_contextual_fields(generation)),
        )
    )
    parts.append(
        Part(
            "acknowledgements",
            "Acknowledgements",
            "Thanks, and the team by role.",
            (PartField("acknowledgements", None, "Acknowledgements", hint=PARAGRAPHS),),
        )
    )
    return {part.key: part for part in parts}


def _framework_part(generation: str, area: str) -> Part:
    if generation == "omi":
        return Part(
            "framework_parts",
            f"Offender management in {area} and in the prison",
            "The offender management model in the area, and findings from the custodial visit.",
            (
                PartField("framework_parts", "area", f"Offender management in {area}", hint=PARAGRAPHS),
                PartField(
                    "framework_parts", "prison_name", "Prison visited", kind="line", hint="For example, HMP Lincoln"
                ),
                PartField("framework_parts", "prison", "Offender management in the prison", hint=PARAGRAPHS),
            ),
        )
    if generation == "omi2":
        return Part(
            "framework_parts",
            "Ofsted and performance data",
            "Ofsted's verdict, and the Integrated Probation Performance Framework appendix.",
            (
                PartField(
                    "framework_parts",
                    "ofsted",
                    "Ofsted: overall effectiveness including capacity to improve",
                    hint=PARAGRAPHS,
                ),
                PartField(
                    "framework_parts",
                    "ippf",
                    "Integrated Probation Performance Framework",
                    kind="table",
                    hint=f"{TABLE} For example, “Tier 4 OASys Assess | 84%”.",
                ),
            ),
        )
    return Part(
        "framework_parts",
        "Offending-related factors",
        "The table of offending-related factors in Outcome 3.",
        (
            PartField(
                "framework_parts",
                "offending_factors",
                "Offending-related factors",
                kind="table",
                hint=f"{TABLE} For example, “alcohol misuse (50) | 60%”.",
            ),
        ),
    )


def _contextual_fields(generation: str) -> list[PartField]:
    def table(key: str, label: str, example: str) -> PartField:
        return PartField("contextual", key, label, kind="table", hint=f"{TABLE} For example, “{example}”.")

    fields = [
        table("caseload", "Caseload", "Total caseload | 2,173"),
        table("ethnicity", "Ethnicity", "% white | 97"),
        table("gender", "Gender", "% male | 87"),
    ]
    if generation == "omi":
        fields += [
            table("mappa", "Cases subject to MAPPA", "Level 1 | 71"),
            table("ppo", "Prolific and other priority offenders", "Number of PPO cases | 41"),
        ]
    if generation in {"omi", "omi2"}:
        fields.append(table("budgets", "Revenue budgets", "Total revenue budget in 2006/2007 | £8,804,000"))
    if generation == "omi":
        fields.append(table("approved_premises", "Approved premises", "Wordsworth House | capacity 18"))
    if generation == "iaow":
        fields += [
            table("demographics", "Demographic data by local authority", "Liverpool | unemployment 11.7%"),
            table(
                "crime",
                "Crime Survey for England and Wales",
                "Violence against the person offences per 1000 adults | 10",
            ),
        ]
    return fields


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

LETTERED = "One per line. They are lettered (a), (b), … in the report."
NUMBERED = "One per line. They are numbered in the report."


def narrative_inputs(generation: str, target: dict, is_section: bool) -> list[tuple[str, str, str]]:
    """(field, label, hint) of the narrative of a criterion or section, by generation."""
    if generation == "iaow":
        if is_section:
            return [
                ("strengths", "Key strengths", NUMBERED),
                ("areas_for_improvement", "Key areas for improvement", NUMBERED),
            ]
        return [
            (
                "commentary",
                "Explanation of findings",
                "Paragraphs separated by a blank line (they are numbered in the report); lines starting with "
                "“- ” form a bulleted list. Practice illustrations can go here too.",
            )
        ]
    if is_section:
        return [("commentary", f"Commentary on {target['title'].lower()} as a whole", PARAGRAPHS)]
    return [("strengths", "Strengths", LETTERED), ("areas_for_improvement", "Areas for improvement", LETTERED)]


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

"""Changes to the report's narrative: free-standing parts, criterion narratives, recommendations, good practice.

Each function takes the acting user, runs in one transaction, checks that the user leads the inspection
(or is an admin) and that the report is not published, validates the {{...}} placeholders in every text
against the inspection's framework, and raises ReportError with a message for a person. History is kept
by django-simple-history, with the acting user and a short reason on every saved or deleted row.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import dateformat, timezone

from inspections.errors import Refused
from inspections.history import delete_recorded, save_recorded
from inspections.lifecycle import authorise
from inspections.models import Inspection
from inspections.policy import Action
from reports.markup import placeholder_errors, texts_in
from reports.models import CriterionNarrative, GoodPractice, PerformanceRow, Recommendation, ReportContent

TEXT_FIELDS = {"foreword", "next_steps", "acknowledgements"}
JSON_FIELDS = {"summaries", "service_users", "framework_parts", "contextual"}
CONTENT_FIELDS = TEXT_FIELDS | JSON_FIELDS | {"further_inspection"}


class ReportError(Refused):
    """A refused change, with a message for a person; `field` names the input at fault, if one is."""


class StaleContent(ReportError):
    """Someone saved the report content after the version this change was based on."""

    def __init__(self, content: ReportContent):
        self.content = content
        super().__init__(_stale_message(content.updated_by, content.updated_at, "this part"))


class StaleNarrative(ReportError):
    """Someone saved the narrative after the version this change was based on."""

    def __init__(self, narrative: CriterionNarrative):
        self.narrative = narrative
        super().__init__(
            _stale_message(narrative.updated_by, narrative.updated_at, f"the narrative of {narrative.code}")
        )


def _stale_message(user, when, what: str) -> str:
    if when is None:
        return "The page you saved from was out of date. Your text is kept below: save it again."
    return (
        f"{person_name(user)} saved {what} at {dateformat.format(timezone.localtime(when), 'H:i \\o\\n j F Y')} "
        "while you were editing. Your changes were not saved: your text is kept below, with theirs beside it. "
        "Combine them, then save again."
    )


def person_name(user) -> str:
    if user is None:
        return "Someone"
    return user.get_full_name() or user.get_username()


# --- Framework codes -------------------------------------------------------------------------------------------


def placeholder_codes(inspection: Inspection) -> dict[str, set[str]]:
    """Codes usable in placeholders: scored criteria and sections, and headlines."""
    definition = inspection.framework.definition
    sections = definition["sections"]
    return {
        "score": {c["code"] for s in sections for c in s["criteria"] if c["kind"] == "case"},
        "section": {s["code"] for s in sections if s["kind"] == "case"},
        "headline": {h["code"] for h in definition["headlines"]},
    }


def criterion_codes(inspection: Inspection) -> list[str]:
    return [c["code"] for s in inspection.framework.definition["sections"] for c in s["criteria"]]


def narrative_codes(inspection: Inspection) -> list[str]:
    """Criteria, and sections where the report has a narrative for a section as a whole.

    Which sections have one, and what it holds, is said by the parts the framework file declares
    (reports.layouts.narrative_inputs): IAOW's key strengths and areas per outcome, OMI2's commentary
    on each case section as a whole.
    """
    from reports.layouts import narrative_inputs

    definition = inspection.framework.definition
    codes = []
    for section in definition["sections"]:
        if narrative_inputs(definition["report"], section, True):
            codes.append(section["code"])
        codes.extend(c["code"] for c in section["criteria"])
    return codes


def _check_placeholders(inspection: Inspection, values: dict) -> None:
    known = placeholder_codes(inspection)
    for field, value in values.items():
        problems = [problem for text in texts_in(value) for problem in placeholder_errors(text, known)]
        if problems:
            raise ReportError("; ".join(problems), field=field)


def _clean(text: str) -> str:
    return (text or "").replace("\r\n", "\n").strip()


# --- Permission and state --------------------------------------------------------------------------------------


def _lock_for_change(user, inspection: Inspection) -> Inspection:
    """Check the user may change the report now, and lock the inspection for the transaction.

    The lock serialises report edits with publishing, so a change cannot slip into a report that is
    being frozen (the stage is read from the locked row), and two first saves cannot both create
    the report content.
    """
    _access, locked = authorise(user, inspection, Action.EDIT_REPORT, exclusive=True)
    return locked


# --- Report content --------------------------------------------------------------------------------------------


def save_content(*, user, inspection: Inspection, fields: dict, base_version: int) -> ReportContent:
    """Save some parts of the report content; refused if someone saved since `base_version`."""
    unknown = set(fields) - CONTENT_FIELDS
    if unknown:
        raise ReportError(f"The report has no part called {', '.join(sorted(unknown))}.")
    values: dict[str, object] = {}
    for field, value in fields.items():
        if field in TEXT_FIELDS:
            values[field] = _clean(value)
        elif field in JSON_FIELDS:
            if not isinstance(value, dict):
                raise ReportError(f"{field} must be a set of named parts.", field=field)
            values[field] = value
        elif value not in (True, False, None):
            raise ReportError("Say whether there will be a further inspection.", field=field)
        else:
            values[field] = value
    with transaction.atomic():
        inspection = _lock_for_change(user, inspection)
        _check_placeholders(inspection, values)
        content = ReportContent.objects.select_related("updated_by").filter(inspection=inspection).first()
        content = content or ReportContent(inspection=inspection)
        if content.version != base_version:
            raise StaleContent(content)
        for field, value in values.items():
            setattr(content, field, value)
        content.version += 1
        content.updated_by = user
        save_recorded(content, user=user, reason=f"Changed {', '.join(sorted(values))}")
    return content


# --- Performance against targets --------------------------------------------------------------------------------


def save_performance_rows(*, user, inspection: Inspection, rows: list[dict]) -> list[PerformanceRow]:
    """Replace the performance table: rows of {group, measure, target, area, regional, national}.

    Rows whose content is unchanged keep their row (and history); changed ones are saved with history,
    missing ones deleted with history.
    """
    fields = ("group", "measure", "target", "area_figure", "regional_figure", "national_figure")
    for number, row in enumerate(rows, start=1):
        if not (row.get("measure") or "").strip():
            raise ReportError(f"Row {number} has no measure.", field="rows")
    with transaction.atomic():
        inspection = _lock_for_change(user, inspection)
        existing = {row.position: row for row in inspection.performance_rows.all()}
        saved = []
        for position, row in enumerate(rows, start=1):
            values = {
                "group": row.get("group", ""),
                "measure": row["measure"].strip(),
                "target": row.get("target", ""),
                "area_figure": row.get("area", ""),
                "regional_figure": row.get("regional", ""),
                "national_figure": row.get("national", ""),
            }
            current = existing.pop(position, None) or PerformanceRow(inspection=inspection, position=position)
            if current.pk and all(getattr(current, name) == values[name] for name in fields):
                saved.append(current)
                continue
            for name, value in values.items():
                setattr(current, name, value)
            save_recorded(current, user=user, reason=f"Performance row {position} saved")
            saved.append(current)
        for leftover in existing.values():
            delete_recorded(leftover, user=user, reason=f"Performance row {leftover.position} deleted")
    return saved


# --- Criterion narratives --------------------------------------------------------------------------------------


def narrative_token(narrative: CriterionNarrative | None) -> str:
    """What a form sends back to prove which saved narrative it was based on ("" when there was none)."""
    return narrative.updated_at.isoformat() if narrative and narrative.pk else ""


def save_criterion_narrative(
    *,
    user,
    inspection: Inspection,
    code: str,
    strengths: list[str] | None = None,
    areas_for_improvement: list[str] | None = None,
    commentary: str | None = None,
    base: str | None = None,
) -> CriterionNarrative:
    """Save the narrative of a criterion (or of a section, where the report has one).

    A part given as None is left as it is. `base` is the narrative_token of the version the change was
    based on; a different saved version is refused, so nobody overwrites text they have not seen (None
    skips the check, for scripts).
    """
    lists = {"strengths": strengths, "areas_for_improvement": areas_for_improvement}
    for field, items in lists.items():
        if items is not None and not all(isinstance(item, str) for item in items):
            raise ReportError("Write one item per line.", field=field)
    cleaned: dict[str, object] = {
        field: [_clean(item) for item in items if _clean(item)] for field, items in lists.items() if items is not None
    }
    if commentary is not None:
        cleaned["commentary"] = _clean(commentary)
    with transaction.atomic():
        inspection = _lock_for_change(user, inspection)
        if code not in narrative_codes(inspection):
            raise ReportError(f"{code} is not a criterion of this framework.")
        _check_placeholders(inspection, cleaned)
        narrative = (
            CriterionNarrative.objects.select_related("updated_by").filter(inspection=inspection, code=code).first()
        )
        if base is not None and narrative is not None and base != narrative_token(narrative):
            raise StaleNarrative(narrative)
        narrative = narrative or CriterionNarrative(inspection=inspection, code=code)
        for field, value in cleaned.items():
            setattr(narrative, field, value)
        narrative.updated_by = user
        save_recorded(narrative, user=user, reason=f"Narrative of {code} saved")
    return narrative


# --- Ordered lists: recommendations and good practice ----------------------------------------------------------


def _renumber(items: list, attribute: str, user, reason: str) -> None:
    """Give `items` the numbers 1, 2, ... in order, saving (with history) only those that change.

    Recommendation numbers are unique per inspection and the database checks that row by row, so the
    rows that move are first parked above every number in use, then given their new numbers.
    """
    moving = [(number, item) for number, item in enumerate(items, start=1) if getattr(item, attribute) != number]
    if not moving:
        return
    model = type(items[0])
    park = len(items) + max(getattr(item, attribute) for item in items) + 1
    for offset, (_, item) in enumerate(moving):
        model.objects.filter(pk=item.pk).update(**{attribute: park + offset})  # a step between two states
    for number, item in moving:
        setattr(item, attribute, number)
        save_recorded(item, user=user, reason=reason, update_fields=[attribute])


def _check_criteria(inspection: Inspection, codes: list[str], field: str) -> None:
    known = criterion_codes(inspection)
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ReportError(
            f"{', '.join(unknown)} {'is not a criterion' if len(unknown) == 1 else 'are not criteria'} of this "
            f"framework (criteria: {', '.join(known)})",
            field=field,
        )


def _move(items: list, item, position: int | None) -> list:
    if position is None:
        return items
    if not 1 <= position <= len(items):
        raise ReportError(f"Choose a number from 1 to {len(items)}.", field="number")
    others = [other for other in items if other.pk != item.pk]
    return others[: position - 1] + [item] + others[position - 1 :]


def add_recommendation(*, user, inspection: Inspection, text: str, criteria: list[str] | None = None) -> Recommendation:
    text, criteria = _clean(text), list(criteria or [])
    if not text:
        raise ReportError("Enter the recommendation.", field="text")
    with transaction.atomic():
        inspection = _lock_for_change(user, inspection)
        _check_placeholders(inspection, {"text": text})
        _check_criteria(inspection, criteria, "criteria")
        last = inspection.recommendations.aggregate(last=Max("number"))["last"] or 0
        recommendation = Recommendation(inspection=inspection, number=last + 1, text=text, criteria=criteria)
        save_recorded(recommendation, user=user, reason=f"Recommendation {recommendation.number} added")
    return recommendation


def update_recommendation(
    *, user, recommendation: Recommendation, text: str, criteria: list[str] | None = None, number: int | None = None
) -> Recommendation:
    """Change a recommendation's text and criteria; a new number moves it, renumbering the others."""
    text, criteria = _clean(text), list(criteria or [])
    if not text:
        raise ReportError("Enter the recommendation.", field="text")
    with transaction.atomic():
        inspection = _lock_for_change(user, recommendation.inspection)
        _check_placeholders(inspection, {"text": text})
        _check_criteria(inspection, criteria, "criteria")
        items = list(inspection.recommendations.order_by("number"))
        current = next((item for item in items if item.pk == recommendation.pk), None)
        if current is None:
            raise ReportError("This recommendation has been deleted.")
        current.text, current.criteria = text, criteria
        save_recorded(
            current, user=user, reason=f"Recommendation {current.number} changed", update_fields=["text", "criteria"]
        )
        _renumber(_move(items, current, number), "number", user, f"Renumbered: recommendation moved to {number}")
    return current


def delete_recommendation(*, user, recommendation: Recommendation) -> None:
    with transaction.atomic():
        inspection = _lock_for_change(user, recommendation.inspection)
        current = Recommendation.objects.filter(pk=recommendation.pk).first()
        if current is None:
            return  # already deleted by someone else: the outcome wanted
        recommendation = current
        number = recommendation.number
        delete_recorded(recommendation, user=user, reason=f"Recommendation {recommendation.number} deleted")
        remaining = list(inspection.recommendations.order_by("number"))
        _renumber(remaining, "number", user, f"Renumbered after recommendation {number} was deleted")


def _check_good_practice(inspection: Inspection, title: str, criterion: str, text: str) -> None:
    if not title:
        raise ReportError("Enter a title for the example.", field="title")
    if len(title) > 300:
        raise ReportError("The title must be 300 characters or fewer.", field="title")
    if not criterion:
        raise ReportError("Choose the criterion the example illustrates.", field="criterion")
    _check_criteria(inspection, [criterion], "criterion")
    if not text:
        raise ReportError("Describe the good practice.", field="text")
    _check_placeholders(inspection, {"title": title, "text": text})


def add_good_practice(*, user, inspection: Inspection, title: str, criterion: str, text: str) -> GoodPractice:
    title, criterion, text = _clean(title), _clean(criterion), _clean(text)
    with transaction.atomic():
        inspection = _lock_for_change(user, inspection)
        _check_good_practice(inspection, title, criterion, text)
        last = inspection.good_practice.aggregate(last=Max("position"))["last"] or 0
        example = GoodPractice(inspection=inspection, position=last + 1, title=title, criterion=criterion, text=text)
        save_recorded(example, user=user, reason=f"Good practice example {example.position} added")
    return example


def update_good_practice(
    *, user, good_practice: GoodPractice, title: str, criterion: str, text: str, position: int | None = None
) -> GoodPractice:
    title, criterion, text = _clean(title), _clean(criterion), _clean(text)
    with transaction.atomic():
        inspection = _lock_for_change(user, good_practice.inspection)
        _check_good_practice(inspection, title, criterion, text)
        items = list(inspection.good_practice.order_by("position", "pk"))
        current = next((item for item in items if item.pk == good_practice.pk), None)
        if current is None:
            raise ReportError("This example has been deleted.")
        current.title, current.criterion, current.text = title, criterion, text
        save_recorded(
            current,
            user=user,
            reason=f"Good practice example {current.position} changed",
            update_fields=["title", "criterion", "text"],
        )
        try:
            _renumber(_move(items, current, position), "position", user, f"Example moved to {position}")
        except ReportError as error:
            raise ReportError(str(error), field="position") from error
    return current


def delete_good_practice(*, user, good_practice: GoodPractice) -> None:
    with transaction.atomic():
        inspection = _lock_for_change(user, good_practice.inspection)
        example = GoodPractice.objects.filter(pk=good_practice.pk).first()
        if example is None:
            return
        position = example.position
        delete_recorded(example, user=user, reason=f"Good practice example {example.position} deleted")
        remaining = list(inspection.good_practice.order_by("position", "pk"))
        _renumber(remaining, "position", user, f"Renumbered after example {position} was deleted")

"""The history of one case: allocation, case details, assessment states, answers and review comments.

Each history row is compared with the previous row of the same object (diff_against, in memory:
the rows are fetched with one query per model), so the page's query count does not grow with the
number of changes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from simple_history.models import ModelChange as FieldChange

from cases.access import get_case_for_user
from cases.forms import person_name
from cases.models import Answer, Assessment, Case, ReviewComment
from inspections.structure import FrameworkStructure, structure_for

State = Assessment.State
NOT_ANSWERED = "Not answered"


@dataclass
class Change:
    when: datetime.datetime
    who: str
    what: str
    new: str
    old: str | None = None  # None: nothing to compare with (a comment added, a case removed)
    reason: str = ""


def _paired(records: Iterable) -> Iterator[tuple]:
    """Each history row with the previous row of the same object (None for its first row)."""
    previous = None
    for record in records:
        yield record, (previous if previous is not None and previous.id == record.id else None)
        previous = record


def _who(record) -> str:
    """Who saved the row; outside a request (imports, scripts) the row's own author field, if any."""
    user = record.history_user or getattr(record, "updated_by", None) or getattr(record, "created_by", None)
    return person_name(user) if user else "Not recorded"


def _change(record, what: str, new: str, old: str | None = None) -> Change:
    return Change(record.history_date, _who(record), what, new, old, record.history_change_reason or "")


class CaseHistory:
    """Builds the list of changes of one case; one method per kind of history row."""

    def __init__(self, case: Case, structure: FrameworkStructure):
        self.case = case
        self.structure = structure
        self.question_codes = {pk: code for code, pk in structure.question_ids.items()}
        framework = case.inspection.framework
        self.attributes = {attribute.code: attribute for attribute in framework.case_attributes.all()}
        self.names: dict[int | None, str] = {}

    def changes(self) -> list[Change]:
        case_records = list(
            Case.history.filter(id=self.case.pk).select_related("history_user").order_by("history_date", "history_id")
        )
        assessments = Assessment.history.filter(case_id=self.case.pk)
        assessment_ids = assessments.values("id")
        self.names = self._assessor_names(case_records)
        changes = [
            *self._case_changes(case_records),
            *self._assessment_changes(
                assessments.select_related("history_user").order_by("id", "history_date", "history_id")
            ),
            *self._answer_changes(
                Answer.history.filter(assessment_id__in=assessment_ids)
                .select_related("history_user", "updated_by")
                .order_by("id", "history_date", "history_id")
            ),
            *self._comment_changes(
                ReviewComment.history.filter(assessment_id__in=assessment_ids)
                .select_related("history_user", "created_by")
                .order_by("id", "history_date", "history_id")
            ),
        ]
        # Newest first; sorted() is stable, so changes saved at the same moment keep their order.
        return sorted(changes, key=lambda change: change.when, reverse=True)

    def _assessor_names(self, records: list) -> dict[int | None, str]:
        ids = {record.assessor_id for record in records if record.assessor_id}
        names: dict[int | None, str] = {None: "Unallocated"}
        names.update({user.pk: person_name(user) for user in get_user_model().objects.filter(pk__in=ids)})
        return names

    def _attribute_label(self, code: str, value) -> str:
        attribute = self.attributes.get(code)
        if value in (None, "", []):
            return "Not recorded"
        if attribute is None:
            return str(value)
        return attribute.label_for(value)

    def _case_changes(self, records: list) -> Iterator[Change]:
        for record, previous in _paired(records):
            if record.history_type == "-":
                yield _change(record, "Case removed from the sample", record.case_ref)
                continue
            if previous is None:
                yield _change(record, "Case added to the sample", record.case_ref)
                if record.assessor_id:
                    yield _change(record, "Allocation", self.names.get(record.assessor_id, ""), "Unallocated")
                continue
            delta = record.diff_against(previous, included_fields=["assessor", "attributes", "case_ref"])
            for change in delta.changes:
                if change.field == "assessor":
                    yield _change(record, "Allocation", self.names.get(change.new, ""), self.names.get(change.old, ""))
                elif change.field == "case_ref":
                    yield _change(record, "Case reference", change.new, change.old)
                else:
                    yield from self._attribute_changes(record, change.old or {}, change.new or {})

    def _attribute_changes(self, record, old: dict, new: dict) -> Iterator[Change]:
        for code in sorted(set(old) | set(new), key=lambda code: getattr(self.attributes.get(code), "position", 0)):
            if old.get(code) != new.get(code):
                label = self.attributes[code].label if code in self.attributes else code
                yield _change(
                    record,
                    f"Case detail: {label}",
                    self._attribute_label(code, new.get(code)),
                    self._attribute_label(code, old.get(code)),
                )

    def _assessment_changes(self, records: Iterable) -> Iterator[Change]:
        for record, previous in _paired(records):
            if previous is None:
                # Created with the first answer, as not started; an import creates it submitted.
                if record.state != State.NOT_STARTED:
                    yield _change(record, "Assessment state", State(record.state).label, State.NOT_STARTED.label)
                continue
            for change in record.diff_against(previous, included_fields=["state"]).changes:
                yield _change(record, "Assessment state", State(change.new).label, State(change.old).label)

    def _answer_label(self, code: str, value: str) -> str:
        if not value:
            return NOT_ANSWERED
        question = self.structure.questions.get(code)
        return question.label_for(value) if question else value

    def _answer_changes(self, records: Iterable) -> Iterator[Change]:
        for record, previous in _paired(records):
            code = self.question_codes.get(record.question_id, "an unknown question")
            if previous is None:
                # Saving an answer first creates its row empty: only a value or note given is a change.
                changes = [FieldChange(name, "", getattr(record, name)) for name in ("value", "note")]
            else:
                changes = record.diff_against(previous, included_fields=["value", "note"]).changes
            for change in changes:
                if change.old == change.new:
                    continue
                if change.field == "value":
                    old, new = self._answer_label(code, change.old), self._answer_label(code, change.new)
                    yield _change(record, f"Answer to {code}", new, old)
                else:
                    yield _change(record, f"Evidence note for {code}", change.new or "No note", change.old or "No note")

    def _comment_changes(self, records: Iterable) -> Iterator[Change]:
        for record, previous in _paired(records):
            code = self.question_codes.get(record.question_id)
            about = f" on {code}" if code else " on the whole assessment"
            if previous is None:
                yield _change(record, f"Review comment added{about}", record.text)
                continue
            for change in record.diff_against(previous, included_fields=["text", "resolved"]).changes:
                if change.field == "text":
                    yield _change(record, f"Review comment changed{about}", change.new, change.old)
                elif change.new:
                    yield _change(record, f"Review comment resolved{about}", record.text)


@login_required
def case_history(request: HttpRequest, slug: str, case_ref: str) -> HttpResponse:
    case, access = get_case_for_user(request.user, slug, case_ref)
    case.inspection = access.inspection
    history = CaseHistory(case, structure_for(access.inspection.framework))
    return render(
        request,
        "cases/case_history.html",
        {"inspection": access.inspection, "case": case, "changes": history.changes()},
    )

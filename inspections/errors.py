"""Refusals every domain operation shares: who may act, when, and on which version.

Each app's own error (AssessmentError, ScoringError, ReportError, ...) is a Refused, so a view or a
command catches one type and shows the message; `field` names the form input at fault, if one is.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class Refused(Exception):
    """A refused action, with a message for a person. Nothing was changed."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field

    @property
    def message(self) -> str:
        return str(self)


class NotAllowed(Refused, PermissionDenied):
    """The person may not do this (a 403 in the browser)."""


class WrongStage(Refused):
    """The inspection's lifecycle does not allow this now (e.g. the report is published)."""


class StaleVersion(Refused):
    """The page the action came from was out of date: someone changed the record since."""


class MissingVersion(StaleVersion):
    """The form did not say which version it was based on (missing or malformed)."""

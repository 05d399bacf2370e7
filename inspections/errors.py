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


def posted_version(data, key: str = "version") -> int:
    """The record version a form says it was based on; missing or malformed is refused."""
    raw = data.get(key, "")
    if isinstance(raw, list):
        raw = raw[-1] if raw else ""
    raw = str(raw).strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        raise MissingVersion(
            "The form did not say which version of the record it was based on. Reload the page and try again.",
            field=key,
        )
    return int(raw)


def http_status(error: Refused) -> int:
    """The status of a page that shows a refusal: 403 who, 409 a stale page, 400 anything else."""
    if isinstance(error, NotAllowed):
        return 403
    if isinstance(error, StaleVersion) and not isinstance(error, MissingVersion):
        return 409
    return 400

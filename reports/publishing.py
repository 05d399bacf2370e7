"""Rendering requests, publishing, revisions and the integrity of published versions.

Each function that changes something takes the acting user (None: the command-line operator),
runs in one transaction, asks inspections.lifecycle.authorise and raises PublishingError (a
Refused) with a message for a person.

A published version stores its snapshot as canonical JSON text and the PDF bytes, with the SHA-256
of each. `verify` recomputes both before any use of a published version (download, the stored PDF,
a re-rendering): a mismatch raises TamperedPublication and nothing is served.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from inspections.errors import Refused
from inspections.history import save_recorded
from inspections.input_rules import REASON_MAX, text_problem
from inspections.lifecycle import authorise, move_to
from inspections.models import Inspection
from inspections.policy import Action, require
from inspections.seen import require_unchanged
from reports.models import PublishedReport, ReportRender, ReportRevision

logger = logging.getLogger(__name__)
Status = Inspection.Status


class PublishingError(Refused):
    """A refused operation, with a message for a person."""


class TamperedPublication(Exception):
    """A published version's stored bytes or snapshot no longer match the hashes recorded at publication."""

    def __init__(self, published: PublishedReport, what: str):
        self.published = published
        super().__init__(
            f"Version {published.version} of {published.inspection.slug}: the stored {what} does not match the "
            "SHA-256 recorded when it was published. It has been changed since and must not be used; restore it "
            "from a backup and report the incident."
        )


def request_render(*, user, inspection: Inspection) -> ReportRender:
    from reports.jobs import enqueue_render

    with transaction.atomic():
        require(user, inspection, Action.EDIT_REPORT)  # drafts can be rendered at any stage
        job = ReportRender.objects.create(inspection=inspection, requested_by=user)
        # Enqueue after commit so the worker always finds the row; a render whose task never got queued
        # (the process stopped in between) is queued again by the worker's recovery (reports.jobs).
        transaction.on_commit(lambda: enqueue_render(job.pk))
    return job


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical_json(snapshot: dict[str, Any]) -> str:
    """The one serialisation of a snapshot whose hash is recorded: sorted keys, no spaces, UTF-8."""
    return json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


@dataclass(frozen=True)
class VerifiedPublication:
    published: PublishedReport
    snapshot: dict[str, Any]
    pdf: bytes


def verify(published: PublishedReport) -> VerifiedPublication:
    """The published version's snapshot and PDF, after checking both against their recorded hashes."""
    pdf = bytes(published.pdf)
    if sha256(pdf) != published.sha256:
        logger.critical("published report %s v%s: PDF hash mismatch", published.inspection_id, published.version)
        raise TamperedPublication(published, "PDF")
    if sha256(published.snapshot_json.encode()) != published.snapshot_sha256:
        logger.critical("published report %s v%s: snapshot hash mismatch", published.inspection_id, published.version)
        raise TamperedPublication(published, "snapshot (scores, judgements and narrative)")
    return VerifiedPublication(published, json.loads(published.snapshot_json), pdf)


def verified_pdf(published: PublishedReport) -> bytes:
    return verify(published).pdf


# --- What the publisher saw -----------------------------------------------------------------------------------


def publish_summary(inspection: Inspection) -> dict[str, Any]:
    """What the publish form carries: the stage, the finalised scores and a digest of each narrative part."""
    from reports.assembly import narrative_of
    from scoring.scores import current_snapshot

    snapshot = current_snapshot(inspection)
    narrative = narrative_of(inspection)
    latest = inspection.published_reports.order_by("-version").values_list("version", flat=True).first()
    return {
        "stage": Status(inspection.status).label,
        "finalised scores": f"snapshot {snapshot.number}" if snapshot else "none",
        "published versions": latest or 0,
        "report text": {part: _digest(value) for part, value in sorted(narrative.items())},
    }


def _digest(value: Any) -> str:
    return "#" + sha256(canonical_json({"v": value}).encode())[:12]


def _check_reason(reason: str) -> None:
    problem = text_problem(reason, max_length=REASON_MAX, what="The reason")
    if problem:
        raise PublishingError(problem, field="reason")


# --- Publishing -----------------------------------------------------------------------------------------------


def publish_report(*, user, inspection: Inspection, seen: str | None, reason: str = "") -> PublishedReport:
    """Freeze scores, judgements and narrative with the rendered PDF and the SHA-256 of both.

    The first version needs finalised scores; a later one is the publication of an open revision,
    whose reason it carries. `seen` is the publish_summary token of the page the publisher checked.
    """
    from reports.assembly import build_snapshot
    from reports.rendering import render_report_pdf
    from scoring.services import refreeze_judgements

    _check_reason(reason)
    with transaction.atomic():
        _access, inspection = authorise(user, inspection, Action.PUBLISH, exclusive=True)
        require_unchanged(seen, publish_summary(inspection), what="The report")
        previous = inspection.published_reports.order_by("-version").first()
        revision = None
        if previous is not None:
            revision = inspection.report_revisions.filter(published__isnull=True).order_by("-number").first()
            if revision is None:  # the stage says a revision is open; its row must exist
                raise PublishingError("No revision is open for this report.")
            refreeze_judgements(
                user=user, inspection=inspection, reason=f"Revision {revision.number}: {revision.reason}"
            )
        snapshot = build_snapshot(inspection)
        snapshot["published"] = True
        snapshot["version"] = (previous.version + 1) if previous else 1
        if previous is not None and _content(snapshot) == _content(verify(previous).snapshot):
            raise PublishingError(
                f"Nothing in the report has changed since version {previous.version}: the revision would publish "
                "the same figures, judgements and text. Change what the revision is for, then publish it."
            )
        text = canonical_json(snapshot)
        pdf, _pages = render_report_pdf(inspection, snapshot=snapshot)
        published = PublishedReport.objects.create(
            inspection=inspection,
            version=snapshot["version"],
            published_by=user,
            reason=(revision.reason if revision else reason.strip()),
            revision=revision,
            snapshot_json=text,
            snapshot_sha256=sha256(text.encode()),
            pdf=pdf,
            sha256=sha256(pdf),
        )
        who = "from the command line" if user is None else ""
        move_to(
            inspection,
            Status.PUBLISHED,
            user=user,
            reason=f"Report version {published.version} published {who}".strip(),
        )
    return published


# What can differ between two versions without their content differing.
VOLATILE_KEYS = ("built_at", "version", "published")


def _content(snapshot: dict[str, Any]) -> dict[str, Any]:
    content = {key: value for key, value in snapshot.items() if key not in VOLATILE_KEYS}
    inspection = dict(content.get("inspection", {}))
    inspection.pop("report_date", None)
    content["inspection"] = inspection
    scores = dict(content.get("scores", {}))
    scores.pop("snapshot", None)
    content["scores"] = scores
    return content


def start_revision(
    *, user, inspection: Inspection, reason: str, published_version: int | None, reopen_scores: bool = False
) -> ReportRevision:
    """Open a revision of the published report: narrative and judgements become editable again; with
    reopen_scores the scores are reopened too (the reason is recorded on the snapshot). Published
    versions stay as they are. `published_version` is the latest version the page showed."""
    from scoring.scores import current_snapshot
    from scoring.services import _close_snapshot

    reason = reason.strip()
    if not reason:
        raise PublishingError("Give the reason for revising the published report.", field="reason")
    _check_reason(reason)
    with transaction.atomic():
        _access, inspection = authorise(user, inspection, Action.START_REVISION, exclusive=True)
        latest = inspection.published_reports.order_by("-version").first()
        if latest is None:
            raise PublishingError("Only a published report can be revised.")
        if published_version != latest.version:
            from inspections.errors import StaleVersion

            raise StaleVersion(
                f"Version {latest.version} was published after you loaded the page. Check it before revising.",
                field="reason",
            )
        revision = ReportRevision(
            inspection=inspection,
            number=latest.version + 1,
            reason=reason,
            started_by=user,
            scores_reopened=reopen_scores,
        )
        save_recorded(revision, user=user, reason=reason)
        if reopen_scores:
            snapshot = current_snapshot(inspection)
            if snapshot is not None:
                _close_snapshot(snapshot, user, f"Revision {revision.number}: {reason}")
        move_to(
            inspection,
            Status.REVISION_RESCORING if reopen_scores else Status.REVISION,
            user=user,
            reason=f"Revision {revision.number} started: {reason}",
        )
    return revision

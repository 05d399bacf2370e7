"""The inspection's lifecycle: which stage allows which action, and the only way to change stage.

    set-up → fieldwork → scores finalised → published → revision open → published again
                 ↑               │                          │  ↑
                 └── reopened ───┘         revision with scores reopened

The stage is held in one place, `Inspection.status`, and changes only through `move_to`. Every
write path (web views, services, management commands, Django admin, the background worker) asks
`authorise` first: it checks who (inspections.policy), takes a lock on the inspection row and checks
the stage on that locked row, so a change cannot slip past a concurrent finalise or publish.
"""

from __future__ import annotations

from django.db import connection

from inspections.errors import WrongStage
from inspections.history import save_recorded
from inspections.models import Inspection
from inspections.policy import Access, Action, access_to

Status = Inspection.Status
EVERY_STAGE = frozenset(Status)
# The case record (sample, allocation, answers, reviews) may change only while scores are open.
SCORES_OPEN = frozenset({Status.SETUP, Status.FIELDWORK, Status.REVISION_RESCORING})
SCORES_FINAL = frozenset({Status.FINALISED, Status.PUBLISHED, Status.REVISION})
UNPUBLISHED = EVERY_STAGE - {Status.PUBLISHED}

STAGES: dict[Action, frozenset[str]] = {
    Action.VIEW: EVERY_STAGE,
    Action.SEE_ALL_CASES: EVERY_STAGE,
    Action.SEE_SCORES: EVERY_STAGE,
    Action.SEE_CASE_REFS: EVERY_STAGE,
    Action.CHANGE_SAMPLE: frozenset({Status.SETUP, Status.FIELDWORK}),
    Action.ALLOCATE: SCORES_OPEN,
    Action.CHANGE_TEAM: EVERY_STAGE,
    Action.ASSESS: SCORES_OPEN,
    Action.REVIEW: SCORES_OPEN,
    Action.JUDGE: SCORES_OPEN | {Status.REVISION},
    Action.FINALISE: SCORES_OPEN,
    Action.REOPEN_SCORES: frozenset({Status.FINALISED, Status.REVISION}),
    Action.EDIT_REPORT: UNPUBLISHED,
    Action.PUBLISH: frozenset({Status.FINALISED, Status.REVISION}),
    Action.START_REVISION: frozenset({Status.PUBLISHED}),
    # Second marking feeds reconciled answers into the case record, so it follows the record.
    Action.ASSIGN_SECOND_MARKING: SCORES_OPEN,
    Action.SECOND_MARK: SCORES_OPEN,
    Action.RECONCILE: SCORES_OPEN,
}

# The moves move_to accepts.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.SETUP: frozenset({Status.FIELDWORK, Status.FINALISED}),
    Status.FIELDWORK: frozenset({Status.FINALISED}),
    Status.FINALISED: frozenset({Status.FIELDWORK, Status.PUBLISHED}),
    Status.PUBLISHED: frozenset({Status.REVISION, Status.REVISION_RESCORING}),
    Status.REVISION: frozenset({Status.PUBLISHED, Status.REVISION_RESCORING}),
    Status.REVISION_RESCORING: frozenset({Status.REVISION}),
}

WHAT: dict[Action, str] = {
    Action.CHANGE_SAMPLE: "the case sample cannot change",
    Action.ALLOCATE: "cases cannot be allocated",
    Action.ASSESS: "answers cannot change",
    Action.REVIEW: "assessments cannot be returned, approved or reopened",
    Action.JUDGE: "judgements cannot change",
    Action.FINALISE: "they cannot be finalised again",
    Action.EDIT_REPORT: "the report cannot change",
    Action.ASSIGN_SECOND_MARKING: "cases cannot be chosen for second marking",
    Action.SECOND_MARK: "second marking cannot change",
    Action.RECONCILE: "second marking cannot be reconciled",
}

WHY: dict[str, str] = {
    Status.FINALISED: ("The scores are finalised, so {what}. The lead inspector can reopen the scores, with a reason."),
    Status.PUBLISHED: (
        "The report is published, so {what}: the published figures and the record behind them are frozen. "
        "An administrator can start a revision, with a reason."
    ),
    Status.REVISION: (
        "A revision of the published report is open for its narrative and judgements; the scores stay final, "
        "so {what}. The scores can be reopened, with a reason, if the figures themselves must change."
    ),
}


def refusal(action: Action, status: str) -> str:
    """Why `action` is not possible at stage `status`, in words for a person."""
    if action == Action.PUBLISH:
        if status == Status.PUBLISHED:
            return "This version is already published. To change it, an administrator starts a revision."
        return "The scores must be finalised before the report is published."
    if action == Action.START_REVISION:
        if status in {Status.REVISION, Status.REVISION_RESCORING}:
            return "A revision is already open; publish it before starting another."
        return "Only a published report can be revised."
    if action == Action.REOPEN_SCORES:
        if status == Status.PUBLISHED:
            return "The report is published; its scores can be reopened only within a revision."
        return "The scores are not finalised."
    if action == Action.CHANGE_SAMPLE and status == Status.REVISION_RESCORING:
        return "During a revision the case sample cannot change; answers and reviews can, with the scores reopened."
    what = WHAT.get(action, "this cannot be done")
    template = WHY.get(status, "At this stage ({stage}) {what}.")
    return template.format(what=what, stage=Status(status).label.lower())


def stage_allows(inspection: Inspection, action: Action) -> bool:
    return inspection.status in STAGES[action]


def require_stage(inspection: Inspection, action: Action) -> None:
    if not stage_allows(inspection, action):
        raise WrongStage(refusal(action, inspection.status))


def lock(inspection: Inspection, *, exclusive: bool = False) -> Inspection:
    """Lock the inspection's row to the end of the transaction and refresh its stage from it.

    Shared (FOR SHARE) for actions that depend on the stage, so many can run at once; exclusive
    (FOR UPDATE) for those that change it. The two conflict: a judgement or an answer posted while
    finalising runs waits, then sees the new stage and is refused. (SQLite runs one writer at a time.)
    The stage is read from the locked row, never from the copy loaded before the lock.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("lifecycle.lock must be called inside transaction.atomic()")
    rows = Inspection.objects.filter(pk=inspection.pk)
    if exclusive:
        status = rows.select_for_update().values_list("status", flat=True).get()
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT status FROM inspections_inspection WHERE id = %s FOR SHARE", [inspection.pk])
            status = cursor.fetchone()[0]
    else:
        status = rows.values_list("status", flat=True).get()
    inspection.status = status
    return inspection


def authorise(user, inspection: Inspection, action: Action, *, exclusive: bool = False) -> tuple[Access, Inspection]:
    """Check who (policy) and when (stage, on the locked row); returns the access and the locked row.

    Call inside transaction.atomic(); the lock lasts until it ends.
    """
    access = access_to(user, inspection)
    access.require(action)
    locked = lock(inspection, exclusive=exclusive)
    require_stage(locked, action)
    access.inspection = locked
    return access, locked


def move_to(inspection: Inspection, status: str, *, user, reason: str) -> None:
    """Change the stage, recorded in the inspection's history with who and why.

    The caller holds the exclusive lock (authorise(..., exclusive=True)).
    """
    if status not in TRANSITIONS.get(inspection.status, frozenset()):
        raise WrongStage(
            f"An inspection cannot go from ‘{Status(inspection.status).label}’ to ‘{Status(status).label}’."
        )
    inspection.status = status
    setattr(inspection, "_lifecycle_move", True)  # noqa: B010 - the model's guard lets this save through
    try:
        save_recorded(inspection, user=user, reason=reason, update_fields=["status"])
    finally:
        setattr(inspection, "_lifecycle_move", False)  # noqa: B010


def begin_fieldwork(inspection: Inspection, *, user, reason: str) -> None:
    """The first assessment work moves an inspection from set-up to fieldwork, in the same transaction
    as that work (so a refused or failed action moves nothing). The caller locked the row exclusively
    when it read set-up: authorise(..., exclusive=needs_exclusive_lock(inspection))."""
    if inspection.status == Status.SETUP:
        move_to(inspection, Status.FIELDWORK, user=user, reason=reason)


def needs_exclusive_lock(inspection: Inspection) -> bool:
    """Assessment work locks exclusively only while setting up (it may move the stage); a stage
    never moves back to set-up, so a later stage read before the lock stays later."""
    return inspection.status == Status.SETUP

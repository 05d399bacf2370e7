"""What a page showed, carried back by its form, so an action based on a stale page is refused.

A workflow form (finalise, publish, start a revision) carries a signed summary of what the person
saw: the figures, counts and versions the decision rests on. The action recomputes the summary
inside its transaction; if it differs, the action is refused and the message lists what changed.
A missing or malformed summary is refused too, never taken as "no check".
"""

from __future__ import annotations

from typing import Any

from django.core import signing

from inspections.errors import MissingVersion, StaleVersion

SALT = "inspections.seen"
MAX_LISTED = 12


def seen_token(summary: dict[str, Any]) -> str:
    return signing.dumps(summary, salt=SALT, compress=True)


def read_token(token: str | None) -> dict[str, Any]:
    if not token:
        raise MissingVersion(
            "The form did not say which version of the record it was based on. Reload the page and try again.",
            field="seen",
        )
    try:
        summary = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise MissingVersion(
            "The form's record of what you saw is not valid. Reload the page and try again.", field="seen"
        ) from None
    if not isinstance(summary, dict):
        raise MissingVersion("The form's record of what you saw is not valid. Reload the page and try again.")
    return summary


def differences(before: dict[str, Any], after: dict[str, Any], labels: dict[str, str] | None = None) -> list[str]:
    """What changed between two summaries, as lines for a person ("1.2: 68% → 71%")."""
    labels = labels or {}
    lines: list[str] = []
    for key in sorted(set(before) | set(after), key=str):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        label = labels.get(key, key)
        if isinstance(old, dict) and isinstance(new, dict):
            lines.extend(f"{label} {line}" for line in differences(old, new, labels))
        else:
            lines.append(f"{label}: {_shown(old)} → {_shown(new)}")
    return lines


def _shown(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, dict):
        return "changed"
    return str(value)


def require_unchanged(token: str | None, current: dict[str, Any], *, what: str, labels=None) -> None:
    """Refuse (StaleVersion) when the summary the form carries differs from the current one."""
    before = read_token(token)
    if before == current:
        return
    changes = differences(before, current, labels)
    listed = changes[:MAX_LISTED] + ([f"and {len(changes) - MAX_LISTED} more"] if len(changes) > MAX_LISTED else [])
    raise StaleVersion(
        f"{what} changed after you loaded the page, so nothing was done. What changed: "
        + "; ".join(listed or ["the record"])
        + ". Check the page again before deciding.",
        field="seen",
    )

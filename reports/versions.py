"""Published versions side by side: what changed from one version to the next, in words and figures."""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from reports.models import PublishedReport

PART_NAMES = {
    "foreword": "Foreword",
    "acknowledgements": "Acknowledgements",
    "summaries": "Summary",
    "next_steps": "Next steps",
    "further_inspection": "Further inspection",
    "service_users": "Service users",
    "framework_parts": "Framework part",
    "contextual": "Contextual table",
    "criteria": "Criterion",
    "recommendations": "Recommendation",
    "good_practice": "Good practice",
}


@dataclass(frozen=True)
class Change:
    part: str
    before: str
    after: str
    figure: bool = False

    @property
    def diff(self) -> SafeString:
        """The text with deletions and insertions marked (<del>, <ins>), word by word."""
        return word_diff(self.before, self.after)


@dataclass
class VersionEntry:
    published: PublishedReport
    intact: bool
    changes: list[Change] = field(default_factory=list)

    @property
    def figures(self) -> list[Change]:
        return [change for change in self.changes if change.figure]

    @property
    def texts(self) -> list[Change]:
        return [change for change in self.changes if not change.figure]


def version_history(published: list[PublishedReport]) -> list[VersionEntry]:
    """Newest first, each with its changes from the version before it."""
    ordered = sorted(published, key=lambda item: item.version)
    entries: list[VersionEntry] = []
    previous: dict[str, Any] | None = None
    for item in ordered:
        intact = hashlib.sha256(item.snapshot_json.encode()).hexdigest() == item.snapshot_sha256
        snapshot = json.loads(item.snapshot_json) if intact else None
        changes = changes_between(previous, snapshot) if previous is not None and snapshot is not None else []
        entries.append(VersionEntry(item, intact, changes))
        previous = snapshot
    return list(reversed(entries))


def changes_between(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    return [*_figure_changes(old.get("scores", {}), new.get("scores", {})), *_text_changes(old, new)]


def _figure_changes(old: dict[str, Any], new: dict[str, Any]) -> Iterator[Change]:
    for kind, label in (("criteria", "Criterion"), ("sections", "Section"), ("headlines", "Headline")):
        before = {item["code"]: item for item in old.get(kind, [])}
        after = {item["code"]: item for item in new.get(kind, [])}
        for code in sorted(set(before) | set(after), key=_natural):
            was, now = before.get(code, {}), after.get(code, {})
            if was.get("display") != now.get("display"):
                yield Change(f"{label} {code} score", was.get("display", "—"), now.get("display", "—"), figure=True)
            for key, name in (("judgement", "judgement"), ("comment", "comment")):
                if was.get(key) != now.get(key):
                    yield Change(f"{label} {code} {name}", _text(was.get(key)), _text(now.get(key)), figure=True)
    before = {item["code"]: item.get("grade") for item in old.get("leadership", [])}
    after = {item["code"]: item.get("grade") for item in new.get("leadership", [])}
    for code in sorted(set(before) | set(after), key=_natural):
        if before.get(code) != after.get(code):
            yield Change(f"Criterion {code} grade", _text(before.get(code)), _text(after.get(code)), figure=True)


def _text_changes(old: dict[str, Any], new: dict[str, Any]) -> Iterator[Change]:
    before = dict(_flatten(old.get("narrative", {})))
    after = dict(_flatten(new.get("narrative", {})))
    for path in sorted(set(before) | set(after), key=_natural):
        if before.get(path, "") != after.get(path, ""):
            yield Change(_part_name(path), before.get(path, ""), after.get(path, ""))


def _flatten(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(item, (*path, str(key)))
    elif isinstance(value, list):
        if all(isinstance(item, str) for item in value):
            yield path, "\n".join(value)
        else:
            for index, item in enumerate(value, start=1):
                yield from _flatten(item, (*path, str(index)))
    elif value is not None:
        yield path, _text(value)


def _part_name(path: tuple[str, ...]) -> str:
    head, *rest = path
    words = [PART_NAMES.get(head, head.replace("_", " ").capitalize())]
    words += [segment.replace("_", " ") for segment in rest]
    return " ".join(words)


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _natural(key: Any) -> list:
    text = " ".join(key) if isinstance(key, tuple) else str(key)
    return [int(part) if part.isdigit() else part for part in text.replace(".", " ").split()]


def word_diff(before: str, after: str) -> SafeString:
    old, new = before.split(), after.split()
    pieces: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(escape(" ".join(old[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(f"<del>{escape(' '.join(old[i1:i2]))}</del>")
        if j2 > j1:
            pieces.append(f"<ins>{escape(' '.join(new[j1:j2]))}</ins>")
    return mark_safe(" ".join(pieces))  # noqa: S308 - every piece of text is escaped above

"""Which criteria and questions of one framework version continue those of an earlier version.

A framework file may name the version it succeeds (`previous_version`) and, on a criterion or a
question, the code of the criterion or question of that version it replaces (`replaces`). Scores
are compared across versions only through these declarations: a code that is not declared is not
comparable, even where the same code exists in both versions (a renumbered framework reuses codes
for different things). Within one version every code corresponds to itself.

Pure functions over normalised definitions (the JSON on Framework.definition).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

_CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]*$")


def _items(definition: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """("criterion" or "question", entry) for every criterion and question, in file order."""
    for section in definition.get("sections", []):
        for criterion in section.get("criteria", []):
            yield "criterion", criterion
            for question in criterion.get("questions", []):
                yield "question", question


def replacement_problems(definition: dict[str, Any]) -> list[tuple[str, str]]:
    """Checks a file can make on its own: codes well formed, none replaced twice, and a
    previous_version named whenever something says what it replaces."""
    problems: list[tuple[str, str]] = []
    seen: dict[tuple[str, str], str] = {}
    uses = False
    for kind, entry in _items(definition):
        if "replaces" not in entry:
            continue
        uses = True
        where = f"{kind} {entry.get('code')}.replaces"
        value = entry["replaces"]
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            problems.append((where, f"must be the code of a {kind} of the previous version"))
            continue
        value = entry["replaces"] = str(value)
        if not _CODE_RE.match(value):
            problems.append((where, f"'{value}' is not a valid {kind} code"))
        elif (kind, value) in seen:
            problems.append((where, f"{kind} {seen[kind, value]} already replaces '{value}'"))
        else:
            seen[kind, value] = str(entry.get("code"))
    previous = definition.get("previous_version")
    if uses and previous is None:
        problems.append(("previous_version", "is required where a criterion or question says what it replaces"))
    if previous is not None and previous == definition.get("version"):
        problems.append(("previous_version", "names this file's own version"))
    return problems


def previous_version_problems(definition: dict[str, Any], previous: dict[str, Any] | None) -> list[str]:
    """Checks against the previous version's definition (None: it is not loaded)."""
    version = definition.get("previous_version")
    if version is None:
        return []
    if previous is None:
        return [f"previous_version: {definition['code']} version {version} is not loaded; load it first or with it"]
    codes: dict[str, set[str]] = {kind: set() for kind in ("criterion", "question")}
    for kind, entry in _items(previous):
        codes[kind].add(entry["code"])
    return [
        f"{kind} {entry['code']}.replaces: version {version} has no {kind} '{entry['replaces']}'"
        for kind, entry in _items(definition)
        if "replaces" in entry and entry["replaces"] not in codes[kind]
    ]


@dataclass(frozen=True)
class Correspondence:
    """For each code of the newer version, the code of the older version it continues."""

    newer: str
    older: str
    criteria: dict[str, str]
    questions: dict[str, str]


def _replaced(definition: dict[str, Any]) -> dict[str, dict[str, str]]:
    mapping: dict[str, dict[str, str]] = {"criterion": {}, "question": {}}
    for kind, entry in _items(definition):
        if "replaces" in entry:
            mapping[kind][entry["code"]] = entry["replaces"]
    return mapping


def correspondence(
    newer: dict[str, Any], older_version: str, definitions: Mapping[str, dict[str, Any]]
) -> Correspondence | None:
    """How the codes of `newer` map onto `older_version`, following previous_version links through
    `definitions` ({version: definition} of the same framework code). None when the older version
    is not an ancestor of the newer one: nothing is comparable then."""
    current: dict[str, dict[str, str]] = {"criterion": {}, "question": {}}
    for kind, entry in _items(newer):
        current[kind][entry["code"]] = entry["code"]
    definition, visited = newer, set()
    while definition["version"] != older_version:
        visited.add(definition["version"])
        previous = definition.get("previous_version")
        if previous is None or previous in visited or previous not in definitions:
            return None
        step = _replaced(definition)
        current = {
            kind: {new: step[kind][old] for new, old in codes.items() if old in step[kind]}
            for kind, codes in current.items()
        }
        definition = definitions[previous]
    return Correspondence(newer["version"], older_version, current["criterion"], current["question"])

"""The figures of a programme (every inspection of one framework) from finalised score snapshots.

An inspection counts once its scores are finalised: it has a current ScoreSnapshot (published
inspections included). Its figures are the snapshot's, never recomputed from live answers, so the
snapshot is the cache: reading a programme costs one query for the inspections and one for their
snapshots, whatever the number of answers behind them.

A programme spans the versions of a framework code. Figures are given in the codes of the newest
version; an inspection of an older version contributes only through the criteria and questions
the newer files declare they replace (inspections.framework_versions), never by matching codes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from inspections.framework_versions import Correspondence, correspondence
from inspections.models import Framework, Inspection
from inspections.services import newest_framework
from scoring.engine import Tally
from scoring.programme import CriterionFigures, InspectionFigures, programme_figures
from scoring.rules import scoring_framework
from scoring.scores import SnapshotKey, current_snapshots, snapshot_criteria


@dataclass(frozen=True)
class ProgrammeEntry:
    """One finalised inspection in the programme."""

    pk: int
    slug: str
    title: str
    area: str
    fieldwork_start: date | None
    framework_version: str
    published: bool
    snapshot: int
    figures: InspectionFigures


@dataclass(frozen=True)
class Programme:
    framework: Framework  # the newest version: the codes the figures are given in
    criteria: list[tuple[str, str, tuple[str, ...]]]  # (code, title, question codes), framework order
    entries: list[ProgrammeEntry]  # in order of fieldwork start
    figures: list[CriterionFigures]

    @property
    def code(self) -> str:
        return self.framework.code

    def document(self) -> dict[str, Any]:
        """The `export_programme` JSON of the interface contract, with extra keys beside it."""
        return programme_document(self)


# Figures of finalised snapshots, kept in this process: a snapshot never changes (its model refuses
# to), so what is derived from it stays right for good. Bounded, least recently used out first.
_CACHE_SIZE = 4096
_snapshot_cache: OrderedDict[SnapshotKey, InspectionFigures] = OrderedDict()
_cache_lock = threading.Lock()


def snapshot_figures(keys: list[SnapshotKey]) -> dict[SnapshotKey, InspectionFigures]:
    """{snapshot: its figures in its own framework version's codes}, reading only the snapshots
    this process has not read before."""
    with _cache_lock:
        found = {key: _snapshot_cache[key] for key in keys if key in _snapshot_cache}
        for key in found:
            _snapshot_cache.move_to_end(key)
    missing = {key.pk: key for key in keys if key not in found}
    if missing:
        read = {missing[pk]: _inspection_figures(criteria) for pk, criteria in snapshot_criteria(list(missing)).items()}
        with _cache_lock:
            _snapshot_cache.update(read)
            while len(_snapshot_cache) > _CACHE_SIZE:
                _snapshot_cache.popitem(last=False)
        found.update(read)
    return found


def _inspection_figures(criteria: list[dict[str, Any]]) -> InspectionFigures:
    scores: dict[str, float | None] = {}
    tallies: dict[str, Tally] = {}
    for criterion in criteria:
        scores[criterion["code"]] = criterion["score"]
        for question in criterion["questions"]:
            tallies[question["code"]] = Tally(question["sufficient"], question["relevant"])
    return InspectionFigures(scores, tallies)


def _mapped(figures: InspectionFigures, mapping: Correspondence | None) -> InspectionFigures:
    """An older version's figures in the programme's codes: only what is declared to continue."""
    if mapping is None:
        return InspectionFigures({}, {})
    return InspectionFigures(
        {new: figures.criteria[old] for new, old in mapping.criteria.items() if old in figures.criteria},
        {new: figures.questions[old] for new, old in mapping.questions.items() if old in figures.questions},
    )


@lru_cache(maxsize=64)
def _scored_criteria(framework_id: int, content_hash: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(code, title, question codes) of each scored criterion; cached per framework version (a
    changed definition has a new content hash)."""
    definition = Framework.objects.values_list("definition", flat=True).get(pk=framework_id)
    titles = {c["code"]: c["title"] for s in definition["sections"] for c in s["criteria"]}
    return tuple((spec.code, titles[spec.code], spec.members) for spec in scoring_framework(definition).criteria)


@lru_cache(maxsize=64)
def _correspondence(code: str, hashes: tuple[tuple[str, str], ...], newer: str, older: str) -> Correspondence | None:
    """How the newest version's codes map onto an older one; cached on the content hashes of the
    framework's versions, so a changed file is never answered from the cache."""
    definitions = dict(Framework.objects.filter(code=code).values_list("version", "definition"))
    return correspondence(definitions[newer], older, definitions)


def _newest(framework_code: str) -> Framework:
    """The newest version of the framework (as inspections.services.newest_framework orders them),
    without its definition."""
    fields = ("id", "code", "version", "title", "content_hash")
    frameworks = list(Framework.objects.filter(code=framework_code).only(*fields))
    if not frameworks:
        newest_framework(framework_code)  # raises InspectionError naming the known codes
    return max(frameworks, key=lambda framework: framework.version.rjust(20, "0"))


def published_filter() -> Exists:
    from reports.models import PublishedReport

    return Exists(PublishedReport.objects.filter(inspection=OuterRef("pk")))


def load_programme(
    framework_code: str,
    inspections: QuerySet[Inspection] | None = None,
    *,
    fieldwork_from: date | None = None,
    fieldwork_to: date | None = None,
) -> Programme:
    """The programme of the framework over `inspections` (default: every inspection of it), limited
    to those with finalised scores and, if given, a fieldwork start within the dates.
    Raises InspectionError for an unknown framework code."""
    newest = _newest(framework_code)
    queryset = Inspection.objects.all() if inspections is None else inspections
    queryset = queryset.filter(framework__code=framework_code)
    if fieldwork_from:
        queryset = queryset.filter(fieldwork_start__gte=fieldwork_from)
    if fieldwork_to:
        queryset = queryset.filter(fieldwork_start__lte=fieldwork_to)
    rows = list(
        queryset.annotate(is_published=published_filter())
        .order_by()
        .values_list("pk", "slug", "title", "area__name", "fieldwork_start", "framework__version", "is_published")
        .distinct()
    )
    snapshots = current_snapshots(row[0] for row in rows)
    figures_by_snapshot = snapshot_figures(list(snapshots.values()))
    hashes: tuple[tuple[str, str], ...] = ()
    if any(row[5] != newest.version for row in rows if row[0] in snapshots):
        hashes = tuple(
            Framework.objects.filter(code=framework_code).order_by("version").values_list("version", "content_hash")
        )
    entries = []
    for pk, slug, title, area, start, version, published in sorted(rows, key=_fieldwork_order):
        if pk not in snapshots:
            continue
        snapshot = snapshots[pk]
        figures = figures_by_snapshot[snapshot]
        if version != newest.version:
            figures = _mapped(figures, _correspondence(framework_code, hashes, newest.version, version))
        entries.append(ProgrammeEntry(pk, slug, title, area, start, version, bool(published), snapshot.number, figures))
    criteria = list(_scored_criteria(newest.pk, newest.content_hash))
    criterion_figures = programme_figures(
        [(code, questions) for code, _, questions in criteria], [entry.figures for entry in entries]
    )
    return Programme(newest, criteria, entries, criterion_figures)


def _fieldwork_order(row: tuple) -> tuple:
    start = row[4]
    return (start is None, start or date.min, row[1])


def programme_document(programme: Programme) -> dict[str, Any]:
    criterion_codes = [code for code, _, _ in programme.criteria]
    return {
        "framework": programme.code,
        "framework_version": programme.framework.version,
        "inspections": [
            {
                "slug": entry.slug,
                "area": entry.area,
                "fieldwork_start": entry.fieldwork_start.isoformat() if entry.fieldwork_start else None,
                "criteria": {code: entry.figures.criteria.get(code) for code in criterion_codes},
                "title": entry.title,
                "framework_version": entry.framework_version,
                "published": entry.published,
                "snapshot": entry.snapshot,
            }
            for entry in programme.entries
        ],
        "criteria": [
            {
                "code": figures.code,
                "inspections": figures.spread.count,
                "mean": figures.spread.mean,
                "min": figures.spread.minimum,
                "max": figures.spread.maximum,
                "ci95": list(figures.spread.ci95) if figures.spread.ci95 else None,
                "title": title,
                "questions": [
                    {
                        "code": question.code,
                        "inspections": question.inspections,
                        "sufficient": question.pooled.successes,
                        "relevant": question.pooled.trials,
                        "pooled": question.pooled.percentage,
                        "wilson95": list(question.pooled.wilson95) if question.pooled.wilson95 else None,
                    }
                    for question in figures.questions
                ],
            }
            for figures, (_, title, _) in zip(programme.figures, programme.criteria, strict=True)
        ],
    }


CSV_FIXED = ["criterion", "title", "inspections", "mean", "min", "max", "ci95_low", "ci95_high"]


def programme_table(programme: Programme) -> tuple[list[str], list[list[Any]]]:
    """The figures as one table: a row per criterion, the programme figures, then one column per
    inspection with its score (empty where it has none). For CSV and XLSX."""
    header = CSV_FIXED + [entry.slug for entry in programme.entries]
    rows = []
    for figures, (code, title, _) in zip(programme.figures, programme.criteria, strict=True):
        ci95 = figures.spread.ci95 or (None, None)
        rows.append(
            [
                code,
                title,
                figures.spread.count,
                *(_blank(value) for value in (figures.spread.mean, figures.spread.minimum, figures.spread.maximum)),
                _blank(ci95[0]),
                _blank(ci95[1]),
                *(_blank(entry.figures.criteria.get(code)) for entry in programme.entries),
            ]
        )
    return header, rows


def _blank(value: float | None) -> float | str:
    return "" if value is None else value

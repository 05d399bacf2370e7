"""Reading framework files and writing them into the database.

`load_framework_files` is all-or-nothing: every file is parsed and validated first, then all are
written in one transaction; any problem (including a changed file for a frozen version) leaves
the database as it was.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from inspections.framework_report import attach_file, report_files
from inspections.framework_schema import validate_definition
from inspections.framework_versions import previous_version_problems
from inspections.models import (
    AnswerOption,
    AnswerScale,
    CaseAttribute,
    Criterion,
    Framework,
    Headline,
    Question,
    Section,
)

FRAMEWORK_DIR = Path(settings.BASE_DIR) / "inspections" / "frameworks"
FILE_NAME_RE = re.compile(r"^(?P<code>[a-z0-9-]+)\.v(?P<version>[0-9A-Za-z._-]+)\.ya?ml$")


class FrameworkFileError(Exception):
    """Raised with every problem found, one per line, each naming its file and entry."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class _StrictLoader(yaml.SafeLoader):
    """YAML 1.2-style booleans: only true/false, so option codes yes/no/on/off stay text."""


_StrictLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass
class ParsedFramework:
    path: Path
    definition: dict
    content_hash: str

    @property
    def key(self) -> tuple[str, str]:
        return self.definition["code"], self.definition["version"]


def shipped_files() -> list[Path]:
    return sorted(FRAMEWORK_DIR.glob("*.y*ml"))


def definition_hash(definition: dict) -> str:
    canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(path)


def parse_file(path: Path) -> ParsedFramework:
    name = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FrameworkFileError([f"{name}: no such file"]) from None
    except UnicodeDecodeError as error:
        raise FrameworkFileError([f"{name}: not UTF-8 text ({error.reason} at byte {error.start})"]) from None
    try:
        raw = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise FrameworkFileError([f"{name}: {where}YAML syntax error: {problem}"]) from None
    layouts = report_layouts()
    definition, problems = validate_definition(raw, layouts)
    if not problems:
        problems += _read_report_files(path, definition["report"], layouts)
    match = FILE_NAME_RE.match(path.name)
    if match and not problems:
        if match["code"] != definition["code"] or match["version"] != definition["version"]:
            problems.append(
                f"file name says {match['code']} version {match['version']} but the file defines "
                f"{definition['code']} version {definition['version']}"
            )
    if problems:
        raise FrameworkFileError([f"{name}: {problem}" for problem in problems])
    return ParsedFramework(path, definition, definition_hash(definition))


def report_layouts() -> dict:
    """The report layouts a framework file may name: asked of the one registry, in the reports app."""
    from reports.layouts import catalogue

    return catalogue()


def _read_report_files(path: Path, report: dict, layouts: dict) -> list[str]:
    """Read the fixed texts the report names (paths relative to the framework file) into the definition."""
    problems = []
    for index, relative, kind in report_files(report, layouts):
        part = report["parts"][index]
        where = f"report.parts[{index}] ({part['id']}).file: {relative}"
        try:
            text = (path.parent / relative).read_text(encoding="utf-8")
        except FileNotFoundError:
            problems.append(f"{where}: no such file (paths are relative to the framework file)")
            continue
        except IsADirectoryError:
            problems.append(f"{where}: is a folder, not a file")
            continue
        except UnicodeDecodeError as error:
            problems.append(f"{where}: not UTF-8 text ({error.reason} at byte {error.start})")
            continue
        problem = attach_file(report, index, kind, text)
        if problem:
            problems.append(f"{where}: {problem}")
    return problems


def parse_files(paths: list[Path]) -> list[ParsedFramework]:
    parsed: list[ParsedFramework] = []
    problems: list[str] = []
    seen: dict[tuple[str, str], Path] = {}
    for path in paths:
        try:
            framework = parse_file(path)
        except FrameworkFileError as error:
            problems.extend(error.problems)
            continue
        if framework.key in seen:
            problems.append(
                f"{display_path(path)}: {framework.key[0]} version {framework.key[1]} is also defined "
                f"in {display_path(seen[framework.key])}"
            )
            continue
        seen[framework.key] = path
        parsed.append(framework)
    if problems:
        raise FrameworkFileError(problems)
    return parsed


def _previous_version_problems(parsed: list[ParsedFramework]) -> list[str]:
    """A `previous_version` must be loaded (or in the same batch) and hold what `replaces` names."""
    batch = {item.key: item.definition for item in parsed}
    problems = []
    for item in parsed:
        previous_version = item.definition.get("previous_version")
        if previous_version is None:
            continue
        key = (item.definition["code"], previous_version)
        previous = batch.get(key)
        if previous is None:
            previous = (
                Framework.objects.filter(code=key[0], version=key[1]).values_list("definition", flat=True).first()
            )
        problems += [
            f"{display_path(item.path)}: {problem}" for problem in previous_version_problems(item.definition, previous)
        ]
    return problems


def load_framework_files(paths: list[Path]) -> list[tuple[Framework, str]]:
    """Load the files; returns each framework with "loaded" or "unchanged"."""
    parsed = parse_files(paths)
    results: list[tuple[Framework, str]] = []
    problems: list[str] = _previous_version_problems(parsed)
    with transaction.atomic():
        for item in parsed:
            code, version = item.key
            # Lock the row so two loaders cannot interleave a rebuild of the same version.
            existing = Framework.objects.select_for_update().filter(code=code, version=version).first()
            if existing and existing.content_hash == item.content_hash:
                results.append((existing, "unchanged"))
                continue
            if existing and existing.is_frozen:
                problems.append(
                    f"{display_path(item.path)}: {code} version {version} is used by an inspection and "
                    "is frozen; the file differs from the loaded version. Save the change as a new "
                    "version (a new file with a new version) instead."
                )
                continue
            if existing:
                # Questions protect their scales, so they go first.
                existing.questions.all().delete()
                existing.delete()
            results.append((_write(item), "loaded"))
        if problems:
            transaction.set_rollback(True)
            raise FrameworkFileError(problems)
    return results


def _write(item: ParsedFramework) -> Framework:
    definition = item.definition
    framework = Framework.objects.create(
        code=definition["code"],
        version=definition["version"],
        title=definition["title"],
        generation=definition["generation"],
        description=definition.get("description", ""),
        source_file=display_path(item.path),
        content_hash=item.content_hash,
        definition=definition,
    )
    CaseAttribute.objects.bulk_create(
        CaseAttribute(
            framework=framework,
            code=attribute["code"],
            label=attribute["label"],
            help_text=attribute.get("help", ""),
            kind="choice" if "choices" in attribute else attribute["type"],
            choices=attribute.get("choices", []),
            choice_labels=attribute.get("choice_labels", {}),
            multiple=attribute.get("multiple", False),
            position=position,
        )
        for position, attribute in enumerate(definition["case_attributes"])
    )
    scales = {}
    for code, scale in definition["scales"].items():
        scales[code] = AnswerScale.objects.create(
            framework=framework, code=code, label=scale["label"], allows_na=scale["allows_na"]
        )
        AnswerOption.objects.bulk_create(
            AnswerOption(scale=scales[code], position=position, **option)
            for position, option in enumerate(scale["options"])
        )
    headlines = {
        headline["code"]: Headline.objects.create(
            framework=framework,
            code=headline["code"],
            title=headline["title"],
            label=headline.get("label", ""),
            descriptor=headline.get("descriptor", ""),
            sections=headline.get("sections", []),
            position=position,
        )
        for position, headline in enumerate(definition["headlines"])
    }
    criteria: dict[str, Criterion] = {}
    questions: list[tuple[Question, dict]] = []
    criterion_position = 0
    for section_position, section_data in enumerate(definition["sections"]):
        section = Section.objects.create(
            framework=framework,
            code=section_data["code"],
            title=section_data["title"],
            kind=section_data["kind"],
            descriptor=section_data.get("descriptor", ""),
            position=section_position,
        )
        for criterion_data in section_data["criteria"]:
            criterion_position += 1
            criterion = Criterion.objects.create(
                framework=framework,
                section=section,
                code=criterion_data["code"],
                title=criterion_data["title"],
                short_title=criterion_data.get("short_title", ""),
                descriptor=criterion_data.get("descriptor", ""),
                kind=criterion_data["kind"],
                evidence_prompts=criterion_data.get("evidence_prompts", []),
                position=criterion_position,
                report_order=criterion_data.get("report_order", criterion_position),
            )
            criteria[criterion.code] = criterion
            for question_data in criterion_data["questions"]:
                question = Question(
                    framework=framework,
                    criterion=criterion,
                    code=question_data["code"],
                    text=question_data["text"],
                    guidance=question_data.get("guidance", ""),
                    scale=scales[question_data["scale"]],
                    summary=question_data["summary"],
                    scored=question_data["scored"],
                    applies_to=question_data.get("applies_to", {}),
                    applies_when=question_data.get("applies_when", {}),
                    reference=question_data.get("reference", ""),
                    position=len(questions) + 1,
                )
                questions.append((question, question_data))
    Question.objects.bulk_create([question for question, _ in questions])
    headline_links, shared_links = [], []
    for question, question_data in questions:
        headline_links += [
            Question.headlines.through(question_id=question.pk, headline_id=headlines[code].pk)
            for code in question_data["headlines"]
        ]
        shared_links += [
            Question.also_in.through(question_id=question.pk, criterion_id=criteria[code].pk)
            for code in question_data.get("also_in", [])
        ]
    Question.headlines.through.objects.bulk_create(headline_links)
    Question.also_in.through.objects.bulk_create(shared_links)
    return framework

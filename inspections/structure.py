"""A compact, cached view of a framework's questions for assessment, import and scoring code.

Built from the stored definition once per framework version and process: frameworks in use are
frozen, and a reloaded one has a new primary key and content hash, so the cache key changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from inspections.applicability import NA, question_applies
from inspections.models import Framework


@dataclass(frozen=True)
class Option:
    code: str
    label: str
    sufficient: bool


@dataclass(frozen=True)
class QuestionInfo:
    code: str
    criterion: str
    section: str
    text: str
    guidance: str
    scale: str
    options: tuple[Option, ...]
    allows_na: bool
    summary: bool
    scored: bool
    headlines: tuple[str, ...]
    also_in: tuple[str, ...]
    applies_to: dict
    applies_when: dict

    def option(self, code: str) -> Option | None:
        return next((option for option in self.options if option.code == code), None)

    def accepts(self, value: str) -> bool:
        return (value == NA and self.allows_na) or self.option(value) is not None

    def label_for(self, value: str) -> str:
        if value == NA:
            return "Not applicable"
        option = self.option(value)
        return option.label if option else value

    def as_rule(self) -> dict[str, Any]:
        return {"applies_to": self.applies_to, "applies_when": self.applies_when}


@dataclass(frozen=True)
class CriterionInfo:
    code: str
    title: str
    section: str
    section_title: str
    kind: str
    questions: tuple[str, ...]


@dataclass
class FrameworkStructure:
    framework_id: int
    questions: dict[str, QuestionInfo]  # in framework order
    criteria: dict[str, CriterionInfo]  # in framework order
    question_ids: dict[str, int] = field(default_factory=dict)

    @property
    def code_by_id(self) -> dict[int, str]:
        cached = self.__dict__.get("_code_by_id")
        if cached is None:
            cached = self.__dict__["_code_by_id"] = {v: k for k, v in self.question_ids.items()}
        return cached

    def case_criteria(self) -> list[CriterionInfo]:
        return [criterion for criterion in self.criteria.values() if criterion.kind == "case" and criterion.questions]

    def applicable(self, attributes: dict, answers: dict[str, str]) -> list[str]:
        """Codes of the questions that apply, given the case and the answers so far.

        A gate question that does not apply counts as answered "na" for the questions behind it.
        """
        effective = dict(answers)
        result = []
        for code, question in self.questions.items():
            if question_applies(question.as_rule(), attributes, effective):
                result.append(code)
            else:
                effective[code] = NA
        return result


@lru_cache(maxsize=32)
def _build(framework_id: int, content_hash: str) -> FrameworkStructure:
    framework = Framework.objects.get(pk=framework_id)
    definition = framework.definition
    scales = definition["scales"]
    questions: dict[str, QuestionInfo] = {}
    criteria: dict[str, CriterionInfo] = {}
    for section in definition["sections"]:
        for criterion in section["criteria"]:
            for question in criterion["questions"]:
                scale = scales[question["scale"]]
                questions[question["code"]] = QuestionInfo(
                    code=question["code"],
                    criterion=criterion["code"],
                    section=section["code"],
                    text=question["text"],
                    guidance=question.get("guidance", ""),
                    scale=question["scale"],
                    options=tuple(Option(o["code"], o["label"], o["sufficient"]) for o in scale["options"]),
                    allows_na=scale["allows_na"],
                    summary=question["summary"],
                    scored=question["scored"],
                    headlines=tuple(question["headlines"]),
                    also_in=tuple(question.get("also_in", [])),
                    applies_to=question.get("applies_to", {}),
                    applies_when=question.get("applies_when", {}),
                )
            criteria[criterion["code"]] = CriterionInfo(
                code=criterion["code"],
                title=criterion["title"],
                section=section["code"],
                section_title=section["title"],
                kind=criterion["kind"],
                questions=tuple(q["code"] for q in criterion["questions"]),
            )
    question_ids = dict(framework.questions.values_list("code", "id"))
    return FrameworkStructure(framework.pk, questions, criteria, question_ids)


def structure_for(framework: Framework) -> FrameworkStructure:
    return _build(framework.pk, framework.content_hash)

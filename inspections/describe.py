"""Plain-English descriptions of framework rules, for the framework browser and the report."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def value_label(attribute: Mapping[str, Any] | None, value: Any) -> str:
    """The label of one case attribute value: its choice label, else a readable form of the code."""
    labels = (attribute or {}).get("choice_labels") or {}
    if isinstance(value, bool):
        return labels.get(str(value).lower(), "Yes" if value else "No")
    return labels.get(str(value), str(value).replace("_", " "))


def value_text(attribute: Mapping[str, Any] | None, value: Any) -> str:
    """A recorded value as text; several values of a multiple attribute are joined."""
    if isinstance(value, list):
        return ", ".join(value_label(attribute, item) for item in value)
    return value_label(attribute, value)


def _or_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def describe_applies_to(applies_to: Mapping[str, list], attributes: Mapping[str, Mapping]) -> list[str]:
    lines = []
    for code, values in applies_to.items():
        attribute = attributes.get(code)
        label = attribute["label"] if attribute else code
        lines.append(f"{label}: {_or_list([value_label(attribute, value) for value in values])}")
    return lines


def describe_applies_when(
    applies_when: Mapping[str, list], questions: Mapping[str, Mapping], scales: Mapping[str, Mapping]
) -> list[str]:
    lines = []
    for code, options in applies_when.items():
        question = questions.get(code, {})
        labels = {
            option["code"]: option["label"] for option in scales.get(question.get("scale"), {}).get("options", [])
        }
        labels["na"] = "Not applicable"
        answers = _or_list([f"‘{labels.get(option, option)}’" for option in options])
        lines.append(f"question {code} was answered {answers}")
    return lines


def describe_section_rule(rules: Mapping[str, Any]) -> str:
    if rules.get("section_score") == "mean_of_questions":
        return "A section score is the average of the proportions of all its questions."
    return "A section score is the average of its criterion scores."


def describe_criterion_rule(rules: Mapping[str, Any]) -> str:
    weight = rules.get("summary_weight")
    base = (
        "A question's score is the proportion of relevant cases judged sufficient "
        "(‘above the line’); cases where it does not apply are left out."
    )
    if weight:
        individual = round((1 - weight) * 100)
        return (
            f"{base} A criterion score combines the average of its individual questions and its "
            f"summary question, weighted {individual}/{round(weight * 100)}."
        )
    return f"{base} A criterion score is the average of its question scores."

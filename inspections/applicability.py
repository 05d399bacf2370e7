"""Which questions apply to a case, and whether case attribute values fit the framework.

Pure functions over plain values, shared by the assessment form, the importers and the scores.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

NA = "na"


def attribute_matches(case_value: Any, allowed: list) -> bool:
    """OR within the list; a multiple attribute matches when any of its values is allowed."""
    if isinstance(case_value, list):
        return any(_same(value, choice) for value in case_value for choice in allowed)
    return any(_same(case_value, choice) for choice in allowed)


def _same(value: Any, choice: Any) -> bool:
    # True == 1 in Python; an attribute value must match in kind as well as value.
    return value == choice and isinstance(value, bool) == isinstance(choice, bool)


def applies_to_case(applies_to: Mapping[str, list], attributes: Mapping[str, Any]) -> bool:
    """AND across attributes. An unknown (missing) value does not match a restriction."""
    return all(
        code in attributes and attributes[code] is not None and attribute_matches(attributes[code], allowed)
        for code, allowed in applies_to.items()
    )


def applies_given_answers(applies_when: Mapping[str, list], answers: Mapping[str, str]) -> bool:
    """Every gate question must have been answered with one of the listed options."""
    return all(answers.get(code) in allowed for code, allowed in applies_when.items())


def question_applies(question: Mapping[str, Any], attributes: Mapping[str, Any], answers: Mapping[str, str]) -> bool:
    return applies_to_case(question.get("applies_to") or {}, attributes) and applies_given_answers(
        question.get("applies_when") or {}, answers
    )


def parse_attribute_value(attribute: Mapping[str, Any], raw: str) -> tuple[Any, str | None]:
    """Convert text (a CSV cell, a form field) into an attribute value, or say what is wrong."""
    text = raw.strip()
    if text == "":
        return None, None
    if "choices" in attribute:
        choices = attribute["choices"]
        parts = [part.strip() for part in text.split(";") if part.strip()] if attribute.get("multiple") else [text]
        values = []
        for part in parts:
            value = _choice_for(choices, part)
            if value is _MISSING:
                listed = ", ".join(_text(choice) for choice in choices)
                return None, f"'{part}' is not one of: {listed}"
            values.append(value)
        return (values if attribute.get("multiple") else values[0]), None
    if attribute.get("type") == "integer":
        try:
            return int(text), None
        except ValueError:
            return None, f"'{text}' is not a whole number"
    return text, None


_MISSING = object()


def _choice_for(choices: list, text: str) -> Any:
    for choice in choices:
        wanted = text.lower() if isinstance(choice, bool) else text
        if _text(choice) == wanted:
            return choice
    return _MISSING


def _text(choice: Any) -> str:
    return str(choice).lower() if isinstance(choice, bool) else str(choice)


def case_attribute_errors(attribute_defs: list[Mapping[str, Any]], values: Mapping[str, Any]) -> dict[str, str]:
    """Problems with already-converted attribute values, keyed by attribute code."""
    known = {attribute["code"]: attribute for attribute in attribute_defs}
    errors = {code: "is not an attribute of this framework" for code in values if code not in known}
    for code, value in values.items():
        attribute = known.get(code)
        if attribute is None or value is None:
            continue
        if "choices" in attribute:
            items = value if attribute.get("multiple") else [value]
            if attribute.get("multiple") and not isinstance(value, list):
                errors[code] = "must be a list of choices"
                continue
            bad = [item for item in items if not any(_same(item, choice) for choice in attribute["choices"])]
            if bad:
                errors[code] = f"{_text(bad[0])!r} is not one of the choices"
        elif attribute.get("type") == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
            errors[code] = "must be a whole number"
        elif attribute.get("type") == "text" and not isinstance(value, str):
            errors[code] = "must be text"
    return errors

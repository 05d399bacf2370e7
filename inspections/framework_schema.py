"""Validation of framework definition files.

`validate_definition` takes the parsed YAML of one file and returns the normalised definition
(the shape `export_framework` prints) and a list of problems. Every problem names the entry it
is about, e.g. ``sections[0].criteria[1].questions[4] (1.2.05): unknown scale 'yes_no_x'``.
The checks are collected, not stopped at the first, so an author sees every problem at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from inspections.framework_report import validate_report
from inspections.framework_versions import replacement_problems

CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
FRAMEWORK_CODE_RE = re.compile(r"^[a-z][a-z0-9-]*$")
ITEM_CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]*$")
SECTION_METHODS = {"mean_of_criteria", "mean_of_questions"}
HEADLINE_METHODS = {"mean_of_questions", "pooled"}
ATTRIBUTE_TYPES = {"integer", "text"}
KINDS = {"case", "leadership"}

TOP_KEYS = {
    "code",
    "version",
    "title",
    "generation",
    "description",
    "source",
    "case_attributes",
    "scales",
    "headlines",
    "sections",
    "rules",
    "judgement_scales",
    "comment_scale",
    "sample",
    "previous_version",
    "report",
}
TOP_REQUIRED = {
    "code",
    "version",
    "title",
    "generation",
    "case_attributes",
    "scales",
    "headlines",
    "sections",
    "rules",
    "judgement_scales",
    "sample",
    "report",
}
ATTRIBUTE_KEYS = {"code", "label", "help", "choices", "choice_labels", "multiple", "type"}
SCALE_KEYS = {"label", "allows_na", "options"}
OPTION_KEYS = {"code", "label", "sufficient"}
HEADLINE_KEYS = {"code", "title", "label", "descriptor", "sections"}
SECTION_KEYS = {"code", "title", "kind", "descriptor", "criteria"}
CRITERION_KEYS = {
    "code",
    "title",
    "short_title",
    "descriptor",
    "kind",
    "report_order",
    "evidence_prompts",
    "questions",
    "replaces",
}
QUESTION_KEYS = {
    "code",
    "text",
    "guidance",
    "scale",
    "summary",
    "scored",
    "headlines",
    "applies_to",
    "applies_when",
    "also_in",
    "reference",
    "replaces",
}
RULE_KEYS = {
    "summary_weight",
    "section_score",
    "headline_score",
    "priority_line",
    "priority_judgements",
    "rounding",
}
JUDGEMENT_OPTION_KEYS = {"code", "label", "wording"}
SAMPLE_KEYS = {"size", "case_age", "case_types", "minimums", "mix"}


class Problems:
    """Collects problems, each prefixed with the entry it concerns."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}" if where else message)

    def keys(self, where: str, value: Any, allowed: set[str], required: set[str]) -> bool:
        if not isinstance(value, dict):
            self.add(where, f"must be a mapping, not {_kind(value)}")
            return False
        for key in sorted(set(value) - allowed):
            self.add(where, f"unknown key '{key}' (allowed: {', '.join(sorted(allowed))})")
        for key in sorted(required - set(value)):
            self.add(where, f"missing required key '{key}'")
        return True

    def text(self, where: str, value: Any, *, required: bool = True) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.add(where, f"must be non-empty text, not {_kind(value)}")
            return ""
        return value.strip()

    def code(self, where: str, value: Any, pattern: re.Pattern = CODE_RE) -> str:
        if isinstance(value, bool) or not isinstance(value, str):
            hint = " (quote yes/no/on/off in YAML)" if isinstance(value, bool) else ""
            self.add(where, f"code must be text, not {_kind(value)}{hint}")
            return ""
        if not pattern.match(value):
            self.add(where, f"code '{value}' is not valid (expected {pattern.pattern})")
        return value

    def boolean(self, where: str, value: Any, default: bool) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            self.add(where, f"must be true or false, not {_kind(value)}")
            return default
        return value

    def listing(self, where: str, value: Any) -> list:
        if not isinstance(value, list):
            self.add(where, f"must be a list, not {_kind(value)}")
            return []
        return value


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"'{value}'" if value else "empty text"
    return type(value).__name__


def _unique(problems: Problems, where: str, what: str, code: str, seen: dict[str, str]) -> None:
    if not code:
        return
    if code in seen:
        problems.add(where, f"duplicate {what} code '{code}' (first at {seen[code]})")
    else:
        seen[code] = where


def validate_definition(raw: Any, layouts: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> tuple[dict, list[str]]:
    """`layouts`: the report layouts and the kinds of part each builds (reports.layouts.catalogue())."""
    problems = Problems()
    if not problems.keys("", raw, TOP_KEYS, TOP_REQUIRED):
        return {}, problems.items

    definition: dict[str, Any] = {
        "code": problems.code("code", raw.get("code"), FRAMEWORK_CODE_RE),
        "version": _version(problems, raw.get("version")),
        "title": problems.text("title", raw.get("title")),
        "generation": problems.text("generation", raw.get("generation")),
        "description": problems.text("description", raw.get("description"), required=False),
        "source": problems.text("source", raw.get("source"), required=False),
    }
    attributes = _attributes(problems, raw.get("case_attributes"))
    scales = _scales(problems, raw.get("scales"))
    headlines = _headlines(problems, raw.get("headlines"))
    definition["case_attributes"] = attributes
    definition["scales"] = scales
    definition["headlines"] = headlines
    definition["sections"] = _sections(problems, raw.get("sections"), attributes, scales, headlines)
    definition["rules"] = _rules(problems, raw.get("rules"))
    definition["judgement_scales"], definition["judgement_options"] = _judgements(problems, raw.get("judgement_scales"))
    if raw.get("comment_scale") is not None:
        definition["comment_scale"] = _comment_scale(problems, raw["comment_scale"])
    definition["sample"] = _sample(problems, raw.get("sample"), attributes)
    if raw.get("previous_version") is not None:
        definition["previous_version"] = str(raw["previous_version"])
    definition["report"] = validate_report(problems, raw.get("report"), layouts)
    _check_rules_against_content(problems, definition)
    for where, message in replacement_problems(definition):
        problems.add(where, message)
    return definition, problems.items


def _version(problems: Problems, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        problems.add("version", f'must be text such as "1", not {_kind(value)}')
        return ""
    text = str(value).strip()
    if not re.match(r"^[0-9A-Za-z][0-9A-Za-z._-]*$", text):
        problems.add("version", f"'{text}' is not a valid version")
    return text


def _attributes(problems: Problems, value: Any) -> list[dict]:
    result: list[dict] = []
    seen: dict[str, str] = {}
    for index, item in enumerate(problems.listing("case_attributes", value)):
        where = f"case_attributes[{index}]"
        if not problems.keys(where, item, ATTRIBUTE_KEYS, {"code", "label"}):
            continue
        code = problems.code(where, item.get("code"))
        where = f"{where} ({code})" if code else where
        _unique(problems, where, "case attribute", code, seen)
        attribute: dict[str, Any] = {"code": code, "label": problems.text(where, item.get("label"))}
        if item.get("help"):
            attribute["help"] = problems.text(f"{where}.help", item["help"])
        has_choices, has_type = "choices" in item, "type" in item
        if has_choices == has_type:
            problems.add(where, "must have either 'choices' or 'type' (integer or text)")
        if has_choices:
            choices = problems.listing(f"{where}.choices", item["choices"])
            if not choices:
                problems.add(f"{where}.choices", "must list at least one choice")
            for choice in choices:
                if not isinstance(choice, (str, bool)) or choice == "":
                    problems.add(f"{where}.choices", f"choice {_kind(choice)} must be text or true/false")
            if len({str(c) for c in choices}) != len(choices):
                problems.add(f"{where}.choices", "has a duplicate choice")
            attribute["choices"] = choices
            labels = item.get("choice_labels") or {}
            if not isinstance(labels, dict):
                problems.add(f"{where}.choice_labels", "must be a mapping of choice to label")
                labels = {}
            known = {str(c).lower() if isinstance(c, bool) else c for c in choices}
            for key in labels:
                key_text = str(key).lower() if isinstance(key, bool) else str(key)
                if key_text not in known:
                    problems.add(f"{where}.choice_labels", f"'{key}' is not one of the choices")
            if labels:
                attribute["choice_labels"] = {
                    (str(k).lower() if isinstance(k, bool) else str(k)): str(v) for k, v in labels.items()
                }
        if has_type:
            if item["type"] not in ATTRIBUTE_TYPES:
                problems.add(f"{where}.type", f"must be integer or text, not {_kind(item['type'])}")
            attribute["type"] = item["type"]
        if problems.boolean(f"{where}.multiple", item.get("multiple"), False):
            if not has_choices:
                problems.add(f"{where}.multiple", "only an attribute with choices can hold several")
            attribute["multiple"] = True
        result.append(attribute)
    return result


def _scales(problems: Problems, value: Any) -> dict[str, dict]:
    result: dict[str, dict] = {}
    if not isinstance(value, dict) or not value:
        problems.add("scales", "must be a non-empty mapping of scale code to scale")
        return result
    for code, item in value.items():
        where = f"scales.{code}"
        problems.code(where, code)
        if not problems.keys(where, item, SCALE_KEYS, {"options"}):
            continue
        options: list[dict] = []
        seen: dict[str, str] = {}
        for index, option in enumerate(problems.listing(f"{where}.options", item.get("options"))):
            owhere = f"{where}.options[{index}]"
            if not problems.keys(owhere, option, OPTION_KEYS, {"code", "label", "sufficient"}):
                continue
            ocode = problems.code(owhere, option.get("code"))
            if ocode == "na":
                problems.add(owhere, "'na' is reserved for not applicable; use allows_na: true")
            _unique(problems, owhere, "option", ocode, seen)
            options.append(
                {
                    "code": ocode,
                    "label": problems.text(f"{owhere}.label", option.get("label")),
                    "sufficient": problems.boolean(f"{owhere}.sufficient", option.get("sufficient"), False),
                }
            )
        if len(options) < 2:
            problems.add(where, "needs at least two options")
        if options and not any(option["sufficient"] for option in options):
            problems.add(where, "has no sufficient option (mark the above-the-line answers sufficient: true)")
        result[code] = {
            "label": problems.text(f"{where}.label", item.get("label"), required=False) or code,
            "allows_na": problems.boolean(f"{where}.allows_na", item.get("allows_na"), False),
            "options": options,
        }
    return result


def _headlines(problems: Problems, value: Any) -> list[dict]:
    result: list[dict] = []
    seen: dict[str, str] = {}
    for index, item in enumerate(problems.listing("headlines", value)):
        where = f"headlines[{index}]"
        if not problems.keys(where, item, HEADLINE_KEYS, {"code", "title"}):
            continue
        code = problems.code(where, item.get("code"))
        _unique(problems, where, "headline", code, seen)
        headline = {"code": code, "title": problems.text(f"{where}.title", item.get("title"))}
        for key in ("label", "descriptor"):
            if item.get(key):
                headline[key] = problems.text(f"{where}.{key}", item[key])
        if "sections" in item:
            headline["sections"] = [str(s) for s in problems.listing(f"{where}.sections", item["sections"])]
        result.append(headline)
    return result


def _sections(problems, value, attributes, scales, headlines) -> list[dict]:
    attributes_by_code = {a["code"]: a for a in attributes}
    headline_codes = {h["code"] for h in headlines}
    sections: list[dict] = []
    section_seen: dict[str, str] = {}
    criterion_seen: dict[str, str] = {}
    question_seen: dict[str, str] = {}
    earlier: dict[str, dict] = {}  # question code -> question, in file order
    pending_also_in: list[tuple[str, str]] = []
    for sindex, item in enumerate(problems.listing("sections", value)):
        swhere = f"sections[{sindex}]"
        if not problems.keys(swhere, item, SECTION_KEYS, {"code", "title", "kind", "criteria"}):
            continue
        scode = problems.code(swhere, str(item.get("code", "")), ITEM_CODE_RE)
        swhere = f"{swhere} ({scode})"
        _unique(problems, swhere, "section", scode, section_seen)
        kind = item.get("kind")
        if kind not in KINDS:
            problems.add(f"{swhere}.kind", f"must be case or leadership, not {_kind(kind)}")
        section = {"code": scode, "title": problems.text(f"{swhere}.title", item.get("title")), "kind": kind}
        if item.get("descriptor"):
            section["descriptor"] = problems.text(f"{swhere}.descriptor", item["descriptor"])
        criteria = []
        for cindex, citem in enumerate(problems.listing(f"{swhere}.criteria", item.get("criteria"))):
            cwhere = f"{swhere}.criteria[{cindex}]"
            if not problems.keys(cwhere, citem, CRITERION_KEYS, {"code", "title", "questions"}):
                continue
            ccode = problems.code(cwhere, str(citem.get("code", "")), ITEM_CODE_RE)
            cwhere = f"{cwhere} ({ccode})"
            _unique(problems, cwhere, "criterion", ccode, criterion_seen)
            ckind = citem.get("kind", kind)
            if ckind not in KINDS:
                problems.add(f"{cwhere}.kind", f"must be case or leadership, not {_kind(ckind)}")
            criterion: dict[str, Any] = {
                "code": ccode,
                "title": problems.text(f"{cwhere}.title", citem.get("title")),
                "descriptor": problems.text(f"{cwhere}.descriptor", citem.get("descriptor"), required=False),
                "kind": ckind,
            }
            if citem.get("short_title"):
                criterion["short_title"] = problems.text(f"{cwhere}.short_title", citem["short_title"])
            order = citem.get("report_order")
            if order is not None and (isinstance(order, bool) or not isinstance(order, int) or order < 1):
                problems.add(f"{cwhere}.report_order", f"must be a whole number from 1, not {_kind(order)}")
            elif order is not None:
                criterion["report_order"] = order
            if citem.get("replaces") is not None:
                criterion["replaces"] = citem["replaces"]
            if citem.get("evidence_prompts"):
                prompts = problems.listing(f"{cwhere}.evidence_prompts", citem["evidence_prompts"])
                criterion["evidence_prompts"] = [str(p) for p in prompts]
            questions = []
            summaries = 0
            for qindex, qitem in enumerate(problems.listing(f"{cwhere}.questions", citem.get("questions"))):
                qwhere = f"{cwhere}.questions[{qindex}]"
                question = _question(
                    problems,
                    qwhere,
                    qitem,
                    scode,
                    attributes_by_code,
                    scales,
                    headline_codes,
                    earlier,
                    question_seen,
                )
                if question is None:
                    continue
                for target in question.get("also_in", []):
                    pending_also_in.append((f"{qwhere} ({question['code']}).also_in", target))
                    if target == ccode:
                        problems.add(f"{qwhere} ({question['code']}).also_in", "names its own criterion")
                summaries += question["summary"]
                questions.append(question)
                earlier[question["code"]] = question
            if ckind == "leadership" and questions:
                problems.add(cwhere, "a leadership criterion is graded, not scored: it must have no questions")
            if summaries > 1:
                problems.add(cwhere, f"has {summaries} summary questions; at most one is allowed")
            criterion["questions"] = questions
            criteria.append(criterion)
        section["criteria"] = criteria
        sections.append(section)
    for where, target in pending_also_in:
        if target not in criterion_seen:
            problems.add(where, f"unknown criterion '{target}'")
    if not sections:
        problems.add("sections", "must list at least one section")
    return sections


def _question(problems, where, item, section_code, attributes, scales, headline_codes, earlier, seen):
    if not problems.keys(where, item, QUESTION_KEYS, {"code", "text", "scale"}):
        return None
    code = problems.code(where, str(item.get("code", "")) if item.get("code") is not None else None, ITEM_CODE_RE)
    where = f"{where} ({code})" if code else where
    _unique(problems, where, "question", code, seen)
    scale_code = item.get("scale")
    if scale_code not in scales:
        problems.add(f"{where}.scale", f"unknown scale '{scale_code}'")
    question: dict[str, Any] = {
        "code": code,
        "text": problems.text(f"{where}.text", item.get("text")),
        "guidance": problems.text(f"{where}.guidance", item.get("guidance"), required=False),
        "scale": scale_code,
        "summary": problems.boolean(f"{where}.summary", item.get("summary"), False),
        "scored": problems.boolean(f"{where}.scored", item.get("scored"), True),
        "headlines": [],
    }
    for headline in problems.listing(f"{where}.headlines", item.get("headlines") or []):
        if headline not in headline_codes:
            problems.add(f"{where}.headlines", f"unknown headline '{headline}'")
        else:
            question["headlines"].append(headline)
    if question["summary"] and not question["scored"]:
        problems.add(where, "a summary question must be scored")
    applies_to = item.get("applies_to") or {}
    if not isinstance(applies_to, dict):
        problems.add(f"{where}.applies_to", "must be a mapping of attribute code to a list of values")
        applies_to = {}
    for attribute_code, values in applies_to.items():
        awhere = f"{where}.applies_to.{attribute_code}"
        attribute = attributes.get(attribute_code)
        if attribute is None:
            problems.add(awhere, f"unknown case attribute '{attribute_code}'")
            continue
        if "choices" not in attribute:
            problems.add(awhere, f"attribute '{attribute_code}' has no choices to match")
            continue
        for value in problems.listing(awhere, values):
            if not any(value == choice and type(value) is type(choice) for choice in attribute["choices"]):
                problems.add(awhere, f"{_kind(value)} is not a choice of '{attribute_code}'")
    if applies_to:
        question["applies_to"] = applies_to
    applies_when = item.get("applies_when") or {}
    if not isinstance(applies_when, dict):
        problems.add(f"{where}.applies_when", "must be a mapping of question code to a list of options")
        applies_when = {}
    for gate_code, options in applies_when.items():
        gwhere = f"{where}.applies_when.{gate_code}"
        gate = earlier.get(str(gate_code))
        if gate is None:
            later = "a later or unknown" if str(gate_code) != code else "its own"
            problems.add(gwhere, f"names {later} question '{gate_code}'; it must name an earlier question")
            continue
        gate_scale = scales.get(gate["scale"], {"options": []})
        codes = {o["code"] for o in gate_scale["options"]} | ({"na"} if gate_scale.get("allows_na") else set())
        for option in problems.listing(gwhere, options):
            if option not in codes:
                problems.add(gwhere, f"{_kind(option)} is not an option of question {gate_code}")
    if applies_when:
        question["applies_when"] = {str(k): v for k, v in applies_when.items()}
    also_in = [str(c) for c in problems.listing(f"{where}.also_in", item.get("also_in") or [])]
    if also_in:
        question["also_in"] = also_in
    if item.get("reference"):
        question["reference"] = str(item["reference"])
    if item.get("replaces") is not None:
        question["replaces"] = item["replaces"]
    question["_section"] = section_code
    return question


def _number(problems: Problems, where: str, value: Any, low: float, high: float) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.add(where, f"must be a number, not {_kind(value)}")
        return None
    if not low <= value <= high:
        problems.add(where, f"must be between {low:g} and {high:g}, not {value:g}")
    return value


def _rules(problems: Problems, value: Any) -> dict:
    if not problems.keys("rules", value, RULE_KEYS, {"section_score"}):
        return {}
    rules: dict[str, Any] = {
        "summary_weight": _number(problems, "rules.summary_weight", value.get("summary_weight"), 0, 1),
        "section_score": value.get("section_score"),
        "headline_score": value.get("headline_score", "mean_of_questions"),
        "priority_line": _number(problems, "rules.priority_line", value.get("priority_line"), 0, 100),
        "rounding": value.get("rounding", "half_up"),
    }
    if rules["section_score"] not in SECTION_METHODS:
        problems.add("rules.section_score", f"must be one of {', '.join(sorted(SECTION_METHODS))}")
    if rules["headline_score"] not in HEADLINE_METHODS:
        problems.add("rules.headline_score", f"must be one of {', '.join(sorted(HEADLINE_METHODS))}")
    if rules["rounding"] != "half_up":
        problems.add("rules.rounding", "only half_up is supported")
    judgements = value.get("priority_judgements")
    if judgements is not None:
        if not problems.keys(
            "rules.priority_judgements", judgements, {"below", "at_or_above"}, {"below", "at_or_above"}
        ):
            judgements = None
        elif rules["priority_line"] is None:
            problems.add("rules.priority_judgements", "needs a priority_line")
    if rules["priority_line"] is not None and judgements is None:
        problems.add("rules.priority_line", "needs priority_judgements {below: ..., at_or_above: ...}")
    if judgements:
        rules["priority_judgements"] = judgements
    return rules


def _judgement_options(problems: Problems, where: str, value: Any) -> list[dict]:
    options = []
    seen: dict[str, str] = {}
    for index, item in enumerate(problems.listing(where, value)):
        owhere = f"{where}[{index}]"
        if not problems.keys(owhere, item, JUDGEMENT_OPTION_KEYS, {"code", "label"}):
            continue
        code = problems.code(owhere, item.get("code"))
        _unique(problems, owhere, "judgement", code, seen)
        option = {"code": code, "label": problems.text(f"{owhere}.label", item.get("label"))}
        if item.get("wording"):
            option["wording"] = problems.text(f"{owhere}.wording", item["wording"])
        options.append(option)
    return options


def _judgements(problems: Problems, value: Any) -> tuple[dict, dict]:
    if not problems.keys("judgement_scales", value, {"criterion", "leadership"}, {"criterion", "leadership"}):
        return {"criterion": [], "leadership": []}, {"criterion": [], "leadership": []}
    options = {
        kind: _judgement_options(problems, f"judgement_scales.{kind}", value.get(kind) or [])
        for kind in ("criterion", "leadership")
    }
    return {kind: [o["code"] for o in opts] for kind, opts in options.items()}, options


def _comment_scale(problems: Problems, value: Any) -> dict:
    if not problems.keys("comment_scale", value, {"applies_to", "options", "label"}, {"options"}):
        return {}
    applies_to = [str(a) for a in problems.listing("comment_scale.applies_to", value.get("applies_to", ["criteria"]))]
    for target in applies_to:
        if target not in {"criteria", "headlines", "sections"}:
            problems.add("comment_scale.applies_to", f"'{target}' must be criteria, headlines or sections")
    options = _judgement_options(problems, "comment_scale.options", value.get("options"))
    if not options:
        problems.add("comment_scale.options", "must list at least one option")
    return {"label": str(value.get("label") or "Comment"), "applies_to": applies_to, "options": options}


def _where_clause(problems: Problems, where: str, value: Any, attributes: dict) -> dict:
    if not isinstance(value, dict) or not value:
        problems.add(where, "must be a mapping of attribute code to a list of values")
        return {}
    for code, values in value.items():
        attribute = attributes.get(code)
        if attribute is None or "choices" not in attribute:
            problems.add(f"{where}.{code}", f"unknown case attribute with choices '{code}'")
            continue
        for item in problems.listing(f"{where}.{code}", values):
            if item not in attribute["choices"]:
                problems.add(f"{where}.{code}", f"{_kind(item)} is not a choice of '{code}'")
    return value


def _sample(problems: Problems, value: Any, attributes: list[dict]) -> dict:
    if not problems.keys("sample", value, SAMPLE_KEYS, {"size"}):
        return {}
    by_code = {a["code"]: a for a in attributes}
    size = value.get("size")
    sample: dict[str, Any] = {"size": {"min": None, "max": None}}
    if problems.keys("sample.size", size, {"min", "max"}, set()):
        low = _number(problems, "sample.size.min", size.get("min"), 1, 10000)
        high = _number(problems, "sample.size.max", size.get("max"), 1, 10000)
        if low is not None and high is not None and high < low:
            problems.add("sample.size", "max is smaller than min")
        sample["size"] = {"min": low, "max": high}
    if value.get("case_age"):
        sample["case_age"] = problems.text("sample.case_age", value["case_age"])
    if value.get("case_types") is not None:
        types = value["case_types"]
        if problems.keys("sample.case_types", types, {"attribute", "values"}, {"attribute", "values"}):
            _where_clause(problems, "sample.case_types", {types["attribute"]: types["values"]}, by_code)
            sample["case_types"] = types
    minimums = []
    for index, item in enumerate(problems.listing("sample.minimums", value.get("minimums") or [])):
        where = f"sample.minimums[{index}]"
        if not problems.keys(where, item, {"code", "label", "where", "min"}, {"code", "label", "where", "min"}):
            continue
        minimums.append(
            {
                "code": problems.code(where, item.get("code")),
                "label": problems.text(f"{where}.label", item.get("label")),
                "where": _where_clause(problems, f"{where}.where", item.get("where"), by_code),
                "min": _number(problems, f"{where}.min", item.get("min"), 0, 10000),
            }
        )
    sample["minimums"] = minimums
    mix = []
    for index, item in enumerate(problems.listing("sample.mix", value.get("mix") or [])):
        where = f"sample.mix[{index}]"
        if not problems.keys(where, item, {"label", "where", "min_share"}, {"label", "where", "min_share"}):
            continue
        mix.append(
            {
                "label": problems.text(f"{where}.label", item.get("label")),
                "where": _where_clause(problems, f"{where}.where", item.get("where"), by_code),
                "min_share": _number(problems, f"{where}.min_share", item.get("min_share"), 0, 1),
            }
        )
    sample["mix"] = mix
    return sample


def _check_rules_against_content(problems: Problems, definition: dict) -> None:
    """Checks that need the whole file: headline sections, summary weighting, judgements."""
    section_codes = {s["code"] for s in definition["sections"]}
    allowed = {h["code"]: h.get("sections") for h in definition["headlines"]}
    for headline in definition["headlines"]:
        for code in headline.get("sections", []):
            if code not in section_codes:
                problems.add(f"headline {headline['code']}.sections", f"unknown section '{code}'")
    weight = definition["rules"].get("summary_weight")
    for section in definition["sections"]:
        for criterion in section["criteria"]:
            for question in criterion["questions"]:
                where = f"question {question['code']}"
                for headline in question["headlines"]:
                    sections = allowed.get(headline)
                    if sections and question["_section"] not in sections:
                        problems.add(
                            f"{where}.headlines",
                            f"headline '{headline}' only takes questions in sections {', '.join(sections)}",
                        )
                if question["summary"] and not weight:
                    problems.add(where, "is a summary question but rules.summary_weight is not set")
                del question["_section"]
    judgements = definition["rules"].get("priority_judgements")
    if judgements:
        codes = set(definition["judgement_scales"]["criterion"])
        for key, code in judgements.items():
            if code not in codes:
                problems.add(f"rules.priority_judgements.{key}", f"'{code}' is not a criterion judgement")

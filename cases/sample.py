"""How an inspection's case sample stands against its framework's sample rules.

Pure: takes the framework's `sample` rules, its case attribute definitions and the attribute values
of every case, and returns counts. A rule's `where` has the same meaning as a question's
`applies_to`, so an unknown value never counts towards a minimum.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from inspections.applicability import applies_to_case
from inspections.describe import value_label

# Attributes broken down on the composition page, when the framework has them.
BREAKDOWN_ATTRIBUTES = ("case_type", "gender", "ethnicity", "rosh")


def percent(count: int, total: int) -> int | None:
    """Whole percentage, rounded half up (as published figures are); None for an empty sample."""
    if total == 0:
        return None
    return (200 * count + total) // (2 * total)


@dataclass(frozen=True)
class SizeCheck:
    total: int
    min: int | None
    max: int | None

    @property
    def status(self) -> str:
        if self.min is not None and self.total < self.min:
            return "short"
        if self.max is not None and self.total > self.max:
            return "over"
        return "met"

    @property
    def met(self) -> bool:
        return self.status == "met"

    @property
    def shortfall(self) -> int:
        return max((self.min or 0) - self.total, 0)

    @property
    def excess(self) -> int:
        return max(self.total - self.max, 0) if self.max is not None else 0


@dataclass(frozen=True)
class MinimumCheck:
    code: str
    label: str
    count: int
    min: int
    unknown: int  # cases where an attribute the rule looks at is not recorded

    @property
    def met(self) -> bool:
        return self.count >= self.min

    @property
    def shortfall(self) -> int:
        return max(self.min - self.count, 0)


@dataclass(frozen=True)
class MixCheck:
    label: str
    count: int
    total: int
    min_share: float
    unknown: int

    @property
    def met(self) -> bool:
        # Decimal: 0.3 * 10 is 3.0000000000000004 in floats, which would call 3 of 10 short.
        return self.total > 0 and self.count >= Decimal(str(self.min_share)) * self.total

    @property
    def share_percent(self) -> int | None:
        return percent(self.count, self.total)

    @property
    def min_percent(self) -> str:
        return f"{Decimal(str(self.min_share)) * 100:f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class BreakdownRow:
    label: str
    count: int
    share_percent: int | None


@dataclass(frozen=True)
class Breakdown:
    code: str
    label: str
    rows: tuple[BreakdownRow, ...]
    unknown: int
    total: int
    multiple: bool

    @property
    def unknown_percent(self) -> int | None:
        return percent(self.unknown, self.total)


@dataclass(frozen=True)
class SampleComposition:
    size: SizeCheck
    minimums: tuple[MinimumCheck, ...]
    mix: tuple[MixCheck, ...]
    breakdowns: tuple[Breakdown, ...]
    case_age: str

    @property
    def all_met(self) -> bool:
        return self.size.met and all(check.met for check in (*self.minimums, *self.mix))


def _is_unknown(value: Any) -> bool:
    return value is None or value == "" or value == []


def _unknown_for(where: Mapping[str, list], attributes: Mapping[str, Any]) -> bool:
    return any(_is_unknown(attributes.get(code)) for code in where)


def _breakdown(attribute: Mapping[str, Any], cases: Sequence[Mapping[str, Any]]) -> Breakdown:
    code = attribute["code"]
    counts: Counter = Counter()
    unknown = 0
    for attributes in cases:
        value = attributes.get(code)
        if _is_unknown(value):
            unknown += 1
            continue
        for item in value if isinstance(value, list) else [value]:
            # bool and int keys would merge in a Counter (True == 1); keep their kinds apart.
            counts[(type(item) is bool, item)] += 1
    keys = [(type(choice) is bool, choice) for choice in attribute.get("choices", [])]
    keys += [key for key in counts if key not in keys]  # values outside the choices still show
    total = len(cases)
    rows = tuple(
        BreakdownRow(value_label(attribute, value), counts[(is_bool, value)], percent(counts[(is_bool, value)], total))
        for is_bool, value in keys
    )
    return Breakdown(code, attribute["label"], rows, unknown, total, bool(attribute.get("multiple")))


def compose_sample(
    rules: Mapping[str, Any], attribute_defs: Sequence[Mapping[str, Any]], cases: Sequence[Mapping[str, Any]]
) -> SampleComposition:
    """cases: the attribute values of each case in the sample."""
    total = len(cases)
    size = rules.get("size") or {}
    minimums = tuple(
        MinimumCheck(
            code=rule.get("code", ""),
            label=rule["label"],
            count=sum(1 for attributes in cases if applies_to_case(rule["where"], attributes)),
            min=rule["min"],
            unknown=sum(1 for attributes in cases if _unknown_for(rule["where"], attributes)),
        )
        for rule in rules.get("minimums") or []
    )
    mix = tuple(
        MixCheck(
            label=rule["label"],
            count=sum(1 for attributes in cases if applies_to_case(rule["where"], attributes)),
            total=total,
            min_share=rule["min_share"],
            unknown=sum(1 for attributes in cases if _unknown_for(rule["where"], attributes)),
        )
        for rule in rules.get("mix") or []
    )
    by_code = {attribute["code"]: attribute for attribute in attribute_defs}
    case_type_code = (rules.get("case_types") or {}).get("attribute")
    codes = [code for code in (case_type_code, *BREAKDOWN_ATTRIBUTES) if code in by_code]
    breakdowns = tuple(_breakdown(by_code[code], cases) for code in dict.fromkeys(codes))
    return SampleComposition(
        size=SizeCheck(total, size.get("min"), size.get("max")),
        minimums=minimums,
        mix=mix,
        breakdowns=breakdowns,
        case_age=rules.get("case_age", ""),
    )

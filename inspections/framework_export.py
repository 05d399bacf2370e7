"""The framework document printed by export_framework, in a stable, readable key order.

PostgreSQL's jsonb does not keep key order, so the order is restored here.
"""

import json

KEY_ORDER = [
    "code",
    "version",
    "title",
    "generation",
    "label",
    "text",
    "description",
    "source",
    "descriptor",
    "short_title",
    "kind",
    "guidance",
    "scale",
    "summary",
    "scored",
    "headlines",
    "applies_to",
    "applies_when",
    "also_in",
    "reference",
    "report_order",
    "evidence_prompts",
    "help",
    "choices",
    "choice_labels",
    "type",
    "multiple",
    "allows_na",
    "options",
    "sufficient",
    "wording",
    "case_attributes",
    "scales",
    "sections",
    "criteria",
    "questions",
    "rules",
    "judgement_scales",
    "judgement_options",
    "comment_scale",
    "sample",
]
# The document itself follows the order of the published interface.
TOP_ORDER = [
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
    "judgement_options",
    "comment_scale",
    "sample",
]


def _rank(order: list[str]) -> dict[str, int]:
    return {key: index for index, key in enumerate(order)}


_RANK, _TOP_RANK = _rank(KEY_ORDER), _rank(TOP_ORDER)


def ordered(value, rank: dict[str, int] = _RANK):
    if isinstance(value, dict):
        keys = sorted(value, key=lambda key: (rank.get(key, len(rank)), key))
        return {key: ordered(value[key]) for key in keys}
    if isinstance(value, list):
        return [ordered(item) for item in value]
    return value


def export_document(definition: dict) -> str:
    return json.dumps(ordered(definition, _TOP_RANK), ensure_ascii=False, indent=2)

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
_RANK = {key: index for index, key in enumerate(KEY_ORDER)}


def ordered(value):
    if isinstance(value, dict):
        keys = sorted(value, key=lambda key: (_RANK.get(key, len(_RANK)), key))
        return {key: ordered(value[key]) for key in keys}
    if isinstance(value, list):
        return [ordered(item) for item in value]
    return value


def export_document(definition: dict) -> str:
    return json.dumps(ordered(definition), ensure_ascii=False, indent=2)

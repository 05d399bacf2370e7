from django import template

register = template.Library()


@register.filter
def dom_id(code: str) -> str:
    """A question code as an HTML id fragment: dots would need escaping in CSS selectors."""
    return str(code).replace(".", "-")


@register.filter
def label_for(question, value: str) -> str:
    """The label of an answer option of a question (inspections.structure.QuestionInfo)."""
    return question.label_for(value)


@register.filter
def get(mapping, key):
    return (mapping or {}).get(key, "")

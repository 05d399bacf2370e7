"""The three shipped frameworks load, export in the documented shape and have the expected structure."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from inspections.applicability import question_applies
from inspections.models import Framework

EXPECTED_CASE_CRITERIA = {
    "omi-2006": {"1": 5, "2": 7, "3": 2},
    "omi2-2009": {"1": 4, "2": 4, "3": 3},
    "iaow-2013": {"1": 1, "2": 3, "3": 3, "4": 3, "5": 4},
}
EXPECTED_LEADERSHIP = {"omi-2006": 6, "omi2-2009": 5, "iaow-2013": 5}
EXPECTED_HEADLINES = {
    "omi-2006": ["roh"],
    "omi2-2009": ["roh", "lor", "ce"],
    "iaow-2013": ["o1", "o2", "o3", "o4", "o5"],
}


def export(code: str) -> dict:
    out = StringIO()
    call_command("export_framework", code, stdout=out)
    return json.loads(out.getvalue())


def test_all_shipped_files_load_then_are_unchanged(db):
    out = StringIO()
    call_command("load_frameworks", stdout=out)
    assert sorted(out.getvalue().splitlines()) == ["iaow-2013 1 loaded", "omi-2006 1 loaded", "omi2-2009 1 loaded"]
    out = StringIO()
    call_command("load_frameworks", stdout=out)
    assert sorted(out.getvalue().splitlines()) == [
        "iaow-2013 1 unchanged",
        "omi-2006 1 unchanged",
        "omi2-2009 1 unchanged",
    ]


@pytest.mark.parametrize("code", sorted(EXPECTED_CASE_CRITERIA))
def test_structure(frameworks, code):
    document = export(code)
    for key in [
        "code",
        "version",
        "title",
        "case_attributes",
        "scales",
        "headlines",
        "sections",
        "rules",
        "judgement_scales",
    ]:
        assert key in document
    case_criteria: dict[str, int] = {}
    leadership = 0
    for section in document["sections"]:
        for criterion in section["criteria"]:
            if criterion["kind"] == "leadership":
                leadership += 1
                assert criterion["questions"] == []
            else:
                case_criteria[section["code"]] = case_criteria.get(section["code"], 0) + 1
    if code == "iaow-2013":
        # IAOW criteria 5.1 and 5.2 hold only questions shared from outcome 4.
        shared = {c for q in _questions(document) for c in q.get("also_in", [])}
        assert {"5.1", "5.2"} <= shared
    assert case_criteria == EXPECTED_CASE_CRITERIA[code]
    assert leadership == EXPECTED_LEADERSHIP[code]
    assert [h["code"] for h in document["headlines"]] == EXPECTED_HEADLINES[code]
    for attribute in document["case_attributes"]:
        assert {"code", "label"} <= set(attribute) and ("choices" in attribute) != ("type" in attribute)
    for scale in document["scales"].values():
        assert any(option["sufficient"] for option in scale["options"])
    for question in _questions(document):
        assert {"code", "text", "scale", "summary", "headlines"} <= set(question)
        assert question["guidance"], f"{code} {question['code']} has no guidance"


def _questions(document):
    return [q for s in document["sections"] for c in s["criteria"] for q in c["questions"]]


def test_omi_rules(frameworks):
    document = export("omi-2006")
    assert document["rules"]["summary_weight"] == 0.2
    assert document["rules"]["priority_line"] == 69
    assert document["judgement_scales"]["criterion"] == ["good", "priority", "urgent_priority"]
    assert document["judgement_scales"]["leadership"] == ["well_met", "satisfactorily_met", "partly_met", "not_met"]
    for section in document["sections"][:3]:
        for criterion in section["criteria"]:
            assert sum(q["summary"] for q in criterion["questions"]) == 1, criterion["code"]
    # Risk of Harm thread only from sections 1 and 2.
    for section in document["sections"][2:]:
        assert all("roh" not in q["headlines"] for c in section["criteria"] for q in c["questions"])
    assert any(len(s["options"]) > 2 for s in document["scales"].values())


def test_omi2_rules(frameworks):
    document = export("omi2-2009")
    assert document["rules"]["summary_weight"] is None
    assert [o["code"] for o in document["comment_scale"]["options"]] == [
        "minimum",
        "moderate",
        "substantial",
        "drastic",
    ]
    assert document["judgement_scales"]["leadership"] == [
        "very_effective",
        "sufficiently_effective",
        "not_sufficiently_effective",
        "not_effective",
    ]
    questions = _questions(document)
    assert not any(q["summary"] for q in questions)
    for headline in ("roh", "lor", "ce"):
        assert any(headline in q["headlines"] for q in questions)


def test_iaow_shared_victim_questions_feed_two_outcomes(frameworks):
    questions = _questions(export("iaow-2013"))
    shared = [q for q in questions if {"o4", "o5"} <= set(q["headlines"])]
    assert len(shared) >= 4


def test_gates_refer_to_earlier_questions_and_applicability_works(frameworks):
    for framework in Framework.objects.all():
        order = {q.code: q.position for q in framework.questions.all()}
        for question in framework.questions.exclude(applies_when={}):
            for gate in question.applies_when:
                assert order[gate] < question.position
    omi = Framework.objects.get(code="omi-2006").definition
    first = _questions(omi)[0]
    assert first.get("applies_to"), "1.1.01 applies to community cases only"
    attribute, values = next(iter(first["applies_to"].items()))
    assert question_applies(first, {attribute: values[0]}, {})
    assert not question_applies(first, {}, {})

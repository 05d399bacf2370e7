"""`export_agreement SLUG`: the JSON document of the interface contract, checked by hand."""

from __future__ import annotations

import json
from fractions import Fraction
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cases.agreement import agreement_report, disagreements
from cases.second_marking import Decision, reconcile
from tests.factories import marking_version
from tests.second_marking_helpers import assessed_case, assigned, second_marked


def export(inspection) -> dict:
    out = StringIO()
    call_command("export_agreement", inspection.slug, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def marked(inspection, lead, inspector, local_assessor):
    """Three second-marked cases (scored questions 1.1.02, 1.1.03 and the summary 1.1.S):

    case   first marker (02 03 S)   second marker (02 03 S)
    C001   S  S  S                  I  S  S
    C002   na I  I  (no report)     na I  S
    C003   S  S  S                  S  S  I   reconciled: the second's 1.1.S stands
    """
    one = assessed_case(inspection, inspector, "C001")
    second_marked(lead, one, local_assessor, {"1.1.02": "no"})
    two = assessed_case(
        inspection, inspector, "C002", {"1.1.01": "no", "1.1.02": "", "1.1.03": "too_high", "1.1.S": "no"}
    )
    second_marked(lead, two, local_assessor, {"1.1.01": "no", "1.1.02": "", "1.1.03": "too_high"})
    three = assessed_case(inspection, inspector, "C003")
    marking = second_marked(lead, three, local_assessor, {"1.1.S": "no"})
    reconcile(
        user=lead,
        second_marking=marking,
        decisions={"1.1.S": Decision("second", "Plans were not reviewed")},
        base_version=marking_version(marking),
    )
    # Not counted: a case chosen but not second-marked yet.
    assigned(lead, assessed_case(inspection, inspector, "C004"), local_assessor)


def kappa(observed: Fraction, expected: Fraction) -> float:
    return float((observed - expected) / (1 - expected))


def test_the_document_by_hand(inspection, marked):
    assert export(inspection) == {
        "inspection": "testshire-2007",
        "cases": 3,
        "questions": [
            # C001 (S, I), C003 (S, S); C002 is N/A for both, so no pair. Chance: (2 * 1) / 4.
            {"code": "1.1.02", "pairs": 2, "agreement": 0.5, "kappa": 0.0},
            # (S, S), (I, I), (S, S): chance (2 * 2 + 1 * 1) / 9.
            {"code": "1.1.03", "pairs": 3, "agreement": 1.0, "kappa": 1.0},
            # (S, S), (I, S), and C003 as it was before reconciling: (S, I).
            {"code": "1.1.S", "pairs": 3, "agreement": 1 / 3, "kappa": kappa(Fraction(1, 3), Fraction(5, 9))},
        ],
        # 8 pairs, 5 agree; first marker 6 S / 2 I, second 5 S / 3 I: chance 36 / 64; kappa 1/7.
        "criteria": [{"code": "1.1", "pairs": 8, "agreement": 0.625, "kappa": kappa(Fraction(5, 8), Fraction(36, 64))}],
        "overall": {"pairs": 8, "agreement": 0.625, "kappa": kappa(Fraction(5, 8), Fraction(36, 64))},
    }
    assert kappa(Fraction(5, 8), Fraction(36, 64)) == pytest.approx(1 / 7)
    assert kappa(Fraction(1, 3), Fraction(5, 9)) == -0.5


def test_nothing_second_marked_yet(inspection):
    assert export(inspection) == {
        "inspection": "testshire-2007",
        "cases": 0,
        "questions": [
            {"code": "1.1.02", "pairs": 0, "agreement": None, "kappa": None},
            {"code": "1.1.03", "pairs": 0, "agreement": None, "kappa": None},
            {"code": "1.1.S", "pairs": 0, "agreement": None, "kappa": None},
        ],
        "criteria": [{"code": "1.1", "pairs": 0, "agreement": None, "kappa": None}],
        "overall": {"pairs": 0, "agreement": None, "kappa": None},
    }


def test_unknown_inspection(db):
    with pytest.raises(CommandError, match="no inspection with slug 'nowhere'") as caught:
        call_command("export_agreement", "nowhere")
    assert caught.value.returncode == 2


def test_per_assessor_and_the_disagreements(inspection, marked, lead):
    report = agreement_report(inspection)
    assert [(row.label, row.result.pairs) for row in report.first_assessors] == [("inspector", 8)]
    assert [(row.label, row.result.pairs) for row in report.second_markers] == [("assessor", 8)]
    assert [
        (row.case_ref, row.question, row.first, row.second, row.state, row.standing)
        for row in disagreements(inspection)
    ] == [
        ("C001", "1.1.02", "Yes", "No", "completed", ""),
        ("C002", "1.1.S", "No", "Yes", "completed", ""),
        ("C003", "1.1.S", "Yes", "No", "reconciled", "second"),
    ]


def test_the_query_count_does_not_grow_with_cases(inspection, marked, django_assert_num_queries):
    with django_assert_num_queries(4):  # framework structure is cached; cases, pairs, names, disagreements
        agreement_report(inspection)
        disagreements(inspection)

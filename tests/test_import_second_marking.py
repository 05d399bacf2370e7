"""`import_answers SLUG FILE.csv --second-marking`: blind second marking recorded elsewhere."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cases.models import SecondAnswer, SecondMarking
from inspections.models import Membership
from scoring.tallies import question_tallies
from tests.factories import add_member, make_case, make_user
from tests.second_marking_helpers import second_marked

HEADER = "case_ref,question_code,answer,note,assessor\n"


def rows(case_ref: str = "C001", assessor: str = "assessor", **answers: str) -> str:
    values = {"1.1.01": "yes", "1.1.02": "no", "1.1.03": "correct", "1.1.S": "yes"}
    values.update({code.replace("_", "."): value for code, value in answers.items()})
    return "".join(f"{case_ref},{code},{value},,{assessor}\n" for code, value in values.items())


def write(tmp_path, text: str):
    path = tmp_path / "second.csv"
    path.write_text(text, encoding="utf-8")
    return path


def run(inspection, path) -> str:
    out = StringIO()
    call_command("import_answers", inspection.slug, str(path), "--second-marking", stdout=out)
    return out.getvalue()


def refused(inspection, path) -> list[str]:
    with pytest.raises(CommandError) as caught:
        run(inspection, path)
    assert caught.value.returncode == 2
    assert not SecondAnswer.objects.exists()
    assert not SecondMarking.objects.exists()
    assert not SecondMarking.history.exists()
    heading, *problems = str(caught.value).splitlines()
    assert heading.startswith("second.csv: nothing was imported;")
    return problems


def test_imports_a_complete_second_marking(tmp_path, inspection, inspector, local_assessor, first):
    before = question_tallies(inspection)
    output = run(inspection, write(tmp_path, HEADER + rows()))
    assert output == "testshire-2007: 1 second marking imported (4 answers, 0 not applicable)\n"
    marking = SecondMarking.objects.get()
    assert (marking.case, marking.marker, marking.first_assessor) == (first, local_assessor, inspector)
    assert (marking.state, marking.selection) == ("completed", "imported")
    assert marking.history.get().history_change_reason == "Imported from second.csv"
    assert dict(marking.answers.values_list("question__code", "value")) == {
        "1.1.01": "yes",
        "1.1.02": "no",
        "1.1.03": "correct",
        "1.1.S": "yes",
    }
    assert question_tallies(inspection) == before  # never counted until reconciled


def test_an_assigned_case_not_yet_started_is_completed_by_the_import(tmp_path, inspection, lead, local_assessor, first):
    from tests.second_marking_helpers import assigned

    assigned(lead, first, local_assessor, SecondMarking.Selection.TARGETED)
    run(inspection, write(tmp_path, HEADER + rows()))
    marking = SecondMarking.objects.get()
    assert (marking.state, marking.selection) == ("completed", "targeted")


def test_the_marker_must_be_a_member(tmp_path, inspection, first, local_assessor):
    make_user("stranger")
    assert refused(inspection, write(tmp_path, HEADER + rows(assessor="stranger"))) == [
        f"second.csv: line {line}: column assessor: 'stranger' is not a member of this inspection"
        for line in range(2, 6)
    ]


def test_the_marker_cannot_be_the_first_assessor(tmp_path, inspection, first):
    assert refused(inspection, write(tmp_path, HEADER + rows(assessor="inspector"))) == [
        "second.csv: line 2: column assessor: 'inspector' made the first assessment of case 'C001'; "
        "the second marker must be someone else"
    ]


def test_the_first_assessment_must_be_finished(tmp_path, inspection, inspector, local_assessor, first):
    make_case(inspection, "C002", case_type="community", assessor=inspector)
    assert refused(inspection, write(tmp_path, HEADER + rows() + rows("C002"))) == [
        "second.csv: line 6: column case_ref: case 'C002' has no submitted or approved first assessment "
        "(it is not started); second marking is compared with a finished first assessment"
    ]


def test_bad_answers_are_reported_like_first_assessments(tmp_path, inspection, local_assessor, first):
    text = HEADER + rows(**{"1_1_03": "maybe"}) + "C001,9.9,yes,,assessor\nC404,1.1.S,yes,,assessor\n"
    assert refused(inspection, write(tmp_path, text)) == [
        "second.csv: line 4: column answer: 'maybe' is not an answer to 1.1.03; allowed: correct, too_high, too_low",
        "second.csv: line 6: column question_code: '9.9' is not a question of mini-test",
        "second.csv: line 7: column case_ref: no case 'C404' in the inspection's sample",
    ]


def test_the_marker_column_is_required(tmp_path, inspection, local_assessor, first):
    text = "case_ref,question_code,answer\nC001,1.1.01,yes\nC001,1.1.02,no\nC001,1.1.03,correct\nC001,1.1.S,yes\n"
    assert refused(inspection, write(tmp_path, text)) == [
        "second.csv: line 1: column assessor: missing: name each case's second marker (a username) in this column"
    ]
    empty = HEADER + rows(assessor="")
    assert refused(inspection, write(tmp_path, empty)) == [
        f"second.csv: line {line}: column assessor: empty: give the username of the case's second marker"
        for line in range(2, 6)
    ]


def test_a_case_is_second_marked_once(tmp_path, inspection, lead, local_assessor, first):
    second_marked(lead, first, local_assessor)
    other = add_member(inspection, make_user("inspector2"), Membership.Role.INSPECTOR).user
    with pytest.raises(CommandError) as caught:
        run(inspection, write(tmp_path, HEADER + rows(assessor=other.username)))
    assert "line 2: column case_ref: case 'C001' already has a second marking (completed)" in str(caught.value)
    assert SecondMarking.objects.get().marker == local_assessor


def test_the_ordinary_import_is_unchanged(tmp_path, inspection, inspector):
    make_case(inspection, "C009", case_type="licence")
    path = write(tmp_path, "case_ref,question_code,answer\nC009,1.1.03,correct\nC009,1.1.S,yes\n")
    out = StringIO()
    call_command("import_answers", inspection.slug, str(path), stdout=out)
    assert out.getvalue() == "testshire-2007: 1 assessment imported (4 answers, 2 not applicable)\n"
    assert not SecondMarking.objects.exists()

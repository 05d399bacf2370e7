from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cases.models import Answer, Assessment, Case
from inspections.applicability import NA, question_applies
from inspections.models import Membership
from inspections.structure import FrameworkStructure, QuestionInfo, structure_for
from tests.factories import add_member, make_case, make_inspection, make_user

HEADER = "case_ref,question_code,answer,note,assessor\n"

# The mini framework: 1.1.01 applies to community cases (yes_no, N/A allowed), 1.1.02 only when
# 1.1.01 is "yes", 1.1.03 to every case (classification, no N/A), 1.1.S to every case.
COMPLETE = (
    HEADER
    + "C1,1.1.01,yes,PSR on file,inspector\n"
    + "C1,1.1.02,no,Two days late,inspector\n"
    + "C1,1.1.03,correct,,inspector\n"
    + "C1,1.1.S,yes,,inspector\n"
    + "C2,1.1.03,too_high,,\n"
    + "C2,1.1.S,na,,\n"
)


@pytest.fixture
def cases(inspection, inspector):
    return {
        "C1": make_case(inspection, "C1", case_type="community", ppo=True),
        "C2": make_case(inspection, "C2", case_type="licence"),
    }


def write(tmp_path, text: str, name: str = "answers.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(*args) -> str:
    out = StringIO()
    call_command("import_answers", *[str(arg) for arg in args], stdout=out)
    return out.getvalue()


def refused(inspection, path) -> str:
    with pytest.raises(CommandError) as caught:
        run(inspection.slug, path)
    assert caught.value.returncode == 2
    assert not Answer.objects.exists()
    assert not Assessment.history.filter(history_change_reason__startswith="Imported").exists()
    assert not Case.history.filter(history_change_reason__startswith="Imported").exists()
    return str(caught.value)


def values(case) -> dict[str, tuple]:
    return {
        answer.question.code: (answer.value, answer.sufficient)
        for answer in Answer.objects.filter(assessment__case=case).select_related("question")
    }


def test_imports_submitted_assessments(tmp_path, inspection, cases, inspector):
    output = run(inspection.slug, write(tmp_path, COMPLETE))
    assert output == "testshire-2007: 2 assessments imported (8 answers, 3 not applicable)\n"
    first, second = cases["C1"], cases["C2"]
    assert values(first) == {
        "1.1.01": ("yes", True),
        "1.1.02": ("no", False),
        "1.1.03": ("correct", True),
        "1.1.S": ("yes", True),
    }
    # Questions that do not apply and are absent are recorded as N/A.
    assert values(second) == {
        "1.1.01": (NA, None),
        "1.1.02": (NA, None),
        "1.1.03": ("too_high", False),
        "1.1.S": (NA, None),
    }
    first.refresh_from_db()
    assessment = first.assessment
    assert assessment.state == Assessment.State.SUBMITTED and assessment.version == 1
    assert assessment.submitted_at is not None and assessment.submitted_by == inspector
    assert first.assessor == inspector
    note = Answer.objects.get(assessment=assessment, question__code="1.1.02")
    assert (note.note, note.version, note.updated_by) == ("Two days late", 1, inspector)
    second.refresh_from_db()
    assert second.assessor is None and second.assessment.submitted_by is None
    assert Answer.objects.filter(assessment=second.assessment).first().updated_by is None


def test_history_records_the_import(tmp_path, inspection, cases, inspector):
    run(inspection.slug, write(tmp_path, COMPLETE, name="legacy tool.csv"))
    reason = "Imported from legacy tool.csv"
    assert Answer.history.count() == 8
    assert set(Answer.history.values_list("history_change_reason", flat=True)) == {reason}
    assert set(Assessment.history.values_list("history_change_reason", "state")) == {(reason, "submitted")}
    assert Case.history.filter(case_ref="C1", history_change_reason=reason).get().assessor == inspector


def test_existing_not_started_assessment_is_completed(tmp_path, inspection, cases):
    Assessment.objects.create(case=cases["C1"])
    run(inspection.slug, write(tmp_path, COMPLETE))
    assessment = Assessment.objects.get(case=cases["C1"])
    assert assessment.state == Assessment.State.SUBMITTED and assessment.version == 1
    assert assessment.history.first().history_change_reason == "Imported from answers.csv"


def test_allocated_assessor_submits_when_the_file_names_none(tmp_path, inspection, cases, local_assessor):
    Case.objects.filter(pk=cases["C2"].pk).update(assessor=local_assessor)
    run(inspection.slug, write(tmp_path, "case_ref,question_code,answer\nC2,1.1.03,correct\nC2,1.1.S,yes\n"))
    assert Assessment.objects.get(case=cases["C2"]).submitted_by == local_assessor


def test_only_the_required_columns_and_explicit_na_for_questions_that_do_not_apply(tmp_path, inspection, cases):
    text = "case_ref,question_code,answer\nC2,1.1.01,na\nC2,1.1.02,na\nC2,1.1.03,correct\nC2,1.1.S,yes\n"
    assert run(inspection.slug, write(tmp_path, text)) == (
        "testshire-2007: 1 assessment imported (4 answers, 2 not applicable)\n"
    )


def test_gate_answered_no_makes_the_gated_question_not_applicable(tmp_path, inspection, cases):
    text = "case_ref,question_code,answer\nC1,1.1.01,no\nC1,1.1.03,correct\nC1,1.1.S,no\n"
    run(inspection.slug, write(tmp_path, text))
    assert values(cases["C1"])["1.1.02"] == (NA, None)


@pytest.mark.parametrize(
    "rows, message",
    [
        ("C9,1.1.03,correct,,\n", "answers.csv: line 8: column case_ref: no case 'C9' in the inspection's sample"),
        (",1.1.03,correct,,\n", "answers.csv: line 8: column case_ref: empty"),
        ("C2,9.9.99,yes,,\n", "answers.csv: line 8: column question_code: '9.9.99' is not a question of mini-test"),
        ("C2,,yes,,\n", "answers.csv: line 8: column question_code: empty"),
        ("C2,1.1.03,,,\n", "answers.csv: line 8: column answer: empty"),
        (
            "C2,1.1.02,maybe,,\n",
            "answers.csv: line 8: column answer: 'maybe' is not an answer to 1.1.02; allowed: yes, no, na",
        ),
        (
            "C1,1.1.03,correct,,\n",
            "answers.csv: line 8: column question_code: a second answer to 1.1.03 for case 'C1' (first on line 4)",
        ),
        (
            "C2,1.1.02,yes,,\n",
            "answers.csv: line 8: column answer: 1.1.02 does not apply to case 'C2' "
            "(given its details and earlier answers), so its answer must be na",
        ),
        ("C2,1.1.01,no,,\n", "answers.csv: line 8: column answer: 1.1.01 does not apply to case 'C2'"),
        (
            "C1,1.1.09,yes,,nobody\n",
            "answers.csv: line 8: column assessor: 'nobody' is not an inspector, local assessor or lead",
        ),
        (
            "C1,1.1.09,yes,,lead\n",
            "line 8: column assessor: case 'C1' is given to 'inspector' on line 2; a case has one assessor",
        ),
    ],
)
def test_bad_rows_are_refused_and_nothing_written(tmp_path, inspection, cases, lead, inspector, rows, message):
    assert message in refused(inspection, write(tmp_path, COMPLETE + rows))


def test_option_outside_a_scale_without_na_lists_the_allowed_codes(tmp_path, inspection, cases):
    error = refused(inspection, write(tmp_path, COMPLETE.replace("C2,1.1.03,too_high", "C2,1.1.03,yes")))
    assert (
        "answers.csv: line 6: column answer: 'yes' is not an answer to 1.1.03; allowed: correct, too_high, too_low"
        in error
    )


def test_na_for_an_applicable_question_whose_scale_has_no_na(tmp_path, inspection, cases):
    error = refused(inspection, write(tmp_path, COMPLETE.replace("C2,1.1.03,too_high", "C2,1.1.03,na")))
    assert (
        "answers.csv: line 6: column answer: 1.1.03 applies to case 'C2' and cannot be na; "
        "allowed: correct, too_high, too_low" in error
    )


def test_an_applicable_question_without_a_row_is_reported_on_the_cases_first_line(tmp_path, inspection, cases):
    text = COMPLETE.replace("C1,1.1.02,no,Two days late,inspector\n", "").replace("C2,1.1.03,too_high,,\n", "")
    error = refused(inspection, write(tmp_path, text))
    assert "answers.csv: line 2: case 'C1': question 1.1.02 applies but has no answer" in error
    assert "answers.csv: line 5: case 'C2': question 1.1.03 applies but has no answer" in error


@pytest.mark.parametrize("state", ["in_progress", "submitted", "returned", "approved"])
def test_case_with_an_assessment_under_way_is_refused(tmp_path, inspection, cases, state):
    Assessment.objects.create(case=cases["C2"], state=state)
    label = Assessment.State(state).label.lower()
    error = refused(inspection, write(tmp_path, COMPLETE))
    assert f"answers.csv: line 6: column case_ref: case 'C2' already has an assessment ({label})" in error


def test_not_started_assessment_with_answers_is_refused(tmp_path, inspection, cases):
    assessment = Assessment.objects.create(case=cases["C1"])
    question = inspection.framework.questions.get(code="1.1.S")
    Answer.objects.create(assessment=assessment, question=question, value="")
    with pytest.raises(CommandError) as caught:
        run(inspection.slug, write(tmp_path, COMPLETE))
    assert "case 'C1' already has an assessment (not started, but with answers saved)" in str(caught.value)
    assert Answer.objects.count() == 1


def test_missing_and_unknown_columns(tmp_path, inspection, cases):
    error = refused(inspection, write(tmp_path, "case_ref,question,answer,score\nC1,1.1.01,yes,1\n"))
    assert "answers.csv: line 1: column question: unknown column; expected case_ref, question_code" in error
    assert "answers.csv: line 1: column question_code: missing: the header must have this column" in error


def test_every_problem_is_reported_at_once(tmp_path, inspection, cases):
    text = (
        HEADER
        + "C1,1.1.01,maybe,,\nC1,1.1.03,correct,,\nC9,1.1.03,correct,,\nC2,1.1.03,correct,,\nC2,1.1.03,too_low,,\n"
    )
    lines = refused(inspection, write(tmp_path, text)).splitlines()
    assert lines == [
        "answers.csv: nothing was imported; 5 problems:",
        "answers.csv: line 2: column answer: 'maybe' is not an answer to 1.1.01; allowed: yes, no, na",
        "answers.csv: line 2: case 'C1': question 1.1.S applies but has no answer",
        "answers.csv: line 4: column case_ref: no case 'C9' in the inspection's sample",
        "answers.csv: line 5: case 'C2': question 1.1.S applies but has no answer",
        "answers.csv: line 6: column question_code: a second answer to 1.1.03 for case 'C2' (first on line 5)",
    ]


def test_non_utf8_and_empty_files(tmp_path, inspection, cases):
    path = tmp_path / "answers.csv"
    path.write_bytes(HEADER.encode() + "C1,1.1.01,yes,Café,\n".encode("cp1252"))
    assert "answers.csv: line 2: the file is not UTF-8 text" in refused(inspection, path)
    path.write_bytes(b"")
    assert "answers.csv: line 1: the file is empty" in refused(inspection, path)


def test_query_count_does_not_grow_with_the_cases(tmp_path, inspection, inspector, django_assert_max_num_queries):
    rows = []
    for number in range(50):
        make_case(inspection, f"L{number:02}", case_type="licence")
        rows += [f"L{number:02},1.1.03,correct,,inspector\n", f"L{number:02},1.1.S,yes,,inspector\n"]
    with django_assert_max_num_queries(20):
        run(inspection.slug, write(tmp_path, HEADER + "".join(rows)))
    assert Answer.objects.count() == 200


# ---------------------------------------------------------------------------------------------
# The real OMI framework


def full_answers(
    structure: FrameworkStructure, attributes: dict, pick: Callable[[QuestionInfo], str]
) -> dict[str, str]:
    """A complete, valid assessment: pick() answers every question that applies, given earlier answers."""
    answers: dict[str, str] = {}
    for code, question in structure.questions.items():
        answers[code] = pick(question) if question_applies(question.as_rule(), attributes, answers) else NA
    return answers


def answers_csv(rows: dict[str, dict[str, str]], skip_na: bool = True) -> str:
    lines = ["case_ref,question_code,answer"]
    for ref, answers in rows.items():
        lines += [f"{ref},{code},{value}" for code, value in answers.items() if not (skip_na and value == NA)]
    return "\n".join(lines) + "\n"


@pytest.fixture
def omi(frameworks):
    inspection = make_inspection(slug="cumbria-2006", framework="omi-2006", area="Cumbria")
    add_member(inspection, make_user("inspector"), Membership.Role.INSPECTOR)
    return inspection


def test_omi_gated_questions_are_na_when_the_gate_is_no(tmp_path, omi):
    structure = structure_for(omi.framework)
    attributes = {"case_type": "community", "court_indicated_seriousness": True, "ppo": False}
    make_case(omi, "CU/1", **attributes)
    make_case(omi, "CU/2", **attributes)

    def no_psr(question):
        return "no" if question.code == "1.1.01" else question.options[0].code

    written = full_answers(structure, attributes, no_psr)
    with_psr = full_answers(structure, attributes, lambda question: question.options[0].code)
    assert written["1.1.02"] == NA and with_psr["1.1.02"] == "yes"
    # The gated 1.1.02 (a yes/no scale without N/A) is left out for CU/1 and given as na for CU/2.
    text = answers_csv({"CU/1": written}) + "".join(
        f"CU/2,{code},{value}\n" for code, value in written.items() if value != NA or code.startswith("1.1.")
    )
    output = run(omi.slug, write(tmp_path, text))
    question_count = len(structure.questions)
    not_applicable = 2 * sum(1 for value in written.values() if value == NA)
    assert output == (
        f"cumbria-2006: 2 assessments imported ({2 * question_count} answers, {not_applicable} not applicable)\n"
    )
    stored = values(Case.objects.get(case_ref="CU/1"))
    assert stored["1.1.01"] == ("no", False) and stored["1.1.02"] == (NA, None) and stored["1.1.06"] == (NA, None)
    assert values(Case.objects.get(case_ref="CU/2")) == stored


def test_omi_na_refused_when_the_gate_opens_the_question(tmp_path, omi):
    structure = structure_for(omi.framework)
    attributes = {"case_type": "community", "court_indicated_seriousness": True}
    make_case(omi, "CU/1", **attributes)
    answers = full_answers(structure, attributes, lambda question: question.options[0].code)
    answers["1.1.02"] = NA
    text = answers_csv({"CU/1": answers}, skip_na=False)
    line = text.splitlines().index("CU/1,1.1.02,na") + 1
    error = refused(omi, write(tmp_path, text))
    assert (
        f"answers.csv: line {line}: column answer: 1.1.02 applies to case 'CU/1' and cannot be na; allowed: yes, no"
        in (error)
    )


def test_omi_answer_to_a_question_closed_by_the_case_type_is_refused(tmp_path, omi):
    structure = structure_for(omi.framework)
    attributes = {"case_type": "licence"}
    make_case(omi, "CU/1", **attributes)
    answers = full_answers(structure, attributes, lambda question: question.options[0].code)
    answers["1.1.01"] = "yes"  # PSR questions apply to community orders only
    error = refused(omi, write(tmp_path, answers_csv({"CU/1": answers})))
    assert "column answer: 1.1.01 does not apply to case 'CU/1'" in error

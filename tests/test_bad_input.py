"""Bad input through every door: NUL and other control characters, and text longer than a field takes.

Before the input rules, a NUL reached PostgreSQL (a 500) from the autosave, the forms, the reasons, the
uploads and URL paths, and a 2 MB evidence note was stored (and copied into history on every save). Now
every door answers with a field error (or 400 for an address), and nothing is written.
"""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from cases.models import Answer, Assessment, Case, ReviewComment
from cases.services import approve_assessment, submit_assessment
from inspections.input_rules import NOTE_MAX, control_character, text_problem
from reports.models import CriterionNarrative, ReportContent
from scoring.models import Judgement
from tests.factories import answer_all, make_case, version_of

HTMX = {"HTTP_HX_REQUEST": "true"}
CONTROL = ["\x00", "\x1b", "\x7f", "\x85", "\x08"]


def test_the_rules():
    assert control_character("a\nb\tc\r") is None
    assert control_character("a\nb", multiline=False) == "a control character (U+000A)"
    assert control_character("a\x00") == "a NUL character"
    assert (
        text_problem("x" * 11, max_length=10, what="The note") == "The note must be 10 characters or fewer (it has 11)"
    )
    assert text_problem("é" * 10, max_length=10) is None


# --- The assessment pages ------------------------------------------------------------------------------------------


def save_url(case, question="1.1.01"):
    return reverse("save_answer", args=[case.inspection.slug, case.case_ref, question])


@pytest.mark.parametrize("character", CONTROL)
def test_autosave_refuses_a_control_character_in_the_note(client, case, inspector, character):
    client.force_login(inspector)
    response = client.post(
        save_url(case), {"value-1.1.01": "yes", "note-1.1.01": f"a{character}b", "version-1.1.01": "0"}, **HTMX
    )
    assert response.status_code == 200
    assert "Not saved:" in response.content.decode() and "contains" in response.content.decode()
    assert not Answer.objects.exists() and not Answer.history.exists()


def test_autosave_refuses_a_nul_in_the_value(client, case, inspector):
    client.force_login(inspector)
    response = client.post(save_url(case), {"value-1.1.01": "y\x00es", "version-1.1.01": "0"}, **HTMX)
    assert response.status_code == 200 and "Not saved:" in response.content.decode()
    assert "\x00" not in response.content.decode()
    assert not Answer.objects.exists()


def test_autosave_refuses_a_two_megabyte_note_and_keeps_no_history(client, case, inspector):
    client.force_login(inspector)
    client.post(save_url(case), {"value-1.1.01": "yes", "note-1.1.01": "short", "version-1.1.01": "0"}, **HTMX)
    before = Answer.history.count()
    huge = "x" * 2_000_000
    response = client.post(save_url(case), {"value-1.1.01": "no", "note-1.1.01": huge, "version-1.1.01": "1"}, **HTMX)
    assert response.status_code == 200
    assert f"must be {NOTE_MAX:,} characters or fewer (it has 2,000,000)" in response.content.decode()
    assert len(response.content) < 20_000  # the refusal does not echo the note
    answer = Answer.objects.get()
    assert (answer.value, answer.note) == ("yes", "short")
    assert Answer.history.count() == before


def test_a_note_of_the_maximum_length_is_kept(client, case, inspector):
    client.force_login(inspector)
    note = "y" * NOTE_MAX
    response = client.post(save_url(case), {"value-1.1.01": "yes", "note-1.1.01": note, "version-1.1.01": "0"}, **HTMX)
    assert response.status_code == 200 and Answer.objects.get().note == note


def test_criterion_form_marks_the_field_and_saves_nothing(client, case, inspector):
    client.force_login(inspector)
    url = reverse("criterion_form", args=[case.inspection.slug, case.case_ref, "1.1"])
    response = client.post(
        url,
        {"value-1.1.01": "yes", "note-1.1.01": "ok\x00", "version-1.1.01": "0", "version-1.1.03": "0"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "There is a problem" in content and "The evidence note contains a NUL character" in content
    assert 'id="error-1-1-01"' in content
    assert not Answer.objects.exists()


@pytest.fixture
def submitted(case, inspector):
    answer_all(case, inspector)
    submit_assessment(user=inspector, case=case, expected_version=version_of(case))
    return case


def review_url(name, case):
    return reverse(name, args=[case.inspection.slug, case.case_ref])


def test_return_reason_and_comment_with_nul_are_field_errors(client, submitted, lead):
    client.force_login(lead)
    response = client.post(
        review_url("return_assessment", submitted), {"reason": "Check\x00", "comment-1.1.03": "Too\x00 high?"}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert 'href="#reason"' in content and 'href="#comment-1-1-03"' in content
    assert 'id="reason-error"' in content and 'id="comment-1-1-03-error"' in content
    assert Assessment.objects.get(case=submitted).state == "submitted"
    assert not ReviewComment.objects.exists()


def test_return_reason_too_long_is_a_field_error(client, submitted, lead):
    client.force_login(lead)
    response = client.post(review_url("return_assessment", submitted), {"reason": "r" * 5000})
    assert response.status_code == 400 and "must be 2,000 characters or fewer" in response.content.decode()


def test_reopen_reason_with_nul_is_a_field_error(client, submitted, lead):
    approve_assessment(user=lead, case=submitted, expected_version=version_of(submitted))
    client.force_login(lead)
    response = client.post(review_url("reopen_assessment", submitted), {"reason": "x\x00"})
    assert response.status_code == 400 and 'id="reopen-error"' in response.content.decode()
    assert Assessment.objects.get(case=submitted).state == "approved"


def test_allocation_reason_with_a_control_character_is_a_field_error(client, inspection, lead, inspector):
    unallocated = make_case(inspection, "C009")
    client.force_login(lead)
    response = client.post(
        reverse("allocate_cases", args=[inspection.slug]),
        {"cases": [unallocated.pk], "assessor": inspector.pk, "reason": "because\x00"},
    )
    assert response.status_code in (200, 400) and "contains a NUL character" in response.content.decode()
    assert Case.objects.get(pk=unallocated.pk).assessor is None


# --- Scores and report ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["reason", "evidence"])
def test_judgement_texts_with_nul_are_field_errors(client, inspection, lead, field):
    client.force_login(lead)
    url = reverse("save_judgement", args=[inspection.slug, "criterion", "1.1"])
    response = client.post(url, {"kind": "conclusion", "value": "good", field: "x\x00y"})
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.content.decode()
    assert not Judgement.objects.exists()


def test_finalise_and_reopen_reasons_with_nul_are_refused_with_a_message(client, inspection, lead):
    client.force_login(lead)
    response = client.post(reverse("finalise_scores", args=[inspection.slug]), {"override_reason": "\x00"}, follow=True)
    assert response.status_code in (200, 400) and "contains a NUL character" in response.content.decode()
    response = client.post(reverse("reopen_scores", args=[inspection.slug]), {"reason": "a\x00"}, follow=True)
    assert response.status_code in (200, 400) and "contains a NUL character" in response.content.decode()


def test_report_part_with_nul_is_a_field_error(client, inspection, lead):
    client.force_login(lead)
    url = reverse("edit_report_part", args=[inspection.slug, "foreword"])
    response = client.post(url, {"version": "0", "foreword": "Foreword\x00"})
    assert response.status_code == 400 and "Null characters are not allowed" in response.content.decode()
    assert not ReportContent.objects.exists()


def test_report_narrative_list_with_nul_or_too_long_is_a_field_error(client, inspection, lead):
    client.force_login(lead)
    url = reverse("edit_criterion_narrative", args=[inspection.slug, "1.1"])
    response = client.post(url, {"base": "", "strengths": "Good\x00work", "areas_for_improvement": "a" * 60_000})
    assert response.status_code == 400
    content = response.content.decode()
    assert "contains a NUL character" in content and "must be 50,000 characters or fewer" in content
    assert not CriterionNarrative.objects.exists()


# --- Files ---------------------------------------------------------------------------------------------------------


def test_upload_with_nul_names_line_and_column(client, inspection, lead):
    client.force_login(lead)
    upload = SimpleUploadedFile("sample\x00.csv", b"case_ref,ppo\nC001,true\nC\x00002,false\n", "text/csv")
    response = client.post(reverse("import_sample", args=[inspection.slug]), {"file": upload})
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert "line 3: column case_ref: contains a NUL character" in content
    assert not Case.objects.exists()


@pytest.mark.parametrize("command", ["import_cases", "import_answers"])
@pytest.mark.parametrize(
    "text, where",
    [
        ("case_ref,ppo\nC001,tr\x00ue\n", "line 2: column ppo: contains a NUL character"),
        ("case_ref,p\x00po\nC001,true\n", "line 1: column 2: contains a NUL character"),
        ('case_ref,note\nC001,"a\nb\x1bc"\n', "line 2: column note: contains a control character (U+001B)"),
    ],
)
def test_commands_exit_2_with_the_line_not_a_traceback(tmp_path, inspection, command, text, where):
    path = tmp_path / "file.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command(command, inspection.slug, str(path), stdout=StringIO())
    assert caught.value.returncode == 2
    assert f"file.csv: {where}" in str(caught.value)
    assert not Case.objects.exists() and not Answer.objects.exists()


def test_import_answers_refuses_an_overlong_note(tmp_path, inspection, case):
    path = tmp_path / "answers.csv"
    path.write_text(f"case_ref,question_code,answer,note\nC001,1.1.01,yes,{'n' * (NOTE_MAX + 1)}\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("import_answers", inspection.slug, str(path), stdout=StringIO())
    assert caught.value.returncode == 2
    assert f"answers.csv: line 2: column note: has {NOTE_MAX + 1:,} characters" in str(caught.value)
    assert not Answer.objects.exists()


# --- Addresses -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/inspections/testshire-2007/cases/C%00/",
        "/inspections/testshire-2007/cases/C001/answers/1.1.%0001/",
        "/inspections/testshire-2007/scores/criteria/1.1/questions/1.1.%0001/",
        "/frameworks/mini-test/v1%00/",
        "/inspections/testshire-2007/cases/?state=%00",
        "/sign-in/?next=%00",
    ],
)
@pytest.mark.parametrize("signed_in", [True, False])
def test_a_nul_in_the_address_is_a_400_page(client, case, lead, path, signed_in):
    if signed_in:
        client.force_login(lead)
    response = client.post(path, {"version-1.1.01": "0"}) if "/answers/" in path else client.get(path)
    assert response.status_code == 400
    assert "The address of the page contains a NUL character" in response.content.decode()


def test_a_nul_in_the_username_is_a_form_error(client, db):
    response = client.post(reverse("login"), {"username": "lead\x00", "password": "x"})
    assert response.status_code in (200, 400)
    assert "There is a problem" in response.content.decode()


# --- Second marking: the same rules on the marker's own pages -------------------------------------------------------


def test_second_marking_autosave_refuses_a_nul_and_an_overlong_note(client, inspection, local_assessor, marking):
    from cases.models import SecondAnswer

    client.force_login(local_assessor)
    url = reverse("second_marking_save_answer", args=[inspection.slug, "C001", "1.1.03"])
    for note, message in (("a\x00b", "contains a NUL character"), ("n" * (NOTE_MAX + 1), "characters or fewer")):
        response = client.post(url, {"value-1.1.03": "correct", "note-1.1.03": note, "version-1.1.03": "0"}, **HTMX)
        assert response.status_code == 200 and message in response.content.decode()
    assert not SecondAnswer.objects.exists()


def test_second_marking_import_refuses_a_nul_with_the_line(tmp_path, inspection, completed):
    path = tmp_path / "second.csv"
    path.write_text("case_ref,question_code,answer,assessor\nC001,1.1.03,cor\x00rect,assessor\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("import_answers", inspection.slug, str(path), "--second-marking", stdout=StringIO())
    assert caught.value.returncode == 2 and "second.csv: line 2: column answer: contains a NUL character" in str(
        caught.value
    )

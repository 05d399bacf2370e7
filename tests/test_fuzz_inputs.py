"""Property tests of the doors that take arbitrary input: the CSV importers (functions and commands) and
the answer-save endpoint (autosave and the no-JavaScript page). Random bytes, encodings, control
characters and huge fields: never a server error or an unexpected exception, never a partial write.

Bounded: a few dozen examples each, so the whole module runs in well under a minute on two cores.
"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cases.importing import ImportRefused, import_answer_file, import_case_sample
from cases.models import Answer, Assessment, Case

FUZZ = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,  # the same examples on every run, so CI cannot fail by chance
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
HTMX = {"HTTP_HX_REQUEST": "true"}

# Text as people and files produce it: any character but lone surrogates, with control characters,
# quotes, separators and line breaks made likely.
text = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=["Cs"]),
        st.sampled_from(["\x00", "\x1b", "\x7f", "\x85", "\t", "\r", "\n", '"', ",", ";", "=", "@", "+", "-", "/"]),
    ),
    max_size=40,
)
huge = st.builds(
    lambda c, n: c * n, st.sampled_from(["x", "é", "\x00", "="]), st.sampled_from([10_000, 10_001, 70_000])
)
cell = st.one_of(text, huge, st.sampled_from(["C001", "C002", "1.1.01", "1.1.03", "yes", "no", "na", "correct"]))
# Mostly UTF-8 (what gets past decoding), sometimes what spreadsheets also save.
encoding = st.one_of(st.just("utf-8"), st.just("utf-8"), st.sampled_from(["utf-8-sig", "utf-16", "latin-1", "cp1252"]))


def csv_file(header: list[str]):
    width = len(header)
    exact = st.lists(cell, min_size=width, max_size=width)
    row = st.one_of(exact, st.lists(cell, min_size=width - 1, max_size=width + 1))
    rows = st.lists(row, max_size=6)

    def build(rows, encoding):
        def quote(value: str) -> str:
            return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\n\r') else value

        lines = [",".join(header), *(",".join(quote(v) for v in row) for row in rows)]
        return "\n".join(lines).encode(encoding, errors="replace")

    return st.builds(build, rows, encoding)


def stored() -> tuple:
    return (
        list(Case.objects.order_by("pk").values_list("case_ref", "attributes", "assessor_id")),
        list(Answer.objects.order_by("pk").values_list("value", "note", "version")),
        list(Assessment.objects.order_by("pk").values_list("state", "version")),
        Case.history.count(),
        Answer.history.count(),
    )


def rolled_back(action):
    """Run one example in a savepoint that is always rolled back, so examples do not see each other."""
    with transaction.atomic():
        try:
            return action()
        finally:
            transaction.set_rollback(True)


# --- The importers -------------------------------------------------------------------------------------------------


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=3000),
        csv_file(["case_ref"]),  # every row a reference: most rows reach the database unless refused
        csv_file(["case_ref", "case_type", "ppo", "requirements", "om_count"]),
    )
)
# The findings, always tried as well as what hypothesis makes up.
@example(data=b"case_ref\nA\x00B\n")
@example(data=b"case_ref\nCRN/2007/0456\n=1+1\n")
@example(data=b"case_ref,om_count\nC1," + b"9" * 5000 + b"\n")
def test_import_cases_refuses_or_imports_whole(inspection, data):
    def example():
        before = stored()
        try:
            result = import_case_sample(inspection, data, "fuzz.csv")
        except ImportRefused as refused:
            assert refused.problems and all(p.line >= 1 for p in refused.problems)
            assert stored() == before  # nothing written
        else:
            assert Case.objects.count() == len(before[0]) + result.created

    rolled_back(example)


@FUZZ
@given(data=st.one_of(st.binary(max_size=3000), csv_file(["case_ref", "question_code", "answer", "note"])))
def test_import_answers_refuses_or_imports_whole(inspection, case, data):
    def example():
        before = stored()
        try:
            result = import_answer_file(inspection, data, "fuzz.csv")
        except ImportRefused:
            assert stored() == before
        else:  # the whole case was imported (every question answered or na), or nothing at all
            assert Assessment.objects.filter(case=case, state="submitted").count() == result.assessments
            assert Answer.objects.filter(assessment__case=case).count() == result.answers

    rolled_back(example)


@FUZZ
@given(
    data=st.one_of(csv_file(["case_ref"]), csv_file(["case_ref", "question_code", "answer", "note"])),
    command=st.sampled_from(["import_cases", "import_answers"]),
)
def test_the_commands_exit_0_or_2_with_the_file_named(tmp_path_factory, inspection, data, command):
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.csv"
    path.write_bytes(data)

    def example():
        before = stored()
        try:
            call_command(command, inspection.slug, str(path), stdout=StringIO())
        except CommandError as error:
            assert error.returncode == 2 and str(error).startswith("fuzz.csv: ")
            assert stored() == before

    rolled_back(example)


# --- The answer-save endpoint --------------------------------------------------------------------------------------

# Valid answers and the right version half the time, so the note's checks are reached, not only the value's.
options = st.sampled_from(["yes", "no", "na", "correct", "too_high", ""])
value = st.one_of(options, options, text, huge)
version = st.one_of(st.just("0"), st.just("0"), st.sampled_from(["1", "", "-1", "٣", "9" * 30, "1e3", " 0 "]), text)
note = st.one_of(text, text, huge, st.just("x" * 2_700_000))


@FUZZ
@given(value=value, note=note, version=version, question=st.sampled_from(["1.1.01", "1.1.03", "1.1.S"]))
@example(value="yes", note="before\x00after", version="0", question="1.1.01")
@example(value="yes", note="n" * 2_000_000, version="0", question="1.1.01")
def test_autosave_never_fails_and_never_half_saves(client, case, inspector, value, note, version, question):
    client.force_login(inspector)
    url = reverse("save_answer", args=[case.inspection.slug, case.case_ref, question])

    def example():
        before = Answer.objects.filter(assessment__case=case, question__code=question).values_list("value", "note")
        before = before.first()
        response = client.post(
            url, {f"value-{question}": value, f"note-{question}": note, f"version-{question}": version}, **HTMX
        )
        assert response.status_code in (200, 400, 409)
        after = (
            Answer.objects.filter(assessment__case=case, question__code=question).values_list("value", "note").first()
        )
        if after != before:  # saved: exactly what was sent, never part of it
            assert after == (value.strip(), note.replace("\r\n", "\n").strip())

    rolled_back(example)


@FUZZ
@given(body=st.binary(max_size=4000))
@example(body=b"value-1.1.03=correct&version-1.1.03=0&note-1.1.03=a%00b")
def test_autosave_takes_any_bytes_as_a_body(client, case, inspector, body):
    client.force_login(inspector)
    url = reverse("save_answer", args=[case.inspection.slug, case.case_ref, "1.1.03"])

    def example():
        before = stored()
        response = client.generic("POST", url, body, content_type="application/x-www-form-urlencoded", **HTMX)
        assert response.status_code in (200, 400, 409)
        if response.status_code != 200 or "Saved at" not in response.content.decode("utf-8", "replace"):
            assert stored()[1] == before[1]

    rolled_back(example)


@FUZZ
@given(
    fields=st.dictionaries(
        st.one_of(text, st.sampled_from(["value-1.1.03", "note-1.1.03", "version-1.1.03"])),
        st.one_of(text, huge),
        max_size=6,
    )
)
@example(fields={"value-1.1.03": "correct", "version-1.1.03": "0", "note-1.1.03": "a\x00b"})
def test_the_page_without_javascript_never_fails(client, case, inspector, fields):
    client.force_login(inspector)
    url = reverse("criterion_form", args=[case.inspection.slug, case.case_ref, "1.1"])

    def example():
        response = client.post(url, fields)
        assert response.status_code in (200, 302, 400, 409)

    rolled_back(example)


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1"])
def test_a_file_in_another_encoding_is_named_as_such(tmp_path, inspection, encoding):
    path = tmp_path / "sample.csv"
    path.write_bytes("case_ref,case_type\nCé01,community\n".encode(encoding))
    with pytest.raises(CommandError) as caught:
        call_command("import_cases", inspection.slug, str(path), stdout=StringIO())
    assert caught.value.returncode == 2 and "the file is not UTF-8 text" in str(caught.value)

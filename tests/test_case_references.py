"""Case references: one pattern (inspections.input_rules) through every door — the upload, import_cases,
Django admin and a judgement's linked cases. A reference with "/" used to be accepted, after which the case
list was a 500 for everyone; one starting with "=" became a live formula in exports."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from cases.models import Case
from inspections.input_rules import case_ref_problem

BAD_REFS = ["CRN/2007/0456", "=1+1", "+44", "-2", "@SUM(A1)", "C 001", "C001\t", "../x", ".hidden", "é001"]


@pytest.mark.parametrize("ref", BAD_REFS)
def test_the_rule_refuses(ref):
    assert case_ref_problem(ref)


@pytest.mark.parametrize("ref", ["C001", "CRN-2007-0456", "cu_12.3", "7", "X" * 60])
def test_the_rule_accepts(ref):
    assert case_ref_problem(ref) is None


def test_a_slash_gets_a_suggestion():
    assert "(for example CRN-2007-0456)" in case_ref_problem("CRN/2007/0456")


@pytest.mark.parametrize("ref", ["CRN/2007/0456", "=HYPERLINK(1)", "@x", "-x", "+x"])
def test_import_cases_refuses_with_the_line_and_writes_nothing(tmp_path, inspection, ref):
    path = tmp_path / "sample.csv"
    path.write_text(f'case_ref\nC001\n"{ref}"\n', encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("import_cases", inspection.slug, str(path), stdout=StringIO())
    assert caught.value.returncode == 2
    assert "sample.csv: line 3: column case_ref: " in str(caught.value)
    assert "is not a valid case reference" in str(caught.value)
    assert not Case.objects.exists()


def test_upload_refuses_with_the_error_summary(client, inspection, lead):
    client.force_login(lead)
    upload = SimpleUploadedFile("sample.csv", b"case_ref\nCRN/2007/0456\n=cmd|' /C calc'!A0\n", "text/csv")
    response = client.post(reverse("import_sample", args=[inspection.slug]), {"file": upload})
    content = response.content.decode()
    assert "govuk-error-summary" in content and 'href="#sample-file"' in content
    assert "sample.csv: line 2: column case_ref: &#x27;CRN/2007/0456&#x27; is not a valid case reference" in content
    assert "sample.csv: line 3: column case_ref: &#x27;=cmd|&#x27; /C calc&#x27;!A0&#x27; is not a valid" in content
    assert not Case.objects.exists()


def test_the_case_list_works_after_an_import(client, inspection, lead):
    client.force_login(lead)
    upload = SimpleUploadedFile("sample.csv", b"case_ref\nCRN-2007-0456\n", "text/csv")
    client.post(reverse("import_sample", args=[inspection.slug]), {"file": upload})
    response = client.get(reverse("case_list", args=[inspection.slug]))
    assert response.status_code == 200 and "CRN-2007-0456" in response.content.decode()


def test_the_model_refuses_a_bad_reference_for_any_form(case, client, admin_user):
    """The rule is on the model field, so any ModelForm (Django admin's included) applies it; Django admin
    itself shows cases read only."""
    case.case_ref = "CRN/1"
    with pytest.raises(ValidationError, match="is not a valid case reference"):
        case.full_clean()
    client.force_login(admin_user)
    url = reverse("admin:cases_case_change", args=[case.pk])
    assert client.post(url, {"case_ref": "CRN/1", "attributes": "{}", "assessor": ""}).status_code == 403


def test_judgement_linked_cases_with_a_nul_is_a_field_error(client, inspection, lead, case):
    client.force_login(lead)
    url = reverse("save_judgement", args=[inspection.slug, "criterion", "1.1"])
    response = client.post(url, {"kind": "conclusion", "value": "good", "cases": "C001 C\x00002"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "is not a case reference" in content and 'id="cases-error"' in content

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Case

GOOD = b"case_ref,case_type,ppo,assessor\nC001,community,true,inspector\nC002,licence,false,\n"


def url(inspection):
    return reverse("import_sample", args=[inspection.slug])


def upload(content: bytes = GOOD, name: str = "area sample.csv"):
    return {"file": SimpleUploadedFile(name, content, content_type="text/csv")}


def test_lead_sees_the_upload_form(client, inspection, lead):
    client.force_login(lead)
    response = client.get(url(inspection))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'enctype="multipart/form-data"' in content
    assert 'class="govuk-file-upload" id="sample-file" name="file" type="file"' in content
    assert "<code>requirements</code>" in content  # the framework's columns are listed
    assert reverse("inspection_detail", args=[inspection.slug]) in content  # breadcrumbs
    assert "govuk-error-summary" not in content


def test_import_adds_the_cases_and_shows_the_sample(client, inspection, lead, inspector):
    client.force_login(lead)
    response = client.post(url(inspection), upload())
    assert response.status_code == 302
    assert response["Location"] == reverse("sample_composition", args=[inspection.slug])
    cases = {case.case_ref: case for case in Case.objects.filter(inspection=inspection)}
    assert cases["C001"].attributes == {"case_type": "community", "ppo": True}
    assert cases["C001"].assessor == inspector and cases["C002"].assessor is None
    record = Case.history.get(case_ref="C001")
    assert (record.history_user, record.history_change_reason) == (lead, "Imported from area sample.csv")
    page = client.get(response["Location"]).content.decode()
    assert "2 cases imported" in page


def test_admin_may_import(client, inspection, admin_user):
    client.force_login(admin_user)
    assert client.post(url(inspection), upload(b"case_ref\nC001\n")).status_code == 302
    assert Case.objects.filter(inspection=inspection).count() == 1


def test_problems_are_listed_by_line_and_column_and_nothing_is_written(client, inspection, lead):
    client.force_login(lead)
    bad = b"case_ref,ppo,colour\nC001,maybe,red\nC001,true,blue\n"
    response = client.post(url(inspection), upload(bad, name="bad.csv"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content and "There is a problem" in content
    assert "The file has 3 problems" in content
    for message in [
        "bad.csv: line 1: column colour: unknown column",
        "bad.csv: line 2: column ppo: &#x27;maybe&#x27; is not one of: true, false",
        "bad.csv: line 3: column case_ref: duplicate case reference &#x27;C001&#x27; (first on line 2)",
    ]:
        assert message in content
    assert 'href="#sample-file"' in content and "govuk-file-upload--error" in content
    assert not Case.objects.exists()


def test_file_that_is_not_utf8_is_reported(client, inspection, lead):
    client.force_login(lead)
    response = client.post(url(inspection), upload("case_ref\nCé1\n".encode("latin-1")))
    assert "area sample.csv: line 2: the file is not UTF-8 text" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Select a CSV file of the case sample"),
        (upload(b""), "The selected file is empty"),
    ],
)
def test_missing_or_empty_file(client, inspection, lead, data, message):
    client.force_login(lead)
    response = client.post(url(inspection), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content and message in content
    assert not Case.objects.exists()


@pytest.mark.parametrize("persona", ["inspector", "local_assessor"])
def test_members_who_are_not_lead_get_403(client, inspection, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(inspection)).status_code == 403
    assert client.post(url(inspection), upload()).status_code == 403
    assert not Case.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "other_inspection_member"])
def test_people_outside_the_inspection_get_404(client, inspection, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(inspection)).status_code == 404
    assert client.post(url(inspection), upload()).status_code == 404
    assert not Case.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, inspection):
    response = client.post(url(inspection), upload())
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not Case.objects.exists()

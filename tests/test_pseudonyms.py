"""Pseudonymised roles (observers: no SEE_CASE_REFS in inspections.policy) see pseudonyms everywhere:
the case list, the drill-down from scores to cases, exports and the report.

Before: an observer's export hid case references, but their drill-down from scores to a question showed
the real references and evidence notes, and the case list linked to every case's pages.
"""

import csv
import io
import re
import zipfile

import pytest
from django.urls import reverse

from cases.models import Answer
from cases.pseudonyms import pseudonym
from inspections.models import Membership
from tests.factories import add_member, make_assessed_cases, make_user

NOTE = "Spoke to Mrs Smith at 12 High Street"


@pytest.fixture
def observer(inspection):
    return add_member(inspection, make_user("observer"), Membership.Role.OBSERVER).user


@pytest.fixture
def assessed(inspection, lead):
    cases = make_assessed_cases(inspection, 3, prefix="REAL")
    Answer.objects.filter(assessment__case=cases[0], question__code="1.1.03").update(note=NOTE)
    return cases


def drill_down(client, inspection):
    return client.get(reverse("question_cases", args=[inspection.slug, "1.1", "1.1.03"])).content.decode()


def test_the_drill_down_shows_an_observer_pseudonyms_and_no_notes(client, inspection, observer, assessed):
    client.force_login(observer)
    content = drill_down(client, inspection)
    assert "REAL" not in content and NOTE not in content
    for case in assessed:
        assert pseudonym(inspection, case.case_ref) in content
    assert reverse("check_answers", args=[inspection.slug, assessed[0].case_ref]) not in content
    assert "3 of 3 relevant cases sufficient" in content  # the figures are the same


def test_the_drill_down_shows_the_lead_references_and_notes(client, inspection, lead, assessed):
    client.force_login(lead)
    content = drill_down(client, inspection)
    assert "REAL0000" in content and NOTE in content
    assert reverse("check_answers", args=[inspection.slug, "REAL0000"]) in content


def test_an_observer_cannot_open_a_case_by_its_reference(client, inspection, observer, assessed):
    client.force_login(observer)
    ref = assessed[0].case_ref
    for name in ("case_tasks", "check_answers", "case_history"):
        assert client.get(reverse(name, args=[inspection.slug, ref])).status_code == 404
    assert client.get(reverse("criterion_form", args=[inspection.slug, ref, "1.1"])).status_code == 404


def test_the_case_list_shows_an_observer_pseudonyms(client, inspection, observer, assessed):
    client.force_login(observer)
    content = client.get(reverse("case_list", args=[inspection.slug])).content.decode()
    assert "REAL" not in content
    assert sorted(re.findall(r"CASE-[0-9A-F]{10}", content)) == sorted(
        pseudonym(inspection, case.case_ref) for case in assessed
    )


def test_an_inspector_sees_their_own_cases_by_reference(client, inspection, inspector, assessed):
    assessed[1].assessor = inspector
    assessed[1].save()
    client.force_login(inspector)
    content = client.get(reverse("case_list", args=[inspection.slug])).content.decode()
    assert "REAL0001" in content


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_exports_for_an_observer_hold_no_reference_or_note(client, inspection, observer, assessed, kind):
    client.force_login(observer)
    response = client.get(reverse("export_answers", args=[inspection.slug]) + f"?format={kind}")
    body = b"".join(response.streaming_content)
    if kind == "xlsx":
        archive = zipfile.ZipFile(io.BytesIO(body))
        body = b"".join(archive.read(name) for name in archive.namelist())
    text = body.decode("utf-8", "replace")
    assert "REAL" not in text and NOTE not in text
    if kind == "csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert {row[0] for row in rows[1:]} == {pseudonym(inspection, case.case_ref) for case in assessed}


def test_the_report_names_no_case(client, inspection, lead, observer, assessed):
    from reports.rendering import report_html

    assert "REAL" not in report_html(inspection)
    client.force_login(observer)
    assert "REAL" not in client.get(reverse("report_preview", args=[inspection.slug])).content.decode()

"""Rendering in the background, publishing an immutable version with its hash, exports."""

import csv
import hashlib
import io

import pytest
from django.test import override_settings
from django.urls import reverse

from inspections.errors import NotAllowed, WrongStage
from inspections.models import Inspection
from reports.models import PublishedReport, ReportRender
from reports.publishing import TamperedPublication, publish_report, start_revision, verified_pdf
from reports.services import save_content
from scoring.services import finalise_scores
from tests.factories import make_assessed_cases, seen_report, seen_scores


@pytest.fixture
def finalised(inspection, lead):
    make_assessed_cases(inspection, 4, values=lambda i: {"1.1.03": "too_high" if i == 0 else "correct"})
    finalise_scores(user=lead, inspection=inspection, seen=seen_scores(inspection))
    inspection.refresh_from_db()
    return inspection


def test_render_runs_in_the_background_and_offers_the_pdf(client, finalised, lead, django_capture_on_commit_callbacks):
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("render_report", args=[finalised.slug]))
    assert response.status_code == 302
    job = ReportRender.objects.get()
    assert job.status == "ready" and job.pages >= 1 and bytes(job.pdf).startswith(b"%PDF")
    page = client.get(reverse("report_status", args=[finalised.slug])).content.decode()
    assert "Ready" in page and "Download the draft PDF" in page
    pdf = client.get(reverse("render_download", args=[finalised.slug, job.pk]))
    assert pdf["Content-Type"] == "application/pdf"


def test_failed_render_shows_a_clear_message(client, finalised, lead, monkeypatch, django_capture_on_commit_callbacks):
    def broken(*args, **kwargs):
        raise RuntimeError("font missing")

    monkeypatch.setattr("reports.rendering.render_report_pdf", broken)
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("render_report", args=[finalised.slug]))
    page = client.get(reverse("report_status", args=[finalised.slug])).content.decode()
    assert "The PDF could not be rendered" in page and "font missing" in page


def test_publish_needs_finalised_scores_and_admin(inspection, lead, admin_user):
    with pytest.raises(NotAllowed, match="Only an administrator"):
        publish_report(user=lead, inspection=inspection, seen=seen_report(inspection))
    with pytest.raises(WrongStage, match="must be finalised"):
        publish_report(user=admin_user, inspection=inspection, seen=seen_report(inspection))


@override_settings(LEADS_MAY_PUBLISH=True)
def test_lead_may_publish_when_allowed(finalised, lead):
    assert publish_report(user=lead, inspection=finalised, seen=seen_report(finalised)).version == 1


def test_published_report_is_immutable_with_verified_hash(client, finalised, admin_user):
    published = publish_report(user=admin_user, inspection=finalised, seen=seen_report(finalised))
    assert published.sha256 == hashlib.sha256(bytes(published.pdf)).hexdigest()
    assert Inspection.objects.get().status == "published"
    published.reason = "changed"
    with pytest.raises(ValueError, match="cannot be changed"):
        published.save()
    with pytest.raises(ValueError, match="cannot be deleted"):
        published.delete()
    with pytest.raises(WrongStage, match="already published"):
        publish_report(user=admin_user, inspection=finalised, seen=seen_report(finalised))
    start_revision(user=admin_user, inspection=finalised, reason="Typo in the foreword", published_version=1)
    save_content(user=admin_user, inspection=finalised, fields={"foreword": "Corrected."}, base_version=0)
    revision = publish_report(user=admin_user, inspection=finalised, seen=seen_report(finalised))
    assert revision.version == 2 and revision.reason == "Typo in the foreword"
    assert revision.sha256 != published.sha256
    client.force_login(admin_user)
    response = client.get(reverse("published_download", args=[finalised.slug, 1]))
    assert response["X-Content-SHA256"] == published.sha256 and response.content == bytes(published.pdf)


def test_tampered_pdf_is_refused_on_download(finalised, admin_user):
    published = publish_report(user=admin_user, inspection=finalised, seen=seen_report(finalised))
    PublishedReport.objects.filter(pk=published.pk).update(pdf=b"%PDF-tampered")
    with pytest.raises(TamperedPublication, match="stored PDF does not match the SHA-256"):
        verified_pdf(PublishedReport.objects.get(pk=published.pk))


def test_answers_export_pseudonymised_for_observers(client, finalised, lead):
    from inspections.models import Membership
    from tests.factories import add_member, make_user

    observer = add_member(finalised, make_user("observer"), Membership.Role.OBSERVER).user
    client.force_login(lead)
    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(client.get(reverse("export_answers", args=[finalised.slug])).streaming_content).decode()
            )
        )
    )
    assert rows[0][:2] == ["case", "question"] and rows[1][0] == "S0000" and "note" in rows[0]
    client.force_login(observer)
    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(client.get(reverse("export_answers", args=[finalised.slug])).streaming_content).decode()
            )
        )
    )
    assert rows[1][0].startswith("CASE-") and "note" not in rows[0]
    assert len(rows) == 1 + 4 * 4  # one row per case × question


def test_xlsx_exports(client, finalised, lead):
    client.force_login(lead)
    for name in ("export_answers", "export_scores_file"):
        response = client.get(reverse(name, args=[finalised.slug]) + "?format=xlsx")
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"PK")


def test_scores_csv_export(client, finalised, lead):
    client.force_login(lead)
    body = b"".join(client.get(reverse("export_scores_file", args=[finalised.slug])).streaming_content).decode()
    assert body.splitlines()[0] == "criterion,question,sufficient,relevant,score"


def test_exports_refused_to_assessors(client, finalised, inspector, outsider):
    client.force_login(inspector)
    assert client.get(reverse("export_answers", args=[finalised.slug])).status_code == 403
    client.force_login(outsider)
    assert client.get(reverse("export_answers", args=[finalised.slug])).status_code == 404

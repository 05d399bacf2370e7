"""manage.py verify_published: every published version checked against its recorded hash."""

import io

import pytest
from django.core.management import CommandError, call_command

from reports.models import PublishedReport
from reports.publishing import publish_report
from scoring.services import finalise_scores
from tests.factories import make_assessed_cases, seen_report, seen_scores


@pytest.fixture
def published(inspection, lead, admin_user):
    make_assessed_cases(inspection, 2)
    finalise_scores(user=lead, inspection=inspection, seen=seen_scores(inspection))
    inspection.refresh_from_db()
    return publish_report(user=admin_user, inspection=inspection, seen=seen_report(inspection))


def _verify(*args) -> str:
    out = io.StringIO()
    call_command("verify_published", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_untouched_versions_verify(published):
    assert _verify() == "1 published version verified\n"
    assert _verify(published.inspection.slug) == "1 published version verified\n"


def test_nothing_published_is_nothing_to_check(db):
    assert _verify() == "0 published versions verified\n"


def test_a_changed_pdf_is_named_and_fails(published):
    PublishedReport.objects.filter(pk=published.pk).update(pdf=b"%PDF-tampered")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 of 1 published versions failed the check") as refused:
        call_command("verify_published", stdout=io.StringIO(), stderr=err)
    assert refused.value.returncode == 1
    assert f"{published.inspection.slug} version 1:" in err.getvalue()


def test_a_changed_snapshot_is_named_and_fails(published):
    PublishedReport.objects.filter(pk=published.pk).update(snapshot_json=published.snapshot_json.replace("1", "2", 1))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 of 1 published versions failed the check"):
        call_command("verify_published", stdout=io.StringIO(), stderr=err)
    assert "snapshot" in err.getvalue()


def test_unknown_inspection_is_refused(db):
    with pytest.raises(CommandError, match="no inspection with the slug nowhere") as refused:
        call_command("verify_published", "nowhere")
    assert refused.value.returncode == 2

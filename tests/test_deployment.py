"""Deployment: production settings pass `check --deploy`, the development secret is never served without
DEBUG, every page carries a Content-Security-Policy with no inline script, case data is never cached, and
errors get GOV.UK pages that say why and what to do.

Before: check --deploy warned (W004 HSTS, W008 SSL redirect); there was no CSP, no HSTS, no Cache-Control;
the development secret was refused only under gunicorn (and ALLOW_DEV_SECRET switched even that off);
403 was a bare "403 Forbidden" and 404/500 had no layout.
"""

import hashlib
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.views.defaults import server_error

from inspections.models import Membership
from reports.models import PublishedReport, ReportRender

ROOT = Path(__file__).resolve().parent.parent


def run_django(code: str, tmp_path, **env) -> subprocess.CompletedProcess:
    """Python with production settings: DEBUG, PLAIN_HTTP and the test's own settings left out."""
    test_only = {"DEBUG", "PLAIN_HTTP", "SECRET_KEY", "SECURE_COOKIES", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in test_only}
    clean.update(DJANGO_SETTINGS_MODULE="config.settings", VAR_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_reports_nothing_with_production_settings(tmp_path):
    result = run_django(
        "import django, sys; from django.core.management import call_command; django.setup(); "
        "call_command('check', deploy=True, fail_level='WARNING')",
        tmp_path,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="inspections.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_development_secret_is_refused_by_every_server(tmp_path):
    result = run_django("from django.core.wsgi import get_wsgi_application; get_wsgi_application()", tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY is the development key" in result.stderr


def test_allow_dev_secret_no_longer_switches_the_check_off(tmp_path):
    result = run_django(
        "from django.core.wsgi import get_wsgi_application; get_wsgi_application()", tmp_path, ALLOW_DEV_SECRET="true"
    )
    assert result.returncode != 0 and "SECRET_KEY is the development key" in result.stderr


def test_the_development_secret_is_served_only_with_debug(settings):
    with override_settings(DEBUG=False, SECRET_KEY=settings.DEV_SECRET_KEY):
        with pytest.raises(ImproperlyConfigured, match="development key"):
            WSGIHandler()
    with override_settings(DEBUG=True, SECRET_KEY=settings.DEV_SECRET_KEY):
        WSGIHandler()


def test_pages_carry_a_strict_content_security_policy(client, inspection, lead):
    client.force_login(lead)
    for url in (reverse("login"), reverse("home"), reverse("inspection_detail", args=[inspection.slug])):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_no_template_has_inline_script_or_event_handlers():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag:
                offenders.append(f"{path.name}: {tag}")
        offenders += [f"{path.name}: {m}" for m in re.findall(r"\s(on[a-z]+|hx-on[:\w-]*)=", text)]
        offenders += [f"{path.name}: javascript: URL" for _ in re.findall(r"javascript:", text)]
    assert offenders == []


def test_the_report_preview_allows_inline_styles_but_no_script(client, inspection, lead):
    client.force_login(lead)
    policy = client.get(reverse("report_preview", args=[inspection.slug]))["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy and "script-src 'self'" in policy


@pytest.fixture
def downloads(inspection, lead):
    render = ReportRender.objects.create(inspection=inspection, requested_by=lead, status="ready", pdf=b"%PDF", pages=1)
    pdf = b"%PDF-1.7 published"
    PublishedReport.objects.create(
        inspection=inspection,
        version=1,
        published_by=lead,
        snapshot_json="{}",
        snapshot_sha256=hashlib.sha256(b"{}").hexdigest(),
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
    )
    return render


def test_signed_in_pages_exports_and_downloads_are_not_stored(client, inspection, case, lead, downloads):
    client.force_login(lead)
    for url in (
        reverse("case_tasks", args=[inspection.slug, case.case_ref]),
        reverse("export_answers", args=[inspection.slug]),
        reverse("export_answers", args=[inspection.slug]) + "?format=xlsx",
        reverse("export_scores_file", args=[inspection.slug]),
        reverse("render_download", args=[inspection.slug, downloads.pk]),
        reverse("published_download", args=[inspection.slug, 1]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_static_files_keep_their_caching(client, db):
    response = client.get("/static/app/app.css")
    assert response.status_code == 200 and "no-store" not in response.get("Cache-Control", "")


# --- Error pages ---------------------------------------------------------------------------------------------------


def test_403_shows_the_refusal_and_what_to_do(client, inspection, inspector):
    client.force_login(inspector)
    response = client.get(reverse("import_sample", args=[inspection.slug]))
    content = response.content.decode()
    assert response.status_code == 403
    assert "govuk-header" in content and "You cannot do this" in content
    assert "Only the lead inspector can change the case sample." in content
    assert "ask the lead inspector of the inspection or an administrator" in content


def test_404_has_the_layout_and_says_what_to_do(client, lead):
    client.force_login(lead)
    response = client.get("/inspections/nowhere-1999/")
    content = response.content.decode()
    assert response.status_code == 404
    assert "govuk-header" in content and "Page not found" in content and "check it is correct" in content
    assert "URLconf" not in content and "django-admin/" not in content


def test_500_has_the_layout_and_says_what_to_do(rf: RequestFactory):
    content = server_error(rf.get("/")).content.decode()
    assert "govuk-header" in content and "Sorry, there is a problem with the service" in content
    assert "Try again later." in content


def test_a_view_that_fails_shows_the_500_page(client, inspection, lead, monkeypatch):
    import scoring.views

    monkeypatch.setattr(scoring.views, "compute_scores", lambda *a, **k: 1 / 0)
    client.raise_request_exception = False
    client.force_login(lead)
    response = client.get(reverse("scores", args=[inspection.slug]))
    assert response.status_code == 500 and "Sorry, there is a problem with the service" in response.content.decode()


def test_csrf_failure_has_the_layout(client, inspection, lead):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(lead)
    response = strict.post(reverse("render_report", args=[inspection.slug]))
    assert response.status_code == 403
    assert "The page you sent from was out of date" in response.content.decode()


def test_the_demo_runs_with_debug_off():
    script = (ROOT / "scripts" / "run-demo.sh").read_text()
    assert 'DEBUG="${DEBUG:-false}"' in script and "collectstatic" in script and "SECRET_KEY" in script


def test_observer_refusal_message_reaches_the_page(client, inspection):
    from tests.factories import add_member, make_user

    observer = add_member(inspection, make_user("observer"), Membership.Role.OBSERVER).user
    client.force_login(observer)
    response = client.get(reverse("allocation", args=[inspection.slug]))
    assert response.status_code == 403 and "Only the lead inspector can allocate cases." in response.content.decode()

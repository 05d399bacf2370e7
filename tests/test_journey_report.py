"""Journey: the lead writes report parts (with a score placeholder), previews the report,
renders the PDF in the background; an admin publishes it and downloads the published PDF
with its hash. Every page is checked with axe-core."""

import hashlib

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from reports.models import PublishedReport
from scoring.services import finalise_scores
from tests.factories import PASSWORD, make_assessed_cases, seen_scores

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def sign_in(page: Page, base: str, username: str, next_path: str) -> None:
    page.goto(f"{base}/sign-in/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_write_preview_render_publish_download(page: Page, browser: Browser, live_server, inspection, lead, admin_user):
    make_assessed_cases(inspection, 6, values=lambda i: {"1.1.03": "too_high" if i < 2 else "correct"})
    base = live_server.url
    report = f"/inspections/{inspection.slug}/report/"
    sign_in(page, base, "lead", report)
    expect(page.get_by_role("heading", name="Report content")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Foreword").click()
    page.get_by_label("Foreword").fill("Work was sound overall: preparing for sentence scored {{score:1.1}}.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert_accessible(page)

    page.goto(f"{base}{report}criteria/1.1/")
    page.get_by_label("Strengths").fill("Reports were timely\nProposals were clear")
    page.get_by_label("Areas for improvement").fill("Classification of risk was too high in two cases")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert_accessible(page)

    page.goto(f"{base}{report}recommendations/")
    page.get_by_label("Recommendation").fill("Risk of harm classifications are checked by a manager")
    page.get_by_role("button", name="Add recommendation").click()
    page.wait_for_load_state()
    assert_accessible(page)

    # Finalise the scores, then preview: the placeholder shows the same figure as the score table.
    snapshot = finalise_scores(user=lead, inspection=inspection, seen=seen_scores(inspection))
    score = snapshot.data["document"]["criteria"][0]["display"]
    page.goto(f"{base}{report}preview/")
    expect(page.get_by_text(f"preparing for sentence scored {score}.")).to_be_visible()
    expect(page.get_by_text(f"Score: {score}").first).to_be_visible()
    expect(page.get_by_text("Classification of risk was too high in two cases")).to_be_visible()
    assert_accessible(page)  # contents links included (target-size)
    page.set_viewport_size({"width": 390, "height": 800})
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    # The preview leads back to the application (a link the PDF does not print).
    page.get_by_role("link", name="Back to the report page of").click()
    expect(page.get_by_role("heading", name="Inspection report")).to_be_visible()

    page.goto(f"{base}{report}pdf/")
    assert_accessible(page)
    page.get_by_role("button", name="Render the PDF").click()
    page.wait_for_load_state()
    page.goto(f"{base}{report}pdf/")
    expect(page.get_by_text("Ready")).to_be_visible(timeout=30000)
    assert_accessible(page)
    with page.expect_download() as draft:
        page.get_by_role("link", name="Download the draft PDF").click()
    assert draft.value.suggested_filename.endswith(".pdf")

    admin = browser.new_page()
    sign_in(admin, base, "admin", f"{report}pdf/")
    admin.get_by_role("button", name="Publish the report").click()
    expect(admin.locator(".govuk-notification-banner").get_by_text("Version 1 published")).to_be_visible(timeout=30000)
    assert_accessible(admin)
    published = PublishedReport.objects.get()
    expect(admin.get_by_text(published.sha256).first).to_be_visible()
    with admin.expect_download() as download:
        admin.get_by_role("link", name="Version 1 (PDF)").click()
    data = open(download.value.path(), "rb").read()
    assert hashlib.sha256(data).hexdigest() == published.sha256

    # A revision: the admin opens it with a reason, the lead corrects the foreword, the admin publishes
    # version 2; version 1 stays downloadable and the page shows what changed.
    admin.get_by_label("Reason for the revision").fill("The foreword's figure needed its context")
    admin.get_by_role("button", name="Start a revision").click()
    expect(admin.get_by_text("Revision 2 is open")).to_be_visible()
    assert_accessible(admin)
    page.goto(f"{base}{report}parts/foreword/")
    page.get_by_label("Foreword").fill(
        "Work was sound overall: preparing for sentence scored {{score:1.1}} in 6 cases."
    )
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    admin.reload()
    admin.get_by_role("button", name="Publish version 2").click()
    expect(admin.locator(".govuk-notification-banner").get_by_text("Version 2 published")).to_be_visible(timeout=30000)
    admin.get_by_text("What changed from version 1").click()
    expect(admin.locator("ins").filter(has_text="in 6 cases.")).to_be_visible()
    assert_accessible(admin)
    second = PublishedReport.objects.get(version=2)
    assert second.sha256 != published.sha256 and second.reason == "The foreword's figure needed its context"
    with admin.expect_download() as download:
        admin.get_by_role("link", name="Version 1 (PDF)").click()
    assert hashlib.sha256(open(download.value.path(), "rb").read()).hexdigest() == published.sha256

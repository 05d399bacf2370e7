"""Journey: the PDF status page follows a background render and stops asking once it is final.

The lead opens the page while a render is queued; htmx asks for news every 2 s; when the render is
ready (or failed) the fragment comes back without a trigger and the asking stops. Checked with axe.
"""

import time

import pytest
from playwright.sync_api import Page, expect

from reports.models import ReportRender
from tests.test_journey_report import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _polls(page: Page, status_url: str) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url) if request.url.endswith(status_url) else None)
    return seen


@pytest.mark.parametrize("final", ["ready", "failed"])
def test_status_page_stops_polling_on_a_final_state(page: Page, live_server, inspection, lead, final):
    render = ReportRender.objects.create(inspection=inspection, requested_by=lead)
    status_url = f"/inspections/{inspection.slug}/report/pdf/"
    sign_in(page, live_server.url, "lead", status_url)
    polls = _polls(page, status_url)
    expect(page.get_by_text("Waiting for the renderer")).to_be_visible()
    assert_accessible(page)
    deadline = time.monotonic() + 10
    while not polls and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert polls, "the queued render is not being followed"

    if final == "ready":
        ReportRender.objects.filter(pk=render.pk).update(status="ready", pdf=b"%PDF-1.7", pages=12)
        expect(page.get_by_role("link", name="Download the draft PDF (12 pages)")).to_be_visible(timeout=10000)
    else:
        ReportRender.objects.filter(pk=render.pk).update(
            status="failed", error="The renderer stopped while making this PDF, 3 times (last heard from at 10:02:11)."
        )
        expect(page.get_by_text("The renderer stopped while making this PDF, 3 times")).to_be_visible(timeout=10000)
        expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)
    asked = len(polls)
    page.wait_for_timeout(5000)  # more than two polling intervals
    assert len(polls) == asked, "the page still asks for news of a finished render"

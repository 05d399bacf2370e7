"""Journey: the lead picks a case for blind second marking and assigns a marker; the marker assesses
it in the same forms without seeing the first assessment and completes it; the lead reads the
agreement and reconciles. Every page is checked with axe-core, at desktop width and at 390 px."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from cases.models import Answer, SecondMarking
from tests.factories import PASSWORD
from tests.second_marking_helpers import FIRST_NOTE, assessed_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def assert_accessible(page: Page) -> None:
    """No axe violation on the page, as it is and on a 390 px wide screen."""
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        results = Axe().run(page)
        assert results.violations_count == 0, f"{page.url} at {size['width']} px:\n{results.generate_report()}"
    page.set_viewport_size(DESKTOP)


def sign_in(page: Page, base: str, username: str, next_path: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/sign-in/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_assign_second_mark_and_reconcile(page: Page, live_server, inspection, lead, inspector, local_assessor):
    case = assessed_case(inspection, inspector)  # the inspector's answers: 1.1.03 correct, summary yes
    base, slug = live_server.url, inspection.slug
    page.set_viewport_size(DESKTOP)

    # The lead chooses the case and the second marker.
    sign_in(page, base, "lead", f"/inspections/{slug}/")
    page.get_by_role("link", name="Second marking", exact=True).click()
    expect(page.get_by_role("heading", name="Second marking", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Assign second marking").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose at least one case to second-mark")
    assert_accessible(page)
    page.get_by_label("Second-mark case C001").check()
    page.get_by_label("Second marker").select_option(label="assessor")
    page.get_by_role("button", name="Assign second marking").click()
    expect(page.get_by_text("1 case given to assessor for blind second marking.")).to_be_visible()
    assert_accessible(page)

    # The second marker assesses the case without seeing the first assessment.
    sign_in(page, base, "assessor", f"/inspections/{slug}/")
    page.get_by_role("link", name="Your second marking (1 case)").click()
    assert_accessible(page)
    page.get_by_role("link", name="Case C001").click()
    expect(page.get_by_role("heading", name="Case C001")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="1.1 Preparing for sentence").click()
    expect(page.get_by_role("heading", name="1.1 Preparing for sentence")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(FIRST_NOTE)
    expect(page.locator("#q-1-1-03 input:checked")).to_have_count(0)
    gated = page.locator("#q-1-1-02")
    expect(gated).to_be_hidden()
    page.locator("#q-1-1-01").get_by_label("Yes", exact=True).check()
    expect(page.locator("#status-1-1-01")).to_contain_text("Saved at")
    expect(gated).to_be_visible()
    gated.get_by_label("Yes", exact=True).check()
    expect(page.locator("#status-1-1-02")).to_contain_text("Saved at")
    page.locator("#q-1-1-03").get_by_label("Too high").check()
    expect(page.locator("#status-1-1-03")).to_contain_text("Saved at")
    page.locator("#note-1-1-03").fill("Previous convictions point to high")
    expect(page.locator("#status-1-1-03")).to_contain_text("Saved at")
    page.locator("#q-1-1-S").get_by_label("Yes", exact=True).check()
    expect(page.locator("#status-1-1-S")).to_contain_text("Saved at")
    assert_accessible(page)
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Check your answers before completing")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Complete second marking").click()
    expect(page.get_by_text("Second marking of case C001 completed.")).to_be_visible()
    assert_accessible(page)
    assert SecondMarking.objects.get().state == "completed"
    counted = Answer.objects.get(assessment__case=case, question__code="1.1.03")
    assert counted.value == "correct"  # the second marking does not count until reconciled

    # The lead reads the agreement and reconciles the disagreement.
    sign_in(page, base, "lead", f"/inspections/{slug}/agreement/")
    expect(page.get_by_role("heading", name="Agreement between first and second marking")).to_be_visible()
    expect(page.get_by_text("1.1.03 Correct → Too high")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Reconcile case C001").click()
    expect(page.get_by_role("heading", name="Reconcile second marking")).to_be_visible()
    expect(page.get_by_text("Previous convictions point to high")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("The second marker’s answer (Too high)").check()
    page.get_by_role("button", name="Record decisions").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("1.1.03: give a reason for your decision")
    assert_accessible(page)
    page.get_by_label("Reason for the decision on 1.1.03").fill("The previous convictions were missed")
    page.get_by_role("button", name="Record decisions").click()
    expect(page.get_by_text("Second marking of case C001 reconciled.")).to_be_visible()
    assert_accessible(page)
    counted.refresh_from_db()
    assert counted.value == "too_high"
    assert counted.history.first().history_change_reason == (
        "Second marking reconciled: The previous convictions were missed"
    )

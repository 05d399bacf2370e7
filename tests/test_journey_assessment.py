"""Journeys through the real UI: answer with autosave, submit, return, correct, resubmit, approve;
and the same answer flow with JavaScript disabled. Every page is checked with axe-core."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from cases.models import Answer, Assessment
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def assert_accessible_without_js(page: Page, browser: Browser) -> None:
    """axe needs JavaScript: check the same page, with the same session, in a scripting context."""
    context = browser.new_context(storage_state=page.context.storage_state())
    checked = context.new_page()
    checked.goto(page.url)
    assert_accessible(checked)
    context.close()


def sign_in(page: Page, base: str, username: str, next_path: str = "/") -> None:
    page.goto(f"{base}/sign-in/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_answer_submit_return_correct_approve(page: Page, browser: Browser, live_server, case, inspector, lead):
    base = live_server.url
    tasks = f"/inspections/{case.inspection.slug}/cases/{case.case_ref}/"
    sign_in(page, base, "inspector", tasks)
    expect(page.get_by_role("heading", name="Case C001")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="1.1 Preparing for sentence").click()
    expect(page.get_by_role("heading", name="1.1 Preparing for sentence")).to_be_visible()
    # 1.1.02 applies only when a report was written: hidden until then.
    gated = page.locator("#q-1-1-02")
    expect(gated).to_be_hidden()
    assert_accessible(page)

    page.locator("#q-1-1-01").get_by_label("Yes", exact=True).check()
    expect(page.locator("#status-1-1-01")).to_contain_text("Saved at")
    expect(gated).to_be_visible()
    gated.get_by_label("No", exact=True).check()
    expect(page.locator("#status-1-1-02")).to_contain_text("Saved at")
    page.locator("#q-1-1-03").get_by_label("Too high").check()
    expect(page.locator("#status-1-1-03")).to_contain_text("Saved at")
    page.locator("#note-1-1-03").fill("OASys says medium; file suggests high")
    expect(page.locator("#status-1-1-03")).to_contain_text("Saved at")
    page.locator("#q-1-1-S").get_by_label("Yes", exact=True).check()
    expect(page.locator("#status-1-1-S")).to_contain_text("Saved at")
    assert_accessible(page)
    assert Answer.objects.get(question__code="1.1.03").note == "OASys says medium; file suggests high"

    # Changing the gate back hides the dependent question again.
    page.locator("#q-1-1-01").get_by_label("No", exact=True).check()
    expect(gated).to_be_hidden()
    page.locator("#q-1-1-01").get_by_label("Yes", exact=True).check()
    expect(gated).to_be_visible()

    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Check your answers before submitting")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Case C001 submitted for review.")).to_be_visible()
    assert_accessible(page)

    # The lead returns it with a comment on 1.1.03.
    lead_page = browser.new_page()
    sign_in(lead_page, base, "lead", f"{tasks}review/")
    expect(lead_page.get_by_role("heading", name="Review the assessment")).to_be_visible()
    assert_accessible(lead_page)
    lead_page.get_by_label("Comment on 1.1.03 (optional)").fill("Too high? The OASys score supports medium.")
    lead_page.get_by_role("button", name="Return assessment").click()
    expect(lead_page.locator(".govuk-error-summary")).to_be_visible()  # no reason given
    assert_accessible(lead_page)
    lead_page.get_by_label("Return to the assessor").fill("Please look again at the classification.")
    lead_page.get_by_role("button", name="Return assessment").click()
    lead_page.wait_for_load_state()
    assert Assessment.objects.get(case=case).state == "returned"

    # The inspector sees the returned question highlighted, corrects it and resubmits.
    page.goto(f"{base}{tasks}")
    expect(page.get_by_text("Has comments")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="1.1 Preparing for sentence").click()
    expect(page.locator("#comments-1-1-03")).to_contain_text("The OASys score supports medium.")
    assert_accessible(page)
    page.locator("#q-1-1-03").get_by_label("Correct", exact=True).check()
    expect(page.locator("#status-1-1-03")).to_contain_text("Saved at")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Case C001 submitted for review.")).to_be_visible()

    lead_page.goto(f"{base}{tasks}review/")
    lead_page.get_by_role("button", name="Approve assessment").click()
    lead_page.wait_for_load_state()
    assert_accessible(lead_page)
    assert Assessment.objects.get(case=case).state == "approved"
    assert Answer.objects.get(question__code="1.1.03").value == "correct"


def test_answer_flow_without_javascript(browser: Browser, live_server, case, inspector):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    base = live_server.url
    tasks = f"/inspections/{case.inspection.slug}/cases/{case.case_ref}/"
    sign_in(page, base, "inspector", f"{tasks}criteria/1.1/")
    expect(page.locator("#q-1-1-02")).to_be_hidden()
    page.locator("#q-1-1-01").get_by_label("Yes", exact=True).check()
    page.locator("#q-1-1-03").get_by_label("Correct", exact=True).check()
    page.locator("#note-1-1-03").fill("Checked against OASys")
    page.get_by_role("button", name="Save and continue").click()
    # The newly applicable question is now shown, with the saved answers kept.
    expect(page.get_by_text("More questions apply because of your answers")).to_be_visible()
    expect(page.locator("#q-1-1-02")).to_be_visible()
    expect(page.locator("#note-1-1-03")).to_have_value("Checked against OASys")
    assert_accessible_without_js(page, browser)
    page.locator("#q-1-1-02").get_by_label("Yes", exact=True).check()
    page.locator("#q-1-1-S").get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Check your answers before submitting")).to_be_visible()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Case C001 submitted for review.")).to_be_visible()
    assert_accessible_without_js(page, browser)
    assert Assessment.objects.get(case=case).state == "submitted"
    context.close()

"""Journey: the lead reads the draft scores, drills down to a case, records a conclusion that
differs from the suggestion (a reason is required), grades leadership and finalises. axe-checked."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from scoring.models import Judgement, ScoreSnapshot
from tests.factories import PASSWORD, make_assessed_cases

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_lead_reviews_scores_and_finalises(page: Page, live_server, inspection, lead):
    make_assessed_cases(inspection, 6, values=lambda i: {"1.1.03": "too_high" if i < 3 else "correct"})
    page.goto(f"{live_server.url}/sign-in/?next=/inspections/{inspection.slug}/scores/")
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Draft scores")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="1.1 Preparing for sentence").click()
    expect(page.get_by_role("heading", name="1.1 Preparing for sentence")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="1.1.03").click()
    expect(page.get_by_text("3 of 6 relevant cases sufficient")).to_be_visible()
    assert_accessible(page)
    page.go_back()

    page.get_by_label("Priority for improvement").check()
    page.get_by_role("button", name="Save judgement").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give a reason")
    assert_accessible(page)
    page.get_by_label("Reason, if different from the suggestion").fill("Classification errors in half the cases")
    page.get_by_label("Cases that support it").fill("S0000 S0001")
    page.get_by_role("button", name="Save judgement").click()
    expect(page.get_by_text("Judgement on 1.1 saved.")).to_be_visible()

    page.goto(f"{live_server.url}/inspections/{inspection.slug}/scores/criteria/2.1/")
    page.get_by_label("Well met").check()
    page.get_by_role("button", name="Save judgement").click()
    expect(page.get_by_text("Judgement on 2.1 saved.")).to_be_visible()

    page.goto(f"{live_server.url}/inspections/{inspection.slug}/scores/")
    expect(page.get_by_text("Differs")).to_be_visible()
    page.get_by_role("button", name="Finalise scores").click()
    expect(page.get_by_text("Scores finalised (snapshot 1)")).to_be_visible()
    assert_accessible(page)
    assert Judgement.objects.count() == 2
    assert ScoreSnapshot.objects.get().data["document"]["criteria"][0]["judgement"] == "priority"

"""Journey: a lead compares the programme's inspections, highlights one, narrows the dates, meets
an error, includes finalised inspections and finds the exports. axe-checked, also at 390 px."""

import datetime
import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from inspections.models import Membership
from inspections.structure import structure_for
from scoring.services import finalise_scores
from tests.factories import PASSWORD, add_member, make_assessed_cases, make_inspection, make_user, seen_scores
from tests.programme_factories import publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AREAS = ["Cumbria", "Lincolnshire", "Hertfordshire", "Gwent", "Avon and Somerset"]


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def shot(page: Page, name: str) -> None:
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"programme-{name}.png"), full_page=True)


def omi_programme(lead):
    """Five omi-2006 inspections, each with its own share of insufficient answers; the last one
    finalised but not published."""
    inspections = []
    for number, area in enumerate(AREAS):
        inspection = make_inspection(
            slug=f"{area.split()[0].lower()}-2007",
            area=area,
            fieldwork_start=datetime.date(2007, 1 + 2 * number, 10),
        )
        add_member(inspection, lead, Membership.Role.LEAD)
        questions = structure_for(inspection.framework).questions
        make_assessed_cases(inspection, 8, values=lambda index, n=number, q=questions: _answers(q, index, n))
        finalise_scores(user=lead, inspection=inspection, seen=seen_scores(inspection))
        if number < len(AREAS) - 1:
            publish(inspection, lead)
        inspections.append(inspection)
    return inspections


def _answers(questions, index, number):
    """Every (3 + number)th answer insufficient, shifted per case: each area scores differently."""
    chosen = {}
    for position, (code, question) in enumerate(questions.items()):
        if (position + index + number) % (3 + number) == 0:
            options = question.options
            chosen[code] = next((o.code for o in options if not o.sufficient), options[0].code)
    return chosen


def test_lead_compares_the_programme(page: Page, live_server, frameworks):
    lead = make_user("lead")
    omi_programme(lead)
    page.goto(f"{live_server.url}/sign-in/?next=/programmes/")
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Offender Management Inspection (2006-09)").click()
    expect(page.get_by_role("heading", name="Offender Management Inspection (2006-09)")).to_be_visible()
    expect(page.get_by_text("4 inspections with finalised scores, published")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Highlight an inspection").select_option(label="Lincolnshire, Mar 2007")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("columnheader", name="Lincolnshire")).to_be_visible()
    expect(page.locator("figcaption")).to_contain_text("Lincolnshire as a larger diamond")
    shot(page, "highlighted")
    assert_accessible(page)

    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page)
    shot(page, "narrow")
    page.set_viewport_size({"width": 1280, "height": 900})

    # A date that does not exist: the error summary links to the field.
    page.locator("#fieldwork_from_0").fill("31")
    page.locator("#fieldwork_from_1").fill("2")
    page.locator("#fieldwork_from_2").fill("2007")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Fieldwork from must be a real date")
    assert_accessible(page)

    page.locator("#fieldwork_from_0").fill("1")
    page.locator("#fieldwork_from_1").fill("4")
    page.get_by_label("Include finalised inspections not yet published").check()
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("3 inspections with finalised scores, fieldwork from 1 April 2007")).to_be_visible()
    expect(page.get_by_role("cell", name="Scores finalised, not published")).to_be_visible()
    assert_accessible(page)
    shot(page, "filtered")

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV of the programme figures").click()
    assert download.value.suggested_filename == "programme-omi-2006.csv"

    # Cumbria again, two years on: its scores beside those of its last inspection.
    again = make_inspection(slug="cumbria-2009", area="Cumbria", fieldwork_start=datetime.date(2009, 2, 2))
    add_member(again, lead, Membership.Role.LEAD)
    make_assessed_cases(again, 4)
    page.goto(f"{live_server.url}/inspections/{again.slug}/")
    page.get_by_role("link", name="Trends since the area's last inspection").click()
    expect(page.get_by_role("heading", name="Trends since the last inspection")).to_be_visible()
    expect(page.get_by_text("Compared with Offender Management Inspection of Cumbria 2007")).to_be_visible()
    page.get_by_text("Questions of criterion 1.1", exact=True).click()
    shot(page, "trends")
    assert_accessible(page)
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page)

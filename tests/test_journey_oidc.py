"""Journey: a member of staff signs in with the organisation's identity provider in the browser:
the redirect to a real OpenID Connect provider on loopback, choosing the identity there, the code
exchange and ID-token validation, and landing signed in on the page they asked for. axe-checked."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from accounts.models import OrganisationIdentity
from inspections.models import Membership
from tests.factories import add_member, make_user
from tests.oidc_provider import organisation_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_staff_sign_in_with_the_organisation_account(page: Page, live_server, inspection):
    # Sam already has a local account on the inspection's team; the provider vouches for the address.
    sam = make_user("sam", email="sam.lead@inspectorate.example")
    add_member(inspection, sam, Membership.Role.LEAD)
    with organisation_provider():
        page.goto(f"{live_server.url}/inspections/{inspection.slug}/")
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("button", name="Sign in with the Inspectorate").click()
        # The provider's own page: choose who to be.
        page.get_by_role("button", name="Authorize as staff-0002").click()
        expect(page.get_by_role("heading", name=inspection.title)).to_be_visible()
        expect(page.get_by_role("button", name="Sign out sam")).to_be_visible()
        assert OrganisationIdentity.objects.get().user == sam

        # A second person, new to the service: an account without roles.
        page.get_by_role("button", name="Sign out sam").click()
        page.goto(f"{live_server.url}/sign-in/")
        page.get_by_role("button", name="Sign in with the Inspectorate").click()
        page.get_by_role("button", name="Authorize as staff-0001").click()
        expect(page.get_by_role("heading", name="Your inspections")).to_be_visible()
        expect(page.get_by_text("You are not on the team of any inspection yet")).to_be_visible()
        assert get_user_model().objects.filter(username="jo.bloggs").exists()

        # Local accounts remain.
        page.get_by_role("button", name="Sign out jo.bloggs").click()
        page.goto(f"{live_server.url}/sign-in/")
        page.get_by_label("Username").fill("sam")
        page.get_by_label("Password").fill("correct-horse-battery")
        page.get_by_role("button", name="Sign in", exact=True).click()
        expect(page.get_by_role("button", name="Sign out sam")).to_be_visible()


def test_a_refused_sign_in_comes_back_with_a_message(page: Page, live_server, db):
    with organisation_provider(OIDC_CREATE_USERS=False):
        page.goto(f"{live_server.url}/sign-in/")
        page.get_by_role("button", name="Sign in with the Inspectorate").click()
        page.get_by_role("button", name="Authorize as staff-0001").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Signing in with the Inspectorate did not work")
        assert_accessible(page)

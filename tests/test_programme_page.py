"""The programme page: who sees it and which inspections, filters, the highlighted inspection, exports."""

import csv
import io

import pytest
from django.urls import reverse

from inspections.models import Membership
from tests.factories import add_member, make_user
from tests.programme_factories import golden_programme

URL = reverse("programme", args=["mini-test"])


@pytest.fixture
def people(mini_framework):
    gamma_lead = make_user("gamma_lead")
    inspections = golden_programme(published=("alpha-2007", "beta-2007"), leads={"gamma-2008": gamma_lead})
    observer = make_user("beta_observer")
    add_member(inspections["beta-2007"], observer, Membership.Role.OBSERVER)
    inspector = make_user("beta_inspector")
    add_member(inspections["beta-2007"], inspector, Membership.Role.INSPECTOR)
    return {
        "gamma_lead": gamma_lead,
        "observer": observer,
        "inspector": inspector,
        "admin": make_user("admin", is_superuser=True),
        "outsider": make_user("outsider"),
    }


def areas(response):
    return [entry.area for entry in response.context["programme"].entries]


def test_published_inspections_by_default(client, people, django_assert_max_num_queries):
    client.force_login(people["observer"])
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert response.status_code == 200
    assert areas(response) == ["Betashire", "Alphashire"]
    page = response.content.decode()
    assert "<svg" in page and "Criteria across the programme" in page
    assert "include_unpublished" not in page  # observers are not offered unpublished inspections


def test_leads_and_admins_may_include_finalised_ones(client, people):
    for role in ("gamma_lead", "admin"):
        client.force_login(people[role])
        assert "include_unpublished" in client.get(URL).content.decode()
        response = client.get(URL, {"include_unpublished": "on"})
        assert areas(response) == ["Betashire", "Alphashire", "Gammashire"]


def test_an_observer_asking_for_unpublished_ones_still_gets_published_only(client, people):
    client.force_login(people["observer"])
    assert areas(client.get(URL, {"include_unpublished": "on"})) == ["Betashire", "Alphashire"]


@pytest.mark.parametrize("role", ["inspector", "outsider"])
def test_people_not_of_the_programme_are_told_nothing(client, people, role):
    client.force_login(people[role])
    assert client.get(URL).status_code == 404
    assert client.get(reverse("programme_export", args=["mini-test"])).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, people):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_unknown_programme_is_404(client, people):
    client.force_login(people["admin"])
    assert client.get(reverse("programme", args=["nothing"])).status_code == 404


def test_date_range_filters_by_fieldwork_start(client, people):
    client.force_login(people["admin"])
    query = {"fieldwork_from_0": "1", "fieldwork_from_1": "2", "fieldwork_from_2": "2007", "include_unpublished": "on"}
    assert areas(client.get(URL, query)) == ["Alphashire", "Gammashire"]
    query |= {"fieldwork_to_0": "31", "fieldwork_to_1": "12", "fieldwork_to_2": "2007"}
    response = client.get(URL, query)
    assert areas(response) == ["Alphashire"]
    (figures,) = response.context["programme"].figures
    assert figures.spread.mean == pytest.approx(70)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"fieldwork_from_0": "31", "fieldwork_from_1": "2", "fieldwork_from_2": "2007"}, "must be a real date"),
        ({"fieldwork_from_0": "3", "fieldwork_from_1": "", "fieldwork_from_2": "2007"}, "must include a day"),
        (
            {
                "fieldwork_from_0": "1",
                "fieldwork_from_1": "1",
                "fieldwork_from_2": "2008",
                "fieldwork_to_0": "1",
                "fieldwork_to_1": "1",
                "fieldwork_to_2": "2007",
            },
            "must be the same as or after",
        ),
    ],
)
def test_bad_dates_show_the_error_summary(client, people, query, message):
    client.force_login(people["admin"])
    response = client.get(URL, query)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and message in page and "govuk-form-group--error" in page


def test_highlighted_inspection(client, people):
    client.force_login(people["observer"])
    response = client.get(URL, {"inspection": "alpha-2007"})
    assert response.context["selected"].area == "Alphashire"
    assert response.context["rows"][0][6] == "70%"
    assert "Alphashire: 70%" in response.content.decode()
    # An inspection the person may not see in the programme is not highlighted, and not revealed.
    response = client.get(URL, {"inspection": "gamma-2008"})
    assert response.context["selected"] is None and "Gammashire" not in response.content.decode()


def test_csv_export_follows_the_filters(client, people):
    client.force_login(people["gamma_lead"])
    response = client.get(reverse("programme_export", args=["mini-test"]), {"include_unpublished": "on"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][8:] == ["beta-2007", "alpha-2007", "gamma-2008"]
    response = client.get(reverse("programme_export", args=["mini-test"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][8:] == ["beta-2007", "alpha-2007"]


def test_xlsx_export(client, people):
    client.force_login(people["admin"])
    response = client.get(reverse("programme_export", args=["mini-test"]), {"format": "xlsx"})
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_unknown_export_format_is_404(client, people):
    client.force_login(people["admin"])
    assert client.get(reverse("programme_export", args=["mini-test"]), {"format": "pdf"}).status_code == 404


def test_programme_list_shows_only_programmes_the_person_is_of(client, people):
    client.force_login(people["observer"])
    assert "mini-test" in client.get(reverse("programme_list")).content.decode()
    client.force_login(people["inspector"])
    assert "mini-test" not in client.get(reverse("programme_list")).content.decode()

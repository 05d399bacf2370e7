"""Recommendations: the list with its add form, the edit page and deleting (POST only)."""

import pytest
from django.urls import reverse

from inspections.models import Inspection, Membership
from reports.models import Recommendation
from reports.services import add_recommendation
from tests.factories import add_member, make_admin, make_inspection, make_user


def list_url(inspection):
    return reverse("recommendations", args=[inspection.slug])


def edit_url(recommendation):
    return reverse("edit_recommendation", args=[recommendation.inspection.slug, recommendation.pk])


def delete_url(recommendation):
    return reverse("delete_recommendation", args=[recommendation.inspection.slug, recommendation.pk])


@pytest.fixture
def observer(inspection):
    return add_member(inspection, make_user("observer"), Membership.Role.OBSERVER).user


@pytest.fixture
def three(inspection, lead):
    return [add_recommendation(user=lead, inspection=inspection, text=text) for text in ("One", "Two", "Three")]


def test_list_and_add(client, inspection, lead, three):
    client.force_login(lead)
    html = client.get(list_url(inspection)).content.decode()
    assert "Add a recommendation" in html and edit_url(three[1]) in html
    response = client.post(list_url(inspection), {"text": "Plans are reviewed <promptly>", "criteria": "1.1, 2.1"})
    assert response.status_code == 302 and response["Location"] == list_url(inspection)
    added = Recommendation.objects.get(number=4)
    assert added.text == "Plans are reviewed <promptly>" and added.criteria == ["1.1", "2.1"]
    assert added.history.latest().history_user == lead
    html = client.get(list_url(inspection)).content.decode()
    assert "Plans are reviewed &lt;promptly&gt;" in html and "Recommendation 4 added" in html


@pytest.mark.parametrize(
    "data, message",
    [
        ({"text": "  ", "criteria": ""}, "Enter the recommendation"),
        ({"text": "x", "criteria": "1.1 7.7"}, "7.7 is not a criterion of this framework"),
        ({"text": "{{score:2.1}}", "criteria": ""}, "there is no score"),
    ],
)
def test_add_validates(client, inspection, lead, data, message):
    client.force_login(lead)
    response = client.post(list_url(inspection), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert not Recommendation.objects.exists()


def test_edit_changes_text_and_moves_it(client, inspection, lead, three):
    client.force_login(lead)
    html = client.get(edit_url(three[2])).content.decode()
    assert "Recommendation 3" in html and "govuk-button--warning" in html and delete_url(three[2]) in html
    response = client.post(edit_url(three[2]), {"text": "Three, now first", "criteria": "", "number": "1"})
    assert response.status_code == 302
    assert list(inspection.recommendations.values_list("text", flat=True)) == ["Three, now first", "One", "Two"]


def test_edit_validates_the_number(client, inspection, lead, three):
    client.force_login(lead)
    response = client.post(edit_url(three[0]), {"text": "One", "criteria": "", "number": "9"})
    assert response.status_code == 400
    assert "Enter a number from 1 to 3" in response.content.decode()
    assert Recommendation.objects.get(pk=three[0].pk).number == 1


def test_delete_renumbers(client, inspection, lead, three):
    client.force_login(lead)
    response = client.post(delete_url(three[0]))
    assert response.status_code == 302 and response["Location"] == list_url(inspection)
    assert list(inspection.recommendations.values_list("text", "number")) == [("Two", 1), ("Three", 2)]
    deleted = Recommendation.history.filter(id=three[0].pk).latest()
    assert deleted.history_type == "-" and deleted.history_user == lead


def test_delete_refuses_get(client, inspection, lead, three):
    client.force_login(lead)
    assert client.get(delete_url(three[0])).status_code == 405
    assert Recommendation.objects.count() == 3


def test_another_inspections_recommendation_is_404(client, inspection, lead, mini_framework):
    other = make_inspection(slug="elsewhere-2007", framework="mini-test", area="Elsewhere")
    admin = make_admin("boss")
    theirs = add_recommendation(user=admin, inspection=other, text="Theirs")
    client.force_login(lead)
    url = reverse("edit_recommendation", args=[inspection.slug, theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(reverse("delete_recommendation", args=[inspection.slug, theirs.pk])).status_code == 404
    assert Recommendation.objects.filter(pk=theirs.pk).exists()


def test_refuses_other_roles(client, inspection, inspector, local_assessor, observer, outsider, three):
    for user, status in [(inspector, 403), (local_assessor, 403), (observer, 403), (outsider, 404)]:
        client.force_login(user)
        assert client.get(list_url(inspection)).status_code == status
        assert client.post(list_url(inspection), {"text": "x"}).status_code == status
        assert client.get(edit_url(three[0])).status_code == status
        assert client.post(delete_url(three[0])).status_code == status
    assert Recommendation.objects.count() == 3


def test_published_report_is_frozen(client, inspection, lead, three):
    Inspection.objects.filter(pk=inspection.pk).update(status=Inspection.Status.PUBLISHED)
    client.force_login(lead)
    html = client.get(list_url(inspection)).content.decode()
    assert "The report is published" in html and "Add a recommendation" not in html
    response = client.post(delete_url(three[0]), follow=True)
    assert "frozen" in response.content.decode()
    assert Recommendation.objects.count() == 3

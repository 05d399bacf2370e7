"""Good practice: the list with its add form, the edit page and deleting (POST only)."""

import pytest
from django.urls import reverse

from inspections.models import Membership
from reports.models import GoodPractice
from reports.services import add_good_practice
from tests.factories import add_member, make_user


def list_url(inspection):
    return reverse("good_practice", args=[inspection.slug])


def edit_url(example):
    return reverse("edit_good_practice", args=[example.inspection.slug, example.pk])


def delete_url(example):
    return reverse("delete_good_practice", args=[example.inspection.slug, example.pk])


@pytest.fixture
def observer(inspection):
    return add_member(inspection, make_user("observer"), Membership.Role.OBSERVER).user


@pytest.fixture
def example(inspection, lead):
    return add_good_practice(user=lead, inspection=inspection, title="Joint visits", criterion="1.1", text="Text")


def test_list_and_add(client, inspection, lead, example):
    client.force_login(lead)
    html = client.get(list_url(inspection)).content.decode()
    assert "Joint visits" in html and "1.1 Preparing for sentence" in html and edit_url(example) in html
    response = client.post(list_url(inspection), {"title": "Victim work", "criterion": "2.1", "text": "Went well"})
    assert response.status_code == 302
    added = GoodPractice.objects.get(title="Victim work")
    assert added.position == 2 and added.criterion == "2.1"
    assert added.history.latest().history_user == lead


@pytest.mark.parametrize(
    "data, message",
    [
        ({"title": "", "criterion": "1.1", "text": "x"}, "Enter a title for the example"),
        ({"title": "T", "criterion": "", "text": "x"}, "Choose the criterion the example illustrates"),
        ({"title": "T", "criterion": "9.9", "text": "x"}, "Choose a criterion from the list"),
        ({"title": "T", "criterion": "1.1", "text": ""}, "Describe the good practice"),
        ({"title": "T", "criterion": "1.1", "text": "{{section:9}}"}, "there is no section"),
    ],
)
def test_add_validates(client, inspection, lead, data, message):
    client.force_login(lead)
    response = client.post(list_url(inspection), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert not GoodPractice.objects.exists()


def test_edit_and_delete(client, inspection, lead, example):
    second = add_good_practice(user=lead, inspection=inspection, title="Second", criterion="1.1", text="x")
    client.force_login(lead)
    html = client.get(edit_url(example)).content.decode()
    assert 'value="1.1" selected' in html and "govuk-button--warning" in html
    response = client.post(edit_url(example), {"title": "Joint", "criterion": "2.1", "text": "New", "position": "2"})
    assert response.status_code == 302
    assert list(inspection.good_practice.values_list("title", "position")) == [("Second", 1), ("Joint", 2)]
    assert client.get(delete_url(second)).status_code == 405
    response = client.post(delete_url(second))
    assert response.status_code == 302
    assert list(inspection.good_practice.values_list("title", "position")) == [("Joint", 1)]
    assert GoodPractice.history.filter(id=second.pk).latest().history_type == "-"


def test_refuses_other_roles(client, inspection, inspector, local_assessor, observer, outsider, example):
    data = {"title": "T", "criterion": "1.1", "text": "x"}
    for user, status in [(inspector, 403), (local_assessor, 403), (observer, 403), (outsider, 404)]:
        client.force_login(user)
        assert client.get(list_url(inspection)).status_code == status
        assert client.post(list_url(inspection), data).status_code == status
        assert client.post(edit_url(example), data).status_code == status
        assert client.post(delete_url(example)).status_code == status
    assert GoodPractice.objects.get().title == "Joint visits"

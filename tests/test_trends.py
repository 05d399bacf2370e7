"""Trends for an area: scores beside its earlier inspection's, across framework versions only
through declared replacements; who sees the page and which earlier inspections."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from inspections.models import Membership
from tests.factories import add_member, make_assessed_cases, make_inspection, make_user
from tests.programme_factories import GOLDEN, finalised_inspection, golden_programme

V2 = Path(__file__).parent / "framework_files" / "mini-test.v2.yaml"


def load_v2():
    call_command("load_frameworks", str(V2), stdout=io.StringIO())


@pytest.fixture
def earlier(mini_framework):
    """Testshire 2007 under version 1, finalised and published: 1.1 = 70 (1.1.02 75, 1.1.03 50, S 100)."""
    area, start, answers = GOLDEN["alpha-2007"]
    return finalised_inspection("testshire-2007", "Testshire", start, answers, published=True)


@pytest.fixture
def later(earlier):
    """Testshire 2010 under version 2, every answer sufficient (draft scores), with a lead."""
    load_v2()
    start = datetime.date(2010, 5, 1)
    inspection = make_inspection(slug="testshire-2010", framework="mini-test", fieldwork_start=start)
    assert inspection.framework.version == "2"
    make_assessed_cases(inspection, 4)
    add_member(inspection, make_user("lead"), Membership.Role.LEAD)
    return inspection


def rows(response):
    trend = response.context["trend"]
    return {item.comparison.code: (item.comparison, {q.code: q for q in item.questions}) for item in trend.criteria}


def test_scores_side_by_side_across_versions(client, later):
    client.force_login(later.memberships.get().user)
    response = client.get(reverse("trends", args=[later.slug]))
    assert response.status_code == 200
    table = rows(response)
    criterion, questions = table["1.1"]
    assert (criterion.earlier_code, criterion.earlier, criterion.current) == ("1.1", pytest.approx(70), 100)
    assert criterion.difference == pytest.approx(30)
    # Same code, different question, not declared: not comparable, never matched by guess.
    assert not questions["1.1.02"].comparable and questions["1.1.02"].difference is None
    assert (questions["1.1.04"].earlier_code, questions["1.1.04"].earlier) == ("1.1.03", 50)
    assert questions["1.1.04"].difference == 50
    assert questions["1.1.S"].difference == 0
    new, _ = table["1.2"]  # new in version 2
    assert not new.comparable
    page = response.content.decode()
    assert "Not comparable" in page and "+30.0" in page and "(was 1.1.03)" in page
    assert "version 1 of the framework" in page


def test_same_version_compares_code_for_code(client, mini_framework):
    area, start, answers = GOLDEN["alpha-2007"]
    finalised_inspection("testshire-2007", "Testshire", start, answers, published=True)
    area, _, answers = GOLDEN["gamma-2008"]
    lead = make_user("lead")
    later = finalised_inspection("testshire-2008", "Testshire", datetime.date(2008, 6, 2), answers, lead=lead)
    client.force_login(lead)
    criterion, questions = rows(client.get(reverse("trends", args=[later.slug])))["1.1"]
    assert (criterion.earlier, criterion.current) == (pytest.approx(70), pytest.approx(40))
    assert criterion.difference == pytest.approx(-30)
    assert all(question.comparable for question in questions.values())
    assert "−30.0" in client.get(reverse("trends", args=[later.slug])).content.decode()


def test_an_unpublished_earlier_inspection_of_another_team_is_not_shown(client, mini_framework):
    area, start, answers = GOLDEN["alpha-2007"]
    finalised_inspection("testshire-2007", "Testshire", start, answers, published=False)
    later = make_inspection(slug="testshire-2008", framework="mini-test", fieldwork_start=datetime.date(2008, 1, 1))
    lead = add_member(later, make_user("lead"), Membership.Role.LEAD).user
    client.force_login(lead)
    response = client.get(reverse("trends", args=[later.slug]))
    assert response.context["trend"] is None
    assert "no earlier inspection" in response.content.decode()
    # An admin sees the finalised one.
    client.force_login(make_user("admin", is_superuser=True))
    assert client.get(reverse("trends", args=[later.slug])).context["trend"] is not None


def test_other_areas_and_later_inspections_are_not_earlier(client, mini_framework):
    golden_programme()  # other areas
    later = make_inspection(slug="testshire-2006", framework="mini-test", fieldwork_start=datetime.date(2006, 1, 1))
    lead = add_member(later, make_user("lead"), Membership.Role.LEAD).user
    client.force_login(lead)
    assert client.get(reverse("trends", args=[later.slug])).context["earlier"] == []


def test_choosing_among_several_earlier_inspections(client, mini_framework):
    lead = make_user("lead")
    for year, key in ((2007, "alpha-2007"), (2008, "gamma-2008")):
        _, _, answers = GOLDEN[key]
        finalised_inspection(f"testshire-{year}", "Testshire", datetime.date(year, 1, 1), answers, lead=lead)
    later = make_inspection(slug="testshire-2009", framework="mini-test", fieldwork_start=datetime.date(2009, 1, 1))
    add_member(later, lead, Membership.Role.LEAD)
    client.force_login(lead)
    response = client.get(reverse("trends", args=[later.slug]))
    assert response.context["trend"].earlier.slug == "testshire-2008"  # the latest by default
    response = client.get(reverse("trends", args=[later.slug]), {"earlier": "testshire-2007"})
    assert response.context["trend"].earlier.slug == "testshire-2007"


def test_refused_to_members_who_may_not_see_scores(client, later):
    inspector = add_member(later, make_user("inspector"), Membership.Role.INSPECTOR).user
    client.force_login(inspector)
    assert client.get(reverse("trends", args=[later.slug])).status_code == 403
    client.force_login(make_user("outsider"))
    assert client.get(reverse("trends", args=[later.slug])).status_code == 404


def test_programme_pools_versions_through_declared_replacements(mini_framework):
    golden_programme()
    load_v2()
    v2 = finalised_inspection("delta-2010", "Deltashire", datetime.date(2010, 1, 1), [{}, {}])  # all sufficient
    assert v2.framework.version == "2"
    out = io.StringIO()
    call_command("export_programme", "--framework", "mini-test", stdout=out)
    document = json.loads(out.getvalue())
    assert document["framework_version"] == "2"
    criteria = {c["code"]: c for c in document["criteria"]}
    # 1.1 of version 2 replaces 1.1: all four inspections; 1.2 is new: only the version 2 one.
    assert criteria["1.1"]["inspections"] == 4
    assert criteria["1.1"]["mean"] == pytest.approx((70 + 84 + 40 + 100) / 4)
    assert criteria["1.2"]["inspections"] == 1
    questions = {q["code"]: q for q in criteria["1.1"]["questions"]}
    # 1.1.04 continues 1.1.03 (7/11 in version 1) and adds 2/2; 1.1.02 of version 2 is a new question.
    assert (questions["1.1.04"]["sufficient"], questions["1.1.04"]["relevant"]) == (9, 13)
    assert (questions["1.1.02"]["sufficient"], questions["1.1.02"]["relevant"]) == (2, 2)
    assert document["inspections"][0]["framework_version"] == "1"
    assert set(document["inspections"][0]["criteria"]) == {"1.1", "1.2"}
    assert document["inspections"][0]["criteria"]["1.2"] is None

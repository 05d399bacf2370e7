"""Boundary sensitivity where people and tools read it: `export_scores` (draft and finalised) and the
scores pages ("N answers from the line", the questions and cases that move a criterion most)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from scoring.models import ScoreSnapshot
from scoring.scores import build_document, compute_scores
from scoring.services import finalise_scores
from tests.factories import make_assessed_cases, seen_scores

# Ten approved cases of the mini framework, all sufficient: criterion 1.1 is 100%. One flip moves
# it 0.8 * 100 / (2 * 10) = 4 points on 1.1.02 or 1.1.03 and 0.2 * 100 / 10 = 2 on the summary: 8
# individual flips give 68% (7 leave 72%).
ALL_SUFFICIENT_FLIPS = 8


def export(inspection) -> dict:
    out = StringIO()
    call_command("export_scores", inspection.slug, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def scored(inspection):
    make_assessed_cases(inspection, 10)
    return inspection


def test_export_carries_flips_to_cross(scored):
    (criterion,) = export(scored)["criteria"]
    assert (criterion["code"], criterion["display"]) == ("1.1", "100%")
    assert criterion["flips_to_cross"] == ALL_SUFFICIENT_FLIPS


def test_null_without_relevant_cases(inspection):
    assert export(inspection)["criteria"][0]["flips_to_cross"] is None


def test_finalised_scores_use_the_snapshot_tallies(scored, lead):
    finalise_scores(user=lead, inspection=scored, seen=seen_scores(scored))
    snapshot = ScoreSnapshot.objects.get()
    assert snapshot.data["document"]["criteria"][0]["flips_to_cross"] == ALL_SUFFICIENT_FLIPS
    # Live answers changing afterwards (here: more cases) do not move the published sensitivity.
    make_assessed_cases(scored, 30, values=lambda i: {"1.1.03": "too_high"}, prefix="T")
    assert export(scored)["criteria"][0]["flips_to_cross"] == ALL_SUFFICIENT_FLIPS


def test_a_snapshot_from_before_sensitivity_gets_it_from_its_rows(scored, lead):
    # A snapshot stored before flips_to_cross existed: its document lacks the key, its rows hold the tallies.
    scores = compute_scores(scored, final=True)
    document = build_document(scored, scores)
    for criterion in document["criteria"]:
        del criterion["flips_to_cross"]
    ScoreSnapshot.objects.create(
        inspection=scored, number=1, data={"document": document, "rows": scores.as_rows()}, created_by=lead
    )
    make_assessed_cases(scored, 30, values=lambda i: {"1.1.03": "too_high"}, prefix="T")
    assert export(scored)["criteria"][0]["flips_to_cross"] == ALL_SUFFICIENT_FLIPS
    assert "flips_to_cross" not in ScoreSnapshot.objects.get().data["document"]["criteria"][0]  # never rewritten


def test_scores_page_says_how_far_from_the_line(client, inspection, lead):
    # 1.1.03 insufficient in 3 of 10: 0.8 * mean(100, 70) + 0.2 * 100 = 88%.
    make_assessed_cases(inspection, 10, values=lambda i: {"1.1.03": "too_high" if i < 3 else "correct"})
    client.force_login(lead)
    page = client.get(reverse("scores", args=[inspection.slug])).content.decode()
    assert "From the line" in page
    assert "5 answers from the line" in page  # 88 - 5 * 4 = 68


def test_near_the_line_is_flagged(client, inspection, lead):
    # 1.1.03 insufficient in 7 of 10: 0.8 * mean(100, 30) + 0.2 * 100 = 72%: one flip gives 68%.
    make_assessed_cases(inspection, 10, values=lambda i: {"1.1.03": "too_high" if i < 7 else "correct"})
    client.force_login(lead)
    page = client.get(reverse("scores", args=[inspection.slug])).content.decode()
    assert '<strong class="govuk-tag govuk-tag--yellow">1 answer from the line</strong>' in page


def test_criterion_page_lists_what_moves_it_most(client, inspection, lead):
    make_assessed_cases(inspection, 10, values=lambda i: {"1.1.03": "too_high" if i < 7 else "correct"})
    client.force_login(lead)
    page = client.get(reverse("criterion_scores", args=[inspection.slug, "1.1"])).content.decode()
    assert "How near the line" in page and "1 answer from the line" in page
    assert "Questions that move it most" in page and "4.00" in page and "2.00" in page
    # Every case's sufficient answers could lower it: S0007-S0009 have three (4 + 4 + 2 points).
    assert "Cases that move it most" in page
    assert page.index("S0007") < page.index("S0000")
    assert "10.0" in page
    assert reverse("second_marking", args=[inspection.slug]) in page


def test_observers_see_how_many_cases_but_not_which(client, inspection, lead):
    from inspections.models import Membership
    from tests.factories import add_member, make_user

    observer = add_member(inspection, make_user("observer"), Membership.Role.OBSERVER).user
    make_assessed_cases(inspection, 10, values=lambda i: {"1.1.03": "too_high" if i < 7 else "correct"})
    client.force_login(observer)
    page = client.get(reverse("criterion_scores", args=[inspection.slug, "1.1"])).content.decode()
    assert "10 cases could move it towards the line" in page
    assert "Cases that move it most" not in page

"""The scores dashboard, drill-down, judgements and finalising in the browser (view tests)."""

import pytest
from django.urls import reverse

from inspections.models import Inspection
from scoring.models import Judgement, ScoreSnapshot
from tests.factories import make_assessed_cases, seen_scores


@pytest.fixture
def scored(inspection):
    make_assessed_cases(inspection, 5, values=lambda i: {"1.1.03": "too_high" if i < 2 else "correct"})
    return inspection


def test_dashboard_shows_scores_chart_and_table(client, scored, lead):
    client.force_login(lead)
    response = client.get(reverse("scores", args=[scored.slug]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Draft scores" in content and "5 cases counted" in content
    assert "<svg" in content and "The line of priority is at 69%" in content and "Line of priority 69%" in content
    assert "1.1 Preparing for sentence" in content and "Risk of Harm thread" in content
    assert "Finalise scores" in content


@pytest.mark.parametrize("count", [20, 200])
def test_dashboard_query_count_does_not_grow(client, inspection, lead, count, django_assert_max_num_queries):
    make_assessed_cases(inspection, count)
    client.force_login(lead)
    # Constant in the number of cases: the page's figures, plus the final figures, counts and judgements
    # the finalise form carries (so a decision on a stale page is refused).
    with django_assert_max_num_queries(16):
        client.get(reverse("scores", args=[inspection.slug]))


def test_dashboard_forbidden_to_assessors(client, scored, inspector, outsider):
    client.force_login(inspector)
    assert client.get(reverse("scores", args=[scored.slug])).status_code == 403
    client.force_login(outsider)
    assert client.get(reverse("scores", args=[scored.slug])).status_code == 404


def test_drill_down_to_questions_and_cases(client, scored, lead):
    client.force_login(lead)
    page = client.get(reverse("criterion_scores", args=[scored.slug, "1.1"])).content.decode()
    assert "Questions behind the score" in page and "60.0%" in page
    cases = client.get(reverse("question_cases", args=[scored.slug, "1.1", "1.1.03"])).content.decode()
    assert "3 of 5 relevant cases sufficient" in cases and "S0000" in cases and "Too high" in cases


def test_save_judgement_and_reason_error(client, scored, lead):
    client.force_login(lead)
    url = reverse("save_judgement", args=[scored.slug, "criterion", "1.1"])
    response = client.post(url, {"kind": "conclusion", "value": "priority", "evidence": "kept"})
    assert response.status_code == 400
    assert "Give a reason" in response.content.decode() and ">kept</textarea>" in response.content.decode()
    response = client.post(
        url, {"kind": "conclusion", "value": "priority", "reason": "Sample skewed", "cases": "S0000, S0001"}
    )
    assert response.status_code == 302
    judgement = Judgement.objects.get()
    assert judgement.value == "priority" and judgement.linked_cases.count() == 2


def test_leadership_grade(client, scored, lead):
    client.force_login(lead)
    page = client.get(reverse("criterion_scores", args=[scored.slug, "2.1"])).content.decode()
    assert "graded by the inspectors" in page and "Well met" in page
    client.post(
        reverse("save_judgement", args=[scored.slug, "criterion", "2.1"]), {"kind": "grade", "value": "well_met"}
    )
    assert Judgement.objects.get().value == "well_met"


def test_finalise_and_reopen(client, scored, lead):
    client.force_login(lead)
    client.post(reverse("finalise_scores", args=[scored.slug]), {"seen": seen_scores(scored)})
    assert ScoreSnapshot.objects.count() == 1
    assert Inspection.objects.get().status == "finalised"
    page = client.get(reverse("scores", args=[scored.slug])).content.decode()
    assert "Scores were finalised" in page and "Reopen scores" in page
    response = client.post(reverse("reopen_scores", args=[scored.slug]), {"reason": "", "snapshot": "1"})
    assert response.status_code == 400 and "Give a reason for reopening" in response.content.decode()
    client.post(reverse("reopen_scores", args=[scored.slug]), {"reason": "Re-read two cases", "snapshot": "1"})
    assert Inspection.objects.get().status == "fieldwork"


def test_actions_need_post_and_lead(client, scored, inspector):
    client.force_login(inspector)
    for name, args in [
        ("finalise_scores", [scored.slug]),
        ("reopen_scores", [scored.slug]),
        ("save_judgement", [scored.slug, "criterion", "1.1"]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 405
        assert client.post(reverse(name, args=args)).status_code == 403

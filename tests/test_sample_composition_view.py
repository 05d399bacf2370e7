import re

import pytest
from django.urls import reverse

from cases.sample import compose_sample, percent
from tests.factories import make_case, make_inspection

ATTRIBUTES = [
    {"code": "case_type", "label": "Type of case", "choices": ["community", "licence"]},
    {"code": "ppo", "label": "PPO", "choices": [True, False]},
    {
        "code": "rosh",
        "label": "RoSH",
        "choices": ["low", "high", "very_high"],
        "choice_labels": {"low": "Low", "high": "High", "very_high": "Very high"},
    },
    {"code": "requirements", "label": "Requirements", "multiple": True, "choices": ["upw", "drr"]},
]
RULES = {
    "size": {"min": 4, "max": 6},
    "case_types": {"attribute": "case_type", "values": ["community", "licence"]},
    "minimums": [
        {"code": "high_rosh", "label": "High RoSH", "where": {"rosh": ["high", "very_high"]}, "min": 2},
        {"code": "ppo", "label": "PPOs", "where": {"ppo": [True]}, "min": 1},
    ],
    "mix": [
        {"label": "Community orders", "where": {"case_type": ["community"]}, "min_share": 0.3},
        {"label": "Licences", "where": {"case_type": ["licence"]}, "min_share": 0.3},
    ],
}


def test_composition_counts_minimums_shares_and_unknowns():
    cases = [
        {"case_type": "community", "ppo": True, "rosh": "high"},
        {"case_type": "community", "ppo": False, "rosh": "low"},
        {"case_type": "community", "rosh": "very_high"},
        {"case_type": "licence", "ppo": False},
        {},
    ]
    composition = compose_sample(RULES, ATTRIBUTES, cases)
    assert (composition.size.total, composition.size.status) == (5, "met")
    high_rosh, ppo = composition.minimums
    assert (high_rosh.count, high_rosh.min, high_rosh.unknown, high_rosh.met) == (2, 2, 2, True)
    assert (ppo.count, ppo.unknown, ppo.met) == (1, 2, True)
    community, licences = composition.mix
    assert (community.count, community.share_percent, community.min_percent, community.met) == (3, 60, "30", True)
    assert (licences.count, licences.share_percent, licences.met) == (1, 20, False)
    assert [breakdown.code for breakdown in composition.breakdowns] == ["case_type", "rosh"]
    rosh = composition.breakdowns[1]
    assert [(row.label, row.count) for row in rosh.rows] == [("Low", 1), ("High", 1), ("Very high", 1)]
    assert rosh.unknown == 2 and rosh.unknown_percent == 40
    assert not composition.all_met


def test_share_exactly_at_the_minimum_is_met():
    # 3 of 10 is 30%: a float comparison (0.3 * 10 = 3.0000000000000004) would call it short.
    cases = [{"case_type": "licence"}] * 3 + [{"case_type": "community"}] * 7
    assert compose_sample(RULES, ATTRIBUTES, cases).mix[1].met


def test_size_short_and_over_and_empty_sample():
    assert compose_sample(RULES, ATTRIBUTES, [{}] * 3).size.status == "short"
    assert compose_sample(RULES, ATTRIBUTES, [{}] * 7).size.status == "over"
    empty = compose_sample(RULES, ATTRIBUTES, [])
    assert empty.size.shortfall == 4 and empty.mix[0].share_percent is None and not empty.mix[0].met


def test_percent_rounds_half_up():
    assert [percent(1, 8), percent(1, 200), percent(2, 3), percent(0, 5)] == [13, 1, 67, 0]


def test_multiple_attribute_breakdown_counts_each_value():
    rules = {**RULES, "case_types": {"attribute": "requirements", "values": []}}
    cases = [{"requirements": ["upw", "drr"]}, {"requirements": ["upw"]}, {"requirements": []}]
    breakdown = compose_sample(rules, ATTRIBUTES, cases).breakdowns[0]
    assert breakdown.code == "requirements"
    assert [(row.label, row.count) for row in breakdown.rows] == [("upw", 2), ("drr", 1)]
    assert breakdown.unknown == 1


# ---------------------------------------------------------------------------------------------
# The page


def url(inspection):
    return reverse("sample_composition", args=[inspection.slug])


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def sample(inspection):
    # mini-test: size at least 10, at least 2 PPOs, at least 30% community orders.
    make_case(inspection, "C1", case_type="community", ppo=True)
    make_case(inspection, "C2", case_type="community", ppo=False)
    make_case(inspection, "C3", case_type="licence")
    make_case(inspection, "C4")


def test_lead_sees_composition_and_import_link(client, inspection, lead, sample, django_assert_max_num_queries):
    client.force_login(lead)
    with django_assert_max_num_queries(8):
        response = client.get(url(inspection))
    assert response.status_code == 200
    content = response.content.decode()
    text = text_of(content)
    assert "Cases in the sample 4" in text and "At least 10 cases" in text
    assert "Short 6 more needed" in text
    assert "PPO cases 1 2 2 Short 1 more needed" in text  # count, minimum, not recorded
    assert "Community orders 2 50% 30% 1 Met" in text
    assert '<strong class="govuk-tag govuk-tag--green">Met</strong>' in content
    assert '<strong class="govuk-tag govuk-tag--red">Short</strong>' in content
    assert "Community order 2 50%" in text and "Licence 1 25%" in text and "Unknown 1 25%" in text
    assert "<caption" in content and 'scope="row"' in content
    assert reverse("import_sample", args=[inspection.slug]) in content
    assert reverse("inspection_detail", args=[inspection.slug]) in content


@pytest.mark.parametrize("persona", ["inspector", "local_assessor"])
def test_other_members_see_it_without_the_import_link(client, inspection, sample, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url(inspection))
    assert response.status_code == 200 and b"Cases in the sample" in response.content
    assert reverse("import_sample", args=[inspection.slug]).encode() not in response.content


def test_admin_sees_it(client, inspection, admin_user):
    client.force_login(admin_user)
    response = client.get(url(inspection))
    assert response.status_code == 200 and reverse("import_sample", args=[inspection.slug]).encode() in response.content


@pytest.mark.parametrize("persona", ["outsider", "other_inspection_member"])
def test_people_outside_the_inspection_get_404(client, inspection, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(inspection)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, inspection):
    response = client.get(url(inspection))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_omi_sample_breaks_down_by_type_gender_ethnicity_and_rosh(client, frameworks, admin_user):
    inspection = make_inspection(slug="cumbria-2006", framework="omi-2006", area="Cumbria")
    make_case(inspection, "CU/1", case_type="community", gender="female", ethnicity="black", rosh="high")
    make_case(inspection, "CU/2", case_type="licence", gender="male", ethnicity="white")
    client.force_login(admin_user)
    content = client.get(url(inspection)).content.decode()
    for code in ["case_type", "gender", "ethnicity", "rosh"]:
        assert f'id="breakdown-{code}"' in content
    text = text_of(content)
    assert "Black or Black British 1 50%" in text and "Very high 0 0%" in text
    assert "Black and minority ethnic offenders 1 10 0 Short 9 more needed" in text

"""Report-content services: who may change what, placeholders, optimistic versions, numbering, history."""

import pytest

from inspections.errors import NotAllowed, WrongStage
from inspections.lifecycle import refusal
from inspections.models import Inspection, Membership
from inspections.policy import Action
from reports.models import CriterionNarrative, GoodPractice, Recommendation, ReportContent
from reports.services import (
    ReportError,
    StaleContent,
    StaleNarrative,
    add_good_practice,
    add_recommendation,
    delete_good_practice,
    delete_recommendation,
    narrative_codes,
    narrative_token,
    placeholder_codes,
    save_content,
    save_criterion_narrative,
    update_good_practice,
    update_recommendation,
)
from tests.factories import add_member, make_inspection, make_user


def test_save_content_saves_and_records_history(inspection, lead):
    lead.first_name, lead.last_name = "Lena", "Lead"
    lead.save()
    content = save_content(
        user=lead,
        inspection=inspection,
        fields={"foreword": "  We found {{score:1.1}} of work good.\r\n", "summaries": {"1": "Good."}},
        base_version=0,
    )
    assert content.version == 1
    assert content.foreword == "We found {{score:1.1}} of work good."
    assert content.summaries == {"1": "Good."}
    assert content.updated_by == lead
    record = content.history.latest()
    assert record.history_user == lead
    assert "foreword" in record.history_change_reason

    again = save_content(user=lead, inspection=inspection, fields={"acknowledgements": "Thanks."}, base_version=1)
    assert again.version == 2 and again.foreword.startswith("We found")
    assert again.history.count() == 2


def test_stale_version_is_refused_naming_who_saved(inspection, lead, admin_user):
    admin_user.first_name, admin_user.last_name = "Ada", "Admin"
    admin_user.save()
    save_content(user=admin_user, inspection=inspection, fields={"foreword": "Theirs"}, base_version=0)
    with pytest.raises(StaleContent) as error:
        save_content(user=lead, inspection=inspection, fields={"foreword": "Mine"}, base_version=0)
    assert "Ada Admin saved this part" in str(error.value)
    assert error.value.content.foreword == "Theirs"
    assert ReportContent.objects.get(inspection=inspection).foreword == "Theirs"


@pytest.mark.parametrize(
    "fields, problem",
    [
        ({"foreword": "{{score:9.9}}"}, "there is no score '9.9'"),
        ({"summaries": {"1": "{{section:2}}"}}, "there is no section '2'"),  # section 2 is leadership: no score
        ({"contextual": {"caseload": [["Total", "{{headline:nope}}"]]}}, "there is no headline 'nope'"),
        ({"next_steps": "{{percent:1}}"}, "is not a placeholder"),
    ],
)
def test_unknown_placeholders_are_refused(inspection, lead, fields, problem):
    with pytest.raises(ReportError) as error:
        save_content(user=lead, inspection=inspection, fields=fields, base_version=0)
    assert problem in str(error.value)
    assert error.value.field == next(iter(fields))
    assert not ReportContent.objects.filter(inspection=inspection).exists()


def test_known_placeholders_are_accepted(inspection, lead):
    text = "{{score:1.1}} {{section:1}} {{headline:roh}} {{cases}} {{area}}"
    assert save_content(user=lead, inspection=inspection, fields={"foreword": text}, base_version=0).foreword == text
    assert placeholder_codes(inspection) == {"score": {"1.1"}, "section": {"1"}, "headline": {"roh"}}


def test_unknown_field_and_bad_values_are_refused(inspection, lead):
    with pytest.raises(ReportError, match="no part called version"):
        save_content(user=lead, inspection=inspection, fields={"version": 7}, base_version=0)
    with pytest.raises(ReportError):
        save_content(user=lead, inspection=inspection, fields={"summaries": "text"}, base_version=0)
    with pytest.raises(ReportError, match="further inspection"):
        save_content(user=lead, inspection=inspection, fields={"further_inspection": "maybe"}, base_version=0)


@pytest.mark.parametrize("role", [Membership.Role.INSPECTOR, Membership.Role.LOCAL_ASSESSOR, Membership.Role.OBSERVER])
def test_only_the_lead_or_an_admin_may_change_the_report(inspection, role):
    member = add_member(inspection, make_user(f"member-{role}"), role).user
    with pytest.raises(NotAllowed, match="Only the lead inspector"):
        save_content(user=member, inspection=inspection, fields={"foreword": "x"}, base_version=0)
    with pytest.raises(NotAllowed, match="Only the lead inspector"):
        add_recommendation(user=member, inspection=inspection, text="x")
    with pytest.raises(NotAllowed, match="Only the lead inspector"):
        save_criterion_narrative(user=member, inspection=inspection, code="1.1", strengths=["x"])


def test_a_lead_of_another_inspection_may_not(inspection, mini_framework):
    other = make_inspection(slug="elsewhere-2007", framework="mini-test", area="Elsewhere")
    other_lead = add_member(other, make_user("other_lead"), Membership.Role.LEAD).user
    with pytest.raises(NotAllowed):
        save_content(user=other_lead, inspection=inspection, fields={"foreword": "x"}, base_version=0)


def test_a_published_report_is_frozen(inspection, lead, admin_user):
    recommendation = add_recommendation(user=lead, inspection=inspection, text="Improve.")
    example = add_good_practice(user=lead, inspection=inspection, title="T", criterion="1.1", text="Text")
    Inspection.objects.filter(pk=inspection.pk).update(status=Inspection.Status.PUBLISHED)
    calls = [
        lambda user: save_content(user=user, inspection=inspection, fields={"foreword": "x"}, base_version=0),
        lambda user: save_criterion_narrative(user=user, inspection=inspection, code="1.1", strengths=["x"]),
        lambda user: add_recommendation(user=user, inspection=inspection, text="x"),
        lambda user: update_recommendation(user=user, recommendation=recommendation, text="x"),
        lambda user: delete_recommendation(user=user, recommendation=recommendation),
        lambda user: add_good_practice(user=user, inspection=inspection, title="T", criterion="1.1", text="x"),
        lambda user: update_good_practice(user=user, good_practice=example, title="T", criterion="1.1", text="y"),
        lambda user: delete_good_practice(user=user, good_practice=example),
    ]
    for call in calls:
        for user in (lead, admin_user):
            with pytest.raises(WrongStage) as error:
                call(user)
            assert str(error.value) == refusal(Action.EDIT_REPORT, Inspection.Status.PUBLISHED)
    assert "revision" in refusal(Action.EDIT_REPORT, Inspection.Status.PUBLISHED)
    assert Recommendation.objects.get().text == "Improve." and GoodPractice.objects.get().text == "Text"


# --- Criterion narratives -------------------------------------------------------------------------------------------


def test_save_criterion_narrative(inspection, lead):
    narrative = save_criterion_narrative(
        user=lead,
        inspection=inspection,
        code="1.1",
        strengths=[" Reports were on time in {{score:1.1}} of cases ", ""],
        areas_for_improvement=["Plans"],
        base="",
    )
    assert narrative.strengths == ["Reports were on time in {{score:1.1}} of cases"]
    assert narrative.history.latest().history_user == lead
    token = narrative_token(narrative)
    updated = save_criterion_narrative(user=lead, inspection=inspection, code="1.1", commentary="More", base=token)
    assert updated.strengths == narrative.strengths and updated.areas_for_improvement == ["Plans"]
    assert updated.commentary == "More"
    assert CriterionNarrative.objects.get().history.count() == 2


def test_stale_criterion_narrative_is_refused(inspection, lead, admin_user):
    first = save_criterion_narrative(user=admin_user, inspection=inspection, code="1.1", strengths=["Theirs"], base="")
    with pytest.raises(StaleNarrative) as error:
        save_criterion_narrative(user=lead, inspection=inspection, code="1.1", strengths=["Mine"], base="")
    assert "admin saved the narrative of 1.1" in str(error.value)
    save_criterion_narrative(
        user=lead, inspection=inspection, code="1.1", strengths=["Mine"], base=narrative_token(first)
    )
    with pytest.raises(StaleNarrative):
        save_criterion_narrative(
            user=admin_user, inspection=inspection, code="1.1", strengths=["x"], base=narrative_token(first)
        )
    assert CriterionNarrative.objects.get().strengths == ["Mine"]


def test_criterion_narrative_validation(inspection, lead):
    with pytest.raises(ReportError, match="not a criterion"):
        save_criterion_narrative(user=lead, inspection=inspection, code="9.9", strengths=["x"])
    with pytest.raises(ReportError) as error:
        save_criterion_narrative(user=lead, inspection=inspection, code="1.1", areas_for_improvement=["{{score:2.1}}"])
    assert error.value.field == "areas_for_improvement"
    assert not CriterionNarrative.objects.exists()


def test_narrative_codes_by_generation(frameworks):
    omi = make_inspection(slug="omi", framework="omi-2006")
    omi2 = make_inspection(slug="omi2", framework="omi2-2009", area="Hertfordshire")
    iaow = make_inspection(slug="iaow", framework="iaow-2013", area="Merseyside")
    assert "1" not in narrative_codes(omi) and "1.1" in narrative_codes(omi)
    assert {"1", "2", "3"} <= set(narrative_codes(omi2)) and "4" not in narrative_codes(omi2)
    assert {"1", "5", "5.5"} <= set(narrative_codes(iaow))


# --- Recommendations ------------------------------------------------------------------------------------------------


def test_recommendations_are_numbered_moved_and_renumbered(inspection, lead):
    first, second, third = (
        add_recommendation(user=lead, inspection=inspection, text=text, criteria=criteria)
        for text, criteria in [("One", ["1.1"]), ("Two", []), ("Three", ["2.1"])]
    )
    assert [r.number for r in (first, second, third)] == [1, 2, 3]

    update_recommendation(user=lead, recommendation=third, text="Three, first", criteria=["1.1"], number=1)
    assert list(inspection.recommendations.values_list("text", "number")) == [
        ("Three, first", 1),
        ("One", 2),
        ("Two", 3),
    ]
    delete_recommendation(user=lead, recommendation=first)
    assert list(inspection.recommendations.values_list("text", "number")) == [("Three, first", 1), ("Two", 2)]

    history = Recommendation.history.filter(id=first.pk)
    assert history.latest().history_type == "-" and history.latest().history_user == lead
    renumbered = Recommendation.history.filter(id=second.pk).latest()
    assert renumbered.number == 2 and renumbered.history_user == lead and "deleted" in renumbered.history_change_reason


def test_recommendation_validation(inspection, lead):
    with pytest.raises(ReportError, match="Enter the recommendation"):
        add_recommendation(user=lead, inspection=inspection, text="  ")
    with pytest.raises(ReportError, match="9.9 is not a criterion"):
        add_recommendation(user=lead, inspection=inspection, text="x", criteria=["9.9"])
    with pytest.raises(ReportError, match="no score"):
        add_recommendation(user=lead, inspection=inspection, text="{{score:2.1}}")
    recommendation = add_recommendation(user=lead, inspection=inspection, text="x")
    with pytest.raises(ReportError, match="from 1 to 1"):
        update_recommendation(user=lead, recommendation=recommendation, text="x", number=2)
    assert Recommendation.objects.count() == 1


def test_deleting_a_deleted_recommendation_is_harmless(inspection, lead):
    recommendation = add_recommendation(user=lead, inspection=inspection, text="x")
    delete_recommendation(user=lead, recommendation=recommendation)
    delete_recommendation(user=lead, recommendation=recommendation)
    with pytest.raises(ReportError, match="deleted"):
        update_recommendation(user=lead, recommendation=recommendation, text="y")


# --- Good practice ------------------------------------------------------------------------------------------------


def test_good_practice_criterion_must_exist(inspection, lead):
    with pytest.raises(ReportError, match="9.9 is not a criterion") as error:
        add_good_practice(user=lead, inspection=inspection, title="T", criterion="9.9", text="x")
    assert error.value.field == "criterion"
    with pytest.raises(ReportError, match="title"):
        add_good_practice(user=lead, inspection=inspection, title="", criterion="1.1", text="x")
    with pytest.raises(ReportError, match="Describe"):
        add_good_practice(user=lead, inspection=inspection, title="T", criterion="1.1", text="")
    assert not GoodPractice.objects.exists()


def test_good_practice_positions(inspection, lead):
    a, b, c = (
        add_good_practice(user=lead, inspection=inspection, title=title, criterion="1.1", text="x") for title in "ABC"
    )
    assert [a.position, b.position, c.position] == [1, 2, 3]
    update_good_practice(user=lead, good_practice=a, title="A", criterion="2.1", text="y", position=3)
    assert list(inspection.good_practice.values_list("title", "position")) == [("B", 1), ("C", 2), ("A", 3)]
    delete_good_practice(user=lead, good_practice=b)
    assert list(inspection.good_practice.values_list("title", "position")) == [("C", 1), ("A", 2)]
    assert GoodPractice.history.filter(id=b.pk).latest().history_user == lead
    assert GoodPractice.history.filter(id=a.pk).latest().criterion == "2.1"

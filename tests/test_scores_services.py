"""Scores of a real inspection: tallies from the database, judgements, finalising, reopening."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cases.models import Assessment
from inspections.errors import NotAllowed, WrongStage
from inspections.models import Inspection
from scoring.models import Judgement, ScoreSnapshot
from scoring.scores import compute_scores, score_document
from scoring.services import ScoringError, finalise_scores, record_judgement, reopen_scores
from scoring.tallies import question_tallies
from tests.factories import current_snapshot_number, make_assessed_cases, seen_scores

CRITERION = Judgement.Target.CRITERION


def test_tallies_exclude_na_and_count_only_submitted_and_approved(inspection):
    # 1.1.03 sufficient in 3 of 4 approved cases; one N/A on 1.1.01 (scored: false anyway).
    make_assessed_cases(inspection, 4, values=lambda i: {"1.1.03": "too_high" if i == 0 else "correct"})
    make_assessed_cases(inspection, 2, state="in_progress", prefix="P", values=lambda i: {"1.1.03": "too_low"})
    make_assessed_cases(inspection, 1, state="submitted", prefix="Q", values=lambda i: {"1.1.02": "na"})
    tallies = question_tallies(inspection)
    assert (tallies["1.1.03"].sufficient, tallies["1.1.03"].relevant) == (4, 5)
    assert (tallies["1.1.02"].sufficient, tallies["1.1.02"].relevant) == (4, 4)  # the N/A is not relevant
    final = question_tallies(inspection, ("approved",))
    assert (final["1.1.03"].sufficient, final["1.1.03"].relevant) == (3, 4)


def test_scores_and_suggested_conclusion(inspection):
    make_assessed_cases(inspection, 10, values=lambda i: {"1.1.02": "no" if i < 4 else "yes"})
    criterion = compute_scores(inspection).criteria["1.1"]
    # individual: 1.1.02 60%, 1.1.03 100% → 80; summary 100 → 0.8*80 + 0.2*100 = 84
    assert criterion.score == pytest.approx(84.0) and criterion.display == "84%"
    assert criterion.suggested_judgement == "good"


def test_judgement_differing_from_suggestion_needs_reason(inspection, lead):
    make_assessed_cases(inspection, 5)
    with pytest.raises(ScoringError, match="Give a reason: the suggestion from the scores is ‘Good’"):
        record_judgement(
            user=lead, inspection=inspection, target=CRITERION, code="1.1", kind="conclusion", value="priority"
        )
    judgement = record_judgement(
        user=lead,
        inspection=inspection,
        target=CRITERION,
        code="1.1",
        kind="conclusion",
        value="priority",
        reason="Quality of reports fell in the second half of the sample",
        evidence="See cases S0001 and S0002",
        linked_case_refs=["S0001", "S0002"],
    )
    assert judgement.suggested == "good"
    assert sorted(judgement.linked_cases.values_list("case_ref", flat=True)) == ["S0001", "S0002"]
    assert judgement.history.first().history_change_reason.startswith("Quality of reports")


def test_judgement_validation(inspection, lead, inspector):
    with pytest.raises(ScoringError, match="Choose one of"):
        record_judgement(user=lead, inspection=inspection, target=CRITERION, code="1.1", kind="conclusion", value="meh")
    with pytest.raises(ScoringError, match="No case in this inspection has the reference NOPE"):
        record_judgement(
            user=lead,
            inspection=inspection,
            target=CRITERION,
            code="2.1",
            kind="grade",
            value="well_met",
            linked_case_refs=["NOPE"],
        )
    with pytest.raises(NotAllowed, match="Only the lead inspector"):
        record_judgement(
            user=inspector, inspection=inspection, target=CRITERION, code="2.1", kind="grade", value="well_met"
        )
    grade = record_judgement(
        user=lead, inspection=inspection, target=CRITERION, code="2.1", kind="grade", value="well_met"
    )
    assert grade.reason == "" and grade.suggested == ""


def test_finalise_needs_all_approved_or_a_reason(inspection, lead):
    make_assessed_cases(inspection, 3)
    make_assessed_cases(inspection, 1, state="submitted", prefix="P", values=lambda i: {"1.1.03": "too_low"})
    with pytest.raises(ScoringError, match="1 case is not approved yet"):
        finalise_scores(user=lead, inspection=inspection, seen=seen_scores(inspection))
    snapshot = finalise_scores(
        user=lead,
        inspection=inspection,
        override_reason="Last case cannot be reviewed in time",
        seen=seen_scores(inspection),
    )
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.FINALISED
    # Final scores use approved assessments only: the submitted too_low answer is not counted.
    criterion = snapshot.data["document"]["criteria"][0]
    assert criterion["questions"][1]["relevant"] == 3 and criterion["questions"][1]["sufficient"] == 3
    with pytest.raises(WrongStage, match="The scores are finalised"):
        record_judgement(user=lead, inspection=inspection, target=CRITERION, code="2.1", kind="grade", value="well_met")


def test_snapshot_is_immutable_and_reopen_keeps_it(inspection, lead):
    make_assessed_cases(inspection, 2)
    snapshot = finalise_scores(user=lead, inspection=inspection, seen=seen_scores(inspection))
    snapshot.data["document"]["criteria"][0]["score"] = 1
    with pytest.raises(ValueError, match="cannot be changed"):
        snapshot.save()
    # Later answers do not change what is finalised.
    Assessment.objects.update(state="in_progress")
    assert score_document(inspection).data["criteria"][0]["score"] == 100.0
    with pytest.raises(ScoringError, match="Give a reason"):
        reopen_scores(user=lead, inspection=inspection, reason=" ", snapshot_number=current_snapshot_number(inspection))
    reopen_scores(
        user=lead,
        inspection=inspection,
        reason="Two cases were re-read",
        snapshot_number=current_snapshot_number(inspection),
    )
    snapshot = ScoreSnapshot.objects.get()
    assert (
        snapshot.reopen_reason == "Two cases were re-read"
        and snapshot.data["document"]["criteria"][0]["score"] == 100.0
    )
    assert score_document(inspection).final is False
    Assessment.objects.update(state="approved")
    assert finalise_scores(user=lead, inspection=inspection, seen=seen_scores(inspection)).number == 2


def export(slug, *args):
    out = StringIO()
    call_command("export_scores", slug, *args, stdout=out)
    return out.getvalue()


def test_export_scores_json_shape(inspection, lead):
    make_assessed_cases(inspection, 4, values=lambda i: {"1.1.03": "too_high" if i == 0 else "correct"})
    record_judgement(user=lead, inspection=inspection, target=CRITERION, code="2.1", kind="grade", value="not_met")
    document = json.loads(export(inspection.slug))
    assert document["inspection"] == inspection.slug and document["framework"] == "mini-test"
    criterion = document["criteria"][0]
    assert set(criterion) >= {"code", "score", "display", "questions", "suggested_judgement", "judgement"}
    assert criterion["questions"][1] == {"code": "1.1.03", "sufficient": 3, "relevant": 4, "score": 75.0}
    assert criterion["judgement"] == criterion["suggested_judgement"]
    assert document["sections"][0]["code"] == "1"
    assert document["headlines"][0]["code"] == "roh"
    assert document["leadership"] == [{"code": "2.1", "grade": "not_met"}]


def test_export_scores_with_no_cases_is_na_not_zero(inspection):
    document = json.loads(export(inspection.slug))
    assert document["criteria"][0]["score"] is None and document["criteria"][0]["display"] == "n/a"
    assert document["leadership"] == [{"code": "2.1", "grade": None}]


def test_export_scores_csv(inspection):
    make_assessed_cases(inspection, 2)
    lines = export(inspection.slug, "--format", "csv").splitlines()
    assert lines[0] == "criterion,question,sufficient,relevant,score"
    assert lines[1].startswith("1.1,1.1.02,2,2,100")


def test_export_unknown_inspection(db):
    with pytest.raises(CommandError, match="no inspection with slug 'nope'"):
        export("nope")


@pytest.mark.parametrize("count", [20, 200])
def test_export_query_count_does_not_grow(inspection, count, django_assert_max_num_queries):
    make_assessed_cases(inspection, count)
    with django_assert_max_num_queries(8):
        export(inspection.slug)

"""Worked examples for every scoring rule (the framework reference 2.8, 3.9, 4.10; the interface contract "Scores")."""

from pathlib import Path

import pytest

from inspections.framework_loader import FRAMEWORK_DIR, parse_file
from scoring.engine import (
    CriterionSpec,
    Discrepancy,
    HeadlineSpec,
    ScoringFramework,
    ScoringRules,
    SectionSpec,
    Tally,
    compare_with_published,
    criterion_score,
    display,
    published_percentage,
    question_score,
    score_inspection,
    suggested_judgement,
    tally_cases,
    tally_from_answers,
)
from scoring.rules import scoring_framework, scoring_rules, sufficient_codes

OMI_RULES_DICT = {
    "summary_weight": 0.2,
    "section_score": "mean_of_criteria",
    "headline_score": "mean_of_questions",
    "priority_line": 69,
    "priority_judgements": {"below": "priority", "at_or_above": "good"},
}
OMI_RULES = ScoringRules(summary_weight=0.2, priority_line=69, priority_below="priority", priority_at_or_above="good")


def real_definition(code: str) -> dict:
    return parse_file(Path(FRAMEWORK_DIR) / f"{code}.v1.yaml").definition


def scale(code: str, options: list[tuple[str, bool]], allows_na: bool = True) -> dict:
    return {
        code: {
            "label": code,
            "allows_na": allows_na,
            "options": [{"code": option, "label": option, "sufficient": sufficient} for option, sufficient in options],
        }
    }


def question(code: str, **extra) -> dict:
    return {"code": code, "text": code, "scale": "yes_no", "summary": False, "scored": True, "headlines": []} | extra


def small_definition(rules: dict | None = None) -> dict:
    """Two case sections and a leadership one, an unscored gate, a summary, a shared question."""
    return {
        "scales": scale("yes_no", [("yes", True), ("no", False)])
        | scale("classification", [("correct", True), ("too_high", False), ("too_low", False)]),
        "headlines": [{"code": "roh", "title": "RoH"}, {"code": "victims", "title": "Victims"}],
        "sections": [
            {
                "code": "1",
                "title": "One",
                "kind": "case",
                "criteria": [
                    {
                        "code": "1.1",
                        "title": "A",
                        "kind": "case",
                        "questions": [
                            question("1.1.01", scored=False),
                            question("1.1.02", headlines=["roh"]),
                            question("1.1.03", scale="classification", headlines=["roh", "victims"], also_in=["2.1"]),
                            question("1.1.S", summary=True),
                        ],
                    },
                ],
            },
            {
                "code": "2",
                "title": "Two",
                "kind": "case",
                "criteria": [
                    {
                        "code": "2.1",
                        "title": "B",
                        "kind": "case",
                        "questions": [question("2.1.01", headlines=["victims"])],
                    },
                    {"code": "2.2", "title": "Graded", "kind": "leadership", "questions": []},
                ],
            },
            {
                "code": "3",
                "title": "Leadership",
                "kind": "leadership",
                "criteria": [
                    {"code": "3.1", "title": "C", "kind": "leadership", "questions": []},
                ],
            },
        ],
        "rules": rules or OMI_RULES_DICT,
    }


# ------------------------------------------------------------------------------ tallies, N/A


def test_tally_excludes_na_and_unanswered_from_relevant():
    assert tally_from_answers(["yes", "no", "na", "yes", None, "na"], {"yes"}) == Tally(2, 3)


def test_tally_of_multi_option_scales_uses_the_sufficient_flags():
    definition = real_definition("omi-2006")
    codes = sufficient_codes(definition)
    # Police call-outs: two options are above the line, "not_asked" is not.
    callouts = next(q for _, _, q in _walk(definition) if q["scale"] == "police_callouts")
    assert codes[callouts["code"]] == {"callouts_reported", "no_callouts"}
    answers = ["callouts_reported", "no_callouts", "not_asked", "na", "no_callouts"]
    assert tally_from_answers(answers, codes[callouts["code"]]) == Tally(3, 4)
    # Classification: one sufficient option out of three.
    assert tally_from_answers(["correct", "too_high", "too_low", "correct"], {"correct"}) == Tally(2, 4)


def test_tally_cases_counts_every_question_across_cases():
    cases = [{"q1": "yes", "q2": "na"}, {"q1": "no", "q2": "correct"}, {"q1": "na"}]
    assert tally_cases(cases, {"q1": {"yes"}, "q2": {"correct"}}) == {"q1": Tally(1, 2), "q2": Tally(1, 1)}


def test_question_score_is_the_share_of_relevant_cases():
    assert question_score(Tally(43, 61)) == pytest.approx(70.4918, abs=1e-4)
    assert question_score(Tally(0, 5)) == 0
    assert question_score(Tally(0, 0)) is None


def test_a_tally_cannot_have_more_sufficient_than_relevant():
    with pytest.raises(ValueError):
        Tally(3, 2)


# ------------------------------------------------------------------------------- criteria


def test_criterion_80_20_weighting_by_hand():
    # Individual 3/4 = 75 and 1/2 = 50 -> mean 62.5; summary 9/10 = 90.
    # 0.8 * 62.5 + 0.2 * 90 = 50 + 18 = 68.
    framework = ScoringFramework(OMI_RULES, ("a", "b", "s"), (CriterionSpec("1.1", "1", ("a", "b"), "s"),))
    result = score_inspection(framework, {"a": Tally(3, 4), "b": Tally(1, 2), "s": Tally(9, 10)})
    criterion = result.criteria["1.1"]
    assert criterion.score == pytest.approx(68.0)
    assert (criterion.display, criterion.suggested_judgement) == ("68%", "priority")
    assert [q.code for q in criterion.questions] == ["a", "b", "s"]
    assert criterion.summary == "s"


def test_missing_summary_or_individual_part_is_dropped_and_renormalised():
    assert criterion_score([75.0, 50.0], None, 0.2) == 62.5
    assert criterion_score([None, None], 90.0, 0.2) == 90.0
    assert criterion_score([], 90.0, 0.2) == 90.0
    assert criterion_score([None], None, 0.2) is None
    assert criterion_score([80.0, None, 40.0], 100.0, 0.2) == pytest.approx(0.8 * 60 + 0.2 * 100)


def test_without_a_summary_weight_the_criterion_is_a_plain_mean():
    assert criterion_score([75.0, 50.0, None]) == 62.5
    assert criterion_score([75.0, 50.0], 90.0, None) == pytest.approx(215 / 3)


def test_na_questions_are_excluded_from_the_criterion_mean():
    # "b" has only N/A answers: it is n/a, not 0, and the mean is over "a" alone.
    framework = ScoringFramework(ScoringRules(), ("a", "b"), (CriterionSpec("1.1", "1", ("a", "b")),))
    codes = {"a": {"yes"}, "b": {"yes"}}
    tallies = tally_cases([{"a": "yes", "b": "na"}, {"a": "no", "b": "na"}, {"a": "yes", "b": "na"}], codes)
    result = score_inspection(framework, tallies)
    assert result.questions["b"].score is None
    assert result.criteria["1.1"].score == pytest.approx(200 / 3)


# ---------------------------------------------------------------- membership from a definition


def test_definition_membership_unscored_leadership_summary_and_also_in():
    framework = scoring_framework(small_definition())
    assert framework.questions == ("1.1.02", "1.1.03", "1.1.S", "2.1.01")
    assert framework.criteria == (
        CriterionSpec("1.1", "1", ("1.1.02", "1.1.03"), "1.1.S"),
        CriterionSpec("2.1", "2", ("2.1.01", "1.1.03")),
    )
    assert framework.sections == (SectionSpec("1", ("1.1",)), SectionSpec("2", ("2.1",)))
    assert framework.headlines == (
        HeadlineSpec("roh", ("1.1.02", "1.1.03")),
        HeadlineSpec("victims", ("1.1.03", "2.1.01")),
    )


def test_unscored_questions_never_count():
    framework = scoring_framework(small_definition())
    tallies = {"1.1.02": Tally(1, 2), "1.1.03": Tally(1, 1), "1.1.S": Tally(1, 1), "2.1.01": Tally(0, 1)}
    with_gate = score_inspection(framework, tallies | {"1.1.01": Tally(0, 50)})
    assert with_gate == score_inspection(framework, tallies)
    assert "1.1.01" not in with_gate.questions


def test_a_shared_question_counts_in_both_criteria_and_both_headlines():
    framework = scoring_framework(small_definition())
    tallies = {"1.1.02": Tally(1, 4), "1.1.03": Tally(3, 4), "1.1.S": Tally(0, 0), "2.1.01": Tally(1, 4)}
    result = score_inspection(framework, tallies)
    assert result.criteria["1.1"].score == pytest.approx(50.0)  # (25 + 75) / 2, summary n/a
    assert result.criteria["2.1"].score == pytest.approx(50.0)  # (25 + 75) / 2, 1.1.03 borrowed
    assert [q.code for q in result.criteria["2.1"].questions] == ["2.1.01", "1.1.03"]
    assert result.headlines["roh"].score == pytest.approx(50.0)  # 1.1.02 and 1.1.03
    assert result.headlines["victims"].score == pytest.approx(50.0)  # 1.1.03 and 2.1.01
    assert set(result.sections) == {"1", "2"}  # the leadership section has no score


def test_iaow_victim_questions_feed_o4_and_o5_and_criterion_5_1():
    framework = scoring_framework(real_definition("iaow-2013"))
    criteria = {criterion.code: criterion for criterion in framework.criteria}
    headlines = {headline.code: headline.questions for headline in framework.headlines}
    assert criteria["5.1"].questions == ("4.1.04", "4.1.07", "4.1.12", "4.1.13")
    assert set(criteria["5.1"].questions) <= set(criteria["4.1"].questions)
    assert {"4.1.04", "4.2.02"} <= set(headlines["o4"]) & set(headlines["o5"])
    assert "5.1" in dict((s.code, s.criteria) for s in framework.sections)["5"]
    # 4.1.04 at 100% and everything else in o4/o5 at 0%: it lifts both outcome scores.
    tallies = {code: Tally(0, 10) for code in framework.questions} | {"4.1.04": Tally(10, 10)}
    result = score_inspection(framework, tallies)
    assert result.headlines["o4"].score == pytest.approx(100 / len(headlines["o4"]))
    assert result.headlines["o5"].score == pytest.approx(100 / len(headlines["o5"]))
    assert result.criteria["5.1"].score == pytest.approx(25.0)


def test_leadership_criteria_are_not_scored():
    framework = scoring_framework(real_definition("omi-2006"))
    assert [criterion.code for criterion in framework.criteria if criterion.code.startswith("4.")] == []
    assert [section.code for section in framework.sections] == ["1", "2", "3"]


# ---------------------------------------------------------------------- sections, headlines


def test_section_mean_of_criteria_skips_criteria_without_a_score():
    rules = ScoringRules(section_score="mean_of_criteria")
    criteria = (CriterionSpec("1.1", "1", ("a",)), CriterionSpec("1.2", "1", ("b",)), CriterionSpec("1.3", "1", ("c",)))
    framework = ScoringFramework(rules, ("a", "b", "c", "d"), criteria, (SectionSpec("1", ("1.1", "1.2", "1.3")),))
    result = score_inspection(framework, {"a": Tally(1, 1), "b": Tally(1, 2), "c": Tally(0, 0)})
    assert result.sections["1"].score == pytest.approx(75.0)


def test_section_mean_of_questions_counts_a_shared_question_once():
    rules = ScoringRules(section_score="mean_of_questions")
    criteria = (CriterionSpec("1.1", "1", ("a", "b")), CriterionSpec("1.2", "1", ("c", "a")))
    framework = ScoringFramework(rules, ("a", "b", "c"), criteria, (SectionSpec("1", ("1.1", "1.2")),))
    result = score_inspection(framework, {"a": Tally(1, 1), "b": Tally(0, 1), "c": Tally(1, 2)})
    assert result.sections["1"].score == pytest.approx(50.0)  # (100 + 0 + 50) / 3, not / 4
    assert result.criteria["1.2"].score == pytest.approx(75.0)


@pytest.mark.parametrize(("method", "expected"), [("mean_of_questions", 200 / 3), ("pooled", 50.0)])
def test_headline_mean_of_questions_or_pooled(method, expected):
    # 1/1 = 100 and 1/3 = 33.3: the mean is 66.7, pooled 2 / 4 = 50.
    framework = ScoringFramework(
        ScoringRules(headline_score=method), ("a", "b"), (), headlines=(HeadlineSpec("roh", ("a", "b")),)
    )
    result = score_inspection(framework, {"a": Tally(1, 1), "b": Tally(1, 3)})
    assert result.headlines["roh"].score == pytest.approx(expected)


def test_no_relevant_case_anywhere_is_na_never_zero():
    framework = scoring_framework(small_definition(OMI_RULES_DICT | {"headline_score": "pooled"}))
    result = score_inspection(framework, {})
    exported = result.as_dict()
    for item in exported["criteria"] + exported["sections"] + exported["headlines"]:
        assert (item["score"], item["display"]) == (None, "n/a")
    assert {item["suggested_judgement"] for item in exported["criteria"]} == {None}
    assert {q["relevant"] for item in exported["criteria"] for q in item["questions"]} == {0}


# --------------------------------------------------------------------- display, judgements


@pytest.mark.parametrize(
    ("score", "shown"),
    [
        (68.5, "69%"),
        (68.49, "68%"),
        (0.685 * 100, "69%"),
        (29 / 200 * 100, "15%"),  # exactly 14.5, computed as 14.499999999999998
        (113 / 200 * 100, "57%"),  # exactly 56.5, computed as 56.49999999999999
        (2.5, "3%"),  # not banker's rounding
        (64.5, "65%"),
        (0.0, "0%"),
        (100.0, "100%"),
        (None, "n/a"),
    ],
)
def test_display_rounds_half_up(score, shown):
    assert display(score) == shown


def test_an_exact_half_reached_through_weighting_rounds_up():
    # 0.8 * mean(2/24, 8/24) + 0.2 * 1/24 is exactly 17.5, computed as 17.499999999999996.
    score = criterion_score([2 / 24 * 100, 8 / 24 * 100], 1 / 24 * 100, 0.2)
    assert score is not None and score < 17.5
    assert display(score) == "18%"


@pytest.mark.parametrize(
    ("score", "judgement"),
    [(68.6, "good"), (68.5, "good"), (69.0, "good"), (68.4, "priority"), (68.49, "priority"), (None, None)],
)
def test_the_line_of_priority_compares_the_published_figure(score, judgement):
    assert suggested_judgement(score, OMI_RULES) == judgement


def test_no_line_means_no_suggestion():
    assert suggested_judgement(10.0, ScoringRules()) is None


def test_compare_with_published_reports_only_a_different_printed_figure():
    assert compare_with_published(73, 73.25) is None
    assert compare_with_published(69, 68.5) is None
    discrepancy = compare_with_published(69, 67.25)
    assert discrepancy == Discrepancy(published=69, computed=67.25, computed_display="67%")
    assert str(discrepancy) == "published 69%, computed 67%"
    assert compare_with_published(50, None) == Discrepancy(50, None, "n/a")


def test_published_percentage_is_an_int():
    assert published_percentage(68.5) == 69
    assert published_percentage(None) is None


# ----------------------------------------------------------------------- rules and export


def test_rules_from_the_shipped_frameworks():
    assert scoring_rules(real_definition("omi-2006")["rules"]) == OMI_RULES
    omi2 = scoring_rules(real_definition("omi2-2009")["rules"])
    assert (omi2.summary_weight, omi2.priority_line, omi2.section_score) == (None, None, "mean_of_criteria")


@pytest.mark.parametrize(
    "bad",
    [
        {"summary_weight": 1.5},
        {"section_score": "median"},
        {"headline_score": "max"},
        {"priority_line": 69},
    ],
)
def test_invalid_rules_are_refused(bad):
    with pytest.raises(ValueError):
        ScoringRules(**bad)


def test_export_shape_matches_the_interface():
    framework = scoring_framework(small_definition())
    result = score_inspection(framework, {"1.1.02": Tally(43, 61)})
    exported = result.as_dict()
    assert set(exported) == {"criteria", "sections", "headlines"}
    criterion = exported["criteria"][0]
    assert set(criterion) == {"code", "score", "display", "questions", "suggested_judgement"}
    assert criterion["questions"][0] == {"code": "1.1.02", "sufficient": 43, "relevant": 61, "score": 43 / 61 * 100}
    assert set(exported["sections"][0]) == set(exported["headlines"][0]) == {"code", "score", "display"}
    rows = result.as_rows()
    assert rows[0] == {
        "criterion": "1.1",
        "question": "1.1.02",
        "sufficient": 43,
        "relevant": 61,
        "score": 43 / 61 * 100,
    }
    assert [(row["criterion"], row["question"]) for row in rows if row["question"] == "1.1.03"] == [
        ("1.1", "1.1.03"),
        ("2.1", "1.1.03"),
    ]


def _walk(definition: dict):
    for section in definition["sections"]:
        for criterion in section["criteria"]:
            for item in criterion["questions"]:
                yield section, criterion, item

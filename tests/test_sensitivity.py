"""Boundary sensitivity: flips_to_cross worked by hand, and proved minimal by brute force."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.engine import CriterionSpec, ScoringFramework, ScoringRules, Tally, published_percentage, score_inspection
from scoring.sensitivity import (
    case_leverage,
    criterion_sensitivity,
    flippable_questions,
    inspection_sensitivity,
)

OMI = ScoringRules(summary_weight=0.2, priority_line=69, priority_below="priority", priority_at_or_above="good")
PLAIN = ScoringRules(priority_line=69, priority_below="priority", priority_at_or_above="good")
SPEC = CriterionSpec("1.1", "1", ("q1", "q2"), "qS")
ALL = frozenset({"q1", "q2", "qS", "q3"})


def test_weighted_criterion_by_hand_going_down():
    # 70/100 on each of q1, q2 and the summary: 0.8 * 70 + 0.2 * 70 = 70%, at or above the line.
    # One flip on an individual question moves the score 0.8 * 100 / (2 * 100) = 0.4 points, on the
    # summary 0.2 * 100 / 100 = 0.2. Published 68% needs the score below 68.5: 4 individual flips
    # (70 - 1.6 = 68.4); 3 leave 68.8, which prints as 69%. A plain proportion (210 of 300 answers)
    # would say 5.
    tallies = {"q1": Tally(70, 100), "q2": Tally(70, 100), "qS": Tally(70, 100)}
    result = criterion_sensitivity(SPEC, OMI, tallies, ALL)
    assert (result.flips_to_cross, result.direction) == (4, "down")
    assert [(lever.question, lever.available) for lever in result.levers] == [("q1", 70), ("q2", 70), ("qS", 70)]
    assert [lever.step for lever in result.levers] == pytest.approx([0.4, 0.4, 0.2])
    assert result.description == "4 answers from the line"


def test_weighted_criterion_by_hand_going_up():
    # 67% everywhere: 68.5 is reached with 1.5 points, i.e. 4 individual flips (67 + 1.6 = 68.6).
    tallies = {"q1": Tally(67, 100), "q2": Tally(67, 100), "qS": Tally(67, 100)}
    result = criterion_sensitivity(SPEC, OMI, tallies, ALL)
    assert (result.flips_to_cross, result.direction) == (4, "up")
    assert [lever.available for lever in result.levers] == [33, 33, 33]


def test_a_small_denominator_moves_the_score_most():
    # q1 has 5 relevant cases: one flip there moves 0.8 * 100 / (2 * 5) = 8 points. 0.8 * mean(60, 80) + 0.2 * 60
    # = 68% (below). One q1 flip: 0.8 * mean(80, 80) + 0.2 * 60 = 76%. So one answer from the line.
    tallies = {"q1": Tally(3, 5), "q2": Tally(80, 100), "qS": Tally(60, 100)}
    result = criterion_sensitivity(SPEC, OMI, tallies, ALL)
    assert result.flips_to_cross == 1
    assert result.levers[0].question == "q1"
    assert result.description == "1 answer from the line"


def test_a_score_shown_at_the_line_counts_as_at_or_above():
    # 68.5 prints as 69%: at the line, so "good"; one summary flip (-0.02) gives 68.48 -> 68%.
    tallies = {"q1": Tally(685, 1000), "q2": Tally(685, 1000), "qS": Tally(685, 1000)}
    result = criterion_sensitivity(SPEC, OMI, tallies, {"qS"})
    assert published_percentage(result.score) == 69
    assert (result.flips_to_cross, result.direction) == (1, "down")


def test_questions_that_cannot_flip_and_na_stay_put():
    # Only q2 can flip (q1's scale has no insufficient option); the summary is not flippable either.
    tallies = {"q1": Tally(2, 2), "q2": Tally(0, 1), "qS": Tally(0, 0)}
    result = criterion_sensitivity(SPEC, PLAIN, tallies, {"q2"})
    # Mean of q1 (100) and q2 (0) = 50; flipping q2's one answer gives 100.
    assert (result.flips_to_cross, result.direction) == (1, "up")
    assert criterion_sensitivity(SPEC, PLAIN, tallies, set()).flips_to_cross is None
    assert criterion_sensitivity(SPEC, PLAIN, tallies, set()).description == "Cannot cross"


def test_null_without_a_line_or_a_relevant_case():
    tallies = {"q1": Tally(1, 2)}
    assert criterion_sensitivity(SPEC, ScoringRules(), tallies, ALL).flips_to_cross is None
    assert criterion_sensitivity(SPEC, ScoringRules(), tallies, ALL).description == "n/a"
    assert criterion_sensitivity(SPEC, OMI, {}, ALL).flips_to_cross is None


def test_borrowed_questions_count_in_the_criterion_that_borrows_them():
    framework = ScoringFramework(
        rules=PLAIN,
        questions=("q1", "q2", "q3"),
        criteria=(CriterionSpec("1.1", "1", ("q1", "q2")), CriterionSpec("1.2", "1", ("q3", "q1"))),
    )
    tallies = {"q1": Tally(1, 1), "q2": Tally(1, 1), "q3": Tally(2, 5)}  # 1.2: mean(40, 100) = 70
    result = inspection_sensitivity(framework, tallies, ALL)
    assert list(result) == ["1.1", "1.2"]
    # 1.2 goes below with one flip of q1 (mean(40, 0) = 20) or of q3 (mean(20, 100) = 60).
    assert result["1.2"].flips_to_cross == 1
    assert {lever.question for lever in result["1.2"].levers} == {"q1", "q3"}
    assert result["1.1"].flips_to_cross == 1  # mean(0, 100) = 50


def test_cases_ranked_by_how_far_they_could_move_it():
    tallies = {"q1": Tally(70, 100), "q2": Tally(70, 100), "qS": Tally(70, 100)}
    result = criterion_sensitivity(SPEC, OMI, tallies, ALL)
    answers = [("C1", "q1", True), ("C1", "qS", True), ("C2", "q1", True), ("C2", "q2", True), ("C3", "q1", False)]
    ranked = case_leverage(result, answers)
    assert [(item.case, item.questions) for item in ranked] == [("C2", ("q1", "q2")), ("C1", ("q1", "qS"))]
    assert ranked[0].movement == pytest.approx(0.8)
    assert ranked[1].movement == pytest.approx(0.6)


def test_flippable_questions_of_a_definition():
    definition = {
        "scales": {
            "yes_no": {"options": [{"code": "yes", "sufficient": True}, {"code": "no", "sufficient": False}]},
            "only_yes": {"options": [{"code": "yes", "sufficient": True}]},
        },
        "sections": [
            {"criteria": [{"questions": [{"code": "a", "scale": "yes_no"}, {"code": "b", "scale": "only_yes"}]}]}
        ],
    }
    assert flippable_questions(definition) == {"a"}


# --------------------------------------------------------------------------- minimality, by brute force


@st.composite
def small_criteria(draw: st.DrawFn):
    """A criterion of 1-3 individual questions and maybe a summary, with tallies of up to 4 cases."""
    individual = tuple(f"q{i}" for i in range(draw(st.integers(1, 3))))
    summary = draw(st.sampled_from([None, "qS"]))
    spec = CriterionSpec("c", "1", individual, summary)
    weight = draw(st.sampled_from([None, 0.2, 0.5])) if summary else draw(st.sampled_from([None, 0.2]))
    rules = ScoringRules(
        summary_weight=weight,
        priority_line=draw(st.integers(1, 100)),
        priority_below="priority",
        priority_at_or_above="good",
    )
    tallies = {}
    for code in spec.members:
        relevant = draw(st.integers(0, 4))
        tallies[code] = Tally(draw(st.integers(0, relevant)), relevant)
    flippable = frozenset(code for code in spec.members if draw(st.integers(0, 4)))  # mostly flippable
    return spec, rules, tallies, flippable


def brute_force(spec, rules, tallies, flippable) -> int | None:
    """The fewest flips that cross, trying every combination of changes to every question."""

    def side(changed):
        framework = ScoringFramework(rules=rules, questions=spec.members, criteria=(spec,))
        score = score_inspection(framework, changed).criteria["c"].score
        return None if score is None else published_percentage(score) >= rules.priority_line

    start = side(tallies)
    if start is None:
        return None
    codes = list(spec.members)
    # Net change of each question's sufficient count; flipping the same answer back and forth is never cheaper.
    ranges = [
        range(-tallies[code].sufficient, tallies[code].relevant - tallies[code].sufficient + 1)
        if code in flippable
        else range(0, 1)
        for code in codes
    ]
    best = None
    for deltas in itertools.product(*ranges):
        cost = sum(abs(delta) for delta in deltas)
        if cost == 0 or (best is not None and cost >= best):
            continue
        changed = {
            code: Tally(tallies[code].sufficient + delta, tallies[code].relevant)
            for code, delta in zip(codes, deltas, strict=True)
        }
        if side(changed) != start:
            best = cost
    return best


@settings(max_examples=300, deadline=None)
@given(small_criteria())
def test_flips_to_cross_is_the_minimum(criterion):
    spec, rules, tallies, flippable = criterion
    result = criterion_sensitivity(spec, rules, tallies, flippable)
    assert result.flips_to_cross == brute_force(spec, rules, tallies, flippable)


@settings(max_examples=100, deadline=None)
@given(small_criteria())
def test_the_flips_found_really_cross(criterion):
    """Applying the reported levers, biggest first, moves the published figure across the line."""
    spec, rules, tallies, flippable = criterion
    result = criterion_sensitivity(spec, rules, tallies, flippable)
    if result.flips_to_cross is None:
        return
    changed, remaining = dict(tallies), result.flips_to_cross
    for lever in result.levers:
        used = min(lever.available, remaining)
        tally = changed[lever.question]
        sign = -1 if result.direction == "down" else 1
        changed[lever.question] = Tally(tally.sufficient + sign * used, tally.relevant)
        remaining -= used
    framework = ScoringFramework(rules=rules, questions=spec.members, criteria=(spec,))
    after = score_inspection(framework, changed).criteria["c"]
    before = score_inspection(framework, tallies).criteria["c"]
    assert after.suggested_judgement != before.suggested_judgement

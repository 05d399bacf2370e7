"""Properties of the scoring engine over random frameworks and random case answers.

A scenario is a small framework (questions with multi-option scales, criteria with summary
weighting and `also_in`, sections, headlines, random rules) and a list of cases, each a mapping
of question code to an option code or "na". Scores are always computed from the answers, through
`tally_cases`, as the application does.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from scoring.engine import (
    NA,
    CriterionSpec,
    HeadlineSpec,
    InspectionScores,
    ScoringFramework,
    ScoringRules,
    SectionSpec,
    display,
    score_inspection,
    tally_cases,
)


@dataclass
class Scenario:
    framework: ScoringFramework
    options: dict[str, list[str]]  # question -> option codes
    sufficient: dict[str, frozenset[str]]  # question -> sufficient option codes
    cases: list[dict[str, str]]

    def scores(self, cases: list[dict[str, str]] | None = None) -> InspectionScores:
        return score_inspection(self.framework, tally_cases(self.cases if cases is None else cases, self.sufficient))


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    codes = [f"q{i}" for i in range(draw(st.integers(1, 8)))]
    options: dict[str, list[str]] = {}
    sufficient: dict[str, frozenset[str]] = {}
    for code in codes:
        flags = draw(st.lists(st.booleans(), min_size=2, max_size=4).filter(any))
        options[code] = [f"o{i}" for i in range(len(flags))]
        sufficient[code] = frozenset(f"o{i}" for i, flag in enumerate(flags) if flag)

    criterion_count = draw(st.integers(1, 4))
    owner = {code: draw(st.integers(0, criterion_count - 1)) for code in codes}
    weight = draw(st.none() | st.sampled_from([0.2]) | st.floats(0, 1))
    section_of = [draw(st.sampled_from(["1", "2"])) for _ in range(criterion_count)]
    criteria = []
    for index in range(criterion_count):
        own = [code for code in codes if owner[code] == index]
        summary = draw(st.none() | st.sampled_from(own)) if own and weight is not None else None
        borrowed = [code for code in codes if owner[code] != index and draw(st.integers(0, 4)) == 0]
        individual = tuple(code for code in own if code != summary) + tuple(borrowed)
        criteria.append(CriterionSpec(f"c{index}", section_of[index], individual, summary))
    sections = tuple(
        SectionSpec(code, tuple(c.code for c in criteria if c.section == code)) for code in sorted(set(section_of))
    )
    headlines = tuple(
        HeadlineSpec(f"h{i}", tuple(draw(st.lists(st.sampled_from(codes), max_size=len(codes), unique=True))))
        for i in range(draw(st.integers(0, 3)))
    )
    line = draw(st.none() | st.integers(0, 100))
    rules = ScoringRules(
        summary_weight=weight,
        section_score=draw(st.sampled_from(["mean_of_criteria", "mean_of_questions"])),
        headline_score=draw(st.sampled_from(["mean_of_questions", "pooled"])),
        priority_line=line,
        priority_below="priority" if line is not None else None,
        priority_at_or_above="good" if line is not None else None,
    )
    framework = ScoringFramework(rules, tuple(codes), tuple(criteria), sections, headlines)

    answer = {code: st.sampled_from([*options[code], NA]) for code in codes}
    cases = draw(st.lists(st.fixed_dictionaries({}, optional=answer), max_size=12))
    return Scenario(framework, options, sufficient, cases)


def all_scores(scores: InspectionScores) -> dict[tuple[str, str], float | None]:
    result: dict[tuple[str, str], float | None] = {}
    for kind, items in (
        ("question", scores.questions),
        ("criterion", scores.criteria),
        ("section", scores.sections),
        ("headline", scores.headlines),
    ):
        for code, item in items.items():
            result[kind, code] = item.score
    return result


def exact_half_up(value: Fraction) -> int:
    return int(value + Fraction(1, 2)) if value >= 0 else -int(-value + Fraction(1, 2))


@given(scenarios())
def test_every_score_is_a_percentage_or_none(scenario):
    scores = scenario.scores()
    for score in all_scores(scores).values():
        assert score is None or 0 <= score <= 100
    for criterion in scores.criteria.values():
        assert criterion.display == display(criterion.score)
        assert (criterion.score is None) == (criterion.display == "n/a")


@given(scenarios())
def test_a_criterion_score_lies_between_its_question_scores(scenario):
    scores = scenario.scores()
    for criterion in scores.criteria.values():
        members = [q.score for q in criterion.questions if q.score is not None]
        if not members:
            assert criterion.score is None
        else:
            assert criterion.score is not None
            assert min(members) - 1e-9 <= criterion.score <= max(members) + 1e-9


@given(scenarios())
def test_question_display_is_the_exact_proportion_rounded_half_up(scenario):
    for question in scenario.scores().questions.values():
        if question.relevant:
            exact = Fraction(question.sufficient * 100, question.relevant)
            assert display(question.score) == f"{exact_half_up(exact)}%"


@given(scenarios(), st.data())
def test_na_answers_never_change_a_score(scenario, data):
    before = scenario.scores()
    codes = list(scenario.framework.questions)
    # Extra cases answered only "na", and "na" for every question a case left unanswered.
    extra = data.draw(st.lists(st.lists(st.sampled_from(codes), unique=True), max_size=5))
    padded = [{code: NA for code in codes} | case for case in scenario.cases]
    after = scenario.scores(padded + [dict.fromkeys(subset, NA) for subset in extra])
    assert after == before


@given(scenarios(), st.data())
def test_a_sufficient_answer_in_place_of_an_insufficient_one_never_lowers_a_score(scenario, data):
    insufficient = [
        (index, code)
        for index, case in enumerate(scenario.cases)
        for code, answer in case.items()
        if answer != NA and answer not in scenario.sufficient[code]
    ]
    if not insufficient:
        return
    index, code = data.draw(st.sampled_from(insufficient))
    better = data.draw(st.sampled_from(sorted(scenario.sufficient[code])))
    cases = [dict(case) for case in scenario.cases]
    cases[index][code] = better

    before, after = scenario.scores(), scenario.scores(cases)
    before_scores, after_scores = all_scores(before), all_scores(after)
    for key, old in before_scores.items():
        new = after_scores[key]
        assert (old is None) == (new is None), key
        assert old is None or new >= old, key
    assert after.questions[code].score > before.questions[code].score
    for criterion_code, criterion in before.criteria.items():
        if criterion.suggested_judgement == "good":
            assert after.criteria[criterion_code].suggested_judgement == "good"

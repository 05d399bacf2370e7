"""Golden tests: the published figures of the Lincolnshire (OMI, 2007) and Hertfordshire (OMI2, 2010)
reports, reproduced through the real frameworks.

The reports print no per-question figures, so answers are generated to fit the printed scores:

* Lincolnshire, 100 cases (L681). For a criterion printed as F, the summary question is answered
  sufficient in S = F + 8 cases (F - 8 above 92) and the individual questions in F - 2 cases on
  average (F + 2), spread +-6 around that, so 0.8 * (F - 2) + 0.2 * (F + 8) = F. The summary weight
  therefore matters: the plain mean of the questions is not F.
* Hertfordshire, 127 inspected cases (140 - 13, H24). Each scored question applies to 100 of them
  (N/A in the other 27); within a criterion printed as F the questions are answered sufficient in
  F - 6, F + 6, ... cases, averaging F exactly.

Section scores are then computed, not typed in, and compared with the printed ones.
"""

from pathlib import Path

import pytest

from inspections.framework_loader import FRAMEWORK_DIR, parse_file
from scoring.engine import NA, Discrepancy, compare_with_published, score_inspection, tally_cases
from scoring.rules import scoring_framework, sufficient_codes

# Criterion: (printed score, conclusion). L351-L691; G = good, P = priority for improvement.
LINCOLNSHIRE = {
    "1.1": (88, "good"),
    "1.2": (68, "priority"),
    "1.3": (80, "good"),
    "1.4": (72, "good"),
    "1.5": (68, "priority"),
    "2.1": (64, "priority"),
    "2.2": (73, "good"),
    "2.3": (70, "good"),
    "2.4": (81, "good"),
    "2.5": (62, "priority"),
    "2.6": (90, "good"),
    "2.7": (64, "priority"),
    "3.1": (62, "priority"),
    "3.2": (67, "priority"),
}
# Not printed (Chart 1 is missing): the mean of the criterion scores, derived in the published figures.
LINCOLNSHIRE_SECTIONS = {"1": (75.2, "75%"), "2": (72.0, "72%"), "3": (64.5, "65%")}

HERTFORDSHIRE = {  # H239-H517
    "1.1": 88,
    "1.2": 71,
    "1.3": 75,
    "1.4": 59,
    "2.1": 71,
    "2.2": 61,
    "2.3": 63,
    "2.4": 74,
    "3.1": 61,
    "3.2": 46,
    "3.3": 43,
}
HERTFORDSHIRE_SECTIONS = {"1": 73, "2": 69, "3": 50}  # "{Overall Score = x%}", H118, H126, H138


def load(code: str) -> dict:
    return parse_file(Path(FRAMEWORK_DIR) / f"{code}.v1.yaml").definition


def spread(mean: int, count: int, step: int = 6) -> list[int]:
    """`count` whole numbers averaging `mean` exactly: mean + step, mean - step, ..., mean."""
    values = [mean + step if index % 2 == 0 else mean - step for index in range(count - count % 2)]
    return values + [mean] * (count % 2)


def answer_cases(definition: dict, sufficient_counts: dict[str, int], cases: int, relevant: int) -> list[dict]:
    """Per-case answers: question q is answered with a sufficient option in the first
    sufficient_counts[q] cases, an insufficient option up to `relevant`, and N/A after that."""
    scales = definition["scales"]
    options = {
        question["code"]: scales[question["scale"]]["options"]
        for section in definition["sections"]
        for criterion in section["criteria"]
        for question in criterion["questions"]
    }
    answers: list[dict] = [{} for _ in range(cases)]
    for code, count in sufficient_counts.items():
        good = next(option["code"] for option in options[code] if option["sufficient"])
        bad = next(option["code"] for option in options[code] if not option["sufficient"])
        for index, case in enumerate(answers):
            case[code] = good if index < count else bad if index < relevant else NA
    return answers


def lincolnshire_counts(framework) -> dict[str, int]:
    counts: dict[str, int] = {}
    for criterion in framework.criteria:
        printed, _ = LINCOLNSHIRE[criterion.code]
        summary = printed + 8 if printed + 8 <= 100 else printed - 8
        individual = (5 * printed - summary) // 4  # 0.8 * individual + 0.2 * summary = printed
        counts[criterion.summary] = summary
        counts.update(zip(criterion.questions, spread(individual, len(criterion.questions)), strict=True))
    return counts


def test_lincolnshire_criterion_scores_and_conclusions():
    definition = load("omi-2006")
    framework = scoring_framework(definition)
    assert {criterion.code for criterion in framework.criteria} == set(LINCOLNSHIRE)
    cases = answer_cases(definition, lincolnshire_counts(framework), cases=100, relevant=100)
    scores = score_inspection(framework, tally_cases(cases, sufficient_codes(definition)))

    for code, (printed, conclusion) in LINCOLNSHIRE.items():
        criterion = scores.criteria[code]
        assert criterion.score == pytest.approx(printed), code
        assert (criterion.display, criterion.suggested_judgement) == (f"{printed}%", conclusion), code
        assert compare_with_published(printed, criterion.score) is None
        # The 80/20 weighting is what produces the printed figure, not the plain mean.
        plain_mean = sum(q.score for q in criterion.questions) / len(criterion.questions)
        assert plain_mean != pytest.approx(printed, abs=0.1), code
    judgements = [criterion.suggested_judgement for criterion in scores.criteria.values()]
    assert (judgements.count("good"), judgements.count("priority")) == (7, 7)


def test_lincolnshire_section_means_follow_from_the_criteria():
    definition = load("omi-2006")
    framework = scoring_framework(definition)
    cases = answer_cases(definition, lincolnshire_counts(framework), cases=100, relevant=100)
    scores = score_inspection(framework, tally_cases(cases, sufficient_codes(definition)))
    for code, (mean, shown) in LINCOLNSHIRE_SECTIONS.items():
        assert scores.sections[code].score == pytest.approx(mean)
        assert scores.sections[code].display == shown  # 64.5 rounds half up to 65


def hertfordshire_scores():
    definition = load("omi2-2009")
    framework = scoring_framework(definition)
    assert {criterion.code for criterion in framework.criteria} == set(HERTFORDSHIRE)
    counts: dict[str, int] = {}
    for criterion in framework.criteria:
        shares = spread(HERTFORDSHIRE[criterion.code], len(criterion.questions))
        counts.update(zip(criterion.questions, shares, strict=True))
    cases = answer_cases(definition, counts, cases=127, relevant=100)
    return score_inspection(framework, tally_cases(cases, sufficient_codes(definition)))


def test_hertfordshire_criterion_scores():
    scores = hertfordshire_scores()
    for code, printed in HERTFORDSHIRE.items():
        criterion = scores.criteria[code]
        assert criterion.score == pytest.approx(printed), code
        assert criterion.display == f"{printed}%"
        assert criterion.suggested_judgement is None  # OMI2 has no line of priority
        assert {question.relevant for question in criterion.questions} == {100}  # 27 N/A cases excluded


@pytest.mark.parametrize(("section", "mean"), [("1", 73.25), ("3", 50.0)])
def test_hertfordshire_sections_that_are_the_mean_of_their_criteria(section, mean):
    computed = hertfordshire_scores().sections[section]
    assert computed.score == pytest.approx(mean)
    assert computed.display == f"{HERTFORDSHIRE_SECTIONS[section]}%"
    assert compare_with_published(HERTFORDSHIRE_SECTIONS[section], computed.score) is None


def test_hertfordshire_implementation_section_is_reported_as_a_discrepancy():
    # Printed 69% (H126); the mean of its printed criteria is (71 + 61 + 63 + 74) / 4 = 67.25.
    computed = hertfordshire_scores().sections["2"]
    assert computed.score == pytest.approx(67.25)
    assert computed.display == "67%"
    discrepancy = compare_with_published(HERTFORDSHIRE_SECTIONS["2"], computed.score)
    assert discrepancy == Discrepancy(published=69, computed=pytest.approx(67.25), computed_display="67%")

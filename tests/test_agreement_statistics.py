"""Percentage agreement and Cohen's kappa: small tables worked by hand, and properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.agreement import (
    BELOW_CHANCE,
    CATEGORIES,
    INSUFFICIENT,
    NA,
    NO_PAIRS,
    NOT_MEASURABLE,
    SUFFICIENT,
    agreement,
    category,
    kappa_band,
    pooled,
)

S, NO = SUFFICIENT, INSUFFICIENT


def test_two_categories_by_hand():
    # 50 pairs: 35 agree, so 0.7. First marker 25 sufficient / 25 insufficient, second 30 / 20:
    # chance agreement (25 * 30 + 25 * 20) / 50^2 = 0.5, so kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
    result = agreement({(S, S): 20, (S, NO): 5, (NO, S): 10, (NO, NO): 15})
    assert (result.pairs, result.agreeing, result.disagreeing) == (50, 35, 15)
    assert result.agreement == pytest.approx(0.7)
    assert result.kappa == pytest.approx(0.4)
    assert result.band == "Fair"


def test_three_categories_and_both_na_is_not_a_pair():
    # 5 cases N/A for both markers are not pairs. 10 pairs, 8 agree. First: 7 S, 2 I, 1 N/A;
    # second: 7 S, 3 I, 0 N/A. Chance (7*7 + 2*3 + 1*0) / 100 = 0.55; kappa = 0.25 / 0.45 = 5/9.
    result = agreement({(S, S): 6, (NO, NO): 2, (NA, NA): 5, (S, NO): 1, (NA, S): 1})
    assert result.pairs == 10
    assert result.agreement == pytest.approx(0.8)
    assert result.kappa == pytest.approx(5 / 9)
    assert result.band == "Moderate"
    assert result.as_dict() == {"pairs": 10, "agreement": 0.8, "kappa": pytest.approx(0.5555555555555556)}


def test_kappa_is_null_where_chance_agreement_is_one():
    result = agreement({(S, S): 12, (NA, NA): 3})
    assert (result.pairs, result.agreement, result.kappa) == (12, 1.0, None)
    assert result.band == NOT_MEASURABLE


def test_complete_disagreement_is_below_chance():
    result = agreement({(S, NO): 5, (NO, S): 5})
    assert (result.agreement, result.kappa) == (0.0, -1.0)
    assert result.band == BELOW_CHANCE


def test_no_pairs():
    result = agreement({(NA, NA): 4})
    assert (result.pairs, result.agreement, result.kappa, result.band) == (0, None, None, NO_PAIRS)
    assert agreement({}).as_dict() == {"pairs": 0, "agreement": None, "kappa": None}


def test_pooling_adds_the_tables():
    assert pooled([{(S, S): 2, (S, NO): 1}, {(S, S): 3, (NA, NO): 1}]) == {(S, S): 5, (S, NO): 1, (NA, NO): 1}


def test_bad_tables_are_refused():
    with pytest.raises(ValueError, match="unknown category"):
        agreement({("yes", S): 1})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="negative"):
        agreement({(S, S): -1})


def test_category_of_an_answer():
    assert [category(None), category(True), category(False)] == [NA, S, NO]


@pytest.mark.parametrize(
    ("kappa", "band"),
    [
        (-0.1, BELOW_CHANCE),
        (0.0, "Slight"),
        (0.2, "Slight"),
        (0.35, "Fair"),
        (0.5, "Moderate"),
        (0.7, "Substantial"),
        (0.81, "Almost perfect"),
        (1.0, "Almost perfect"),
    ],
)
def test_landis_and_koch_bands(kappa, band):
    assert kappa_band(kappa) == band


categories = st.sampled_from(CATEGORIES)
markings = st.lists(categories, min_size=1, max_size=40)


def table_of(first: list[str], second: list[str]) -> dict:
    table: dict = {}
    for pair in zip(first, second, strict=True):
        table[pair] = table.get(pair, 0) + 1
    return table


@given(markings)
def test_identical_markings_have_kappa_one(marking):
    result = agreement(table_of(marking, marking))
    if result.pairs == 0:
        return  # every answer N/A for both: nothing to compare
    assert result.agreement == 1.0
    if len(set(marking) - {NA}) > 1:  # two categories among the pairs (N/A with N/A is no pair)
        assert result.kappa == pytest.approx(1.0)
    else:
        assert result.kappa is None


@given(st.lists(st.tuples(categories, categories), min_size=1, max_size=40))
def test_figures_stay_in_range_and_are_symmetric(pairs):
    first, second = [a for a, _ in pairs], [b for _, b in pairs]
    forward, backward = agreement(table_of(first, second)), agreement(table_of(second, first))
    assert forward.pairs == sum(1 for a, b in pairs if (a, b) != (NA, NA))
    if forward.pairs:
        assert 0 <= forward.agreement <= 1
    if forward.kappa is not None:
        assert -1 - 1e-9 <= forward.kappa <= 1 + 1e-9
        assert forward.kappa <= forward.agreement + 1e-9  # chance-corrected agreement never exceeds raw agreement
        assert backward.kappa == pytest.approx(forward.kappa)  # kappa does not depend on who marked first

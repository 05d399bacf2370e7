"""The programme statistics: Student-t quantiles against table values, intervals, and properties."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.statistics import (
    mean_interval,
    pooled_proportion,
    regularized_incomplete_beta,
    spread,
    student_t_cdf,
    student_t_quantile,
    wilson_interval,
)

# Two-sided 95% critical values t(0.975, df), and a few others, from published tables (to 10 digits).
T_TABLE = [
    (0.975, 1, 12.7062047362),
    (0.975, 2, 4.3026527297),
    (0.975, 3, 3.1824463053),
    (0.975, 4, 2.7764451052),
    (0.975, 5, 2.5705818356),
    (0.975, 9, 2.2621571628),
    (0.975, 10, 2.2281388520),
    (0.975, 20, 2.0859634473),
    (0.975, 30, 2.0422724563),
    (0.975, 39, 2.0226909200),
    (0.975, 100, 1.9839715185),
    (0.95, 1, 6.3137515147),
    (0.95, 10, 1.8124611228),
    (0.995, 10, 3.1692726726),
    (0.9995, 3, 12.9239786367),
]


@pytest.mark.parametrize(("p", "df", "expected"), T_TABLE)
def test_student_t_quantile_matches_tables(p, df, expected):
    assert student_t_quantile(p, df) == pytest.approx(expected, abs=5e-10)


def test_student_t_quantile_is_symmetric_and_inverts_the_cdf():
    assert student_t_quantile(0.5, 7) == 0
    assert student_t_quantile(0.025, 4) == pytest.approx(-2.7764451052, abs=5e-10)
    for df in (1, 2, 5, 17):
        for p in (0.6, 0.9, 0.975, 0.999):
            assert student_t_cdf(student_t_quantile(p, df), df) == pytest.approx(p, abs=1e-12)


def test_student_t_with_one_degree_of_freedom_is_cauchy():
    for t in (-3.0, -0.5, 0.0, 1.0, 10.0):
        assert student_t_cdf(t, 1) == pytest.approx(0.5 + math.atan(t) / math.pi, abs=1e-13)


def test_incomplete_beta_known_values():
    assert regularized_incomplete_beta(0.5, 1, 1) == pytest.approx(0.5)
    assert regularized_incomplete_beta(0.3, 2, 1) == pytest.approx(0.09)  # x^a when b = 1
    assert regularized_incomplete_beta(0.2, 1, 3) == pytest.approx(1 - 0.8**3)
    with pytest.raises(ValueError):
        regularized_incomplete_beta(1.5, 1, 1)


@pytest.mark.parametrize("bad", [0, 1, -0.1, 1.2])
def test_student_t_quantile_refuses_p_outside_zero_one(bad):
    with pytest.raises(ValueError):
        student_t_quantile(bad, 3)


def test_mean_interval_by_hand():
    # 70, 80, 90: mean 80, s = 10, t(0.975, 2) = 4.30265..., half width = 4.30265 * 10 / sqrt(3) = 24.8414
    low, high = mean_interval([70.0, 80.0, 90.0])
    assert low == pytest.approx(80 - 24.84137, abs=1e-4)
    assert high == pytest.approx(80 + 24.84137, abs=1e-4)
    assert mean_interval([55.0]) is None
    assert mean_interval([]) is None
    assert mean_interval([60.0, 60.0]) == (60.0, 60.0)


def test_spread_of_nothing_and_of_one():
    assert spread([]).count == 0 and spread([]).mean is None
    one = spread([42.5])
    assert (one.count, one.mean, one.minimum, one.maximum, one.ci95) == (1, 42.5, 42.5, 42.5, None)


def test_wilson_interval_by_hand():
    # 8 of 10: p = 0.8, z = 1.959964; centre = (0.8 + 0.192073) / 1.384146 = 0.716738;
    # half = 1.959964 / 1.384146 * sqrt(0.016 + 0.009604) = 0.226567 -> [49.02, 94.33]
    low, high = wilson_interval(8, 10)
    assert low == pytest.approx(49.0162, abs=1e-3)
    assert high == pytest.approx(94.3318, abs=1e-3)
    # No success: the interval starts at 0 and is not degenerate.
    low, high = wilson_interval(0, 10)
    assert low == 0 and high == pytest.approx(27.7532, abs=1e-3)
    assert wilson_interval(0, 0) is None
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


def test_pooled_proportion():
    pooled = pooled_proportion(3, 4)
    assert pooled.percentage == 75.0 and pooled.wilson95 is not None
    assert pooled_proportion(0, 0).percentage is None


scores = st.floats(min_value=0, max_value=100, allow_nan=False)


@given(st.lists(scores, min_size=1, max_size=60))
def test_mean_lies_within_min_and_max(values):
    figures = spread(values)
    assert figures.minimum <= figures.mean <= figures.maximum


@given(st.lists(scores, min_size=2, max_size=60))
def test_interval_contains_the_mean(values):
    figures = spread(values)
    low, high = figures.ci95
    assert low <= figures.mean <= high


@given(st.lists(scores, min_size=2, max_size=30), st.integers(min_value=2, max_value=4))
def test_interval_narrows_as_inspections_are_added_with_the_same_spread(values, copies):
    # Each value repeated: the same spread of scores over more inspections.
    low, high = mean_interval(values)
    more_low, more_high = mean_interval(values * copies)
    if high - low > 1e-9:
        assert more_high - more_low < high - low
    else:
        assert more_high - more_low <= 1e-9


@given(st.integers(min_value=0, max_value=500), st.integers(min_value=0, max_value=500))
def test_wilson_interval_holds_the_proportion_within_zero_and_hundred(successes, failures):
    trials = successes + failures
    if trials == 0:
        return
    low, high = wilson_interval(successes, trials)
    assert 0 <= low <= successes / trials * 100 + 1e-9
    assert successes / trials * 100 - 1e-9 <= high <= 100


def test_interval_of_equal_tiny_values_is_centred_on_the_mean():
    # Found by the property above: subnormal values whose computed mean differed in the last bit.
    figures = spread([4.8e-234, 4.8e-234, 4.8e-234])
    assert figures.ci95[0] <= figures.mean <= figures.ci95[1]

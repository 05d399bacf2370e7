"""Statistics for a programme of inspections: the spread of a criterion's scores across
inspections and the pooled proportion of a question. Pure functions, no ORM.

The Student-t quantile is computed exactly (to float precision) from the regularised incomplete
beta function rather than taken from SciPy: the programme needs one quantile per number of
inspections, and a 40 MB run-time dependency for that is not worth it. The tests check it against
published table values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist

CONFIDENCE = 0.95
_EPSILON = 1e-15
_TINY = 1e-300


# ------------------------------------------------------------------------------ distributions


def _beta_continued_fraction(x: float, a: float, b: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz's method)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    result = d
    for m in range(1, 10_000):
        m2 = 2 * m
        even = m * (b - m) * x / ((qam + m2) * (a + m2))
        odd = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        for numerator in (even, odd):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + numerator / c
            c = c if abs(c) > _TINY else _TINY
            delta = c * d
            result *= delta
        if abs(delta - 1.0) < _EPSILON:
            return result
    raise ArithmeticError(f"incomplete beta did not converge for x={x}, a={a}, b={b}")  # pragma: no cover


def regularized_incomplete_beta(x: float, a: float, b: float) -> float:
    """I_x(a, b) for 0 <= x <= 1 and a, b > 0."""
    if not 0.0 <= x <= 1.0:
        raise ValueError(f"x must lie in [0, 1], not {x}")
    if x in (0.0, 1.0):
        return x
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    front = math.exp(log_front)
    # The continued fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_continued_fraction(x, a, b) / a
    return 1.0 - front * _beta_continued_fraction(1.0 - x, b, a) / b


def student_t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t distribution with df degrees of freedom."""
    if df <= 0:
        raise ValueError(f"degrees of freedom must be positive, not {df}")
    tail = 0.5 * regularized_incomplete_beta(df / (df + t * t), df / 2.0, 0.5)
    return 1.0 - tail if t > 0 else tail


@lru_cache(maxsize=256)
def student_t_quantile(p: float, df: float) -> float:
    """The t with P(T <= t) = p, found by bisection on the exact CDF (to float resolution).

    Cached: a programme asks for the same few (p, df) pairs over and over.
    """
    if not 0.0 < p < 1.0:
        raise ValueError(f"p must lie strictly between 0 and 1, not {p}")
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -student_t_quantile(1.0 - p, df)
    low, high = 0.0, 1.0
    while student_t_cdf(high, df) < p:
        low, high = high, high * 2.0
    for _ in range(200):
        middle = (low + high) / 2.0
        if middle in (low, high):
            break
        if student_t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
    return (low + high) / 2.0


# ---------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Spread:
    """A criterion across inspections: how many, their mean, extremes and the 95% interval of the mean."""

    count: int
    mean: float | None
    minimum: float | None
    maximum: float | None
    ci95: tuple[float, float] | None  # None with fewer than two values


@dataclass(frozen=True)
class Proportion:
    """A pooled proportion (as a percentage) with its 95% Wilson score interval."""

    successes: int
    trials: int
    percentage: float | None
    wilson95: tuple[float, float] | None  # None without a trial


def mean_interval(values: Sequence[float], confidence: float = CONFIDENCE) -> tuple[float, float] | None:
    """The Student-t interval of the mean: mean ± t(1 - α/2, n - 1) · s / √n, with s the sample
    standard deviation (n - 1 in the denominator). None with fewer than two values."""
    count = len(values)
    if count < 2:
        return None
    mean = _mean(values)
    variance = math.fsum((value - mean) ** 2 for value in values) / (count - 1)
    half_width = student_t_quantile(1.0 - (1.0 - confidence) / 2.0, count - 1) * math.sqrt(variance / count)
    return (mean - half_width, mean + half_width)


def spread(values: Sequence[float]) -> Spread:
    """Count, unweighted mean, minimum, maximum and 95% interval of the mean of `values`."""
    if not values:
        return Spread(0, None, None, None, None)
    return Spread(len(values), _mean(values), min(values), max(values), mean_interval(values))


def _mean(values: Sequence[float]) -> float:
    """The unweighted mean, kept between the least and greatest value: the mean of equal values must
    equal them exactly, not differ in the last bit (and the interval is centred on this same figure)."""
    mean = math.fsum(values) / len(values)
    return min(max(mean, min(values)), max(values))


def wilson_interval(successes: int, trials: int, confidence: float = CONFIDENCE) -> tuple[float, float] | None:
    """The Wilson score interval of a proportion, as percentages. None without a trial.

    Unlike the normal approximation it stays inside [0, 100] and is sensible at 0 or n successes.
    """
    if not 0 <= successes <= trials:
        raise ValueError(f"need 0 <= successes <= trials, not {successes}/{trials}")
    if trials == 0:
        return None
    z = NormalDist().inv_cdf(1.0 - (1.0 - confidence) / 2.0)
    share = successes / trials
    z2n = z * z / trials
    centre = (share + z2n / 2.0) / (1.0 + z2n)
    half_width = z / (1.0 + z2n) * math.sqrt(share * (1.0 - share) / trials + z2n / (4.0 * trials))
    # At 0 or n successes the bound is exactly 0 or 100 (the formula leaves float noise there).
    low = 0.0 if successes == 0 else max(0.0, centre - half_width) * 100.0
    high = 100.0 if successes == trials else min(1.0, centre + half_width) * 100.0
    return (low, high)


def pooled_proportion(successes: int, trials: int) -> Proportion:
    """Sufficient answers over relevant answers pooled across inspections, with its Wilson interval."""
    percentage = successes / trials * 100.0 if trials else None
    return Proportion(successes, trials, percentage, wilson_interval(successes, trials))

"""Agreement between a first and a second marker of the same cases: the share of pairs in the same
category and Cohen's kappa, with a plain-language band.

Pure functions over counts (no ORM). The definitions are the interface contract's ("Second marking
and agreement"): a pair is one case x one scored question where at least one of the two markers
answered something other than N/A (an unanswered question counts as N/A); each answer falls in one
of three categories, N/A, sufficient or insufficient; kappa compares the first marker's categories
with the second marker's and is None where the agreement expected by chance is 1 (both markers put
every pair in the same single category, so nothing is left to measure beyond chance).

Counts come as a confusion table: {(first category, second category): number of case answers}.
Cells where both markers said N/A are not pairs and are ignored, so callers may pass them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

Category = Literal["na", "sufficient", "insufficient"]
NA: Category = "na"
SUFFICIENT: Category = "sufficient"
INSUFFICIENT: Category = "insufficient"
CATEGORIES: tuple[Category, ...] = (NA, SUFFICIENT, INSUFFICIENT)
Pair = tuple[Category, Category]  # (first marker, second marker)
Table = Mapping[Pair, int]

# Landis and Koch (1977), "The measurement of observer agreement for categorical data": upper
# bounds of each band, in order. A kappa below 0 means less agreement than chance.
BANDS: tuple[tuple[float, str], ...] = (
    (0.20, "Slight"),
    (0.40, "Fair"),
    (0.60, "Moderate"),
    (0.80, "Substantial"),
    (1.00, "Almost perfect"),
)
BELOW_CHANCE = "Poor: less than chance"
NOT_MEASURABLE = "Not measurable: every answer in one category"
NO_PAIRS = "No pairs yet"


def category(sufficient: bool | None) -> Category:
    """The category of an answer from its option's sufficient flag (None: N/A or unanswered)."""
    if sufficient is None:
        return NA
    return SUFFICIENT if sufficient else INSUFFICIENT


@dataclass(frozen=True)
class Agreement:
    pairs: int
    agreeing: int
    agreement: float | None  # share of pairs in the same category; None without pairs
    kappa: float | None  # Cohen's kappa; None without pairs or where chance agreement is 1

    @property
    def disagreeing(self) -> int:
        return self.pairs - self.agreeing

    @property
    def band(self) -> str:
        if self.pairs == 0:
            return NO_PAIRS
        return kappa_band(self.kappa)

    def as_dict(self) -> dict[str, int | float | None]:
        """The figures of one entry of the `export_agreement` document."""
        return {"pairs": self.pairs, "agreement": self.agreement, "kappa": self.kappa}


def _checked(table: Table) -> dict[Pair, int]:
    counts: dict[Pair, int] = {}
    for (first, second), count in table.items():
        if first not in CATEGORIES or second not in CATEGORIES:
            raise ValueError(f"unknown category in pair ({first!r}, {second!r})")
        if count < 0:
            raise ValueError(f"a count cannot be negative: {count} for ({first}, {second})")
        if (first, second) != (NA, NA) and count:
            counts[(first, second)] = counts.get((first, second), 0) + count
    return counts


def agreement(table: Table) -> Agreement:
    """Percentage agreement and Cohen's kappa over a confusion table (first x second marker)."""
    counts = _checked(table)
    pairs = sum(counts.values())
    if pairs == 0:
        return Agreement(0, 0, None, None)
    agreeing = sum(count for (first, second), count in counts.items() if first == second)
    first_totals: Counter[Category] = Counter()
    second_totals: Counter[Category] = Counter()
    for (first, second), count in counts.items():
        first_totals[first] += count
        second_totals[second] += count
    # Exact fractions: "expected agreement is 1" must be decided exactly, not within float noise.
    observed = Fraction(agreeing, pairs)
    expected = sum((Fraction(first_totals[c] * second_totals[c], pairs * pairs) for c in CATEGORIES), Fraction(0))
    kappa = None if expected == 1 else float((observed - expected) / (1 - expected))
    return Agreement(pairs, agreeing, float(observed), kappa)


def pooled(tables: Iterable[Table]) -> dict[Pair, int]:
    """One confusion table holding every pair of the given tables (a criterion, the whole sample)."""
    total: Counter[Pair] = Counter()
    for table in tables:
        for pair, count in table.items():
            total[pair] += count
    return dict(total)


def kappa_band(kappa: float | None) -> str:
    """Landis and Koch's words for a kappa: slight, fair, moderate, substantial, almost perfect."""
    if kappa is None:
        return NOT_MEASURABLE
    if kappa < 0:
        return BELOW_CHANCE
    for upper, label in BANDS:
        if kappa <= upper:
            return label
    return BANDS[-1][1]  # 1.0 plus float noise

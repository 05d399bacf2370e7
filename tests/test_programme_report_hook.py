"""The report hook: the inspection compared with the published inspections so far."""

import datetime

import pytest

from programme.report import programme_comparison
from tests.factories import make_inspection
from tests.programme_factories import GOLDEN, finalised_inspection, golden_programme


def test_comparison_with_the_published_inspections_so_far(mini_framework):
    inspections = golden_programme(published=("alpha-2007", "beta-2007"))
    # Gamma (2008) is not published: its own report compares it with alpha and beta.
    comparison = programme_comparison(inspections["gamma-2008"])
    assert [entry.slug for entry in comparison.programme.entries] == ["beta-2007", "alpha-2007", "gamma-2008"]
    assert comparison.title == "Gammashire compared with the 2 inspections published so far"
    assert comparison.columns[1] == "Gammashire"
    assert comparison.rows == [("1.1 Preparing for sentence", "40%", "65%", "40%", "84%", "9% to 121%", "3")]
    assert comparison.svg.startswith("<svg") and "DejaVu Sans" in comparison.svg
    assert comparison.chart.rows[0].selected is not None


def test_later_inspections_are_not_so_far(mini_framework):
    inspections = golden_programme()
    comparison = programme_comparison(inspections["beta-2007"])  # the earliest: nothing before it
    assert [entry.slug for entry in comparison.programme.entries] == ["beta-2007"]
    assert comparison.rows[0][5] == "–"


def test_no_comparison_before_scores_are_finalised(mini_framework):
    assert programme_comparison(make_inspection(slug="open-2007", framework="mini-test")) is None


def test_an_unpublished_inspection_of_another_area_is_left_out(mini_framework):
    area, start, answers = GOLDEN["alpha-2007"]
    finalised_inspection("alpha-2007", area, start, answers, published=False)
    later = finalised_inspection("late-2009", "Lateshire", datetime.date(2009, 1, 1), GOLDEN["beta-2007"][2])
    comparison = programme_comparison(later)
    assert [entry.slug for entry in comparison.programme.entries] == ["late-2009"]
    assert comparison.rows[0][1] == "84%"
    assert comparison.programme.figures[0].spread.mean == pytest.approx(84)

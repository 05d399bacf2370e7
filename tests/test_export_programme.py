"""export_programme: the golden programme of three inspections worked out by hand, the rules of
who counts (finalised only, snapshot figures, order of fieldwork), CSV, and bad input."""

import csv
import io
import json
import math

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.models import Answer
from scoring.services import reopen_scores
from tests.factories import make_assessed_cases, make_inspection
from tests.programme_factories import GOLDEN, finalised_inspection, golden_programme

T_975_2 = 4.302652729749464  # t(0.975, 2 degrees of freedom), from tables


def export(*args):
    out = io.StringIO()
    call_command("export_programme", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def golden(mini_framework):
    return golden_programme()


def test_golden_programme_figures(golden):
    document = json.loads(export("--framework", "mini-test"))
    assert document["framework"] == "mini-test"
    # In order of fieldwork start: Betashire (Jan 2007), Alphashire (Mar 2007), Gammashire (2008).
    assert [(i["slug"], i["area"], i["fieldwork_start"]) for i in document["inspections"]] == [
        ("beta-2007", "Betashire", "2007-01-15"),
        ("alpha-2007", "Alphashire", "2007-03-05"),
        ("gamma-2008", "Gammashire", "2008-06-02"),
    ]
    assert [i["criteria"] for i in document["inspections"]] == [
        {"1.1": pytest.approx(84)},
        {"1.1": pytest.approx(70)},
        {"1.1": pytest.approx(40)},
    ]
    (criterion,) = document["criteria"]
    # mean (70 + 84 + 40) / 3 = 64.667; s = sqrt(((5.333)^2 + (19.333)^2 + (24.667)^2) / 2) = 22.4796;
    # half width = t(0.975, 2) x s / sqrt(3) = 4.30265 x 12.9786 = 55.8425
    assert criterion["code"] == "1.1"
    assert criterion["inspections"] == 3
    assert criterion["mean"] == pytest.approx(64.6667, abs=1e-4)
    assert criterion["min"] == pytest.approx(40) and criterion["max"] == pytest.approx(84)
    low, high = criterion["ci95"]
    assert low == pytest.approx(64.6667 - 55.8425, abs=1e-3)
    assert high == pytest.approx(64.6667 + 55.8425, abs=1e-3)
    assert (high - low) / 2 == pytest.approx(T_975_2 * math.sqrt(1010.6667 / 2) / math.sqrt(3), abs=1e-3)
    # Pooled per question: 1.1.02 (3 + 5 + 1) / (4 + 5 + 2) = 9/11; 1.1.03 (2 + 4 + 1) / 11 = 7/11;
    # 1.1.S (4 + 3 + 0) / 11 = 7/11.
    questions = {q["code"]: q for q in criterion["questions"]}
    assert list(questions) == ["1.1.02", "1.1.03", "1.1.S"]
    assert (questions["1.1.02"]["sufficient"], questions["1.1.02"]["relevant"]) == (9, 11)
    assert questions["1.1.02"]["pooled"] == pytest.approx(81.818, abs=1e-3)
    assert (questions["1.1.03"]["sufficient"], questions["1.1.S"]["sufficient"]) == (7, 7)
    # Wilson 95% for 9/11: centre (0.81818 + 0.17463) / 1.34925 = 0.73583,
    # half 1.95996 / 1.34925 x sqrt(0.013524 + 0.007937) = 0.21276 -> [52.31, 94.86]
    low, high = questions["1.1.02"]["wilson95"]
    assert low == pytest.approx(52.31, abs=0.01) and high == pytest.approx(94.86, abs=0.01)
    assert questions["1.1.02"]["inspections"] == 3


def test_only_finalised_inspections_count_and_their_snapshot_figures(golden, mini_framework):
    draft = make_inspection(slug="draft-2008", framework="mini-test", area="Draftshire")
    make_assessed_cases(draft, 3)
    # Answers changed after finalising do not move the programme: the snapshot's figures count.
    Answer.objects.filter(assessment__case__inspection=golden["beta-2007"]).update(value="no", sufficient=False)
    document = json.loads(export("--framework", "mini-test"))
    assert [i["slug"] for i in document["inspections"]] == ["beta-2007", "alpha-2007", "gamma-2008"]
    assert document["inspections"][0]["criteria"]["1.1"] == pytest.approx(84)


def test_reopened_scores_leave_the_programme(mini_framework):
    inspections = golden_programme(published=("alpha-2007", "beta-2007"))
    gamma = inspections["gamma-2008"]
    reopen_scores(user=gamma.memberships.get().user, inspection=gamma, reason="Recount", snapshot_number=1)
    document = json.loads(export("--framework", "mini-test"))
    assert [i["slug"] for i in document["inspections"]] == ["beta-2007", "alpha-2007"]
    assert document["criteria"][0]["mean"] == pytest.approx(77)


def test_unpublished_finalised_inspections_are_included(mini_framework):
    area, start, answers = GOLDEN["alpha-2007"]
    finalised_inspection("alpha-2007", area, start, answers, published=False)
    document = json.loads(export("--framework", "mini-test"))
    assert [i["published"] for i in document["inspections"]] == [False]
    (criterion,) = document["criteria"]
    assert (criterion["inspections"], criterion["ci95"]) == (1, None)
    assert criterion["mean"] == criterion["min"] == criterion["max"] == pytest.approx(70)


def test_a_programme_with_no_finalised_inspection(mini_framework):
    make_inspection(slug="open-2007", framework="mini-test")
    document = json.loads(export("--framework", "mini-test"))
    assert document["inspections"] == []
    assert document["criteria"][0] | {"questions": None, "title": None} == {
        "code": "1.1",
        "inspections": 0,
        "mean": None,
        "min": None,
        "max": None,
        "ci95": None,
        "questions": None,
        "title": None,
    }


def test_csv_has_a_row_per_criterion_and_a_column_per_inspection(golden):
    rows = list(csv.reader(io.StringIO(export("--framework", "mini-test", "--format", "csv"))))
    assert rows[0] == [
        "criterion",
        "title",
        "inspections",
        "mean",
        "min",
        "max",
        "ci95_low",
        "ci95_high",
        "beta-2007",
        "alpha-2007",
        "gamma-2008",
    ]
    assert rows[1][0] == "1.1" and rows[1][2] == "3"
    assert float(rows[1][3]) == pytest.approx(64.6667, abs=1e-4)
    assert [float(value) for value in rows[1][8:]] == pytest.approx([84, 70, 40])


def test_unknown_framework_is_refused_with_status_2(mini_framework, capsys):
    with pytest.raises(CommandError) as error:
        call_command("export_programme", "--framework", "no-such")
    assert error.value.returncode == 2
    assert "unknown framework 'no-such'" in str(error.value)


def test_framework_is_required(mini_framework):
    with pytest.raises(CommandError):
        call_command("export_programme")

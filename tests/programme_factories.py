"""Finalised (and published) inspections of the mini-test framework, answered as a test says."""

import datetime
import hashlib

from inspections.models import Membership
from reports.models import PublishedReport
from scoring.services import finalise_scores
from tests.factories import add_member, make_assessed_cases, make_inspection, make_user, seen_scores

# Golden programme: three small inspections of mini-test v1, worked out by hand.
# Criterion 1.1 = 0.8 x mean(1.1.02, 1.1.03) + 0.2 x 1.1.S (summary weight 0.2); 1.1.01 is unscored.
#   Alphashire (4 cases): 1.1.02 3/4 = 75, 1.1.03 2/4 = 50, S 4/4 = 100 -> 0.8 x 62.5 + 20 = 70
#   Betashire  (5 cases): 1.1.02 5/5 = 100, 1.1.03 4/5 = 80, S 3/5 = 60 -> 0.8 x 90 + 12 = 84
#   Gammashire (2 cases): 1.1.02 1/2 = 50, 1.1.03 1/2 = 50, S 0/2 = 0 -> 0.8 x 50 + 0 = 40
GOLDEN = {
    "alpha-2007": (
        "Alphashire",
        datetime.date(2007, 3, 5),
        [
            {"1.1.02": "yes", "1.1.03": "correct", "1.1.S": "yes"},
            {"1.1.02": "yes", "1.1.03": "correct", "1.1.S": "yes"},
            {"1.1.02": "yes", "1.1.03": "too_high", "1.1.S": "yes"},
            {"1.1.02": "no", "1.1.03": "too_high", "1.1.S": "yes"},
        ],
    ),
    "beta-2007": (
        "Betashire",
        datetime.date(2007, 1, 15),
        [
            {"1.1.02": "yes", "1.1.03": "correct", "1.1.S": "yes"},
            {"1.1.02": "yes", "1.1.03": "correct", "1.1.S": "yes"},
            {"1.1.02": "yes", "1.1.03": "correct", "1.1.S": "yes"},
            {"1.1.02": "yes", "1.1.03": "correct", "1.1.S": "no"},
            {"1.1.02": "yes", "1.1.03": "too_low", "1.1.S": "no"},
        ],
    ),
    "gamma-2008": (
        "Gammashire",
        datetime.date(2008, 6, 2),
        [
            {"1.1.02": "yes", "1.1.03": "correct", "1.1.S": "no"},
            {"1.1.02": "no", "1.1.03": "too_low", "1.1.S": "no"},
        ],
    ),
}


def finalised_inspection(slug, area, start, answers, *, lead=None, published=False, framework="mini-test"):
    """An inspection whose cases are approved with `answers` (one dict per case) and whose scores
    are finalised by its lead; published too if asked."""
    inspection = make_inspection(slug=slug, framework=framework, area=area, fieldwork_start=start)
    lead = lead or make_user(f"lead-{slug}")
    add_member(inspection, lead, Membership.Role.LEAD)
    make_assessed_cases(inspection, len(answers), values=lambda index: answers[index])
    finalise_scores(user=lead, inspection=inspection, seen=seen_scores(inspection))
    if published:
        publish(inspection, lead)
    return inspection


def publish(inspection, user):
    """A published version row without rendering a PDF (the programme reads only its existence)."""
    pdf = f"%PDF-1.7 {inspection.slug}".encode()
    return PublishedReport.objects.create(
        inspection=inspection,
        version=1,
        published_by=user,
        snapshot_json="{}",
        snapshot_sha256=hashlib.sha256(b"{}").hexdigest(),
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
    )


def golden_programme(published=("alpha-2007", "beta-2007", "gamma-2008"), leads=None):
    leads = leads or {}
    return {
        slug: finalised_inspection(slug, area, start, answers, lead=leads.get(slug), published=slug in published)
        for slug, (area, start, answers) in GOLDEN.items()
    }

from io import StringIO

from django.core.management import call_command
from django.db.models import Count

from cases.models import Assessment, Case
from demo.seed import DEMO_SLUG


def test_demo_has_work_in_every_state_and_is_idempotent(frameworks):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert f"Demo inspection {DEMO_SLUG} created" in out.getvalue()
    assert "lead" in out.getvalue() and "assessor" in out.getvalue()
    cases = Case.objects.filter(inspection__slug=DEMO_SLUG)
    assert cases.count() == 60
    assert cases.filter(assessor__isnull=True).count() == 6
    states = dict(Assessment.objects.values_list("state").annotate(n=Count("id")))
    assert set(states) == {"approved", "submitted", "returned", "in_progress"}
    started = set(Assessment.objects.values_list("case_id", flat=True))
    assert cases.exclude(pk__in=started).exclude(assessor__isnull=True).exists()  # not started yet
    call_command("seed_demo", stdout=StringIO())
    assert Case.objects.filter(inspection__slug=DEMO_SLUG).count() == 60

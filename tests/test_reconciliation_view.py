"""The lead's reconciliation page for one case (GET)."""

from django.urls import reverse

from cases.second_marking import Decision, reconcile
from tests.factories import marking_version
from tests.second_marking_helpers import FIRST_NOTE


def url(inspection):
    return reverse("reconciliation", args=[inspection.slug, "C001"])


def test_shows_each_disagreement_with_both_answers(client, inspection, lead, completed):
    client.force_login(lead)
    page = client.get(url(inspection)).content.decode()
    assert "Reconcile second marking" in page and "2 scored questions" in page
    assert "1.1.03 Was the classification correct?" in page and "1.1.S Overall sufficient?" in page
    assert "The first marker’s answer (Correct)" in page and "The second marker’s answer (Too high)" in page
    assert FIRST_NOTE in page  # the lead sees both markers' evidence
    assert "Record decisions" in page


def test_not_completed_yet(client, inspection, lead, marking):
    client.force_login(lead)
    page = client.get(url(inspection)).content.decode()
    assert "has not completed this case yet" in page and "Record decisions" not in page


def test_reconciled_shows_the_decisions(client, inspection, lead, completed):
    reconcile(
        user=lead,
        second_marking=completed,
        decisions={"1.1.03": Decision("second", "Misclassified"), "1.1.S": Decision("first", "Sufficient overall")},
        base_version=marking_version(completed),
    )
    client.force_login(lead)
    page = client.get(url(inspection)).content.decode()
    assert "The second marker’s answer stands: Misclassified" in page
    assert "The first marker’s answer stands: Sufficient overall" in page
    assert "Record decisions" not in page


def test_not_second_marked_is_404(client, inspection, lead, first):
    client.force_login(lead)
    assert client.get(url(inspection)).status_code == 404


def test_refused_to_others(client, inspection, inspector, local_assessor, outsider, completed):
    for person, status in ((inspector, 403), (local_assessor, 403), (outsider, 404)):
        client.force_login(person)
        assert client.get(url(inspection)).status_code == status

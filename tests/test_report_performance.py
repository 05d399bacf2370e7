"""The performance-against-targets page (the table in OMI criterion 4.2): entered by the lead, one row a line."""

import pytest
from django.urls import reverse

from reports.assembly import assemble_report
from reports.models import PerformanceRow

pytestmark = pytest.mark.django_db

ROWS = (
    "# NPS Performance Data\n"
    "Enforcement: breach taken within ten working days | 90% | 98%* |  | 92%*\n"
    "Sickness absence: average days absence | 9 days | 9.0* | | 11.2\n"
    "# Joint targets for LCJB\n"
    "Average time to resolve breach proceedings | 35 days | 41 days | | 44 days\n"
)


def url(inspection) -> str:
    return reverse("edit_performance", args=[inspection.slug])


def test_lead_enters_the_table_and_it_prints_in_its_criterion(client, inspection, lead):
    client.force_login(lead)
    assert "One measure per line" in client.get(url(inspection)).content.decode()
    response = client.post(url(inspection), {"rows": ROWS})
    assert response.status_code == 302
    rows = list(PerformanceRow.objects.filter(inspection=inspection).order_by("position"))
    assert [(row.group, row.measure, row.area_figure, row.national_figure) for row in rows] == [
        ("NPS Performance Data", "Enforcement: breach taken within ten working days", "98%*", "92%*"),
        ("NPS Performance Data", "Sickness absence: average days absence", "9.0*", "11.2"),
        ("Joint targets for LCJB", "Average time to resolve breach proceedings", "41 days", "44 days"),
    ]
    assert rows[0].history.first().history_user == lead
    block = next(
        b for part in assemble_report(inspection)["parts"] for b in part.get("blocks", []) if b["code"] == "2.1"
    )
    table = block["table"]
    assert [column for column, _ in table["header"]] == ["Measure", "Target", inspection.area.name, "England and Wales"]
    assert table["rows"][0] == {"group": "NPS Performance Data", "span": 4}
    assert all(numeric for _, numeric in table["header"][1:])  # figures right-aligned
    # Saving again without a change keeps the rows (and their history) as they are.
    client.post(url(inspection), {"rows": ROWS})
    assert PerformanceRow.history.filter(inspection=inspection).count() == 3


def test_a_malformed_line_is_shown_on_the_field(client, inspection, lead):
    client.force_login(lead)
    response = client.post(url(inspection), {"rows": "Enforcement | 90%\n"})
    page = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in page and "write 5 cells" in page
    assert not PerformanceRow.objects.exists()


def test_other_roles_are_refused(client, inspection, inspector, outsider):
    client.force_login(inspector)
    assert client.post(url(inspection), {"rows": ROWS}).status_code == 403
    client.force_login(outsider)
    assert client.get(url(inspection)).status_code == 404
    assert not PerformanceRow.objects.exists()


def test_a_report_without_a_performance_table_has_no_page(client, frameworks, admin_user):
    from tests.test_report_pdf import make_report_inspection

    inspection = make_report_inspection("iaow-2013", slug="noperf-2013", area="Noperf", cases=0)
    client.force_login(admin_user)
    assert client.get(url(inspection)).status_code == 404

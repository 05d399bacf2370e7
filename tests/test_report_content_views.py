"""The report-content task list and the pages of its free-standing parts (foreword, summaries, tables …)."""

import pytest
from django.urls import reverse

from inspections.models import Inspection, Membership
from reports.models import ReportContent
from reports.services import add_recommendation, save_content, save_criterion_narrative
from tests.factories import add_member, make_inspection, make_user


@pytest.fixture
def observer(inspection):
    return add_member(inspection, make_user("observer"), Membership.Role.OBSERVER).user


def overview_url(inspection):
    return reverse("report_content", args=[inspection.slug])


def part_url(inspection, part):
    return reverse("edit_report_part", args=[inspection.slug, part])


# --- Overview -----------------------------------------------------------------------------------------------------


def test_overview_lists_every_part_with_its_status(client, inspection, lead, django_assert_max_num_queries):
    save_content(user=lead, inspection=inspection, fields={"foreword": "Foreword"}, base_version=0)
    save_content(user=lead, inspection=inspection, fields={"summaries": {"1": "Summary"}}, base_version=1)
    save_criterion_narrative(user=lead, inspection=inspection, code="1.1", strengths=["Good"])
    add_recommendation(user=lead, inspection=inspection, text="Improve")
    client.force_login(lead)
    # Constant in the number of parts: one query per kind of content, plus the admin-role check.
    with django_assert_max_num_queries(11):
        response = client.get(overview_url(inspection))
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-task-list" in html
    for title in [
        "Foreword",
        "Summary",
        "1.1 Preparing for sentence",
        "2.1 Leadership and planning",
        "Recommendations",
        "Next steps",
        "Good practice",
        "Service users&#x27; perspective",
        "Offender management in the prison",
        "Contextual information",
        "Acknowledgements",
    ]:
        assert title in html, title
    tasks = {task["title"]: task["status"] for group in response.context["groups"] for task in group["tasks"]}
    assert tasks["Foreword"] == "completed"
    assert tasks["Summary"] == "in_progress"  # section 1 written; section 2 and the RoH thread not yet
    assert tasks["1.1 Preparing for sentence"] == "completed"
    assert tasks["2.1 Leadership and planning"] == "not_started"
    assert tasks["Recommendations"] == "completed"
    assert tasks["Good practice"] == "not_started"
    assert "Not started" in html and "Completed" in html
    assert response.context["completed"] == 3
    assert reverse("edit_criterion_narrative", args=[inspection.slug, "1.1"]) in html
    assert "{{score:1.1}}" in html  # the placeholder help


def test_overview_refuses_other_roles(client, inspection, inspector, local_assessor, observer, outsider):
    for user, status in [(inspector, 403), (local_assessor, 403), (observer, 403), (outsider, 404)]:
        client.force_login(user)
        assert client.get(overview_url(inspection)).status_code == status


def test_overview_for_an_admin(client, inspection, admin_user):
    client.force_login(admin_user)
    assert client.get(overview_url(inspection)).status_code == 200


def test_overview_follows_the_parts_the_framework_file_declares(client, frameworks, admin_user):
    client.force_login(admin_user)
    iaow = make_inspection(slug="merseyside-2013", framework="iaow-2013", area="Merseyside")
    response = client.get(overview_url(iaow))
    titles = [task["title"] for group in response.context["groups"] for task in group["tasks"]]
    assert "Next steps" not in titles and "Performance against targets" not in titles
    assert "Service users and offending-related factors" in titles
    assert "Outcome 1: key strengths and key areas for improvement" in titles
    assert titles.index("Summary") < titles.index("Recommendations") < titles.index("Contextual information")
    omi2 = make_inspection(slug="herts-2010", framework="omi2-2009", area="Hertfordshire")
    response = client.get(overview_url(omi2))
    titles = [task["title"] for group in response.context["groups"] for task in group["tasks"]]
    assert "Commentary on assessment and sentence planning as a whole" in titles
    assert "Integrated Probation Performance Framework" in titles and "Ofsted recommendations" in titles
    omi = make_inspection(slug="lincs-2007", framework="omi-2006", area="Lincolnshire")
    titles = [task["title"] for group in client.get(overview_url(omi)).context["groups"] for task in group["tasks"]]
    assert "Performance against targets" in titles and "Offender management in the prison" in titles


# --- Parts --------------------------------------------------------------------------------------------------------


def test_edit_part_shows_the_stored_text(client, inspection, lead):
    save_content(user=lead, inspection=inspection, fields={"foreword": "<b>Bold</b> claim"}, base_version=0)
    client.force_login(lead)
    response = client.get(part_url(inspection, "foreword"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; claim" in html and "<b>Bold</b>" not in html
    assert 'name="version" value="1"' in html
    assert "govuk-details" in html and "{{headline:roh}}" in html
    assert "{#" not in html and "{%" not in html


def test_edit_part_saves(client, inspection, lead):
    client.force_login(lead)
    response = client.post(
        part_url(inspection, "summary"),
        {
            "version": "0",
            "summaries__1": "Assessment was good: {{section:1}}.",
            "summaries__roh": "RoH {{headline:roh}}",
        },
    )
    assert response.status_code == 302 and response["Location"] == overview_url(inspection)
    content = ReportContent.objects.get(inspection=inspection)
    assert content.summaries == {"1": "Assessment was good: {{section:1}}.", "roh": "RoH {{headline:roh}}"}
    assert content.history.latest().history_user == lead
    # An emptied summary is removed; the others are kept.
    client.post(part_url(inspection, "summary"), {"version": "1", "summaries__1": "", "summaries__roh": "RoH"})
    assert ReportContent.objects.get(inspection=inspection).summaries == {"roh": "RoH"}


def test_edit_part_saves_tables_and_the_further_inspection_decision(client, inspection, lead):
    client.force_login(lead)
    response = client.post(
        part_url(inspection, "contextual"),
        {"version": "0", "contextual__caseload": "Total caseload | 2,173\n\n% white|97\r\n", "contextual__mappa": ""},
    )
    assert response.status_code == 302
    content = ReportContent.objects.get(inspection=inspection)
    assert content.contextual == {"caseload": [["Total caseload", "2,173"], ["% white", "97"]]}
    response = client.post(part_url(inspection, "next_steps"), {"version": "1", "further_inspection": "no"})
    assert response.status_code == 302
    content.refresh_from_db()
    assert content.further_inspection is False and content.next_steps == ""
    response = client.get(part_url(inspection, "contextual"))
    assert "Total caseload | 2,173\n% white | 97" in response.content.decode()


def test_bad_table_rows_are_explained(client, inspection, lead):
    client.force_login(lead)
    response = client.post(part_url(inspection, "contextual"), {"version": "0", "contextual__caseload": "Total 2,173"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and "Line 1" in html and "vertical bar" in html
    assert 'href="#id_contextual__caseload"' in html
    assert "Total 2,173</textarea>" in html  # what was typed is kept
    assert not ReportContent.objects.exists()


def test_bad_placeholder_is_shown_on_the_field(client, inspection, lead):
    client.force_login(lead)
    response = client.post(part_url(inspection, "foreword"), {"version": "0", "foreword": "We scored {{score:7.7}}."})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and "govuk-form-group--error" in html
    assert "{{score:7.7}}: there is no score &#x27;7.7&#x27;" in html
    assert "<title>Error:" in html
    assert not ReportContent.objects.exists()


def test_stale_version_keeps_your_text_and_shows_theirs(client, inspection, lead, admin_user):
    admin_user.first_name, admin_user.last_name = "Ada", "Admin"
    admin_user.save()
    client.force_login(lead)
    client.get(part_url(inspection, "foreword"))  # the lead opens the page at version 0 ...
    save_content(user=admin_user, inspection=inspection, fields={"foreword": "Their foreword"}, base_version=0)
    response = client.post(part_url(inspection, "foreword"), {"version": "0", "foreword": "My foreword"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Ada Admin saved this part" in html and "govuk-error-summary" in html
    assert "My foreword</textarea>" in html
    assert "Their foreword" in html
    assert 'name="version" value="1"' in html
    assert ReportContent.objects.get().foreword == "Their foreword"
    # Saving again from that page replaces theirs, knowingly.
    response = client.post(part_url(inspection, "foreword"), {"version": "1", "foreword": "Combined"})
    assert response.status_code == 302
    assert ReportContent.objects.get().foreword == "Combined"


def test_missing_version_is_an_error_not_a_crash(client, inspection, lead):
    client.force_login(lead)
    response = client.post(part_url(inspection, "foreword"), {"foreword": "x"})
    assert response.status_code == 400
    assert "reload it" in response.content.decode()


def test_unknown_part_is_404(client, inspection, lead):
    client.force_login(lead)
    assert client.get(part_url(inspection, "appendix-9")).status_code == 404
    assert client.get(part_url(inspection, "version")).status_code == 404


def test_parts_are_those_the_framework_file_declares(client, frameworks, admin_user):
    client.force_login(admin_user)
    iaow = make_inspection(slug="merseyside-2013", framework="iaow-2013", area="Merseyside")
    assert client.get(part_url(iaow, "next_steps")).status_code == 404
    html = client.get(part_url(iaow, "outcomes")).content.decode()
    assert "Prevalent offending-related factors" in html and "Ofsted" not in html
    bad = client.post(
        part_url(iaow, "outcomes"), {"version": "0", "framework_parts__offending_factors": "alcohol (50) | 60%"}
    )
    assert bad.status_code == 400 and "write 3 cells" in bad.content.decode()
    response = client.post(
        part_url(iaow, "outcomes"),
        {"version": "0", "framework_parts__offending_factors": "alcohol (50) | 60% | 52%"},
    )
    assert response.status_code == 302
    assert ReportContent.objects.get(inspection=iaow).framework_parts == {
        "offending_factors": [["alcohol (50)", "60%", "52%"]]
    }
    omi2 = make_inspection(slug="herts-2010", framework="omi2-2009", area="Hertfordshire")
    html = client.get(part_url(omi2, "ippf")).content.decode()
    assert "Integrated Probation Performance Framework" in html and "starts a group of rows" in html
    html = client.get(part_url(omi2, "summary")).content.decode()
    assert "Section 4: Leadership and strategic management" in html and "Ofsted" in html


def test_edit_part_refuses_other_roles(client, inspection, inspector, local_assessor, observer, outsider):
    for user, status in [(inspector, 403), (local_assessor, 403), (observer, 403), (outsider, 404)]:
        client.force_login(user)
        assert client.get(part_url(inspection, "foreword")).status_code == status
        assert client.post(part_url(inspection, "foreword"), {"version": "0", "foreword": "x"}).status_code == status
    assert not ReportContent.objects.exists()


def test_published_report_cannot_be_edited(client, inspection, lead):
    Inspection.objects.filter(pk=inspection.pk).update(status=Inspection.Status.PUBLISHED)
    client.force_login(lead)
    html = client.get(part_url(inspection, "foreword")).content.decode()
    assert "The report is published" in html and ">Save</button>" not in html
    response = client.post(part_url(inspection, "foreword"), {"version": "0", "foreword": "x"})
    assert response.status_code == 400
    assert "revision" in response.content.decode()
    assert not ReportContent.objects.exists()

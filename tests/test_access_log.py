"""The access log: who viewed or exported which case data (cases.access_log), exportable by admins."""

import csv
import io
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from cases.models import CaseDataAccess
from inspections.models import Membership
from tests.factories import add_member, make_user


def test_viewing_a_case_is_logged_with_the_case(client, inspection, case, inspector):
    client.force_login(inspector)
    client.get(reverse("case_tasks", args=[inspection.slug, case.case_ref]))
    client.get(reverse("criterion_form", args=[inspection.slug, case.case_ref, "1.1"]))
    records = list(CaseDataAccess.objects.order_by("at"))
    assert [(r.username, r.kind, r.page, r.detail, r.case, r.inspection) for r in records] == [
        ("inspector", "view", "case_tasks", "", case, inspection),
        ("inspector", "view", "criterion_form", "1.1", case, inspection),
    ]


def test_drill_down_and_exports_are_logged(client, inspection, case, lead):
    observer = add_member(inspection, make_user("observer"), Membership.Role.OBSERVER).user
    client.force_login(observer)
    client.get(reverse("question_cases", args=[inspection.slug, "1.1", "1.1.03"]))
    b"".join(client.get(reverse("export_answers", args=[inspection.slug]) + "?format=xlsx").streaming_content)
    records = CaseDataAccess.objects.order_by("at")
    assert [(r.kind, r.page, r.detail, r.case) for r in records] == [
        ("view", "question_cases", "1.1.03", None),
        ("export", "export_answers", "xlsx", None),
    ]


def test_refusals_writes_and_anonymous_requests_are_not_logged(client, inspection, case, inspector, outsider):
    client.get(reverse("case_tasks", args=[inspection.slug, case.case_ref]))
    client.force_login(outsider)
    assert client.get(reverse("case_tasks", args=[inspection.slug, case.case_ref])).status_code == 404
    client.force_login(inspector)
    client.post(reverse("save_answer", args=[inspection.slug, case.case_ref, "1.1.01"]), {"version-1.1.01": "0"})
    assert not CaseDataAccess.objects.exists()


def test_logging_costs_one_query(client, inspection, case, inspector):
    client.force_login(inspector)
    url = reverse("check_answers", args=[inspection.slug, case.case_ref])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert sum("cases_casedataaccess" in q["sql"] for q in queries.captured_queries) == 1


def test_an_admin_exports_the_log_as_csv(client, inspection, case, lead, admin_user):
    client.force_login(lead)
    client.get(reverse("case_history", args=[inspection.slug, case.case_ref]))
    client.force_login(admin_user)
    assert client.get(reverse("admin:cases_casedataaccess_changelist")).status_code == 200
    response = client.post(
        reverse("admin:cases_casedataaccess_changelist"),
        {"action": "export_csv", "_selected_action": list(CaseDataAccess.objects.values_list("pk", flat=True))},
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["at", "username", "kind", "page", "detail", "inspection", "case"]
    assert rows[1][1:] == ["lead", "view", "case_history", "", inspection.slug, "C001"]


def test_the_log_cannot_be_changed_in_django_admin(client, inspection, case, lead, admin_user):
    client.force_login(lead)
    client.get(reverse("case_tasks", args=[inspection.slug, case.case_ref]))
    record = CaseDataAccess.objects.get()
    client.force_login(admin_user)
    delete = reverse("admin:cases_casedataaccess_delete", args=[record.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert CaseDataAccess.objects.exists()


def test_export_access_log_command(client, inspection, case, lead):
    client.force_login(lead)
    client.get(reverse("case_tasks", args=[inspection.slug, case.case_ref]))
    out = StringIO()
    call_command("export_access_log", "--inspection", inspection.slug, stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert len(rows) == 2 and rows[1][1:4] == ["lead", "view", "case_tasks"]

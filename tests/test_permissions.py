"""Every URL × every role: who gets the page, who is refused (403) and who is told nothing exists (404).

A new URL without a row here fails test_every_url_has_a_row.
"""

import hashlib

import pytest
from django.urls import get_resolver, reverse

from api.tokens import create_token
from cases.models import Assessment, SecondMarking
from inspections.models import Membership
from reports.models import GoodPractice, PublishedReport, Recommendation, ReportRender
from tests.factories import add_member, make_user

ROLES = ["anonymous", "outsider", "inspector", "other_inspector", "local_assessor", "observer", "lead", "admin"]
SIGN_IN = 302

#            anonymous outsider inspector other  local   observer lead admin
# Observers see cases only by pseudonym (cases.pseudonyms): a case's own pages are not found for them.
CASE_PAGE = (SIGN_IN, 404, 200, 404, 404, 404, 200, 200)
INSPECTION_PAGE = (SIGN_IN, 404, 200, 404, 200, 200, 200, 200)
LEAD_PAGE = (SIGN_IN, 404, 403, 404, 403, 403, 200, 200)
ANY_SIGNED_IN = (SIGN_IN, 200, 200, 200, 200, 200, 200, 200)
SCORES_PAGE = (SIGN_IN, 404, 403, 404, 403, 200, 200, 200)
LEAD_ACTION = (SIGN_IN, 404, 403, 404, 403, 403, 302, 302)
# A workflow action posted without the version its page showed: past the permission check, refused (400).
LEAD_DECISION = (SIGN_IN, 404, 403, 404, 404, 404, 400, 400)
INSPECTION_DECISION = (SIGN_IN, 404, 403, 404, 403, 403, 400, 400)
ADMIN_DECISION = (SIGN_IN, 404, 403, 404, 403, 403, 403, 400)
ADMIN_PAGE = (SIGN_IN, 403, 403, 403, 403, 403, 403, 200)
PROGRAMME_PAGE = (SIGN_IN, 404, 404, 404, 404, 200, 200, 200)
SECOND_MARKER_PAGE = (SIGN_IN, 404, 404, 404, 200, 403, 403, 403)
ANSWER = {"value-1.1.01": "yes", "version-1.1.01": "0"}

# name: (method, url args kind, POST data, expected statuses by role)
MATRIX = {
    "home": ("get", None, None, ANY_SIGNED_IN),
    "password_change": ("get", None, None, ANY_SIGNED_IN),
    "framework_list": ("get", None, None, ANY_SIGNED_IN),
    "framework_detail": ("get", "framework", None, ANY_SIGNED_IN),
    "criterion_detail": ("get", "framework_criterion", None, ANY_SIGNED_IN),
    "inspection_detail": ("get", "inspection", None, INSPECTION_PAGE),
    "case_list": ("get", "inspection", None, INSPECTION_PAGE),
    "sample_composition": ("get", "inspection", None, INSPECTION_PAGE),
    "import_sample": ("get", "inspection", None, LEAD_PAGE),
    "allocation": ("get", "inspection", None, LEAD_PAGE),
    "allocate_cases": ("post", "inspection", {}, (SIGN_IN, 404, 403, 404, 403, 403, 200, 200)),
    "case_tasks": ("get", "case", None, CASE_PAGE),
    "criterion_form": ("get", "case_criterion", None, CASE_PAGE),
    "save_answer": ("post", "case_question", ANSWER, (SIGN_IN, 404, 200, 404, 404, 404, 200, 200)),
    "check_answers": ("get", "case", None, CASE_PAGE),
    "submit_assessment": ("post", "case", {}, (SIGN_IN, 404, 400, 404, 404, 404, 400, 400)),
    "review_assessment": ("get", "case", None, (SIGN_IN, 404, 403, 404, 404, 404, 200, 200)),
    "return_assessment": ("post", "case", {"reason": "x"}, LEAD_DECISION),
    "approve_assessment": ("post", "case", {}, LEAD_DECISION),
    "reopen_assessment": ("post", "case", {"reason": "x"}, LEAD_DECISION),
    "case_history": ("get", "case", None, CASE_PAGE),
    "scores": ("get", "inspection", None, SCORES_PAGE),
    "criterion_scores": ("get", "inspection_criterion", None, SCORES_PAGE),
    "question_cases": ("get", "inspection_question", None, SCORES_PAGE),
    "save_judgement": ("post", "judgement", {"kind": "grade", "value": "well_met"}, LEAD_ACTION),
    "finalise_scores": ("post", "inspection", {}, INSPECTION_DECISION),
    "reopen_scores": ("post", "inspection", {"reason": "x"}, INSPECTION_DECISION),
    "report_content": ("get", "inspection", None, LEAD_PAGE),
    "edit_report_part": ("get", "report_part", None, LEAD_PAGE),
    "edit_criterion_narrative": ("get", "inspection_criterion", None, LEAD_PAGE),
    "edit_performance": ("get", "inspection", None, LEAD_PAGE),
    "recommendations": ("get", "inspection", None, LEAD_PAGE),
    "edit_recommendation": ("get", "recommendation", None, LEAD_PAGE),
    "delete_recommendation": ("post", "recommendation", {}, LEAD_ACTION),
    "good_practice": ("get", "inspection", None, LEAD_PAGE),
    "edit_good_practice": ("get", "good_practice", None, LEAD_PAGE),
    "delete_good_practice": ("post", "good_practice", {}, LEAD_ACTION),
    "report_preview": ("get", "inspection", None, SCORES_PAGE),
    "report_status": ("get", "inspection", None, SCORES_PAGE),
    "render_report": ("post", "inspection", {}, LEAD_ACTION),
    "render_download": ("get", "render", None, SCORES_PAGE),
    # Admins publish and revise (leads publish only where LEADS_MAY_PUBLISH is set); not finalised or
    # published here, so refused with a message.
    "publish_report": ("post", "inspection", {}, ADMIN_DECISION),
    "start_revision": ("post", "inspection", {"reason": "x"}, ADMIN_DECISION),
    "published_download": ("get", "published", None, INSPECTION_PAGE),
    "export_answers": ("get", "inspection", None, SCORES_PAGE),
    "export_scores_file": ("get", "inspection", None, SCORES_PAGE),
    # API tokens: everyone their own; admins everyone's. Someone else's token is not revealed (404).
    "api_tokens": ("get", None, None, ANY_SIGNED_IN),
    "create_own_api_token": ("post", None, {"name": "Warehouse"}, ANY_SIGNED_IN),
    "revoke_api_token": ("post", "lead_token", {}, (SIGN_IN, 404, 404, 404, 404, 404, 302, 302)),
    "all_api_tokens": ("get", None, None, ADMIN_PAGE),
    "create_api_token_for_user": ("post", None, {"username": "lead", "name": "x"}, ADMIN_PAGE),
    # A programme: its leads and observers (of any inspection of the framework) and admins.
    "programme_list": ("get", None, None, ANY_SIGNED_IN),
    "programme": ("get", "programme", None, PROGRAMME_PAGE),
    "programme_export": ("get", "programme", None, PROGRAMME_PAGE),
    "trends": ("get", "inspection", None, SCORES_PAGE),
    # Organisation sign-in answers only when configured (tests/test_organisation_sign_in.py); here it is not.
    "oidc_authentication_init": ("get", None, None, (404,) * 8),
    "oidc_authentication_callback": ("get", None, None, (404,) * 8),
    # Blind second marking: the lead chooses and reconciles; only the case's second marker (here the
    # local assessor) opens its pages; the first assessor (inspector) is told nothing exists.
    "second_marking": ("get", "inspection", None, LEAD_PAGE),
    "assign_second_marking": ("post", "inspection", {}, (SIGN_IN, 404, 403, 404, 403, 403, 400, 400)),
    "my_second_marking": ("get", "inspection", None, INSPECTION_PAGE),
    "second_marking_tasks": ("get", "second_marking", None, SECOND_MARKER_PAGE),
    "second_marking_form": ("get", "second_marking_criterion", None, SECOND_MARKER_PAGE),
    "second_marking_save_answer": ("post", "second_marking_question", ANSWER, SECOND_MARKER_PAGE),
    "second_marking_check": ("get", "second_marking", None, SECOND_MARKER_PAGE),
    "complete_second_marking": ("post", "second_marking", {}, (SIGN_IN, 404, 404, 404, 400, 403, 403, 403)),
    "reconciliation": ("get", "second_marking", None, LEAD_PAGE),
    "reconcile_case": ("post", "second_marking", {}, (SIGN_IN, 404, 403, 404, 403, 403, 400, 400)),
    "agreement": ("get", "inspection", None, SCORES_PAGE),
}
# URLs outside the matrix, with the reason.
NOT_IN_MATRIX = {"login", "logout"}  # the sign-in pages themselves

# The API, with a token of each role's user (anonymous: no token). 401 replaces the sign-in redirect.
NO_TOKEN = 401
API_MATRIX = {
    "api_inspections": ("inspections_list", (NO_TOKEN, 200, 200, 200, 200, 200, 200, 200)),
    "api_inspection_scores": ("inspection", (NO_TOKEN, 404, 403, 404, 403, 200, 200, 200)),
    # Of the programme: its leads and observers, and admins; anyone else is told nothing exists.
    "api_programme": ("programme", (NO_TOKEN, 404, 404, 404, 404, 200, 200, 200)),
    "api_schema": ("schema", (NO_TOKEN, 200, 200, 200, 200, 200, 200, 200)),
}


def _args(kind, case):
    slug = case.inspection.slug
    inspection = case.inspection
    # Objects some URLs need are made only for the rows that use them.
    makers = {
        None: lambda: [],
        "framework": lambda: ["mini-test", "1"],
        "framework_criterion": lambda: ["mini-test", "1", "1.1"],
        "inspection": lambda: [slug],
        "case": lambda: [slug, case.case_ref],
        "case_criterion": lambda: [slug, case.case_ref, "1.1"],
        "case_question": lambda: [slug, case.case_ref, "1.1.01"],
        "inspection_criterion": lambda: [slug, "1.1"],
        "inspection_question": lambda: [slug, "1.1", "1.1.03"],
        "judgement": lambda: [slug, "criterion", "2.1"],
        "report_part": lambda: [slug, "foreword"],
        "recommendation": lambda: [
            slug,
            Recommendation.objects.get_or_create(inspection=inspection, number=1, text="Improve")[0].pk,
        ],
        "good_practice": lambda: [
            slug,
            GoodPractice.objects.get_or_create(inspection=inspection, position=1, criterion="1.1", text="x")[0].pk,
        ],
        "render": lambda: [slug, _ready_render(inspection).pk],
        "published": lambda: [slug, _published(inspection).version],
        "lead_token": lambda: [_lead_token(inspection).pk],
        "inspections_list": lambda: [],
        "programme": lambda: [inspection.framework.code],
        "schema": lambda: [],
        "second_marking": lambda: [slug, _second_marking(case).case.case_ref],
        "second_marking_criterion": lambda: [slug, _second_marking(case).case.case_ref, "1.1"],
        "second_marking_question": lambda: [slug, _second_marking(case).case.case_ref, "1.1.01"],
    }
    return makers[kind]()


def _ready_render(inspection):
    lead = inspection.memberships.get(role=Membership.Role.LEAD).user
    return ReportRender.objects.create(
        inspection=inspection, requested_by=lead, status="ready", pdf=b"%PDF-1.7", pages=1
    )


def _lead_token(inspection):
    lead = inspection.memberships.get(role=Membership.Role.LEAD).user
    return create_token(user=lead, owner=lead, name="Lead's token")[0]


def _second_marking(case):
    """The case's first assessment submitted by the inspector; the local assessor second-marks it."""
    assessment = Assessment.objects.create(case=case, state=Assessment.State.SUBMITTED, submitted_by=case.assessor)
    marker = case.inspection.memberships.get(role=Membership.Role.LOCAL_ASSESSOR).user
    return SecondMarking.objects.create(
        case=case, marker=marker, first_assessor=assessment.submitted_by, selection=SecondMarking.Selection.RANDOM
    )


def _published(inspection):
    pdf = b"%PDF-1.7 published"
    return PublishedReport.objects.create(
        inspection=inspection,
        version=1,
        published_by=inspection.memberships.get(role=Membership.Role.LEAD).user,
        snapshot_json="{}",
        snapshot_sha256=hashlib.sha256(b"{}").hexdigest(),
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
    )


@pytest.fixture
def people(inspection, case, inspector, local_assessor, lead, other_inspection_member, admin_user, outsider):
    observer = add_member(inspection, make_user("observer"), Membership.Role.OBSERVER).user
    return {
        "anonymous": None,
        "outsider": outsider,
        "inspector": inspector,
        "other_inspector": other_inspection_member,
        "local_assessor": local_assessor,
        "observer": observer,
        "lead": lead,
        "admin": admin_user,
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", MATRIX)
def test_permission_matrix(client, people, case, name, role):
    method, kind, data, expected = MATRIX[name]
    user = people[role]
    if user is not None:
        client.force_login(user)
    url = reverse(name, args=_args(kind, case))
    response = client.post(url, data) if method == "post" else client.get(url)
    want = expected[ROLES.index(role)]
    assert response.status_code == want, f"{name} as {role}: {response.status_code}, expected {want}"
    if want == SIGN_IN and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", API_MATRIX)
def test_api_permission_matrix(client, people, case, name, role):
    kind, expected = API_MATRIX[name]
    user = people[role]
    headers = {}
    if user is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {create_token(user=None, owner=user, name='matrix')[1]}"
    response = client.get(reverse(name, args=_args(kind, case)), **headers)
    want = expected[ROLES.index(role)]
    assert response.status_code == want, f"{name} as {role}: {response.status_code}, expected {want}"


def test_every_url_has_a_row():
    names = {
        pattern.name
        for pattern in _patterns(get_resolver().url_patterns)
        if pattern.name and not pattern.name.startswith(("admin", "django")) and "admin" not in str(pattern.pattern)
    }
    assert names - set(MATRIX) - set(API_MATRIX) - NOT_IN_MATRIX == set()


def _patterns(patterns):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            if getattr(pattern, "app_name", None) == "admin":
                continue
            yield from _patterns(pattern.url_patterns)
        else:
            yield pattern

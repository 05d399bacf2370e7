"""Case sample, allocation, assessment and review pages of one inspection.

Included under /inspections/<slug>/, so every view takes the inspection's slug first.
"""

from django.urls import path

from cases.views import agreement, allocation, assessment, case_list, history, review, sample, second_marking
from cases.views import second_marking_choice as choice

urlpatterns = [
    path("cases/", case_list.case_list, name="case_list"),
    path("sample/", sample.sample_composition, name="sample_composition"),
    path("sample/import/", sample.import_sample, name="import_sample"),
    path("allocation/", allocation.allocation, name="allocation"),
    path("allocation/allocate/", allocation.allocate_cases, name="allocate_cases"),
    path("cases/<str:case_ref>/", assessment.case_tasks, name="case_tasks"),
    path("cases/<str:case_ref>/criteria/<str:criterion>/", assessment.criterion_form, name="criterion_form"),
    path("cases/<str:case_ref>/answers/<str:question>/", assessment.save_answer_view, name="save_answer"),
    path("cases/<str:case_ref>/check/", assessment.check_answers, name="check_answers"),
    path("cases/<str:case_ref>/submit/", assessment.submit, name="submit_assessment"),
    path("cases/<str:case_ref>/review/", review.review, name="review_assessment"),
    path("cases/<str:case_ref>/return/", review.return_view, name="return_assessment"),
    path("cases/<str:case_ref>/approve/", review.approve, name="approve_assessment"),
    path("cases/<str:case_ref>/reopen/", review.reopen, name="reopen_assessment"),
    path("cases/<str:case_ref>/history/", history.case_history, name="case_history"),
    # Blind second marking: the lead chooses and reconciles; the marker answers on pages of their own.
    path("second-marking/", choice.second_marking, name="second_marking"),
    path("second-marking/assign/", choice.assign, name="assign_second_marking"),
    path("second-marking/mine/", second_marking.my_second_marking, name="my_second_marking"),
    path("second-marking/cases/<str:case_ref>/", second_marking.second_marking_tasks, name="second_marking_tasks"),
    path(
        "second-marking/cases/<str:case_ref>/criteria/<str:criterion>/",
        second_marking.second_marking_form,
        name="second_marking_form",
    ),
    path(
        "second-marking/cases/<str:case_ref>/answers/<str:question>/",
        second_marking.second_marking_save_answer,
        name="second_marking_save_answer",
    ),
    path(
        "second-marking/cases/<str:case_ref>/check/", second_marking.second_marking_check, name="second_marking_check"
    ),
    path("second-marking/cases/<str:case_ref>/complete/", second_marking.complete, name="complete_second_marking"),
    path("second-marking/cases/<str:case_ref>/reconcile/", agreement.reconciliation, name="reconciliation"),
    path("second-marking/cases/<str:case_ref>/decide/", agreement.reconcile_case, name="reconcile_case"),
    path("agreement/", agreement.agreement, name="agreement"),
]

"""Case sample, allocation, assessment and review pages of one inspection.

Included under /inspections/<slug>/, so every view takes the inspection's slug first.
"""

from django.urls import path

from cases.views import allocation, assessment, case_list, history, review, sample

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
]

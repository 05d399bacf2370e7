from django.urls import path

from scoring import views

urlpatterns = [
    path("scores/", views.scores, name="scores"),
    path("scores/criteria/<str:code>/", views.criterion_scores, name="criterion_scores"),
    path("scores/criteria/<str:code>/questions/<str:question>/", views.question_cases, name="question_cases"),
    path("scores/judgements/<str:target>/<str:code>/", views.save_judgement, name="save_judgement"),
    path("scores/finalise/", views.finalise, name="finalise_scores"),
    path("scores/reopen/", views.reopen, name="reopen_scores"),
]

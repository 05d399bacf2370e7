"""Report pages of one inspection (included under /inspections/<slug>/report/)."""

from django.urls import path

from reports import views

urlpatterns = [
    path("", views.report_content, name="report_content"),
    path("parts/<str:part>/", views.edit_part, name="edit_report_part"),
    path("criteria/<str:code>/", views.edit_criterion_narrative, name="edit_criterion_narrative"),
    path("performance/", views.edit_performance, name="edit_performance"),
    path("recommendations/", views.recommendations, name="recommendations"),
    path("recommendations/<int:pk>/", views.edit_recommendation, name="edit_recommendation"),
    path("recommendations/<int:pk>/delete/", views.delete_recommendation, name="delete_recommendation"),
    path("good-practice/", views.good_practice, name="good_practice"),
    path("good-practice/<int:pk>/", views.edit_good_practice, name="edit_good_practice"),
    path("good-practice/<int:pk>/delete/", views.delete_good_practice, name="delete_good_practice"),
]

"""Preview, rendering, publishing and export URLs (under /inspections/<slug>/report/)."""

from django.urls import path

from reports import publish_views as views

urlpatterns = [
    path("preview/", views.preview, name="report_preview"),
    path("pdf/", views.report_status, name="report_status"),
    path("pdf/render/", views.render_request, name="render_report"),
    path("pdf/<int:render_id>/download/", views.render_download, name="render_download"),
    path("publish/", views.publish, name="publish_report"),
    path("revise/", views.revise, name="start_revision"),
    path("published/<int:version>/", views.published_download, name="published_download"),
    path("exports/answers/", views.export_answers, name="export_answers"),
    path("exports/scores/", views.export_scores_file, name="export_scores_file"),
]

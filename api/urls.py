from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from api import views

urlpatterns = [
    path("inspections/", views.inspections, name="api_inspections"),
    path("inspections/<slug:slug>/scores/", views.inspection_scores, name="api_inspection_scores"),
    path("programmes/<slug:code>/", views.programme, name="api_programme"),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
]

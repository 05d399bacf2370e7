from django.urls import path

from programme import views

urlpatterns = [
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/<slug:code>/", views.programme_page, name="programme"),
    path("programmes/<slug:code>/export/", views.programme_export, name="programme_export"),
    path("inspections/<slug:slug>/trends/", views.trends, name="trends"),
]

from django.urls import path

from inspections import views

urlpatterns = [
    path("inspections/<slug:slug>/", views.inspection_detail, name="inspection_detail"),
    path("frameworks/", views.framework_list, name="framework_list"),
    path("frameworks/<slug:code>/v<str:version>/", views.framework_detail, name="framework_detail"),
    path(
        "frameworks/<slug:code>/v<str:version>/criteria/<str:criterion>/",
        views.criterion_detail,
        name="criterion_detail",
    ),
]

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from inspections import views as inspection_views

urlpatterns = [
    path("", inspection_views.home, name="home"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(template_name="registration/sign_in.html"),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("accounts.urls")),
    path("", include("inspections.urls")),
    path("inspections/<slug:slug>/", include("cases.urls")),
    path("inspections/<slug:slug>/", include("scoring.urls")),
    path("inspections/<slug:slug>/report/", include("reports.urls")),
    path("inspections/<slug:slug>/report/", include("reports.urls_publishing")),
    path("django-admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("", include("api.urls_tokens")),
    path("", include("programme.urls")),
]

handler400 = "config.error_pages.bad_request"

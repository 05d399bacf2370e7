from django.urls import path

from accounts import views

urlpatterns = [
    path("account/password/", views.password_change, name="password_change"),
    # The names are those mozilla-django-oidc reverses.
    path("sign-in/organisation/", views.start_organisation_sign_in, name="oidc_authentication_init"),
    path("sign-in/organisation/callback/", views.organisation_sign_in_callback, name="oidc_authentication_callback"),
]

from django.urls import path

from accounts import views

urlpatterns = [
    path("password/", views.password_change, name="password_change"),
]

"""The product's URLs plus the reference save (bench only: production URLs never include it)."""

from django.urls import path

from bench.reference import views
from config.urls import urlpatterns as product_urlpatterns

urlpatterns = [
    *product_urlpatterns,
    path(
        "bench/reference/<slug:slug>/cases/<str:case_ref>/answers/<str:question>/",
        views.reference_save,
        name="bench_reference_save",
    ),
]

"""The load benchmark's reference save (bench/reference) exists only in the benchmark's settings."""

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse


def test_product_urls_and_apps_do_not_include_the_reference():
    with pytest.raises(NoReverseMatch):
        reverse("bench_reference_save", args=["s", "c", "q"])
    with pytest.raises(Resolver404):
        resolve("/bench/reference/bench-load/cases/BL01-1/answers/1.1.01/")
    assert not any(app.startswith("bench") for app in settings.INSTALLED_APPS)

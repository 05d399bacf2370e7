"""The product's settings plus the reference app and URLconf, for bench/run_load.sh only."""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench.reference.apps.BenchReferenceConfig"]
ROOT_URLCONF = "bench.reference.urls"

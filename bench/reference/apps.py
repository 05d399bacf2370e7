from django.apps import AppConfig


class BenchReferenceConfig(AppConfig):
    name = "bench.reference"
    label = "bench_reference"
    default_auto_field = "django.db.models.BigAutoField"

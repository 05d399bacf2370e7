from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data of the run command; it uses every domain app, so it lives outside them."""

    name = "demo"
    default_auto_field = "django.db.models.BigAutoField"

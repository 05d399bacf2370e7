from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Case sample and assessments"

    def ready(self) -> None:
        # Signal receivers: kept answers forgotten on signing out; a deleted case's history removed.
        from cases import pending, retention  # noqa: F401

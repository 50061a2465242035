from django.apps import AppConfig


class CchcConfig(AppConfig):
    name = "cchc"
    verbose_name = "CCHC"

    def ready(self):
        from cchc import checks  # noqa: F401  (registers the system checks)

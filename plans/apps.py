from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Kế hoạch CCHC"

    def ready(self):
        from plans import reference

        reference.connect()

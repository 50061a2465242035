from django.apps import AppConfig


class CchcConfig(AppConfig):
    name = "cchc"
    verbose_name = "CCHC"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from cchc import (
            checks,  # noqa: F401  (registers the system checks)
            periods,
        )
        from cchc.models import CalendarDay

        # Only renews the cache version of the recorded days (also on the admin's bulk delete).
        post_save.connect(
            periods.calendar_day_changed, sender=CalendarDay, dispatch_uid="cchc.calendar_day_saved"
        )
        post_delete.connect(
            periods.calendar_day_changed, sender=CalendarDay, dispatch_uid="cchc.calendar_day_deleted"
        )

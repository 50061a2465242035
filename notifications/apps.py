from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Thông báo"

    def ready(self):
        from notifications import receivers
        from tasks.signals import task_happened

        task_happened.connect(receivers.on_task_happened, dispatch_uid="notifications.on_task_happened")

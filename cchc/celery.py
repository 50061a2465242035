"""The Celery application. Job modules are named jobs.py and discovered in every app."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")

app = Celery("cchc")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="jobs")
# One beat per deployment: a second beat (or run_schedule) waits while the first holds the lock in Redis.
app.conf.beat_scheduler = "cchc.beat:SingleBeatScheduler"

# The beat schedule, in one place.
app.conf.beat_schedule = {
    # Every minute: the beat process proves it is alive; /healthz reads the mark it leaves.
    "beat-heartbeat": {"task": "cchc.jobs.beat_heartbeat", "schedule": crontab()},
    # Every 15 minutes: today's deadline reminders, each written once (tasks.reminders decides who),
    # and the daily digests whose hour has come (notifications.mailing).
    "reminders": {"task": "notifications.jobs.send_reminders", "schedule": crontab(minute="*/15")},
    # Every minute: the urgent mails and the mail due, retries included.
    "mail": {"task": "notifications.jobs.deliver_mail", "schedule": crontab()},
}

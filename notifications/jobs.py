"""Background jobs of the notifications app."""

from celery import shared_task
from django.utils import timezone

from notifications.reminders import reminders_on


@shared_task(name="notifications.jobs.send_reminders")
def send_reminders() -> int:
    """Scheduled every 15 minutes by beat: today's reminders, each written once (a run after downtime
    catches up what today owes; nothing is told twice)."""
    return reminders_on(timezone.localdate())

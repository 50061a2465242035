"""Background jobs of the notifications app (scheduled in cchc.celery's beat_schedule)."""

from celery import shared_task
from django.utils import timezone

from notifications import mailing
from notifications.reminders import reminders_on


@shared_task(name="notifications.jobs.send_reminders")
def send_reminders() -> int:
    """Every 15 minutes: today's reminders, each written once, then the digests whose hour has come
    and the mail due. A run after downtime catches up what today owes; nothing is told twice."""
    written = reminders_on(timezone.localdate())
    mailing.claim_digests()
    mailing.claim_urgent()
    mailing.deliver_due()
    return written


@shared_task(name="notifications.jobs.deliver_mail")
def deliver_mail() -> int:
    """Every minute: the urgent mails (at most one per person per 15 minutes) and the mail due, retries
    included. Returns how many were sent."""
    mailing.claim_urgent()
    return mailing.deliver_due().sent

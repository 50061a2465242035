"""Project-wide background jobs."""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

BEAT_MARK_KEY = "cchc:beat:last-heartbeat"


@shared_task(name="cchc.jobs.beat_heartbeat")
def beat_heartbeat() -> str:
    """Scheduled every minute by beat: leaves a timestamp that /healthz reads."""
    stamp = timezone.now().isoformat()
    cache.set(BEAT_MARK_KEY, stamp, timeout=60 * 10)
    return stamp


@shared_task(name="cchc.jobs.echo")
def echo(value: str) -> str:
    """Round-trips a value through a worker: proves the broker, the worker and the result backend."""
    return value

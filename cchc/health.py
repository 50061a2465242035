"""Health of the parts the application depends on, for /healthz and for operators."""

from django.conf import settings
from django.db import connection

from cchc.celery import app as celery_app


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 – any failure is reported, not raised
        return str(error) or error.__class__.__name__
    return None


def check_redis() -> str | None:
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
    except Exception as error:  # noqa: BLE001
        return str(error) or error.__class__.__name__
    return None


def check_workers(timeout: float = 2.0) -> str | None:
    try:
        replies = celery_app.control.ping(timeout=timeout)
    except Exception as error:  # noqa: BLE001
        return str(error) or error.__class__.__name__
    if not replies:
        return "no Celery worker answered"
    return None


def report() -> tuple[bool, dict]:
    """(healthy, details): each configured part with 'ok' or the error it gave."""
    parts = {"database": check_database()}
    if settings.REDIS_URL:
        parts["redis"] = check_redis()
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        parts["workers"] = check_workers()
    details = {name: (error or "ok") for name, error in parts.items()}
    if settings.CELERY_TASK_ALWAYS_EAGER:
        details["jobs"] = "in-process"
    healthy = all(error is None for error in parts.values())
    return healthy, details

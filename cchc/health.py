"""Health of the parts the application depends on, for /healthz and for operators.

`report()` asks each part (the database, Redis, the Celery workers, beat's heartbeat); the worker ping
alone may take its whole timeout, so `cached_report()` keeps the answer a few seconds in the process and
lets one caller compute it while the others wait for that answer. What a part answers is a fixed
Vietnamese sentence: the error itself (which names hosts and ports) goes to the log, never to the caller.
"""

import datetime
import hmac
import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from cchc.celery import app as celery_app
from cchc.jobs import BEAT_MARK_KEY

logger = logging.getLogger(__name__)

CACHE_SECONDS = 5  # how long one detailed answer is given to every caller of the process
BEAT_LATE_AFTER = datetime.timedelta(minutes=5)  # beat leaves its mark every minute

DATABASE_DOWN = "không kết nối được"
REDIS_DOWN = "không kết nối được"
NO_WORKER = "không có worker nào trả lời"
BEAT_SILENT = "không thấy nhịp của beat trong 5 phút qua"

LOOPBACK = {"127.0.0.1", "::1"}
# A reverse proxy on this machine connects from the loopback too, for every visitor: a request that
# came through a proxy (which adds one of these) is not a local one, whatever its address.
PROXY_HEADERS = (
    "HTTP_FORWARDED",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_REAL_IP",
)


def may_see_details(request) -> bool:
    """A request made on this machine, not through a proxy, or one showing the configured token
    (`Authorization: Bearer <token>` or `?token=<token>`)."""
    local = request.META.get("REMOTE_ADDR") in LOOPBACK
    if local and not any(header in request.META for header in PROXY_HEADERS):
        return True
    expected = settings.HEALTHZ_TOKEN
    if not expected:
        return False
    scheme, _, given = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "bearer":
        given = request.GET.get("token", "")
    return hmac.compare_digest(given.strip().encode(), expected.encode())


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.warning("Health: the database did not answer.", exc_info=True)
        return DATABASE_DOWN
    return None


def check_redis() -> str | None:
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
    except Exception:
        logger.warning("Health: Redis did not answer.", exc_info=True)
        return REDIS_DOWN
    return None


def check_workers(timeout: float = 2.0) -> str | None:
    try:
        replies = celery_app.control.ping(timeout=timeout)
    except Exception:
        logger.warning("Health: the Celery workers could not be pinged.", exc_info=True)
        return NO_WORKER
    if not replies:
        return NO_WORKER
    return None


def check_beat() -> str | None:
    """Beat's heartbeat job (cchc.jobs.beat_heartbeat) leaves its time in the cache every minute."""
    mark = cache.get(BEAT_MARK_KEY)
    try:
        last = datetime.datetime.fromisoformat(mark) if mark else None
    except (TypeError, ValueError):
        last = None
    if last is None or timezone.now() - last > BEAT_LATE_AFTER:
        return BEAT_SILENT
    return None


def report() -> tuple[bool, dict]:
    """(healthy, details): each configured part with 'ok' or what is wrong with it, asked now."""
    parts = {"database": check_database()}
    if settings.REDIS_URL:
        parts["redis"] = check_redis()
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        parts["workers"] = check_workers()
        parts["beat"] = check_beat()
    details = {name: (error or "ok") for name, error in parts.items()}
    if settings.CELERY_TASK_ALWAYS_EAGER:
        details["jobs"] = "in-process"
    healthy = all(error is None for error in parts.values())
    return healthy, details


_lock = threading.Lock()
_kept: dict = {}


def cached_report() -> tuple[bool, dict]:
    """`report()` as asked at most CACHE_SECONDS ago; callers arriving while it is being asked wait for
    that answer instead of asking again."""
    # what the answer depends on besides time (constant in production; tests change it)
    asked = (settings.DATABASES["default"]["NAME"], settings.REDIS_URL, settings.CELERY_TASK_ALWAYS_EAGER)
    with _lock:
        if _kept.get("asked") == asked and time.monotonic() - _kept["at"] < CACHE_SECONDS:
            return _kept["answer"]
        answer = report()
        _kept.update(asked=asked, at=time.monotonic(), answer=answer)
        return answer


def forget() -> None:
    """Drop the kept answer: the next caller asks every part again."""
    with _lock:
        _kept.clear()

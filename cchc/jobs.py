"""Project-wide background jobs: beat's heartbeat, the wiring check, and rendering printed documents
too long to render during a request."""

import logging
import signal
import threading
from contextlib import contextmanager, nullcontext

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from cchc.printing import files, registry

logger = logging.getLogger(__name__)
BEAT_MARK_KEY = "cchc:beat:last-heartbeat"
# After the soft limit (settings.PRINT_JOB_SECONDS) the job is told to stop; this much later its worker
# process is killed, and the download page reads the job as having run out of time.
HARD_LIMIT_MARGIN_SECONDS = 30


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


def hard_limit_seconds() -> int:
    return settings.PRINT_JOB_SECONDS + HARD_LIMIT_MARGIN_SECONDS


@contextmanager
def _alarm(seconds: float):
    """In-process rendering (a worker's Celery enforces the limits there): SIGALRM interrupts the layout when the
    main thread runs it (a management command, a test, gunicorn's sync worker); in another thread (the
    development server) the layout is checked against its deadline when it ends."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum, frame):
        raise TimeoutError(f"stopped after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@shared_task(
    name="cchc.jobs.render_document",
    bind=True,
    soft_time_limit=settings.PRINT_JOB_SECONDS,
    time_limit=settings.PRINT_JOB_SECONDS + HARD_LIMIT_MARGIN_SECONDS,
)
def render_document(self, kind: str, pk: int, code: str, key: str, scope: dict | None = None) -> str:
    """Render the document of a registered object (cchc.printing.registry: "plan", "report"; its id; the
    print's scope, e.g. {"department": 3}) as it stands now and keep the file; `key` is the content the
    request asked for, released whatever happens. A rendering past settings.PRINT_JOB_SECONDS ends the
    job, recorded as too long (the page says so, and it is not tried again for that content); any other
    failure is recorded for the page to show once."""
    scope = scope or {}
    seconds = settings.PRINT_JOB_SECONDS
    files.mark_started(key, code)
    in_process = self.request.called_directly or self.request.is_eager
    try:
        with _alarm(seconds) if in_process else nullcontext(), files.deadline(seconds):
            name = files.store(registry.build(kind, pk, **scope), code)
    except (SoftTimeLimitExceeded, TimeoutError):
        logger.warning(
            "Rendering %s %s %s as %s ran past %s s: recorded as too long", kind, pk, scope, code, seconds
        )
        files.mark_too_long(key, code)
        return ""
    except Exception:
        logger.exception("Rendering %s %s %s as %s failed", kind, pk, scope, code)
        files.mark_done(
            key, code, error="Máy chủ chưa tạo được tệp. Bấm “Thử lại”; nếu vẫn lỗi, báo quản trị hệ thống."
        )
        raise
    files.mark_done(key, code)
    return name

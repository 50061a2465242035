"""Project-wide background jobs: beat's heartbeat, the wiring check, and rendering printed documents
too long to render during a request."""

import logging

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from cchc.printing import files, registry

logger = logging.getLogger(__name__)
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


@shared_task(name="cchc.jobs.render_document")
def render_document(kind: str, pk: int, code: str, key: str, scope: dict | None = None) -> str:
    """Render the document of a registered object (cchc.printing.registry: "plan", "report"; its id; the
    print's scope, e.g. {"department": 3}) as it stands now and keep the file; `key` is the content the
    request asked for, released whatever happens."""
    scope = scope or {}
    try:
        path = files.store(registry.build(kind, pk, **scope), code)
    except Exception:
        logger.exception("Rendering %s %s %s as %s failed", kind, pk, scope, code)
        files.mark_done(
            key, code, error="Máy chủ chưa tạo được tệp. Bấm “Thử lại”; nếu vẫn lỗi, báo quản trị hệ thống."
        )
        raise
    files.mark_done(key, code)
    return path.name

"""Background jobs of plans: rendering the printed documents too long to render during a request."""

import logging

from celery import shared_task

from cchc.printing import files

logger = logging.getLogger(__name__)


@shared_task(name="plans.jobs.render_document")
def render_document(kind: str, pk: int, code: str, key: str) -> str:
    """Render the document of a plan or report ("plan"/"report", its id) as it stands now and keep the
    file; `key` is the content the request asked for, released whatever happens."""
    from plans.printing import build

    try:
        path = files.store(build(kind, pk), code)
    except Exception:
        logger.exception("Rendering %s %s as %s failed", kind, pk, code)
        files.mark_done(
            key, code, error="Máy chủ chưa tạo được tệp. Bấm “Thử lại”; nếu vẫn lỗi, báo quản trị hệ thống."
        )
        raise
    files.mark_done(key, code)
    return path.name

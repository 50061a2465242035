"""The page that hands out a printed document: the file from the store when its content has been
rendered before, rendered now when that is quick, or a page that waits for the job rendering it."""

import logging

from django.http import FileResponse, Http404
from django.shortcuts import render

from cchc.jobs import render_document
from cchc.printing import files, registry

logger = logging.getLogger(__name__)
STARTING_FAILED = "Chưa gửi được yêu cầu tạo tệp tới máy chủ xử lý nền. Bấm “Thử lại” sau ít phút."


def _start_job(kind: str, pk: int, code: str, key: str, scope: dict) -> str:
    """Hand the rendering to a worker; the message to show when that failed (a job run in-process
    raises here, a broker out of reach too)."""
    try:
        render_document.delay(kind, pk, code, key, scope)
    except Exception:
        logger.exception("Could not start rendering %s %s as %s", kind, pk, code)
        files.mark_done(key, code)
        return files.failure(key, code) or STARTING_FAILED
    return ""


def deliver(request, kind: str, obj, code: str, *, back_url: str, name: str, scope: dict | None = None):
    """The file of `obj` in format `code`: from the store when its content has been rendered before,
    rendered now when that is quick, or a page that waits for a job rendering it. `scope`: the print's
    keyword parameters (registry), ids and short strings the job receives too."""
    if code not in files.FORMATS:
        raise Http404("Không có định dạng tệp này.")
    scope = dict(scope or {})
    printable = registry.get(kind)
    context = {"name": name, "back_url": back_url, "format": files.FORMATS[code]}
    problems = printable.problems(obj, **scope)
    if problems:
        return render(request, "documents/problems.html", {**context, "problems": problems}, status=409)
    document = printable.build(obj, **scope)
    if code == "xlsx" and not files.has_tables(document):
        raise Http404("Văn bản này không có bảng để xuất ra Excel.")
    key = document.cache_key()
    path = files.stored_path(key, code)
    if not path.exists():
        if files.is_heavy(document, code):
            error = files.failure(key, code)
            if not error and files.mark_pending(key, code):
                error = _start_job(kind, obj.pk, code, key, scope)
            if not path.exists():  # jobs run in-process when no broker is configured: already there
                return render(request, "documents/preparing.html", {**context, "error": error}, status=202)
        else:
            files.store(document, code)
    return FileResponse(
        open(path, "rb"),  # noqa: SIM115 – FileResponse closes it
        as_attachment=not files.FORMATS[code].inline,
        filename=files.download_name(document, code),
        content_type=files.FORMATS[code].content_type,
    )

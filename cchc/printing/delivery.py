"""The page that hands out a printed document: the file from the store when its content has been
rendered before, rendered now when that is quick, or a page that waits for the job rendering it — or
says, once the job has run out of time, that the document is too long and what to do."""

import logging

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from cchc import storage
from cchc.jobs import hard_limit_seconds, render_document
from cchc.printing import files, registry

logger = logging.getLogger(__name__)
# A PDF the app rendered, shown in the browser's own viewer: the site's policy (object-src 'none') would
# keep some viewers from opening it; this one lets the viewer show the file and nothing frame it.
INLINE_POLICY = "default-src 'none'; object-src 'self'; frame-ancestors 'none'"
# How long after its hard limit a job that began and never finished is taken as killed for overrunning.
OVERRUN_GRACE_SECONDS = 30
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


def _other_format_url(request, code: str, other: str) -> str:
    """The same print's URL in another format (the Word file when the PDF is too long), or ""."""
    match = request.resolver_match
    kwargs = {name: (other if value == code else value) for name, value in match.kwargs.items()}
    if kwargs == match.kwargs:
        return ""
    try:
        return reverse(match.view_name, args=match.args, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def _too_long(request, context: dict, code: str):
    """The page saying the file cannot be made within the time limit, and what to do."""
    docx_url = _other_format_url(request, code, "docx") if code != "docx" else ""
    if docx_url and request.GET:
        docx_url = f"{docx_url}?{request.GET.urlencode()}"
    return render(
        request,
        "documents/too_long.html",
        {**context, "seconds": settings.PRINT_JOB_SECONDS, "docx_url": docx_url},
        status=503,
    )


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
    name = files.stored_name(key, code)
    if not storage.exists(name):
        if files.is_heavy(document, code):
            if files.overran(key, code, hard_limit_seconds() + OVERRUN_GRACE_SECONDS):
                files.mark_too_long(key, code)  # the worker was killed before it could record it
            if files.is_too_long(key, code):
                return _too_long(request, context, code)
            error = files.failure(key, code)
            if not error and files.mark_pending(key, code):
                error = _start_job(kind, obj.pk, code, key, scope)
            if files.is_too_long(key, code):  # the job ran in-process (no broker) and ran out of time
                return _too_long(request, context, code)
            if not storage.exists(name):  # jobs run in-process when no broker is configured: already there
                return render(request, "documents/preparing.html", {**context, "error": error}, status=202)
        else:
            files.store(document, code)
    # an agency's document: streamed (or a signed URL of the store), never kept by a cache
    return storage.download(
        name,
        filename=files.download_name(document, code),
        content_type=files.FORMATS[code].content_type,
        as_attachment=not files.FORMATS[code].inline,
        policy=INLINE_POLICY if files.FORMATS[code].inline else "",
    )

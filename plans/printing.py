"""The plan and its periodic reports as printed documents: which document an object prints as, what
must be filled in before it may print, and the page that hands out the file (cchc.printing.files)."""

import logging

from django.http import FileResponse, Http404
from django.shortcuts import render

from cchc.printing import files
from plans.documents import build_plan_document, plan_print_problems
from plans.models import Plan, Report
from plans.reports import build_report_document, report_print_problems

logger = logging.getLogger(__name__)
STARTING_FAILED = "Chưa gửi được yêu cầu tạo tệp tới máy chủ xử lý nền. Bấm “Thử lại” sau ít phút."

KINDS = {
    "plan": (Plan, build_plan_document, plan_print_problems),
    "report": (Report, build_report_document, report_print_problems),
}


def build(kind: str, pk: int):
    """The document of the plan or report `pk` as it stands now."""
    model, builder, _ = KINDS[kind]
    return builder(model.objects.select_related("agency").get(pk=pk))


def _start_job(kind: str, pk: int, code: str, key: str) -> str:
    """Hand the rendering to a worker; the message to show when that failed (a job run in-process
    raises here, a broker out of reach too)."""
    from plans.jobs import render_document

    try:
        render_document.delay(kind, pk, code, key)
    except Exception:
        logger.exception("Could not start rendering %s %s as %s", kind, pk, code)
        files.mark_done(key, code)
        return files.failure(key, code) or STARTING_FAILED
    return ""


def deliver(request, kind: str, obj, code: str, *, back_url: str, name: str):
    """The file of `obj` in format `code`: from the store when its content has been rendered before,
    rendered now when that is quick, or a page that waits for a job rendering it."""
    if code not in files.FORMATS:
        raise Http404("Không có định dạng tệp này.")
    _, builder, problems_of = KINDS[kind]
    context = {"name": name, "back_url": back_url, "format": files.FORMATS[code]}
    problems = problems_of(obj)
    if problems:
        return render(request, "documents/problems.html", {**context, "problems": problems}, status=409)
    document = builder(obj)
    if code == "xlsx" and not files.has_tables(document):
        raise Http404("Văn bản này không có bảng để xuất ra Excel.")
    key = document.cache_key()
    path = files.stored_path(key, code)
    if not path.exists():
        if files.is_heavy(document, code):
            error = files.failure(key, code)
            if not error and files.mark_pending(key, code):
                error = _start_job(kind, obj.pk, code, key)
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

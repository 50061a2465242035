"""Importing the plan's task annex (upload → preview → confirm), the annex template, the .xlsx export."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods, require_safe

from cchc.formatting import vn_number
from cchc.xlsx_style import XLSX_CONTENT_TYPE
from plans import reference
from plans.models import Plan
from tasks import exporting, importing, jobs
from tasks.access import get_manageable_plan, get_viewable_plan
from tasks.filters import PlanTaskFilter
from tasks.importing.choices import ImportChoicesForm
from tasks.models import ImportBatch


class AnnexUploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp phụ lục nhiệm vụ (.docx hoặc .xlsx)",
        error_messages={
            "required": "Chọn tệp phụ lục (.docx hoặc .xlsx) để tải lên.",
            "empty": "Tệp tải lên rỗng.",
            "invalid": "Không nhận được tệp; chọn lại tệp rồi tải lên.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.xlsx"}),
    )


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = exporting.attachment(filename)
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_safe
def export_tasks(request, plan_pk):
    """The rows the plan's task table shows for the same query string (its filters, its search, the
    date its statuses are those of), named in the sheet's title; a value the table leaves out (with a
    message beside its field) is left out here too."""
    plan = get_viewable_plan(request, plan_pk)
    departments, areas = reference.plan_lists(plan)
    sections = reference.plan_sections(plan)
    filters = PlanTaskFilter(
        request.GET, queryset=plan.tasks.all(), departments=departments, areas=areas, sections=sections
    )
    content = exporting.plan_tasks_workbook(
        plan,
        as_of=filters.status_date,
        tasks=filters.qs,
        filtered_by=filters.described(leave_out=("as_of",)),
        sections=sections,
    )
    return _xlsx_response(content, exporting.export_filename(plan))


@login_required
@require_safe
def import_template(request):
    return _xlsx_response(exporting.template_workbook(), "mau-phu-luc-nhiem-vu.xlsx")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_upload(request, plan_pk):
    plan = get_manageable_plan(request, plan_pk)
    closed = plan.status == Plan.Status.CLOSED
    form = AnnexUploadForm(request.POST, request.FILES) if request.method == "POST" else AnnexUploadForm()
    if request.method == "POST" and form.is_valid():
        try:
            batch = importing.import_prepare(plan=plan, by=request.user, upload=form.cleaned_data["file"])
        except importing.AnnexError as error:
            form.add_error("file", str(error))
        else:
            return redirect("tasks:import_preview", plan_pk=plan.pk, batch_pk=batch.pk)
    waiting = (ImportBatch.Status.PREVIEW, ImportBatch.Status.RUNNING)
    pending = plan.imports.filter(status__in=waiting).select_related("uploaded_by")[:5]
    return render(
        request,
        "tasks/import_upload.html",
        {
            "plan": plan,
            "form": form,
            "closed": closed,
            "pending": pending,
            "max_mb": importing.MAX_BYTES // 1_048_576,
            "max_rows": importing.MAX_TASK_ROWS,
        },
    )


def _imported(batch: ImportBatch, counts: dict) -> str:
    if "created" not in counts:
        return f"Tệp “{batch.original_name}” đã được nhập vào kế hoạch."
    return (
        f"Đã nhập phụ lục “{batch.original_name}”: {vn_number(counts['created'])} nhiệm vụ mới, "
        f"{vn_number(counts['updated'])} nhiệm vụ được cập nhật, {vn_number(counts['unchanged'])} không đổi."
    )


def _is_large(batch: ImportBatch) -> bool:
    return sum(1 for row in batch.rows if row["kind"] == "task") > importing.JOB_ROWS


def _running(request, plan, batch):
    """The page a large confirmation waits on: the rows written so far, refreshed every few seconds."""
    progress = importing.import_progress(batch)
    total = progress.get("total") or sum(1 for row in batch.rows if row["kind"] == "task")
    done = progress.get("done", 0)
    return render(
        request,
        "tasks/import_running.html",
        {
            "plan": plan,
            "batch": batch,
            "done": done,
            "total": total,
            "percent": round(100 * done / total) if total else 0,
        },
    )


def _choices(request, prefix: str) -> dict[int, str]:
    chosen = {}
    for key, value in request.POST.items():
        if key.startswith(prefix) and key[len(prefix) :].isdigit():
            chosen[int(key[len(prefix) :])] = value
    return chosen


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_preview(request, plan_pk, batch_pk):
    plan = get_manageable_plan(request, plan_pk)
    batch = get_object_or_404(ImportBatch.objects.select_related("uploaded_by"), pk=batch_pk, plan=plan)
    batch.plan = plan
    if batch.status == ImportBatch.Status.DONE:
        messages.info(request, _imported(batch, batch.result))
        return redirect("tasks:plan_tasks", plan.pk)
    if batch.status == ImportBatch.Status.RUNNING:
        return _running(request, plan, batch)
    if batch.status == ImportBatch.Status.DISCARDED:
        messages.info(request, f"Đã hủy lần nhập tệp “{batch.original_name}”; tải tệp lên lại nếu cần.")
        return redirect("tasks:import", plan.pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "discard":
            importing.import_discard(batch=batch)
            messages.info(
                request, f"Đã hủy lần nhập tệp “{batch.original_name}”; chưa có nhiệm vụ nào được ghi."
            )
            return redirect("tasks:import", plan.pk)
        importing.import_choose(
            batch=batch,
            names=_choices(request, "name-"),
            follow_ups=_choices(request, "follow-"),
            areas=_choices(request, "area-"),
            default_follow_up=request.POST.get("default_follow_up"),
        )
        if action == "confirm" and _is_large(batch):
            preview = importing.build_preview(batch)
            if preview.has_errors:
                messages.error(
                    request,
                    "Chưa nhập được: còn dòng có lỗi; sửa tệp hoặc chọn đơn vị còn thiếu rồi xác nhận lại.",
                )
            else:
                jobs.start_import_job(batch=batch, by=request.user)
                return redirect("tasks:import_preview", plan_pk=plan.pk, batch_pk=batch.pk)
        elif action == "confirm":
            try:
                counts = importing.import_confirm(batch=batch, by=request.user)
            except importing.AlreadyImported:
                messages.info(
                    request, f"Tệp “{batch.original_name}” đã được nhập trước đó; không nhập lại lần nữa."
                )
                return redirect("tasks:plan_tasks", plan.pk)
            except (ValidationError, IntegrityError) as error:
                detail = " ".join(error.messages) if isinstance(error, ValidationError) else ""
                messages.error(
                    request,
                    f"Chưa nhập được: {detail or 'dữ liệu vừa thay đổi, hãy thử lại.'} Chưa có nhiệm vụ nào được ghi.",
                )
            else:
                messages.success(request, _imported(batch, counts))
                return redirect("tasks:plan_tasks", plan.pk)
        else:
            return redirect("tasks:import_preview", plan_pk=plan.pk, batch_pk=batch.pk)
    if batch.result.get("error"):
        messages.error(request, f"Chưa nhập được: {batch.result.pop('error')}")
        batch.save(update_fields=["result"])
    preview = importing.build_preview(batch)
    choices = ImportChoicesForm(preview)  # each name and section to choose for gets its field, in place
    return render(
        request,
        "tasks/import_preview.html",
        {"plan": plan, "batch": batch, "preview": preview, "default_follow_up": choices["default_follow_up"]},
    )

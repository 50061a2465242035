"""The periodic CCHC reports of a plan: list, create, read, edit the texts, refresh the figures, issue.

Clerks and leaders of the agency write; everyone else who reads the agency (its staff, overseers)
reads; another agency gets 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cchc.forms import attach_errors
from cchc.printing import delivery
from reports import services
from reports.access import (
    can_edit_reports,
    get_editable_report,
    get_reporting_plan,
    get_viewable_plan,
    get_viewable_report,
)
from reports.document import missing_for_issue
from reports.forms import ReportCreateForm, ReportEditForm, ReportRefreshForm
from reports.models import PeriodicReport
from reports.snapshot import SnapshotView, read_snapshot

# The annex rows the report page shows at a time; the printed report holds every row.
ANNEX_PAGE_SIZE = 100


@login_required
@require_safe
def report_list(request, pk):
    plan = get_viewable_plan(request, pk)
    reports = plan.periodic_reports.only(
        "pk",
        "period",
        "year",
        "starts_on",
        "ends_on",
        "number",
        "symbol",
        "issued_on",
        "status",
        "updated_at",
    ).order_by("-ends_on", "-pk")
    return render(
        request,
        "reports/list.html",
        {"plan": plan, "reports": reports, "can_edit": can_edit_reports(request.user, plan.agency_id)},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_create(request, pk):
    plan = get_reporting_plan(request, pk)
    agency = plan.agency
    if request.method == "POST":
        form = ReportCreateForm(request.POST, agency=agency, plan=plan)
        if form.is_valid():
            try:
                report = services.report_create(plan=plan, by=request.user, **form.service_arguments())
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, f"Đã lập dự thảo báo cáo {report.period_label}.")
                return redirect("reports:detail", pk=report.pk)
        form.existing = form.existing or form.window_reports()
        messages.error(request, "Chưa lập được báo cáo: xem các lỗi được đánh dấu bên dưới.")
    else:
        # No number or date: a report takes them when it is signed (Nghị định 30/2020, Điều 15).
        form = ReportCreateForm(
            agency=agency,
            plan=plan,
            initial={
                "period": PeriodicReport.Period.HALF_YEAR,
                "year": plan.year,
                "symbol": f"BC-{agency.code}",
            },
        )
    return render(request, "reports/form.html", {"plan": plan, "form": form, "existing": form.existing})


def _annex_page(request, view: SnapshotView) -> dict:
    """The page of the annex asked for (?page=, the other parameters kept in its links): its rows
    grouped by area, and every area with the page it begins on."""
    page = Paginator(range(view.task_count), ANNEX_PAGE_SIZE).get_page(request.GET.get("page"))
    start = max(page.start_index() - 1, 0)
    kept = request.GET.copy()
    kept.pop("page", None)
    return {
        "page": page,
        "page_numbers": list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "kept_query": kept.urlencode(),
        "groups": view.annex_part(start, start + ANNEX_PAGE_SIZE),
        "areas": view.annex_areas(ANNEX_PAGE_SIZE),
    }


@login_required
@require_safe
def report_detail(request, pk):
    report = get_viewable_report(request, pk)
    can_edit = can_edit_reports(request.user, report.agency_id)
    view = read_snapshot(report)
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "plan": report.plan,
            "view": view,
            "annex": _annex_page(request, view) if view else None,
            "texts": report.area_texts,
            "missing": missing_for_issue(report) if not report.is_locked else [],
            "changes": report.changes.values("action", "changed_at", "changes", "changed_by__full_name")[:50],
            "can_edit": can_edit and not report.is_locked,
            "refresh_form": ReportRefreshForm(),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_update(request, pk):
    report = get_editable_report(request, pk)
    if report.is_locked:
        messages.error(request, "Báo cáo đã ban hành, không thể sửa.")
        return redirect("reports:detail", pk=report.pk)
    form = ReportEditForm(request.POST or None, instance=report)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.report_update(report=report, by=request.user, **form.service_arguments())
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, "Đã lưu nội dung báo cáo.")
                return redirect("reports:detail", pk=report.pk)
        messages.error(request, "Chưa lưu được báo cáo: xem các lỗi được đánh dấu bên dưới.")
    return render(request, "reports/edit.html", {"report": report, "plan": report.plan, "form": form})


@login_required
@require_POST
def report_refresh(request, pk):
    report = get_editable_report(request, pk)
    form = ReportRefreshForm(request.POST)
    redraft = form.is_valid() and form.cleaned_data["redraft"]
    try:
        services.report_refresh(report=report, by=request.user, redraft=redraft)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "Đã cập nhật số liệu và soạn lại nội dung."
            if redraft
            else "Đã cập nhật số liệu; nội dung đã sửa được giữ nguyên.",
        )
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_POST
def report_issue(request, pk):
    report = get_editable_report(request, pk)
    try:
        services.report_issue(report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"Đã ban hành {report}. Số, ngày, người ký, nội dung và số liệu đã được khóa."
        )
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_safe
def report_print(request, pk, fmt):
    """The report as PDF, Word or its annex in Excel, from the text and figures it was saved with."""
    report = get_viewable_report(request, pk)
    return delivery.deliver(
        request,
        "report",
        report,
        fmt,
        back_url=reverse("reports:detail", args=[report.pk]),
        name=str(report),
    )

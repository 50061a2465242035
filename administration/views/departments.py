from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Department
from administration import services
from administration.access import get_managed_department, require_agency_admin
from administration.forms import DepartmentForm, MergeForm, ReasonForm
from administration.views.common import error_text, form_errors, recent_events


def _counted(departments):
    return departments.annotate(
        active_users=Count("users", filter=Q(users__is_active=True), distinct=True),
        open_tasks=Count(
            "led_tasks", filter=Q(led_tasks__state__in=services.OPEN_TASK_STATES), distinct=True
        ),
        all_tasks=Count("led_tasks", distinct=True),
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def department_list(request):
    """The agency's departments: the working ones with their people and open tasks, then the closed."""
    require_agency_admin(request)
    departments = list(
        _counted(
            Department.objects.filter(agency_id=request.user.agency_id).select_related("merged_into")
        ).order_by("position", "name")
    )
    return render(
        request,
        "administration/departments.html",
        {
            "agency": request.user.agency,
            "open_departments": [d for d in departments if d.closed_at is None],
            "closed_departments": [d for d in departments if d.closed_at is not None],
            "reason_form": ReasonForm(),
            "section": "departments",
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def department_create(request):
    require_agency_admin(request)
    form = DepartmentForm(request.POST or None, submit="Tạo phòng, đơn vị")
    if request.method == "POST" and form.is_valid():
        try:
            department = services.department_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, f"Đã tạo {department}.")
            return redirect("administration:departments")
    return render(
        request,
        "administration/department_form.html",
        {"form": form, "agency": request.user.agency, "section": "departments", "creating": True},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def department_rename(request, pk):
    department = get_managed_department(request, pk)
    if department.closed_at is not None and request.method == "POST":
        messages.error(request, "Phòng, đơn vị đã ngừng hoạt động.")
        return redirect("administration:departments")
    initial = {"name": department.name, "code": department.code, "position": department.position}
    form = DepartmentForm(request.POST or None, initial=initial, submit="Lưu")
    if request.method == "POST" and form.is_valid():
        try:
            services.department_rename(department=department, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, f"Đã lưu {department}.")
            return redirect("administration:departments")
    return render(
        request,
        "administration/department_form.html",
        {
            "form": form,
            "department": department,
            "agency": request.user.agency,
            "section": "departments",
            "events": recent_events(subject_department=department),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def department_merge(request, pk):
    """Merge the department into another: its tasks (with their history) and people move there."""
    department = get_managed_department(request, pk)
    if department.closed_at is not None:
        messages.error(request, "Phòng, đơn vị đã ngừng hoạt động.")
        return redirect("administration:departments")
    form = MergeForm(request.POST or None, department=department)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        try:
            moved = services.department_merge(
                source=department, target=target, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                f"Đã sáp nhập {department} vào {target}: {moved} nhiệm vụ và những người dùng của phòng "
                "đã chuyển sang.",
            )
            return redirect("administration:departments")
    counted = _counted(Department.objects.filter(pk=department.pk)).get()
    return render(
        request,
        "administration/department_merge.html",
        {"form": form, "department": counted, "agency": request.user.agency, "section": "departments"},
    )


@login_required
@require_POST
def department_close(request, pk):
    department = get_managed_department(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.department_close(department=department, by=request.user, reason=reason)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"Đã đóng {department}; lịch sử của phòng vẫn được giữ.")
    return redirect("administration:departments")

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import administered_agencies
from accounts.models import Role, User
from administration import services
from administration.access import get_managed_agency, require_province_admin
from administration.forms import AdministratorCreateForm, AgencyForm, ReasonForm
from administration.views.common import form_errors, link_page, recent_events, state_change


@login_required
@require_http_methods(["GET", "HEAD"])
def agency_list(request):
    """The agencies of the province, with their people and administrators."""
    require_province_admin(request)
    agencies = (
        administered_agencies(request.user)
        .select_related("parent")
        .annotate(
            active_users=Count("users", filter=Q(users__is_active=True), distinct=True),
            administrators=Count(
                "users", filter=Q(users__is_active=True, users__role=Role.ADMIN), distinct=True
            ),
        )
        .order_by("-is_active", "parent_id", "name")
    )
    return render(request, "administration/agencies.html", {"agencies": agencies, "section": "agencies"})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def agency_create(request):
    require_province_admin(request)
    form = AgencyForm(request.POST or None, by=request.user)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.AGENCY_VALUES}
        try:
            agency = services.agency_create(by=request.user, **values)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, f"Đã tạo {agency}. Hãy tạo quản trị cho cơ quan.")
            return redirect("administration:agency_admins", pk=agency.pk)
    del form.fields["reason"]
    return render(
        request, "administration/agency_form.html", {"form": form, "section": "agencies", "creating": True}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def agency_update(request, pk):
    agency = get_managed_agency(request, pk)
    form = AgencyForm(request.POST or None, instance=agency, by=request.user)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.AGENCY_VALUES}
        try:
            services.agency_change(
                agency=agency, by=request.user, reason=form.cleaned_data["reason"], **values
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, f"Đã lưu {form.cleaned_data['name']}.")
            return redirect("administration:agencies")
    agency.refresh_from_db()  # the form's checks wrote into the instance; the page names it as stored
    return render(
        request,
        "administration/agency_form.html",
        {
            "form": form,
            "subject_agency": agency,
            "section": "agencies",
            "reason_form": ReasonForm(),
            "is_own": agency.pk == request.user.agency_id,
            "events": recent_events(subject_agency=agency),
        },
    )


def _state_change(request, pk, action, done: str):
    agency = get_managed_agency(request, pk)
    return state_change(
        request,
        lambda reason: action(agency=agency, by=request.user, reason=reason),
        done=done.format(agency=agency),
        back=reverse("administration:agency_update", args=[agency.pk]),
    )


@login_required
@require_POST
def agency_deactivate(request, pk):
    return _state_change(
        request,
        pk,
        services.agency_deactivate,
        "{agency} đã ngừng hoạt động: người dùng của cơ quan không đăng nhập được nữa; dữ liệu vẫn được giữ.",
    )


@login_required
@require_POST
def agency_reactivate(request, pk):
    return _state_change(request, pk, services.agency_reactivate, "{agency} đã hoạt động trở lại.")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def agency_admins(request, pk):
    """An agency's administrators, and a new one with their set-password link."""
    agency = get_managed_agency(request, pk)
    form = AdministratorCreateForm(request.POST or None, agency=agency, by=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(by=request.user, agency=agency, role=Role.ADMIN, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            url = services.password_link_issue(
                user=user, by=request.user, base_url=settings.SITE_URL, new_account=True
            )
            return link_page(request, user=user, url=url, new_account=True, back=request.path)
    admins = User.objects.filter(agency=agency, role=Role.ADMIN).select_related("department")
    return render(
        request,
        "administration/agency_admins.html",
        {"subject_agency": agency, "admins": admins, "form": form, "section": "agencies"},
    )

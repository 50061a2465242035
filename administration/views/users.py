from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts import throttling
from accounts.access import administers_agency
from accounts.models import User
from administration import services
from administration.access import get_managed_user, require_agency_admin
from administration.forms import ReasonForm, UserChangeForm, UserCreateForm, UserFilterForm
from administration.views.common import error_text, form_errors, link_page, recent_events, state_change

PAGE_SIZE = 50


def back_to(by: User, user: User) -> str:
    """Where a user's page returns: the agency's list, or the agency's administrators for the
    province's administrator managing another agency."""
    if administers_agency(by) and user.agency_id == by.agency_id:
        return reverse("administration:users")
    return reverse("administration:agency_admins", args=[user.agency_id])


@login_required
@require_http_methods(["GET", "HEAD"])
def user_list(request):
    """The users of the administrator's agency, filtered by department, role and state."""
    require_agency_admin(request)
    agency = request.user.agency
    form = UserFilterForm(request.GET or None, agency=agency)
    users = User.objects.filter(agency=agency).select_related("department")
    kept = QueryDict(mutable=True)
    if form.is_valid():
        data = form.cleaned_data
        if data["department"]:
            users = users.filter(department=data["department"])
            kept["department"] = data["department"].pk
        if data["role"]:
            users = users.filter(role=data["role"])
            kept["role"] = data["role"]
        if data["active"]:
            users = users.filter(is_active=data["active"] == "1")
            kept["active"] = data["active"]
        if request.GET.get("q", "").strip():
            q = request.GET["q"].strip()
            users = users.filter(Q(full_name__icontains=q) | Q(username__icontains=q) | Q(email__icontains=q))
            kept["q"] = q
    page = Paginator(users.order_by("-is_active", "full_name", "username"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "administration/users.html",
        {
            "agency": agency,
            "filter_form": form,
            "query": kept.get("q", ""),
            "page": page,
            "page_numbers": list(
                page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
            ),
            "kept_query": kept.urlencode(),
            "locked_usernames": throttling.locked_usernames(person.username for person in page.object_list),
            "section": "users",
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def user_create(request):
    """A new user of the agency; the page that follows shows their set-password link, once."""
    require_agency_admin(request)
    agency = request.user.agency
    form = UserCreateForm(request.POST or None, agency=agency, by=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(by=request.user, agency=agency, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            url = services.password_link_issue(
                user=user, by=request.user, base_url=settings.SITE_URL, new_account=True
            )
            return link_page(request, user=user, url=url, new_account=True, back=back_to(request.user, user))
    return render(
        request,
        "administration/user_form.html",
        {"form": form, "agency": agency, "section": "users", "creating": True},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def user_update(request, pk):
    """A user's page: their department, role and position, their state and the record of changes."""
    user = get_managed_user(request, pk)
    initial = {field: getattr(user, field) for field in services.USER_FIELDS}
    form = UserChangeForm(request.POST or None, initial=initial, agency=user.agency, by=request.user)
    if request.method == "POST" and form.is_valid():
        values = {field: form.cleaned_data[field] for field in services.USER_FIELDS}
        try:
            services.user_change(user=user, by=request.user, reason=form.cleaned_data["reason"], **values)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, f"Đã lưu thông tin của {user}.")
            return redirect(back_to(request.user, user))
    return render(
        request,
        "administration/user_form.html",
        {
            "form": form,
            "subject": user,
            "agency": user.agency,
            "section": "users",
            "back": back_to(request.user, user),
            "reason_form": ReasonForm(),
            "is_self": user.pk == request.user.pk,
            "events": recent_events(subject_user=user),
            "login_lockout": throttling.locked_usernames([user.username]).get(user.username),
        },
    )


def _state_change(request, pk, action, done: str):
    user = get_managed_user(request, pk)
    return state_change(
        request,
        lambda reason: action(user=user, by=request.user, reason=reason),
        done=done.format(user=user),
        back=reverse("administration:user_update", args=[user.pk]),
    )


@login_required
@require_POST
def user_deactivate(request, pk):
    return _state_change(
        request,
        pk,
        services.user_deactivate,
        "Đã khóa tài khoản của {user}: người này không đăng nhập được nữa.",
    )


@login_required
@require_POST
def user_reactivate(request, pk):
    return _state_change(request, pk, services.user_reactivate, "Đã mở lại tài khoản của {user}.")


@login_required
@require_POST
def user_password_link(request, pk):
    """A new one-time set-password link for the user (the old password stops working)."""
    user = get_managed_user(request, pk)
    try:
        url = services.password_link_issue(user=user, by=request.user, base_url=settings.SITE_URL)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("administration:user_update", pk=user.pk)
    return link_page(request, user=user, url=url, new_account=False, back=back_to(request.user, user))

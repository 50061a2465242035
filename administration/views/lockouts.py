"""Logins locked out by wrong passwords (accounts.throttling) and their unlocking by an administrator."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts import throttling
from accounts.access import administered_agencies, administers_agency, administers_province
from accounts.models import User
from administration import services
from administration.access import get_unlockable_user, require_admin, require_province_admin
from administration.forms import AddressUnlockForm, ReasonForm


def _users_in_reach(by: User):
    """The users whose login `by` unlocks, as administration.services.unlocks_login decides."""
    reach = Q(pk__in=[])
    if administers_agency(by):
        reach |= Q(agency_id=by.agency_id)
    if administers_province(by):
        reach |= Q(agency__in=administered_agencies(by))
        if by.is_superuser:
            reach |= Q(agency__isnull=True)
    return User.objects.filter(reach)


@login_required
@require_http_methods(["GET", "HEAD"])
def lockout_list(request):
    """The users refused now after too many wrong passwords, and for the province's administrator the
    addresses refused whatever username they try."""
    require_admin(request)
    locked = throttling.locked_usernames()
    users = _users_in_reach(request.user).filter(username__in=list(locked)).select_related("agency")
    rows = [(user, locked[user.username]) for user in users.order_by("agency__name", "full_name", "username")]
    province = administers_province(request.user)
    return render(
        request,
        "administration/lockouts.html",
        {
            "agency": request.user.agency,
            "rows": rows,
            "addresses": throttling.locked_addresses() if province else [],
            "province": province,
            "address_form": AddressUnlockForm(),
            "section": "lockouts",
        },
    )


@login_required
@require_POST
def user_login_unlock(request, pk):
    user = get_unlockable_user(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if services.login_unlock(user=user, by=request.user, reason=reason):
        messages.success(request, f"Đã mở khóa đăng nhập cho {user}: người này đăng nhập lại được ngay.")
    else:
        messages.info(request, f"Đăng nhập của {user} không bị khóa.")
    if services.manages_user(request.user, user):
        return redirect("administration:user_update", pk=user.pk)
    return redirect("administration:lockouts")


@login_required
@require_POST
def address_login_unlock(request):
    require_province_admin(request)
    form = AddressUnlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Địa chỉ mạng không hợp lệ.")
    elif services.address_unlock(
        address=form.cleaned_data["address"], by=request.user, reason=form.cleaned_data["reason"]
    ):
        messages.success(request, f"Đã mở khóa đăng nhập từ địa chỉ {form.cleaned_data['address']}.")
    else:
        messages.info(request, f"Địa chỉ {form.cleaned_data['address']} không bị khóa.")
    return redirect("administration:lockouts")

"""Who reaches which administration page: 403 without the right, 404 for an id outside one's reach."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.access import administered_agencies, administers_agency, administers_province
from accounts.models import Agency, Department, User
from administration.services import manages_user, unlocks_login


def require_agency_admin(request) -> None:
    if not administers_agency(request.user):
        raise PermissionDenied("Chỉ quản trị của cơ quan mới vào trang này.")


def require_province_admin(request) -> None:
    if not administers_province(request.user):
        raise PermissionDenied("Chỉ quản trị cấp tỉnh mới vào trang này.")


def get_managed_user(request, pk) -> User:
    """A user the administrator manages: of their agency, or an agency's administrator for the
    province's administrator; anyone else answers 404."""
    if not (administers_agency(request.user) or administers_province(request.user)):
        raise PermissionDenied("Chỉ quản trị mới quản lý người dùng.")
    user = get_object_or_404(User.objects.select_related("agency", "department"), pk=pk)
    if not manages_user(request.user, user):
        raise Http404("Không tìm thấy người dùng.")
    return user


def get_managed_department(request, pk) -> Department:
    require_agency_admin(request)
    return get_object_or_404(
        Department.objects.select_related("agency", "merged_into"), pk=pk, agency_id=request.user.agency_id
    )


def get_managed_agency(request, pk) -> Agency:
    require_province_admin(request)
    return get_object_or_404(administered_agencies(request.user).select_related("parent"), pk=pk)


def require_admin(request) -> None:
    if not (administers_agency(request.user) or administers_province(request.user)):
        raise PermissionDenied("Chỉ quản trị mới vào trang này.")


def get_unlockable_user(request, pk) -> User:
    """A user whose login the administrator may unlock (administration.services.unlocks_login)."""
    require_admin(request)
    user = get_object_or_404(User.objects.select_related("agency"), pk=pk)
    if not unlocks_login(request.user, user):
        raise Http404("Không tìm thấy người dùng.")
    return user

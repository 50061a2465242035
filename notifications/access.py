"""Whose notices a user reaches: their own only (another person's notice is a 404, never a 403). The
agency's administrator also sets the agency's reminder rules, sees the addresses that fail and reads
the sent log of the agency's people."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.models import Agency, Role, User
from notifications.models import Notification


def get_own_notification(request, pk) -> Notification:
    return get_object_or_404(Notification, pk=pk, recipient=request.user)


def can_manage_notifications(user) -> bool:
    """The agency's administrator (Quản trị hệ thống of an agency, or a superuser who belongs to one):
    the agency's reminder rules, its failing addresses and its sent log."""
    return (
        user.is_authenticated
        and user.agency_id is not None
        and (user.role == Role.ADMIN or user.is_superuser)
    )


def get_managed_agency(request) -> Agency:
    """The agency whose notices the user manages, or 403."""
    if not can_manage_notifications(request.user):
        raise PermissionDenied("Chỉ quản trị hệ thống của cơ quan mới xem và đổi được mục này.")
    return request.user.agency


def get_agency_member(request, pk) -> User:
    """A person of the manager's agency, or 404 (someone of another agency is not found)."""
    agency = get_managed_agency(request)
    return get_object_or_404(User, pk=pk, agency=agency)

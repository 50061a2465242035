"""Who reads the agency's change log: its leaders (lãnh đạo cơ quan) and its administrator (quản trị hệ
thống of the agency, accounts.access.administers_agency). Nobody reads another agency's log, and an
overseer, who reads the province's figures, does not read the agencies' change logs."""

from django.core.exceptions import PermissionDenied

from accounts.access import administers_agency
from accounts.models import Agency, Role


def can_read_audit_log(user) -> bool:
    return administers_agency(user) or (
        user.is_authenticated and user.agency_id is not None and user.role == Role.LEADER
    )


def get_audited_agency(request) -> Agency:
    """The agency whose changes the user reads (always their own), or 403."""
    if not can_read_audit_log(request.user):
        raise PermissionDenied(
            "Chỉ lãnh đạo cơ quan và quản trị hệ thống của cơ quan xem được nhật ký thay đổi."
        )
    return request.user.agency

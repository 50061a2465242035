"""Who reads which dashboard. Views call these on their first line."""

from django.core.exceptions import PermissionDenied

from accounts.access import heads_department, province_agencies, reads_province
from accounts.models import Role
from plans.access import get_viewable_plan

DASHBOARD_READERS = (Role.LEADER, Role.CLERK, Role.OVERSEER)


def _sees_whole_plan(user) -> bool:
    return user.is_authenticated and user.role in DASHBOARD_READERS


def can_view_dashboard(user, plan) -> bool:
    """Leaders, clerks and the province's overseers see a plan's whole dashboard; a department head of
    the plan's agency sees the department's part of it; nobody else sees it."""
    return _sees_whole_plan(user) or (heads_department(user) and user.agency_id == plan.agency_id)


def sees_dashboards(user) -> bool:
    """The user may see some plan's dashboard (the whole of it, or a department's part): the top bar's
    "Tổng quan" and the page it opens (dashboards.views.dashboard_home)."""
    return _sees_whole_plan(user) or heads_department(user)


def require_dashboards(request) -> None:
    """403 for a user who may see no plan's dashboard (sees_dashboards)."""
    if not sees_dashboards(request.user):
        raise PermissionDenied("Trang tổng quan dành cho lãnh đạo, văn phòng Sở và trưởng phòng, đơn vị.")


def get_dashboard_plan(request, pk):
    """The plan and the department whose part of its dashboard the user sees (None: all of it);
    403 without the right (can_view_dashboard), and a foreign plan 404."""
    plan = get_viewable_plan(request, pk)
    user = request.user
    if not can_view_dashboard(user, plan):
        raise PermissionDenied("Trang tổng quan dành cho lãnh đạo, văn phòng Sở và trưởng phòng, đơn vị.")
    return plan, None if _sees_whole_plan(user) else user.department


def get_overseen_agencies(request) -> list:
    """The agencies of the overseer's province, the province itself left out (it issues no plan of its
    own here); everyone else gets 403."""
    user = request.user
    if not reads_province(user):
        raise PermissionDenied("Trang tổng quan tỉnh dành cho Sở Nội vụ.")
    return [agency for agency in province_agencies(user.agency_id).values() if agency.parent_id is not None]

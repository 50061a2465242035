"""Who reads which dashboard. Views call these on their first line."""

from django.core.exceptions import PermissionDenied

from accounts.access import province_agencies
from accounts.models import Role
from plans.access import get_viewable_plan

DASHBOARD_READERS = (Role.LEADER, Role.CLERK, Role.OVERSEER)


def get_dashboard_plan(request, pk):
    """The plan and the department whose part of its dashboard the user sees (None: all of it).

    Leaders, clerks and the province's overseers see the whole plan; a department head sees the
    department's own tasks; anyone else of the agency gets 403, and a foreign plan 404."""
    plan = get_viewable_plan(request, pk)
    user = request.user
    if user.role in DASHBOARD_READERS:
        return plan, None
    if user.role == Role.DEPT_HEAD and user.department_id is not None and user.agency_id == plan.agency_id:
        return plan, user.department
    raise PermissionDenied("Trang tổng quan dành cho lãnh đạo, văn phòng Sở và trưởng phòng, đơn vị.")


def get_overseen_agencies(request) -> list:
    """The agencies of the overseer's province, the province itself left out (it issues no plan of its
    own here); everyone else gets 403."""
    user = request.user
    if user.role != Role.OVERSEER or user.agency_id is None:
        raise PermissionDenied("Trang tổng quan tỉnh dành cho Sở Nội vụ.")
    return [agency for agency in province_agencies(user.agency_id).values() if agency.parent_id is not None]

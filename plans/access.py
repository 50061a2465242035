"""Who may read and write plans. Views call these on their first line."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.access import can_write_agency, readable_agency_ids
from accounts.models import Role
from plans.models import Plan

PLAN_WRITERS = (Role.CLERK,)


def get_viewable_plan(request, pk) -> Plan:
    """The plan, or 404 when it belongs to an agency the user may not read."""
    return get_object_or_404(
        Plan.objects.select_related("agency", "area_set", "implements"),
        pk=pk,
        agency_id__in=readable_agency_ids(request.user),
    )


def can_edit_plans(user, agency_id: int | None) -> bool:
    """Create, edit, issue and close the agency's plans: its clerks (Văn phòng) only."""
    return can_write_agency(user, agency_id, *PLAN_WRITERS)


def get_editable_plan(request, pk) -> Plan:
    """The plan, 404 outside the user's reach, 403 for anyone but the clerks of its agency."""
    plan = get_viewable_plan(request, pk)
    if not can_edit_plans(request.user, plan.agency_id):
        raise PermissionDenied("Chỉ văn thư, Văn phòng của cơ quan mới thay đổi kế hoạch.")
    return plan

"""Who may read and write plans. Views call these on their first line."""

from django.shortcuts import get_object_or_404

from accounts.access import readable_agency_ids, require_write
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


def get_editable_plan(request, pk) -> Plan:
    """The plan, 404 outside the user's reach, 403 for anyone but the clerks of its agency."""
    plan = get_viewable_plan(request, pk)
    require_write(request.user, plan.agency_id, *PLAN_WRITERS)
    return plan


def can_edit_plans(user, agency_id: int) -> bool:
    return user.is_authenticated and user.agency_id == agency_id and user.role in PLAN_WRITERS

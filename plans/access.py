"""Who may read and write plans. Views call these on their first line."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from accounts.access import can_write_agency, readable_agency_ids
from accounts.models import Role
from plans.models import Plan

PLAN_WRITERS = (Role.CLERK,)
# What the province's overseers (Sở Nội vụ) read of another agency's plans: a draft stays inside its
# agency until it is issued.
SHOWN_OUTSIDE = (Plan.Status.ISSUED, Plan.Status.CLOSED)


def readable_plans_q(user, prefix: str = "") -> Q:
    """The plans `user` may read, as a filter of plans (or of rows reaching a plan through `prefix`,
    e.g. "plan__" for tasks): every plan of the user's own agency, and the issued and closed plans of
    the other agencies the user reads (accounts.access.readable_agency_ids: the overseers' province)."""
    agency_ids = readable_agency_ids(user)
    if not agency_ids:
        return Q(pk__in=[])
    others = agency_ids - {user.agency_id}
    shown = Q(**{f"{prefix}agency_id": user.agency_id}) if user.agency_id in agency_ids else Q(pk__in=[])
    if others:
        shown |= Q(**{f"{prefix}agency_id__in": others, f"{prefix}status__in": SHOWN_OUTSIDE})
    return shown


def readable_plans(user):
    return Plan.objects.filter(readable_plans_q(user))


def get_viewable_plan(request, pk) -> Plan:
    """The plan, or 404 when it belongs to an agency the user may not read, or is another agency's
    draft."""
    return get_object_or_404(
        Plan.objects.select_related("agency", "area_set", "implements").filter(
            readable_plans_q(request.user)
        ),
        pk=pk,
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

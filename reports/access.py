"""Who may read and write periodic reports. Views call these on their first line."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.access import can_write_agency, readable_agency_ids
from accounts.models import Role
from plans.access import get_viewable_plan
from plans.models import Plan
from reports.models import PeriodicReport

# Periodic reports: the clerks and leaders of the agency write them; whoever reads the agency reads them.
REPORT_WRITERS = (Role.CLERK, Role.LEADER)


def get_viewable_report(request, pk) -> PeriodicReport:
    """The report, or 404 when it belongs to an agency the user may not read."""
    return get_object_or_404(
        PeriodicReport.objects.select_related("agency", "plan"),
        pk=pk,
        agency_id__in=readable_agency_ids(request.user),
    )


def can_edit_reports(user, agency_id: int | None) -> bool:
    """Create, edit, refresh and issue the agency's periodic reports: its clerks and leaders."""
    return can_write_agency(user, agency_id, *REPORT_WRITERS)


def _require_edit(user, agency_id: int) -> None:
    if not can_edit_reports(user, agency_id):
        raise PermissionDenied("Chỉ văn thư, Văn phòng và lãnh đạo cơ quan mới lập, sửa báo cáo định kỳ.")


def get_editable_report(request, pk) -> PeriodicReport:
    """The report, 404 outside the user's reach, 403 for anyone but the clerks and leaders of its agency."""
    report = get_viewable_report(request, pk)
    _require_edit(request.user, report.agency_id)
    return report


def get_reporting_plan(request, pk) -> Plan:
    """The plan a new report is written for: 404 outside the user's reach, 403 but for its clerks and leaders."""
    plan = get_viewable_plan(request, pk)
    _require_edit(request.user, plan.agency_id)
    return plan

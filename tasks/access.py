"""Who may read and act on tasks. Views call these on their first line.

Everyone of the agency (and the province's overseers) reads its tasks. Staff report on tasks their
department leads or that are assigned to them; staff of a coordinating department contribute; the
head of the lead department assigns people and approves or returns completion; leaders direct;
clerks manage the plan's structure (tasks, deadlines, lead departments, imports). Nobody reviews
their own report (separation of duties): a head's own completion report goes to another head of the
department or to a leader of the agency (can_review_report).
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.access import heads_department
from accounts.models import Role
from plans.access import can_edit_plans, get_viewable_plan, readable_plans_q
from tasks.models import Direction, ProgressUpdate, Task

REPORTERS = (Role.STAFF, Role.DEPT_HEAD)


def get_viewable_task(request, pk) -> Task:
    """The task, or 404 when its plan belongs to an agency the user may not read."""
    return get_object_or_404(
        Task.objects.select_related("plan__agency", "area", "lead_department"),
        readable_plans_q(request.user, "plan__"),
        pk=pk,
    )


def _own_agency(user, task: Task) -> bool:
    return user.is_authenticated and user.agency_id == task.plan.agency_id


def can_report(user, task: Task) -> bool:
    """Open tasks only; while a completion report waits for approval, the next step is the head's."""
    if not _own_agency(user, task) or task.state not in (Task.State.NOT_STARTED, Task.State.IN_PROGRESS):
        return False
    in_lead = user.role in REPORTERS and user.department_id == task.lead_department_id
    return in_lead or any(person_id == user.pk for person_id, _name in task.assignee_pairs)


def can_contribute(user, task: Task) -> bool:
    return (
        _own_agency(user, task)
        and user.role in REPORTERS
        and user.department_id is not None
        and any(department_id == user.department_id for department_id, _name in task.coordinating_pairs)
    )


def can_review(user, task: Task) -> bool:
    return (
        _own_agency(user, task)
        and user.role == Role.DEPT_HEAD
        and user.department_id == task.lead_department_id
    )


SELF_REVIEW = (
    "Không ai tự duyệt báo cáo của chính mình: báo cáo hoàn thành của trưởng phòng, đơn vị "
    "do lãnh đạo cơ quan hoặc trưởng phòng khác của đơn vị duyệt."
)
NOT_A_REVIEWER = (
    "Chỉ trưởng đơn vị chủ trì mới duyệt báo cáo hoàn thành; "
    "báo cáo của trưởng đơn vị do lãnh đạo cơ quan duyệt."
)


def can_review_report(user, report: ProgressUpdate) -> bool:
    """Approve or return a completion report: never one's own. A staff member's report is the lead
    department's heads' to review; a head's own report also a leader's of the agency (another head of
    the department may review it too). `report` should come with its reporter and task loaded."""
    if not user.is_authenticated or user.pk == report.reported_by_id:
        return False
    if can_review(user, report.task):
        return True
    return can_direct(user, report.task) and report.reported_by.role == Role.DEPT_HEAD


def can_direct(user, task: Task) -> bool:
    return _own_agency(user, task) and user.role == Role.LEADER


def can_reply(user, task: Task) -> bool:
    """Who carries the task reports on carrying out a direction: its lead department's staff and head,
    and the people assigned (whatever the task's state: a direction may come after completion)."""
    if not _own_agency(user, task):
        return False
    in_lead = user.role in REPORTERS and user.department_id == task.lead_department_id
    return in_lead or any(person_id == user.pk for person_id, _name in task.assignee_pairs)


def can_manage(user, task_or_plan) -> bool:
    """The plan's structure (tasks, deadlines, lead departments, imports) is the plan's: whoever edits
    the plan (plans.access.can_edit_plans) manages its tasks."""
    agency_id = task_or_plan.plan.agency_id if isinstance(task_or_plan, Task) else task_or_plan.agency_id
    return can_edit_plans(user, agency_id)


def _require(allowed: bool, message: str = "Bạn không có quyền thực hiện thao tác này.") -> None:
    if not allowed:
        raise PermissionDenied(message)


def get_reportable_task(request, pk) -> Task:
    task = get_viewable_task(request, pk)
    _require(
        can_report(request.user, task),
        "Chỉ đơn vị chủ trì hoặc người được giao mới báo cáo tiến độ nhiệm vụ đang thực hiện.",
    )
    return task


def get_contributable_task(request, pk) -> Task:
    task = get_viewable_task(request, pk)
    _require(can_contribute(request.user, task), "Chỉ đơn vị phối hợp mới gửi ý kiến phối hợp.")
    return task


def get_directable_task(request, pk) -> Task:
    task = get_viewable_task(request, pk)
    _require(can_direct(request.user, task), "Chỉ lãnh đạo cơ quan mới cho ý kiến chỉ đạo.")
    return task


def get_repliable_direction(request, pk) -> Direction:
    """The direction, or 404 outside the agencies the user reads; 403 to whoever does not carry its task."""
    direction = get_object_or_404(
        Direction.objects.select_related("task__plan__agency", "task__area", "task__lead_department"),
        readable_plans_q(request.user, "task__plan__"),
        pk=pk,
    )
    _require(
        can_reply(request.user, direction.task),
        "Chỉ đơn vị chủ trì, trưởng đơn vị hoặc người được giao mới báo cáo thực hiện ý kiến chỉ đạo.",
    )
    return direction


def get_assignable_task(request, pk) -> Task:
    task = get_viewable_task(request, pk)
    _require(can_review(request.user, task), "Chỉ trưởng đơn vị chủ trì mới phân công người thực hiện.")
    return task


def get_manageable_task(request, pk) -> Task:
    task = get_viewable_task(request, pk)
    _require(can_manage(request.user, task), "Chỉ văn thư, Văn phòng mới thay đổi nhiệm vụ của kế hoạch.")
    return task


def get_manageable_plan(request, pk):
    plan = get_viewable_plan(request, pk)
    _require(can_manage(request.user, plan), "Chỉ văn thư, Văn phòng mới thay đổi nhiệm vụ của kế hoạch.")
    return plan


def get_reviewable_report(request, pk) -> ProgressUpdate:
    report = get_object_or_404(
        ProgressUpdate.objects.select_related("task__plan__agency", "task__lead_department", "reported_by"),
        readable_plans_q(request.user, "task__plan__"),
        pk=pk,
    )
    _require(report.reported_by_id != request.user.pk, SELF_REVIEW)
    _require(can_review_report(request.user, report), NOT_A_REVIEWER)
    return report


# The task lists -----------------------------------------------------------------------------------


def reports_for_a_department(user) -> bool:
    """Staff and heads of a department: their own tasks are their department's and those assigned to them."""
    return user.role in REPORTERS and user.department_id is not None


def get_headed_department(request):
    """The department the user heads; 403 for everyone else."""
    _require(heads_department(request.user), "Trang này dành cho trưởng phòng, đơn vị.")
    return request.user.department

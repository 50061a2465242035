"""Rows for the task page and its actions (report, review, contribute, direct, assign, deadline, lead,
cancel, evidence). The task is led by the department of `staff` and `dept_head`."""

from django.urls import reverse

from tests.matrix import signed_in


def _evidence_url(request):
    report = request.getfixturevalue("pending_report")
    return reverse("tasks:evidence", args=[report.evidence.get().pk])


def _create_url(request):
    return reverse("tasks:create", args=[request.getfixturevalue("plan").pk])


def _reply_url(request):
    """A leader's direction on `task`: its lead department (staff, head) reports on carrying it out."""
    from tasks import services

    task, leader = request.getfixturevalue("task"), request.getfixturevalue("leader")
    direction = services.direction_add(task=task, by=leader, text="Báo cáo kết quả trước ngày 15/6")
    return reverse("tasks:direction_reply", args=[direction.pk])


CLERK_PAGE = signed_in(403, clerk=200, outsider=404)

ROWS = {
    "tasks:detail": ("get", "task", signed_in(200, outsider=404), "post"),
    "tasks:create": ("get", _create_url, CLERK_PAGE, "put"),
    "tasks:update": ("get", "task", CLERK_PAGE, "put"),
    "tasks:progress": ("post", "task", signed_in(403, staff=200, dept_head=200, outsider=404), "get"),
    "tasks:contribute": ("post", "task", signed_in(403, outsider=404), "get"),
    "tasks:direct": ("post", "task", signed_in(403, leader=200, outsider=404), "get"),
    "tasks:direction_reply": (
        "post",
        _reply_url,
        signed_in(403, staff=200, dept_head=200, outsider=404),
        "get",
    ),
    "tasks:assign": ("post", "task", signed_in(403, dept_head=302, outsider=404), "get"),
    "tasks:deadline": ("get", "task", CLERK_PAGE, "put"),
    "tasks:lead": ("get", "task", CLERK_PAGE, "put"),
    "tasks:cancel": ("get", "task", CLERK_PAGE, "put"),
    "tasks:progress_approve": ("post", "pending_report", signed_in(403, dept_head=302, outsider=404), "get"),
    "tasks:progress_return": ("post", "pending_report", signed_in(403, dept_head=302, outsider=404), "get"),
    "tasks:evidence": ("get", _evidence_url, signed_in(200, outsider=404), "post"),
}

"""Rows for the task page and its actions (report, review, contribute, direct, assign, deadline, lead,
cancel, evidence). The task is led by the department of `staff` and `dept_head` and coordinated by the
department of `coordinator`; `other_head` heads a department with no part in it. The task is asked
open, with a completion report pending, completed, and returned."""

from django.urls import reverse

from tests.matrix import REFUSED, Form, State, signed_in
from tests.matrix.forms import filled


def _evidence_url(request):
    report = request.getfixturevalue("pending_report")
    return reverse("tasks:evidence", args=[report.evidence.get().pk])


def _create_url(request):
    return reverse("tasks:create", args=[request.getfixturevalue("plan").pk])


def _direction(request):
    from tasks import services

    task, leader = request.getfixturevalue("task"), request.getfixturevalue("leader")
    return services.direction_add(task=task, by=leader, text="Báo cáo kết quả trước ngày 15/6")


def _reply_url(request):
    """A leader's direction on `task`: its lead department (staff, head) reports on carrying it out."""
    return reverse("tasks:direction_reply", args=[_direction(request).pk])


def _reply_body(request, url):
    from tasks.models import Direction

    direction = Direction.objects.latest("pk")
    return {f"tra-loi-{direction.pk}-text": "Đã thực hiện theo ý kiến chỉ đạo."}


def _task_in(state):
    """The `task` fixture with a completion report pending, completed (the report approved by the
    head), or returned to the staff member with a reason."""

    def task(request):
        from tasks import services

        report = request.getfixturevalue("pending_report")
        head = request.getfixturevalue("dept_head")
        if state == "completed":
            services.progress_approve(report=report, by=head)
        elif state == "returned":
            services.progress_return(report=report, by=head, reason="Bổ sung minh chứng")
        report.task.refresh_from_db()
        return report.task

    return task


def _task_url(name, state):
    return lambda request: reverse(name, args=[_task_in(state)(request).pk])


def _approved_report_url(name):
    def url(request):
        from tasks import services

        report = request.getfixturevalue("pending_report")
        services.progress_approve(report=report, by=request.getfixturevalue("dept_head"))
        return reverse(name, args=[report.pk])

    return url


def _own_report_url(name):
    """A completion report the head of the lead department made himself: another must review it."""

    def url(request):
        from tasks import services
        from tests.conftest import pdf_upload

        report = services.progress_report(
            task=request.getfixturevalue("task"),
            by=request.getfixturevalue("dept_head"),
            percent=100,
            narrative="Trưởng phòng tự thực hiện",
            result="Báo cáo số 13/BC-ĐKKD",
            files=[pdf_upload()],
        )
        return reverse(name, args=[report.pk])

    return url


def _department_pk(fixture):
    return lambda request: str(request.getfixturevalue(fixture).pk)


def _first_area(request):
    from plans.models import ReformArea

    plan = request.getfixturevalue("plan")
    return str(ReformArea.objects.filter(area_set=plan.area_set).order_by("position").first().pk)


AWAY = {"outsider": 404}
CLERK_PAGE = signed_in(403, clerk=200, **AWAY)
CLERK_POST = signed_in(403, clerk=302, **AWAY)
REPORTERS = signed_in(403, staff=302, dept_head=302, **AWAY)
NOBODY = signed_in(403, **AWAY)
REVIEWER = signed_in(403, dept_head=302, **AWAY)

ROWS = {
    "tasks:detail": ("get", "task", signed_in(200, **AWAY), "post"),
    "tasks:create": ("get", _create_url, CLERK_PAGE, "put"),
    "tasks:update": ("get", "task", CLERK_PAGE, "put"),
    "tasks:progress": ("post", "task", REPORTERS, "get"),
    # the staff of the coordinating department contribute; its head would too
    "tasks:contribute": ("post", "task", signed_in(403, coordinator=302, **AWAY), "get"),
    "tasks:direct": ("post", "task", signed_in(403, leader=302, **AWAY), "get"),
    "tasks:direction_reply": ("post", _reply_url, REPORTERS, "get"),
    "tasks:assign": ("post", "task", REVIEWER, "get"),
    "tasks:deadline": ("get", "task", CLERK_PAGE, "put"),
    "tasks:lead": ("get", "task", CLERK_PAGE, "put"),
    "tasks:cancel": ("get", "task", CLERK_PAGE, "put"),
    "tasks:progress_approve": ("post", "pending_report", REVIEWER, "get"),
    "tasks:progress_return": ("post", "pending_report", REVIEWER, "get"),
    "tasks:evidence": ("get", _evidence_url, signed_in(200, **AWAY), "post"),
}

BODIES = {
    # the task's deadline (quý II/2019) is past: the cause of the delay is asked for
    "tasks:progress": {
        "percent": "50",
        "narrative": "Đã rà soát một nửa thủ tục",
        "result": "",
        "delay_cause": "Chờ số liệu của các phòng",
    },
    "tasks:contribute": {"note": "Phòng Tổng hợp đã gửi số liệu"},
    "tasks:direct": {"text": "Đề nghị đẩy nhanh tiến độ"},
    "tasks:direction_reply": _reply_body,
    "tasks:assign": {"assignees": lambda request: str(request.getfixturevalue("staff").pk)},
    "tasks:progress_return": {"reason": "Thiếu minh chứng"},
}

FORMS = {
    "tasks:create": Form(
        CLERK_POST,
        filled(
            "clerk",
            number="9",
            content="Nhiệm vụ thêm bởi ma trận",
            lead_department=_department_pk("department"),
            area=_first_area,
            deadline_text="Quý IV/2019",
        ),
    ),
    "tasks:update": Form(CLERK_POST, filled("clerk", content="Nội dung nhiệm vụ đã sửa")),
    "tasks:deadline": Form(
        CLERK_POST, filled("clerk", deadline_text="Quý IV/2019", reason="Lùi theo chỉ đạo")
    ),
    "tasks:lead": Form(
        CLERK_POST, filled("clerk", department=_department_pk("other_department"), reason="Đổi")
    ),
    "tasks:cancel": Form(CLERK_POST, filled("clerk", reason="Không còn phù hợp")),
}

STATES = {
    "tasks:detail": [State("completed", _task_url("tasks:detail", "completed"), signed_in(200, **AWAY))],
    # while the report waits, the next step is the head's; a completed task takes no report; a returned
    # one is reported on again
    "tasks:progress": [
        State("pending", _task_url("tasks:progress", "pending"), NOBODY),
        State("completed", _task_url("tasks:progress", "completed"), NOBODY),
        State("returned", _task_url("tasks:progress", "returned"), REPORTERS),
    ],
    "tasks:update": [
        State(
            "completed",
            _task_url("tasks:update", "completed"),
            CLERK_PAGE,
            Form(CLERK_POST, filled("clerk", content="Nội dung nhiệm vụ đã sửa")),
        )
    ],
    # a report reviewed once is not reviewed again; nobody approves their own report
    "tasks:progress_approve": [
        State(
            "approved",
            _approved_report_url("tasks:progress_approve"),
            signed_in(403, dept_head=REFUSED, **AWAY),
        ),
        # the head's own completion goes to the leader
        State(
            "own report",
            _own_report_url("tasks:progress_approve"),
            signed_in(403, dept_head=REFUSED, leader=302, **AWAY),
        ),
    ],
    "tasks:progress_return": [
        State(
            "approved",
            _approved_report_url("tasks:progress_return"),
            signed_in(403, dept_head=REFUSED, **AWAY),
        ),
    ],
}

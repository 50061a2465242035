import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Agency
from plans.models import ReformArea
from tasks import services
from tasks.models import Evidence, ProgressUpdate, Task, TaskEvent
from tasks.status import Status, status_from_columns, with_status
from tests.conftest import make_task, pdf_upload


def status_on(task, day):
    return with_status(Task.objects.filter(pk=task.pk), day).get()


def aware(y, m, d, h=9):
    return timezone.make_aware(datetime.datetime(y, m, d, h))


def test_a_task_gets_its_due_date_and_first_deadline_record(task):
    assert task.due_date == datetime.date(2019, 6, 30)
    assert task.deadlines.get().valid_from is None
    assert task.events.get().kind == TaskEvent.Kind.CREATED


def test_unreadable_deadline_text_is_a_vietnamese_error(plan, department):
    with pytest.raises(ValidationError, match="Không đọc được thời hạn"):
        make_task(plan, department, deadline_text="sớm nhất có thể")


def test_completion_needs_a_result_and_evidence(task, staff, private_storage):
    with pytest.raises(ValidationError) as error:
        services.progress_report(task=task, by=staff, percent=100, narrative="Xong")
    assert set(error.value.message_dict) == {"result", "files"}
    assert not ProgressUpdate.objects.exists()


def test_the_agency_can_waive_evidence_for_completion(task, staff, agency):
    agency.completion_requires_evidence = False
    agency.save()
    task.plan.agency.refresh_from_db()
    report = services.progress_report(task=task, by=staff, percent=100, narrative="Xong", result="Kết quả")
    assert report.review == ProgressUpdate.Review.PENDING


def test_a_refused_file_changes_nothing(task, staff, private_storage):
    from django.core.files.uploadedfile import SimpleUploadedFile

    exe = SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    with pytest.raises(ValidationError, match="không phải loại được nhận"):
        services.progress_report(task=task, by=staff, percent=40, narrative="Đang làm", files=[exe])
    assert not ProgressUpdate.objects.exists()
    assert not Evidence.objects.exists()
    assert not any(private_storage.rglob("*.*")) if private_storage.exists() else True


def test_approval_completes_the_task_on_the_report_date(pending_report, dept_head):
    services.progress_approve(report=pending_report, by=dept_head)
    task = Task.objects.get(pk=pending_report.task_id)
    assert task.state == Task.State.COMPLETED
    assert task.completed_on == pending_report.reported_on


def test_a_second_approval_is_told_it_was_already_approved(pending_report, dept_head):
    services.progress_approve(report=pending_report, by=dept_head)
    with pytest.raises(services.AlreadyReviewed, match="đã được xử lý"):
        services.progress_approve(report=pending_report, by=dept_head)
    assert TaskEvent.objects.filter(kind=TaskEvent.Kind.APPROVED).count() == 1


def test_returning_needs_a_reason_and_reopens_the_task(pending_report, dept_head):
    with pytest.raises(ValidationError):
        services.progress_return(report=pending_report, by=dept_head, reason=" ")
    services.progress_return(report=pending_report, by=dept_head, reason="Thiếu quyết định ban hành")
    pending_report.refresh_from_db()
    assert pending_report.review == ProgressUpdate.Review.RETURNED
    assert Task.objects.get(pk=pending_report.task_id).state == Task.State.IN_PROGRESS


def test_deadline_changes_need_a_reason_and_keep_the_old_value(task, clerk):
    with pytest.raises(ValidationError):
        services.task_change_deadline(task=task, by=clerk, deadline_text="Quý III/2019", reason="")
    services.task_change_deadline(
        task=task, by=clerk, deadline_text="Quý III/2019", reason="Chờ hướng dẫn của Bộ"
    )
    event = task.events.get(kind=TaskEvent.Kind.DEADLINE)
    assert event.changes[0]["old"] == "Quý II/2019 (30/06/2019)"
    assert event.reason == "Chờ hướng dẫn của Bộ"


@pytest.mark.parametrize(
    ("reports", "as_of", "expected"),
    [
        ([], datetime.date(2019, 3, 1), Status.NOT_STARTED),
        ([(datetime.date(2019, 2, 1), 30, None)], datetime.date(2019, 3, 1), Status.OPEN_ON_TIME),
        ([(datetime.date(2019, 2, 1), 30, None)], datetime.date(2019, 7, 1), Status.OPEN_OVERDUE),
        ([], datetime.date(2019, 7, 1), Status.OPEN_OVERDUE),
        (
            [(datetime.date(2019, 6, 10), 100, datetime.date(2019, 6, 12))],
            datetime.date(2019, 6, 14),
            Status.DONE_ON_TIME,
        ),
        (
            [(datetime.date(2019, 7, 10), 100, datetime.date(2019, 7, 11))],
            datetime.date(2019, 9, 14),
            Status.DONE_LATE,
        ),
        # approved after the cut-off: on 14/6 the task was still waiting for approval
        (
            [(datetime.date(2019, 6, 10), 100, datetime.date(2019, 6, 20))],
            datetime.date(2019, 6, 14),
            Status.OPEN_ON_TIME,
        ),
    ],
)
def test_status_on_a_date_follows_the_taxonomy(task, staff, dept_head, agency, reports, as_of, expected):
    agency.completion_requires_evidence = False
    agency.save()
    for reported_on, percent, approved_on in reports:
        report = services.progress_report(
            task=task,
            by=staff,
            percent=percent,
            narrative="Báo cáo",
            result="Kết quả",
            at=aware(reported_on.year, reported_on.month, reported_on.day),
        )
        if approved_on:
            services.progress_approve(
                report=report,
                by=dept_head,
                at=aware(approved_on.year, approved_on.month, approved_on.day, 15),
            )
    assert status_on(task, as_of).status == expected


def test_a_later_deadline_change_does_not_rewrite_the_past(task, clerk, agency):
    services.task_change_deadline(
        task=task, by=clerk, deadline_text="Quý III/2019", reason="Lùi hạn", at=aware(2019, 7, 5)
    )
    assert status_on(task, datetime.date(2019, 7, 1)).status == Status.OPEN_OVERDUE
    assert status_on(task, datetime.date(2019, 7, 1)).due_on == datetime.date(2019, 6, 30)
    assert status_on(task, datetime.date(2019, 7, 10)).status == Status.NOT_STARTED
    assert status_on(task, datetime.date(2019, 7, 10)).due_on == datetime.date(2019, 9, 30)


def test_cancelled_tasks_are_cancelled_from_the_moment_of_cancelling(task, clerk):
    services.task_cancel(task=task, by=clerk, reason="Không còn phù hợp")
    assert status_on(task, timezone.localdate()).status == Status.CANCELLED
    assert status_on(task, datetime.date(2019, 3, 1)).status == Status.NOT_STARTED


def test_lead_change_clears_assignees_and_is_recorded(task, clerk, staff, coordinating_department, dept_head):
    services.task_assign(task=task, by=dept_head, assignees=[staff])
    services.task_change_lead(
        task=task, by=clerk, department=coordinating_department, reason="Theo chức năng"
    )
    task.refresh_from_db()
    assert task.lead_department == coordinating_department
    assert not task.assignees.exists()
    assert not task.coordinating_departments.filter(pk=coordinating_department.pk).exists()


def test_assignees_must_belong_to_the_lead_department(task, dept_head, coordinator):
    with pytest.raises(ValidationError, match="không thuộc đơn vị chủ trì"):
        services.task_assign(task=task, by=dept_head, assignees=[coordinator])


def test_sort_keys_order_numbers_naturally():
    numbers = ["2.10", "1", "2.9", "10", "2"]
    assert sorted(numbers, key=services.sort_key) == ["1", "2", "2.9", "2.10", "10"]


def test_search_text_ignores_diacritics(task):
    assert "ra soat, don gian hoa thu tuc hanh chinh" in task.search_text


def test_evidence_is_stored_outside_public_roots_under_a_random_name(task, staff, private_storage, settings):
    report = services.progress_report(
        task=task, by=staff, percent=50, narrative="Nửa chặng", files=[pdf_upload("Kết quả rà soát.pdf")]
    )
    evidence = report.evidence.get()
    assert evidence.original_name == "Kết quả rà soát.pdf"
    assert evidence.stored_name.endswith(".pdf") and "rà" not in evidence.stored_name
    from cchc.storage import private_storage as private_files
    from tasks.evidence import name_of

    assert private_files().path(name_of(evidence.stored_name)).startswith(str(private_storage))


def test_no_new_report_while_completion_waits_for_approval(pending_report, staff):
    with pytest.raises(ValidationError, match="đang chờ trưởng phòng duyệt"):
        services.progress_report(task=pending_report.task, by=staff, percent=90, narrative="Sửa lại")


def test_todays_status_from_the_columns_equals_the_one_rebuilt_from_history(
    plan, department, clerk, staff, dept_head, agency
):
    agency.completion_requires_evidence = False
    agency.save()
    made = [
        make_task(plan, department, by=clerk, number=str(n), deadline_text=text)
        for n, text in enumerate(["Quý II/2019", "Năm 2019", "Thường xuyên", "31/12/2099", "Tháng 1/2099"], 1)
    ]
    services.progress_report(task=made[0], by=staff, percent=40, narrative="x")
    done = services.progress_report(task=made[1], by=staff, percent=100, narrative="x", result="y")
    services.progress_approve(report=done, by=dept_head)
    services.progress_report(task=made[3], by=staff, percent=100, narrative="x", result="y")
    services.task_change_deadline(task=made[4], by=clerk, deadline_text="Tháng 2/2099", reason="Lùi")
    services.task_cancel(task=made[2], by=clerk, reason="Bỏ")
    today = timezone.localdate()
    fast = dict(with_status(Task.objects.all(), today).values_list("pk", "status"))
    slow = dict(with_status(Task.objects.all(), today, from_history=True).values_list("pk", "status"))
    assert fast == slow
    in_python = {task.pk: status_from_columns(task, today) for task in Task.objects.all()}
    assert in_python == fast
    assert set(fast.values()) >= {
        Status.OPEN_OVERDUE,
        Status.DONE_LATE,
        Status.CANCELLED,
        Status.OPEN_ON_TIME,
        Status.NOT_STARTED,
    }


def test_the_task_tables_status_filter_selects_the_tasks_the_history_gives_that_status(
    plan, department, clerk, staff, dept_head, agency
):
    from tasks.filters import PlanTaskFilter

    agency.completion_requires_evidence = False
    agency.save()
    made = [
        make_task(plan, department, by=clerk, number=str(n), deadline_text=text)
        for n, text in enumerate(
            ["Quý II/2019", "Năm 2019", "Thường xuyên", "31/12/2099", "Tháng 1/2099", "Tháng 3/2099"], 1
        )
    ]
    services.progress_report(task=made[0], by=staff, percent=40, narrative="x")
    done = services.progress_report(task=made[1], by=staff, percent=100, narrative="x", result="y")
    services.progress_approve(report=done, by=dept_head)
    services.progress_report(task=made[3], by=staff, percent=100, narrative="x", result="y")
    services.task_cancel(task=made[2], by=clerk, reason="Bỏ")
    services.progress_report(task=made[5], by=staff, percent=100, narrative="x", result="y")
    services.progress_approve(report=made[5].progress_updates.get(), by=dept_head)
    today = timezone.localdate()
    annotated = with_status(Task.objects.all(), today, from_history=True)
    for status in Status:
        expected = set(annotated.filter(status=status).values_list("pk", flat=True))
        table = PlanTaskFilter({"status": status.value}, queryset=plan.tasks.all(), departments=[], areas=[])
        assert set(table.qs.values_list("pk", flat=True)) == expected, status


# One place for every write: each change counts Task.revision and Agency.data_version once -----------


def counters(task):
    """(the task's revision, its agency's data_version), read afresh from the database."""
    return (
        Task.objects.values_list("revision", flat=True).get(pk=task.pk),
        Agency.objects.values_list("data_version", flat=True).get(pk=task.plan.agency_id),
    )


WRITES = {
    "progress_report": lambda c: services.progress_report(
        task=c["task"], by=c["staff"], percent=30, narrative="Đang rà soát"
    ),
    "progress_approve": lambda c: services.progress_approve(report=c["pending"](), by=c["dept_head"]),
    "progress_return": lambda c: services.progress_return(
        report=c["pending"](), by=c["dept_head"], reason="Thiếu biên bản"
    ),
    "contribution_add": lambda c: services.contribution_add(
        task=c["task"], by=c["coordinator"], department=c["coordinator"].department, note="Đã gửi số liệu"
    ),
    "direction_add": lambda c: services.direction_add(task=c["task"], by=c["leader"], text="Khẩn trương"),
    "task_update": lambda c: services.task_update(task=c["task"], by=c["clerk"], content="Nội dung mới"),
    "task_change_deadline": lambda c: services.task_change_deadline(
        task=c["task"], by=c["clerk"], deadline_text="Tháng 9/2019", reason="Chờ văn bản của Bộ"
    ),
    "task_change_lead": lambda c: services.task_change_lead(
        task=c["task"], by=c["clerk"], department=c["office"], reason="Phân công lại"
    ),
    "task_cancel": lambda c: services.task_cancel(task=c["task"], by=c["clerk"], reason="Không còn phù hợp"),
    "task_assign": lambda c: services.task_assign(task=c["task"], by=c["dept_head"], assignees=[c["staff"]]),
}


@pytest.fixture
def acting(task, staff, dept_head, coordinator, leader, clerk, office, agency):
    agency.completion_requires_evidence = False
    agency.save()
    task.plan.agency.refresh_from_db()

    def pending():
        return services.progress_report(task=task, by=staff, percent=100, narrative="Xong", result="Báo cáo")

    return {
        "task": task,
        "staff": staff,
        "dept_head": dept_head,
        "coordinator": coordinator,
        "leader": leader,
        "clerk": clerk,
        "office": office,
        "pending": pending,
    }


@pytest.mark.parametrize("write", WRITES, ids=list(WRITES))
def test_every_write_counts_one_change_of_the_task_and_of_its_agency(acting, write):
    before = counters(acting["task"])
    if write in ("progress_approve", "progress_return"):  # the report they review is a change of its own
        report = acting["pending"]()
        acting["pending"] = lambda: report
        before = counters(acting["task"])
    WRITES[write](acting)
    revision, version = counters(acting["task"])
    assert (revision, version) == (before[0] + 1, before[1] + 1)


def test_a_new_task_starts_at_revision_one_and_counts_its_agency(plan, department, clerk):
    version = Agency.objects.get(pk=plan.agency_id).data_version
    task = make_task(plan, department, by=clerk, number="7")
    assert counters(task) == (1, version + 1)


def test_a_bulk_action_counts_every_task_and_the_agency_once(plan, department, office, clerk):
    tasks = [make_task(plan, department, by=clerk, number=str(n)) for n in (1, 2, 3)]
    version = Agency.objects.get(pk=plan.agency_id).data_version
    assert (
        services.tasks_bulk_move_deadline(
            tasks=tasks, by=clerk, deadline_text="Tháng 9/2019", reason="Đẩy nhanh tiến độ"
        )
        == 3
    )
    assert (
        services.tasks_bulk_change_lead(tasks=tasks, by=clerk, department=office, reason="Sắp xếp lại") == 3
    )
    assert [counters(task) for task in tasks] == [(3, version + 2)] * 3  # created, moved, lead changed


def test_tasks_created_in_bulk_each_count_one_change_and_the_agency_once(plan, department, clerk):
    area = ReformArea.objects.get(area_set=plan.area_set, position=2)
    version = Agency.objects.get(pk=plan.agency_id).data_version
    items = [
        {
            "number": str(n),
            "area": area,
            "content": f"Nhiệm vụ {n}",
            "lead_department": department,
            "deadline_text": "Quý III/2019",
        }
        for n in (1, 2, 3, 4)
    ]
    made = services.tasks_bulk_create(plan=plan, by=clerk, items=items, event_kind=TaskEvent.Kind.IMPORTED)
    assert [counters(task) for task in made] == [(1, version + 1)] * 4
    assert TaskEvent.objects.filter(task__in=made, kind=TaskEvent.Kind.IMPORTED).count() == 4


def test_a_rollover_counts_the_agency_once(plan, department, clerk):
    from tasks.rollover import plan_rollover

    tasks = [make_task(plan, department, by=clerk, number=str(n)) for n in (1, 2)]
    version = Agency.objects.get(pk=plan.agency_id).data_version
    new_plan = plan_rollover(
        plan=plan,
        by=clerk,
        number=2,
        issued_on=datetime.date(2020, 1, 10),
        title="Cải cách hành chính năm 2020",
        tasks=[(task, "Quý II/2020") for task in tasks],
    )
    assert Agency.objects.get(pk=plan.agency_id).data_version == version + 1
    assert list(new_plan.tasks.values_list("revision", flat=True)) == [1, 1]
    assert new_plan.changes.count() == 2 and plan.changes.count() == 1  # created, made from; carried to


def test_a_refused_bulk_write_counts_nothing(plan, department, clerk):
    tasks = [make_task(plan, department, by=clerk, number=str(n)) for n in (1, 2)]
    before = [counters(task) for task in tasks]
    with pytest.raises(ValidationError):
        services.tasks_bulk_move_deadline(tasks=tasks, by=clerk, deadline_text="sớm nhất có thể", reason="x")
    assert [counters(task) for task in tasks] == before


def test_a_bulk_write_inside_another_leaves_the_count_to_the_outer_one(task, clerk):
    from accounts.services import bulk_write

    version = counters(task)[1]
    with bulk_write():
        with bulk_write():
            services.task_update(task=task, by=clerk, content="Lần một")
        services.task_update(task=task, by=clerk, content="Lần hai")
        assert counters(task)[1] == version  # counted when the outer block ends
    assert counters(task) == (3, version + 1)


# Services enforce the rights with the predicates of tasks.access --------------------------------------


def test_only_the_lead_departments_head_approves(pending_report, staff, leader, clerk):
    for somebody in (staff, leader, clerk):
        with pytest.raises(PermissionDenied):
            services.progress_approve(report=pending_report, by=somebody)
    assert ProgressUpdate.objects.get(pk=pending_report.pk).review == ProgressUpdate.Review.PENDING


@pytest.mark.parametrize(
    "write",
    [
        lambda c: services.task_cancel(task=c["task"], by=c["staff"], reason="Bỏ"),
        lambda c: services.task_change_deadline(
            task=c["task"], by=c["leader"], deadline_text="Tháng 9/2019", reason="x"
        ),
        lambda c: services.direction_add(task=c["task"], by=c["clerk"], text="Khẩn trương"),
        lambda c: services.contribution_add(
            task=c["task"], by=c["staff"], department=c["staff"].department, note="x"
        ),
        lambda c: services.task_assign(task=c["task"], by=c["clerk"], assignees=[c["staff"]]),
    ],
    ids=[
        "staff-cancels",
        "leader-moves-deadline",
        "clerk-directs",
        "lead-staff-contributes",
        "clerk-assigns",
    ],
)
def test_a_write_without_the_right_is_refused_and_changes_nothing(acting, write):
    before = counters(acting["task"])
    with pytest.raises(PermissionDenied):
        write(acting)
    assert counters(acting["task"]) == before
    assert acting["task"].events.count() == 1  # only its creation


def test_moving_a_task_to_another_section_brings_the_sections_area(plan, department, clerk):
    from plans import services as plan_services

    reform, modern = plan.area_set.areas.order_by("position")[1], plan.area_set.areas.order_by("position")[6]
    first = plan_services.section_create(
        plan=plan, by=clerk, label="I", title="Cải cách thể chế", area=reform
    )
    second = plan_services.section_create(plan=plan, by=clerk, label="II", title="Hiện đại hóa", area=modern)
    task = services.task_create(
        plan=plan,
        by=clerk,
        number="1",
        section=first,
        content="Rà soát",
        lead_department=department,
        deadline_text="Quý II/2019",
    )
    assert task.area == reform
    task = services.task_update(task=task, by=clerk, section=second)
    assert (task.section, task.area) == (second, modern)
    assert {"field": "lĩnh vực", "old": str(reform), "new": str(modern)} in task.events.latest("pk").changes


def test_a_returned_completion_leaves_the_task_at_its_last_accepted_percent(task, staff, dept_head):
    services.progress_report(
        task=task, by=staff, percent=70, narrative="Đã rà soát 21/30", at=aware(2019, 5, 2)
    )
    done = services.progress_report(
        task=task,
        by=staff,
        percent=100,
        narrative="Xong",
        result="Báo cáo số 12",
        files=[pdf_upload()],
        at=aware(2019, 5, 9),
    )
    services.progress_return(
        report=done, by=dept_head, reason="Thiếu danh mục thủ tục", at=aware(2019, 5, 10)
    )
    task.refresh_from_db()
    assert (task.state, task.percent, task.returned_reason) == (
        Task.State.IN_PROGRESS,
        70,
        "Thiếu danh mục thủ tục",
    )
    # the next report is measured against 70 %, not the returned 100 %
    again = services.progress_report(
        task=task, by=staff, percent=90, narrative="Bổ sung", at=aware(2019, 5, 12)
    )
    assert (again.previous_percent, again.is_decrease) == (70, False)


def test_a_returned_first_report_leaves_the_task_at_zero(task, staff, dept_head, pending_report):
    services.progress_return(report=pending_report, by=dept_head, reason="Thiếu tài liệu")
    task.refresh_from_db()
    assert task.percent == 0


def test_a_report_keeps_the_previous_percent_and_a_reason_only_when_lower(task, staff):
    first = services.progress_report(task=task, by=staff, percent=70, narrative="a", decrease_reason="x")
    lower = services.progress_report(
        task=task,
        by=staff,
        percent=50,
        narrative="b",
        decrease_reason=" Làm lại 6 thủ tục ",
        delay_cause="Chờ Bộ",
    )
    assert (first.previous_percent, first.decrease_reason) == (0, "")
    assert (lower.previous_percent, lower.decrease_reason, lower.delay_cause) == (
        50 + 20,
        "Làm lại 6 thủ tục",
        "Chờ Bộ",
    )
    assert lower.is_decrease and not first.is_decrease


def test_only_those_who_carry_the_task_report_on_a_direction(task, staff, dept_head, leader, clerk):
    direction = services.direction_add(task=task, by=leader, text="Hoàn thành trước 20/6")
    revision = Task.objects.get(pk=task.pk).revision
    for outsider in (leader, clerk):
        with pytest.raises(PermissionDenied):
            services.direction_reply(direction=direction, by=outsider, text="Đã làm")
    with pytest.raises(ValidationError):
        services.direction_reply(direction=direction, by=staff, text="   ")
    reply = services.direction_reply(direction=direction, by=dept_head, text="Đã giao chuyên viên thực hiện")
    assert list(direction.replies.all()) == [reply]
    assert Task.objects.get(pk=task.pk).revision == revision + 1  # the timeline's cache key moves on

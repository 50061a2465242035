"""In-app notices of what happens to a task: who is told (and who never is), in which words, exactly
once; the unread count the bell shows at no query; the list, its filters, and marking read."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role, User
from notifications.models import Notification
from notifications.services import (
    Notice,
    notification_mark_read,
    notifications_mark_all_read,
    notify,
    unread_counts_repair,
)
from tasks import services
from tests.conftest import client_for, make_task, make_user

Kind = Notification.Kind


@pytest.fixture
def coordinating_head(coordinating_department):
    return make_user("truongphongth", Role.DEPT_HEAD, coordinating_department.agency, coordinating_department)


def notices_of(user, kind=None):
    found = Notification.objects.filter(recipient=user)
    return list(found.filter(kind=kind) if kind else found)


def counter_of(user) -> int:
    return User.objects.get(pk=user.pk).unread_notifications


def assert_counters_match_rows():
    for user in User.objects.all():
        assert user.unread_notifications == user.notifications.filter(read_at__isnull=True).count(), user


# Who is told, in which words -------------------------------------------------------------------------


def test_a_completion_report_tells_the_head_who_approves_it_and_not_the_reporter(
    dept_head, pending_report, staff, task
):
    (notice,) = notices_of(dept_head, Kind.REPORT_PENDING)
    assert notice.task == task and notice.actor == staff
    assert notice.text == f"{staff} báo cáo hoàn thành nhiệm vụ {task.number}, chờ anh/chị duyệt."
    assert not notices_of(staff)
    assert counter_of(dept_head) == 1


def test_a_progress_report_below_100_tells_nobody(task, staff, dept_head):
    services.progress_report(task=task, by=staff, percent=40, narrative="Đang rà soát")
    assert not notices_of(dept_head, Kind.REPORT_PENDING)


def test_an_approval_tells_the_reporter(pending_report, dept_head, staff, task):
    services.progress_approve(report=pending_report, by=dept_head)
    (notice,) = notices_of(staff)
    assert notice.kind == Kind.REPORT_APPROVED
    assert notice.text == f"{dept_head} đã duyệt báo cáo hoàn thành nhiệm vụ {task.number}."
    assert not notices_of(dept_head, Kind.REPORT_APPROVED)


def test_a_returned_report_tells_the_reporter_why(pending_report, dept_head, staff, task):
    services.progress_return(report=pending_report, by=dept_head, reason="Thiếu biên bản kiểm tra")
    (notice,) = notices_of(staff)
    assert notice.kind == Kind.REPORT_RETURNED
    assert notice.text == (
        f"{dept_head} trả lại báo cáo nhiệm vụ {task.number}. Lý do: Thiếu biên bản kiểm tra"
    )


def test_an_assignment_tells_only_the_newly_assigned(task, dept_head, staff, department):
    second = make_user("chuyenvien2", Role.STAFF, department.agency, department, full_name="Lê Văn Hai")
    services.task_assign(task=task, by=dept_head, assignees=[staff])
    services.task_assign(task=task, by=dept_head, assignees=[staff, second])
    assert [n.text for n in notices_of(staff)] == [
        f"{dept_head} giao anh/chị thực hiện nhiệm vụ {task.number}."
    ]
    assert len(notices_of(second, Kind.ASSIGNED)) == 1
    assert not notices_of(dept_head, Kind.ASSIGNED)


def test_an_assignment_by_a_head_to_themself_tells_nobody(task, dept_head):
    services.task_assign(task=task, by=dept_head, assignees=[dept_head])
    assert not notices_of(dept_head)


def test_a_direction_tells_the_assignees_when_there_are_some(task, leader, dept_head, staff):
    services.task_assign(task=task, by=dept_head, assignees=[staff])
    services.direction_add(task=task, by=leader, text="Hoàn thành trước ngày 30/6")
    (notice,) = notices_of(staff, Kind.DIRECTION)
    assert notice.text == f"{leader} cho ý kiến chỉ đạo nhiệm vụ {task.number}: Hoàn thành trước ngày 30/6"
    assert not notices_of(dept_head, Kind.DIRECTION)
    assert not notices_of(leader)


def test_a_direction_on_an_unassigned_task_tells_the_heads_of_the_lead_department(
    task, leader, dept_head, staff
):
    services.direction_add(task=task, by=leader, text="Khẩn trương triển khai")
    assert len(notices_of(dept_head, Kind.DIRECTION)) == 1
    assert not notices_of(staff)


def test_a_report_on_carrying_out_a_direction_tells_the_leader_who_gave_it(task, leader, dept_head, staff):
    services.task_assign(task=task, by=dept_head, assignees=[staff])
    direction = services.direction_add(task=task, by=leader, text="Hoàn thành trước ngày 30/6")
    services.direction_reply(direction=direction, by=staff, text="Đã trình dự thảo ngày 25/6")
    (notice,) = notices_of(leader, Kind.DIRECTION_REPLIED)
    assert notice.text == (
        f"{staff} báo cáo thực hiện ý kiến chỉ đạo nhiệm vụ {task.number}: Đã trình dự thảo ngày 25/6"
    )
    assert not notices_of(dept_head, Kind.DIRECTION_REPLIED)
    assert not notices_of(staff, Kind.DIRECTION_REPLIED)


def test_a_deadline_change_tells_the_heads_with_the_new_deadline_and_the_reason(task, clerk, dept_head):
    services.task_change_deadline(task=task, by=clerk, deadline_text="Quý III/2019", reason="Chờ hướng dẫn")
    (notice,) = notices_of(dept_head, Kind.DEADLINE_CHANGED)
    assert notice.text == (
        f"Thời hạn nhiệm vụ {task.number} đổi thành Quý III/2019 (30/09/2019). Lý do: Chờ hướng dẫn"
    )


def test_a_second_deadline_change_is_a_second_notice(task, clerk, dept_head):
    services.task_change_deadline(task=task, by=clerk, deadline_text="Quý III/2019", reason="Lần một")
    services.task_change_deadline(task=task, by=clerk, deadline_text="Quý IV/2019", reason="Lần hai")
    assert len(notices_of(dept_head, Kind.DEADLINE_CHANGED)) == 2
    assert counter_of(dept_head) == 2


def test_a_lead_change_tells_the_heads_of_the_new_lead_department(
    task, clerk, dept_head, staff, coordinating_department, coordinating_head
):
    services.task_assign(task=task, by=dept_head, assignees=[staff])
    services.task_change_lead(
        task=task, by=clerk, department=coordinating_department, reason="Đúng chức năng"
    )
    (notice,) = notices_of(coordinating_head, Kind.LEAD_CHANGED)
    assert notice.text == (
        f"Nhiệm vụ {task.number} chuyển cho {coordinating_department} chủ trì. Lý do: Đúng chức năng"
    )
    assert not notices_of(staff, Kind.LEAD_CHANGED)  # no longer assigned: the new department's


def test_a_new_task_asks_the_heads_of_its_coordinating_departments(
    plan, department, coordinating_department, coordinating_head, coordinator, clerk
):
    task = make_task(plan, department, by=clerk, number="7", coordinating=[coordinating_department])
    (notice,) = notices_of(coordinating_head)
    assert notice.kind == Kind.CONTRIBUTION_ASKED and notice.task == task
    assert notice.text == f"{coordinating_department} được đề nghị phối hợp thực hiện nhiệm vụ 7."
    assert not notices_of(coordinator)  # staff of the department: their head tells them


def test_an_edit_asks_only_the_newly_coordinating_department(
    coordinating_head, task, clerk, office, coordinating_department
):
    office_head = make_user("chanhvanphong", Role.DEPT_HEAD, office.agency, office)
    services.task_update(task=task, by=clerk, coordinating_departments=[coordinating_department, office])
    assert len(notices_of(office_head, Kind.CONTRIBUTION_ASKED)) == 1
    assert len(notices_of(coordinating_head, Kind.CONTRIBUTION_ASKED)) == 1  # from the creation only


def test_inactive_people_and_overseers_are_not_told(task, staff, dept_head, leader, overseer):
    User.objects.filter(pk=dept_head.pk).update(is_active=False)
    services.direction_add(task=task, by=leader, text="Báo cáo kết quả")
    assert not Notification.objects.filter(kind=Kind.DIRECTION).exists()
    assert not notices_of(overseer)


# Exactly once, and only what was written ---------------------------------------------------------------


def test_the_same_key_tells_a_person_once(staff):
    notice = Notice(recipient_id=staff.pk, kind=Kind.ASSIGNED, text="Được giao", key="assigned:x")
    assert notify([notice, notice]) == 1
    assert notify([notice]) == 0
    assert len(notices_of(staff)) == 1
    assert counter_of(staff) == 1


def test_a_write_that_rolls_back_tells_nobody(task, leader, dept_head):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.direction_add(task=task, by=leader, text="Sẽ bị hủy")
        raise RuntimeError
    assert not notices_of(dept_head)
    assert counter_of(dept_head) == 0


def test_the_counter_stays_equal_to_the_unread_rows(dept_head, pending_report, staff, leader, task):
    services.direction_add(task=task, by=leader, text="Ý kiến một")
    services.progress_return(report=pending_report, by=dept_head, reason="Bổ sung")
    assert_counters_match_rows()
    first = notices_of(dept_head)[0]
    assert notification_mark_read(notification=first, by=dept_head)
    assert not notification_mark_read(notification=first, by=dept_head)  # read twice counts once
    assert_counters_match_rows()
    assert notifications_mark_all_read(by=dept_head) == 1
    assert counter_of(dept_head) == 0
    assert_counters_match_rows()


def test_a_drifted_counter_is_repaired_from_the_table(dept_head, pending_report, staff):
    User.objects.update(unread_notifications=7)
    unread_counts_repair()
    assert counter_of(dept_head) == 1 and counter_of(staff) == 0


def test_a_bulk_import_tells_the_coordinating_heads_in_a_bounded_number_of_queries(
    plan, clerk, department, coordinating_department, coordinating_head, office
):
    office_head = make_user("chanhvanphong", Role.DEPT_HEAD, office.agency, office)
    items = [
        {
            "number": str(900 + n),
            "content": f"Nhiệm vụ nhập số {n}",
            "lead_department": department,
            "deadline_text": "Quý IV/2019",
            "coordinating_departments": [coordinating_department, office],
        }
        for n in range(600)
    ]
    with CaptureQueriesContext(connection) as captured:
        services.tasks_bulk_create(plan=plan, by=clerk, items=items)
    notification_queries = [
        q["sql"]
        for q in captured.captured_queries
        if "notifications_notification" in q["sql"] or "unread_notifications" in q["sql"]
    ]
    # 1,200 notices: the keys already taken, their inserts (batched by the database's limit on
    # parameters: SQLite's 999 make about ten of them) and one UPDATE of the counters, not a query per task.
    inserts = [sql for sql in notification_queries if sql.startswith("INSERT")]
    assert len(notification_queries) - len(inserts) <= 4
    columns = [field for field in Notification._meta.concrete_fields if not field.primary_key]
    batch = connection.ops.bulk_batch_size(columns, [None] * 1200)
    assert len(inserts) <= -(-1200 // batch)
    assert len(captured) < 80
    assert counter_of(coordinating_head) == 600 and counter_of(office_head) == 600
    assert_counters_match_rows()


def test_a_reimport_tells_each_task_once_of_its_new_deadline_and_lead_in_few_queries(
    plan, clerk, department, staff, dept_head, coordinating_department, coordinating_head, office
):
    from tasks.deadlines import parse_deadline

    tasks = [
        make_task(plan, department, by=clerk, number=str(500 + n), deadline_text="Quý III/2019")
        for n in range(40)
    ]
    services.task_assign(task=tasks[0], by=dept_head, assignees=[staff])
    office_head = make_user("chanhvanphong", Role.DEPT_HEAD, office.agency, office)
    updates = [{"task": task, "deadline": parse_deadline("Quý IV/2019", year=2019)} for task in tasks[:30]]
    updates += [{"task": task, "lead_department": coordinating_department} for task in tasks[30:]]
    updates[1]["coordinating"] = [office]
    with CaptureQueriesContext(connection) as captured:
        services.tasks_bulk_update(plan=plan, by=clerk, updates=updates, reason="Nhập lại phụ lục")
    notification_queries = [q for q in captured.captured_queries if "notifications_" in q["sql"]]
    assert len(notification_queries) <= 12
    # the assignee of task 500 is told, the head of the department of the other 29 deadlines
    assert [n.task for n in notices_of(staff, Kind.DEADLINE_CHANGED)] == [tasks[0]]
    assert len(notices_of(dept_head, Kind.DEADLINE_CHANGED)) == 29
    (notice, *_) = notices_of(dept_head, Kind.DEADLINE_CHANGED)
    assert notice.text.endswith("đổi thành Quý IV/2019 (31/12/2019). Lý do: Nhập lại phụ lục")
    assert len(notices_of(coordinating_head, Kind.LEAD_CHANGED)) == 10
    assert [n.task for n in notices_of(office_head, Kind.CONTRIBUTION_ASKED)] == [tasks[1]]
    assert_counters_match_rows()


# The pages -----------------------------------------------------------------------------------------------


@pytest.fixture
def told_staff(pending_report, dept_head, staff, leader, task):
    """The staff member with two notices: an unread direction and a returned report."""
    services.task_assign(task=task, by=dept_head, assignees=[staff])
    services.progress_return(report=pending_report, by=dept_head, reason="Thiếu biên bản")
    services.direction_add(task=task, by=leader, text="Hoàn thành sớm")
    return staff


def test_the_list_shows_my_notices_newest_first_with_their_task(told_staff, task, dept_head):
    page = client_for(told_staff).get(reverse("notifications:list")).content.decode()
    direction = page.index("cho ý kiến chỉ đạo")
    returned = page.index("trả lại báo cáo")
    assert direction < returned
    assert reverse("tasks:detail", args=[task.pk]) in page
    assert f"Nhiệm vụ {task.number}: {task.content}" in page
    assert "chờ anh/chị duyệt" not in page  # the head's notice, not mine


def test_the_list_filters_unread_and_by_kind(told_staff):
    client = client_for(told_staff)
    notification_mark_read(notification=notices_of(told_staff, Kind.DIRECTION)[0], by=told_staff)
    unread = client.get(reverse("notifications:list"), {"unread": "1"}).content.decode()
    assert "trả lại báo cáo" in unread and "cho ý kiến chỉ đạo" not in unread
    by_kind = client.get(reverse("notifications:list"), {"kind": "direction"}).content.decode()
    assert "cho ý kiến chỉ đạo" in by_kind and "trả lại báo cáo" not in by_kind
    unknown = client.get(reverse("notifications:list"), {"kind": "nonsense"}).content.decode()
    assert "trả lại báo cáo" in unknown  # an unknown kind filters nothing


def test_the_list_is_paginated(staff):
    notify(
        Notice(recipient_id=staff.pk, kind=Kind.ASSIGNED, text=f"Thông báo số {n:02}", key=f"k{n}")
        for n in range(25)
    )
    client = client_for(staff)
    first = client.get(reverse("notifications:list")).content.decode()
    second = client.get(reverse("notifications:list"), {"page": 2}).content.decode()
    assert first.count("Thông báo số") == 20 and second.count("Thông báo số") == 5


def test_opening_a_notice_reads_it_and_goes_to_its_task(told_staff, task):
    notice = notices_of(told_staff, Kind.REPORT_RETURNED)[0]
    before = counter_of(told_staff)
    response = client_for(told_staff).get(reverse("notifications:open", args=[notice.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("tasks:detail", args=[task.pk])
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert counter_of(told_staff) == before - 1


def test_mark_read_and_mark_all_read(told_staff):
    client = client_for(told_staff)
    notice = notices_of(told_staff, Kind.DIRECTION)[0]
    response = client.post(reverse("notifications:read", args=[notice.pk]), {"shown": "unread=1&evil=x"})
    assert response["Location"] == reverse("notifications:list") + "?unread=1"
    assert counter_of(told_staff) == 2
    client.post(reverse("notifications:read_all"))
    assert counter_of(told_staff) == 0
    assert not Notification.objects.filter(recipient=told_staff, read_at__isnull=True).exists()


def test_another_persons_notice_is_404(told_staff, dept_head):
    notice = notices_of(told_staff)[0]
    client = client_for(dept_head)
    assert client.get(reverse("notifications:open", args=[notice.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_the_posts_need_the_csrf_token(told_staff):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(told_staff)
    assert client.post(reverse("notifications:read_all")).status_code == 403
    assert counter_of(told_staff) == 3


def test_the_bell_shows_the_unread_count_at_no_query(staff):
    client = client_for(staff)
    url = reverse("tasks:mine")
    client.get(url)  # the first request of a session warms what every later one reuses
    with CaptureQueriesContext(connection) as without:
        page = client.get(url).content.decode()
    assert "thông báo chưa đọc" not in page
    notify(
        Notice(recipient_id=staff.pk, kind=Kind.ASSIGNED, text=f"Thông báo {n}", key=f"k{n}")
        for n in range(3)
    )
    with CaptureQueriesContext(connection) as with_notices:
        page = client.get(url).content.decode()
    assert len(with_notices) == len(without)
    bell = page[page.index("notification-bell") : page.index("dropdown-toggle")]
    assert '3<span class="visually-hidden"> thông báo chưa đọc</span>' in bell
    assert reverse("notifications:list") in bell


def test_visitors_see_no_bell(client):
    page = client.get(reverse("login")).content.decode()
    assert "notification-bell" not in page


def test_the_admin_lists_notices_and_changes_none(told_staff, admin_user):
    client = client_for(admin_user)
    listing = client.get(reverse("admin:notifications_notification_changelist"), {"kind": "direction"})
    assert listing.status_code == 200
    assert "cho ý kiến chỉ đạo" in listing.content.decode()
    notice = notices_of(told_staff)[0]
    change = client.get(reverse("admin:notifications_notification_change", args=[notice.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    assert client.get(reverse("admin:notifications_notification_add")).status_code == 403


def test_the_list_queries_do_not_grow_with_the_notices(staff, task):
    client = client_for(staff)
    url = reverse("notifications:list")

    def queries_with(count: int) -> int:
        notify(
            Notice(recipient_id=staff.pk, kind=Kind.ASSIGNED, text="Được giao", key=f"n{n}", task_id=task.pk)
            for n in range(count)
        )
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries_with(2) == queries_with(30)

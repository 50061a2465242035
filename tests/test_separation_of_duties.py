"""Nobody approves their own report: a head's own completion report goes to a leader of the agency (or
another head of the department); a staff member's report is still the head's to review."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import Role
from notifications.models import Notification
from tasks import services
from tasks.models import ProgressUpdate, Task, TaskEvent
from tests.conftest import client_for, make_user, pdf_upload


def report_completion(task, by):
    return services.progress_report(
        task=task,
        by=by,
        percent=100,
        narrative="Đã hoàn thành rà soát",
        result="Báo cáo số 12/BC-ĐKKD",
        files=[pdf_upload()],
    )


@pytest.fixture
def heads_report(task, dept_head, leader, private_storage):
    return report_completion(task, dept_head)


def unchanged(report):
    """The report still waits and its task is still pending: nothing was written."""
    report.refresh_from_db()
    task = Task.objects.get(pk=report.task_id)
    assert (report.review, report.reviewed_by_id, report.reviewed_at) == (
        ProgressUpdate.Review.PENDING,
        None,
        None,
    )
    assert (task.state, task.completed_on) == (Task.State.PENDING, None)
    assert not task.events.filter(kind__in=[TaskEvent.Kind.APPROVED, TaskEvent.Kind.RETURNED]).exists()


def test_a_head_cannot_approve_his_own_completion_report(heads_report, dept_head):
    with pytest.raises(PermissionDenied, match="Không ai tự duyệt báo cáo của chính mình"):
        services.progress_approve(report=heads_report, by=dept_head)
    unchanged(heads_report)


def test_a_head_cannot_return_his_own_completion_report(heads_report, dept_head):
    with pytest.raises(PermissionDenied, match="Không ai tự duyệt"):
        services.progress_return(report=heads_report, by=dept_head, reason="Tự trả lại")
    unchanged(heads_report)


def test_the_approve_url_refuses_the_head_his_own_report_and_writes_nothing(heads_report, dept_head):
    client = client_for(dept_head)
    assert client.post(reverse("tasks:progress_approve", args=[heads_report.pk])).status_code == 403
    response = client.post(reverse("tasks:progress_return", args=[heads_report.pk]), {"reason": "Thiếu"})
    assert response.status_code == 403
    unchanged(heads_report)


def test_a_leader_of_the_agency_approves_the_heads_report(heads_report, leader):
    services.progress_approve(report=heads_report, by=leader)
    heads_report.refresh_from_db()
    assert (heads_report.review, heads_report.reviewed_by) == (ProgressUpdate.Review.APPROVED, leader)
    assert Task.objects.get(pk=heads_report.task_id).state == Task.State.COMPLETED


def test_a_leader_returns_the_heads_report_through_the_page(heads_report, leader):
    response = client_for(leader).post(
        reverse("tasks:progress_return", args=[heads_report.pk]), {"reason": "Bổ sung số liệu"}
    )
    assert response.status_code == 302
    heads_report.refresh_from_db()
    assert (heads_report.review, heads_report.reviewed_by) == (ProgressUpdate.Review.RETURNED, leader)


def test_another_head_of_the_department_may_review_the_heads_report(heads_report, department):
    deputy = make_user("photruongphong", Role.DEPT_HEAD, department.agency, department)
    services.progress_approve(report=heads_report, by=deputy)
    heads_report.refresh_from_db()
    assert heads_report.reviewed_by == deputy


def test_a_leader_of_another_agency_cannot_approve_it(heads_report, other_agency):
    stranger = make_user("lanhdaostc", Role.LEADER, other_agency)
    with pytest.raises(PermissionDenied):
        services.progress_approve(report=heads_report, by=stranger)
    unchanged(heads_report)


def test_a_staff_report_is_still_approved_by_the_head(pending_report, dept_head):
    services.progress_approve(report=pending_report, by=dept_head)
    pending_report.refresh_from_db()
    assert (pending_report.review, pending_report.reviewed_by) == (ProgressUpdate.Review.APPROVED, dept_head)


def test_a_staff_report_is_not_the_leaders_to_review(pending_report, leader):
    with pytest.raises(PermissionDenied):
        services.progress_approve(report=pending_report, by=leader)
    unchanged(pending_report)


def test_the_task_page_offers_the_buttons_to_the_leader_and_not_to_the_reporting_head(
    heads_report, dept_head, leader
):
    url = reverse("tasks:detail", args=[heads_report.task_id])
    approve = reverse("tasks:progress_approve", args=[heads_report.pk])
    own = client_for(dept_head).get(url).content.decode()
    assert approve not in own
    assert "Không ai tự duyệt báo cáo của chính mình" in own
    assert approve in client_for(leader).get(url).content.decode()


def test_the_task_page_offers_the_head_his_staffs_report(pending_report, dept_head, leader):
    url = reverse("tasks:detail", args=[pending_report.task_id])
    approve = reverse("tasks:progress_approve", args=[pending_report.pk])
    assert approve in client_for(dept_head).get(url).content.decode()
    assert approve not in client_for(leader).get(url).content.decode()


def test_the_heads_review_queue_lists_his_staffs_reports_not_his_own(
    plan, department, staff, dept_head, leader, private_storage
):
    from tests.conftest import make_task

    mine = report_completion(make_task(plan, department, number="1"), dept_head)
    theirs = report_completion(make_task(plan, department, number="2"), staff)
    with time_machine.travel(datetime.datetime(2019, 6, 10, 9, tzinfo=datetime.UTC), tick=False):
        page = client_for(dept_head).get(reverse("tasks:department")).content.decode()
    assert f'data-report="{theirs.pk}"' in page
    assert f'data-report="{mine.pk}"' not in page
    assert reverse("tasks:progress_approve", args=[mine.pk]) not in page


def test_the_heads_report_tells_the_leaders_and_not_himself(task, dept_head, leader, staff, private_storage):
    report = report_completion(task, dept_head)
    told = set(
        Notification.objects.filter(kind=Notification.Kind.REPORT_PENDING, task=task).values_list(
            "recipient", flat=True
        )
    )
    assert told == {leader.pk}
    assert report.reported_by == dept_head


def test_a_staff_report_tells_the_head_only(dept_head, leader, pending_report):
    told = set(
        Notification.objects.filter(kind=Notification.Kind.REPORT_PENDING).values_list("recipient", flat=True)
    )
    assert told == {dept_head.pk}

"""The head returns a report: the staff member sees the bell count rise, opens the notice and lands on
the task with the reason."""

import pytest
from django.utils import timezone

from accounts.models import Department, User
from notifications.models import Notification
from plans.models import Plan
from tasks import services
from tests.conftest import make_task, pdf_upload
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_plan_journey import log_in

pytestmark = pytest.mark.e2e

CONTENT = "Rà soát quy trình nội bộ cấp giấy chứng nhận đăng ký hộ kinh doanh"
REASON = "Thiếu biên bản nghiệm thu kèm theo"


def bell_count(page) -> int:
    badge = page.locator(".notification-bell [data-unread]")
    return int(badge.inner_text().split()[0]) if badge.count() else 0


def test_a_returned_report_reaches_the_reporter_through_the_bell(demo, browser, live_server):
    today = timezone.localdate()
    plan = Plan.objects.get(agency__code="SKHĐT", year=today.year)
    lead = Department.objects.get(agency=plan.agency, code="ĐKKD")
    staff, head = User.objects.get(username="chuyenvien"), User.objects.get(username="truongphong")
    task = make_task(
        plan,
        lead,
        number="98",
        deadline_text=f"31/12/{today.year}",
        by=User.objects.get(username="vanthu"),
        content=CONTENT,
    )
    services.task_assign(task=task, by=head, assignees=[staff])
    services.progress_report(
        task=task, by=staff, percent=100, narrative="Đã rà soát", result="Quy trình mới", files=[pdf_upload()]
    )

    staff_page = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900}).new_page()
    staff_page.set_default_timeout(15_000)
    log_in(staff_page, live_server, "chuyenvien")
    staff_page.goto(f"{live_server.url}/viec-cua-toi/")
    before = bell_count(staff_page)
    assert before == User.objects.get(pk=staff.pk).unread_notifications

    head_page = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900}).new_page()
    head_page.set_default_timeout(15_000)
    log_in(head_page, live_server, "truongphong")
    head_page.goto(f"{live_server.url}/phong/")
    queue = head_page.locator("section", has=head_page.get_by_role("heading", name="Chờ duyệt hoàn thành"))
    row = queue.locator("article").filter(has_text=CONTENT).first
    row.locator("summary", has_text="Trả lại…").click()
    row.get_by_label("Lý do trả lại (người báo cáo sẽ thấy)").fill(REASON)
    row.get_by_role("button", name="Trả lại báo cáo").click()
    head_page.get_by_text("Đã trả lại báo cáo của nhiệm vụ 98.").wait_for()

    staff_page.reload()
    assert bell_count(staff_page) == before + 1
    assert staff_page.get_by_text("thông báo chưa đọc").count() == 1
    staff_page.screenshot(path=str(ARTIFACTS / "notification-bell.png"), full_page=False)
    staff_page.locator(".notification-bell").click()
    staff_page.get_by_role("heading", name="Thông báo").wait_for()
    notice = staff_page.get_by_role("link", name=f"trả lại báo cáo nhiệm vụ 98. Lý do: {REASON}")
    staff_page.screenshot(path=str(ARTIFACTS / "notification-list.png"), full_page=True)
    notice.click()
    staff_page.get_by_role("heading", name=f"Nhiệm vụ 98. {CONTENT}").wait_for()
    assert staff_page.get_by_text(REASON).first.is_visible()
    assert bell_count(staff_page) == before
    assert Notification.objects.get(recipient=staff, task=task, kind="report_returned").read_at is not None
    staff_page.screenshot(path=str(ARTIFACTS / "notification-task.png"), full_page=True)

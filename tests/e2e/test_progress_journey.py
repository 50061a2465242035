"""A staff member reports completion with evidence, the head approves, the plan table says so."""

import pytest
from django.utils import timezone

from accounts.models import Department, User
from plans.models import Plan
from tasks import services
from tasks.models import ProgressUpdate, Task
from tests.conftest import make_task
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_plan_journey import log_in

pytestmark = pytest.mark.e2e

CONTENT = "Số hóa hồ sơ đăng ký hộ kinh doanh trên Cổng dịch vụ công của tỉnh"


def test_staff_report_completion_and_the_head_approves(demo, browser, live_server, tmp_path):
    today = timezone.localdate()
    plan = Plan.objects.get(agency__code="SKHĐT", year=today.year)
    lead = Department.objects.get(agency=plan.agency, code="ĐKKD")
    staff, head = User.objects.get(username="chuyenvien"), User.objects.get(username="truongphong")
    task = make_task(
        plan,
        lead,
        number="99",
        deadline_text=f"31/12/{today.year}",
        by=User.objects.get(username="vanthu"),
        content=CONTENT,
    )
    services.task_assign(task=task, by=head, assignees=[staff])
    evidence = tmp_path / "Kết quả số hóa.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    staff_page = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900}).new_page()
    log_in(staff_page, live_server, "chuyenvien")
    staff_page.goto(f"{live_server.url}/viec-cua-toi/")
    staff_page.get_by_role("link", name=CONTENT).click()
    staff_page.get_by_role("heading", name=f"Nhiệm vụ 99. {CONTENT}").wait_for()
    staff_page.locator("#id_percent").fill("100")
    staff_page.locator("#id_narrative").fill("Đã số hóa 1.250 hồ sơ, kết nối Cổng dịch vụ công")
    staff_page.locator("#id_result").fill("Hồ sơ điện tử tra cứu được trên Cổng dịch vụ công")
    staff_page.locator("#id_files").set_input_files(str(evidence))
    staff_page.get_by_role("button", name="Gửi báo cáo").click()
    staff_page.get_by_text("Đã gửi báo cáo hoàn thành; chờ trưởng phòng duyệt.").wait_for()
    assert staff_page.get_by_text("Kết quả số hóa.pdf").is_visible()
    staff_page.screenshot(path=str(ARTIFACTS / "progress-reported.png"), full_page=True)
    report = ProgressUpdate.objects.get(task=task)
    assert report.review == ProgressUpdate.Review.PENDING and report.evidence.count() == 1

    head_page = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900}).new_page()
    log_in(head_page, live_server, "truongphong")
    head_page.goto(f"{live_server.url}/phong/")
    queue = head_page.locator("section", has=head_page.get_by_role("heading", name="Chờ duyệt hoàn thành"))
    row = queue.locator("li, tr, .card").filter(has_text=CONTENT).first
    row.get_by_role("button", name="Duyệt hoàn thành").click()
    head_page.get_by_text("Đã duyệt hoàn thành nhiệm vụ 99.").wait_for()
    assert Task.objects.get(pk=task.pk).state == Task.State.COMPLETED

    head_page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/nhiem-vu/?q=so+hoa+ho+so+dang+ky+ho+kinh+doanh")
    table_row = head_page.locator("tr[data-task]", has_text=CONTENT)
    assert table_row.count() == 1
    assert "Đã hoàn thành đúng hạn" in table_row.inner_text()
    head_page.screenshot(path=str(ARTIFACTS / "plan-table-approved.png"), full_page=True)

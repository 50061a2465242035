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
    staff_page.get_by_role("button", name="Gửi báo cáo", exact=True).click()
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


LATE = "Chuẩn hóa quy trình nội bộ giải quyết thủ tục đăng ký đầu tư"


def test_staff_lower_the_percent_with_a_reason_explain_a_delay_and_report_on_a_direction(
    demo, browser, live_server
):
    today = timezone.localdate()
    plan = Plan.objects.get(agency__code="SKHĐT", year=today.year)
    lead = Department.objects.get(agency=plan.agency, code="ĐKKD")
    staff, head = User.objects.get(username="chuyenvien"), User.objects.get(username="truongphong")
    task = make_task(
        plan,
        lead,
        number="98",
        deadline_text=f"Tháng 1/{today.year}",  # long past: the task is overdue
        by=User.objects.get(username="vanthu"),
        content=LATE,
    )
    services.task_assign(task=task, by=head, assignees=[staff])
    services.progress_report(
        task=task, by=staff, percent=70, narrative="Đã dự thảo quy trình", delay_cause="Chờ góp ý"
    )
    leader = User.objects.filter(agency=plan.agency, role="leader").first()
    services.direction_add(task=task, by=leader, text="Hoàn thiện quy trình, báo cáo trước ngày 20")

    page = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900}).new_page()
    log_in(page, live_server, "chuyenvien")
    page.goto(f"{live_server.url}/nhiem-vu/{task.pk}/")
    page.get_by_role("heading", name=f"Nhiệm vụ 98. {LATE}").wait_for()
    decrease = page.locator("[data-decrease-block]")
    assert not decrease.is_visible()  # the script hides it while the percent does not go down
    page.locator("#id_percent").fill("60")
    assert decrease.is_visible()
    page.locator("#id_narrative").fill("Phải sửa lại 3 bước theo quy định mới")
    page.get_by_role("button", name="Gửi báo cáo", exact=True).click()
    # the cause of the delay is a required field: the browser asks for it before sending
    assert page.locator("#id_delay_cause").evaluate("field => !field.validity.valid")
    page.get_by_label("Nguyên nhân chậm (bắt buộc)").fill("Chờ Bộ ban hành hướng dẫn")
    page.get_by_role("button", name="Gửi báo cáo", exact=True).click()
    page.get_by_text("Tiến độ giảm từ 70% xuống 60%: nhập lý do giảm tiến độ.").wait_for()
    assert page.get_by_text("Tiến độ giảm từ 70% xuống 60%: đánh dấu ô xác nhận giảm tiến độ.").is_visible()
    assert page.locator("#id_narrative").input_value() == "Phải sửa lại 3 bước theo quy định mới"
    assert page.locator("#id_delay_cause").input_value() == "Chờ Bộ ban hành hướng dẫn"
    assert decrease.is_visible()  # kept open while it shows its errors
    page.screenshot(path=str(ARTIFACTS / "progress-lowering-refused.png"), full_page=True)

    page.get_by_label("Tôi xác nhận giảm tiến độ so với lần trước (70%)").check()
    page.get_by_label("Lý do giảm tiến độ").fill("Quy định mới của Bộ thay đổi 3 bước của quy trình")
    page.get_by_role("button", name="Gửi báo cáo", exact=True).click()
    page.get_by_text("Đã ghi nhận tiến độ 60%.").wait_for()
    timeline = page.get_by_test_id("timeline")
    assert (
        "Giảm tiến độ từ 70% xuống 60%. Lý do: Quy định mới của Bộ thay đổi 3 bước" in timeline.inner_text()
    )
    assert "Nguyên nhân chậm: Chờ Bộ ban hành hướng dẫn" in timeline.inner_text()
    report = task.progress_updates.order_by("-reported_at").first()
    assert (report.percent, report.previous_percent, report.delay_cause) == (
        60,
        70,
        "Chờ Bộ ban hành hướng dẫn",
    )

    directions = page.locator(
        "section", has=page.get_by_role("heading", name="Ý kiến chỉ đạo cần báo cáo thực hiện")
    )
    directions.get_by_label("Kết quả thực hiện ý kiến chỉ đạo").fill("Đã trình dự thảo quy trình sửa đổi")
    directions.get_by_role("button", name="Gửi báo cáo thực hiện").click()
    page.get_by_text("Đã gửi báo cáo thực hiện ý kiến chỉ đạo.").wait_for()
    direction = timeline.locator("li.timeline-direction")
    assert "Đã báo cáo thực hiện" in direction.inner_text()
    assert "Đã trình dự thảo quy trình sửa đổi" in direction.inner_text()
    assert page.get_by_role("heading", name="Ý kiến chỉ đạo cần báo cáo thực hiện").count() == 0
    page.screenshot(path=str(ARTIFACTS / "progress-lowered-and-direction-answered.png"), full_page=True)

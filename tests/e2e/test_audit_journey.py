"""A leader asks "who moved this deadline, and why?": the change log, opened from the user menu, finds
the change by its task's words, shows the old and new deadline with the reason, and exports it."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.models import User
from tasks import services
from tasks.models import Task
from tests.e2e.test_plan_journey import log_in

pytestmark = pytest.mark.e2e

REASON = "Chờ Công văn 1234/BKHĐT-TCCB hướng dẫn sắp xếp"


def test_a_leader_finds_who_moved_a_deadline_and_exports_it(demo, page, live_server, screenshot):
    task = (
        Task.objects.filter(plan__agency__code="SKHĐT", cancelled_at__isnull=True)
        .order_by("-plan__year", "sort_key")
        .first()
    )
    old_deadline = task.deadline_text
    services.task_change_deadline(
        task=task,
        by=User.objects.get(username="vanthu"),
        deadline_text=f"31/12/{task.plan.year + 1}",
        reason=REASON,
    )

    log_in(page, live_server, "lanhdao")
    page.locator("a.dropdown-toggle", has_text="Nguyễn Văn Thành").click()  # the user menu
    page.get_by_role("link", name="Nhật ký thay đổi").click()
    filters = page.get_by_role("form", name="Lọc nhật ký thay đổi")
    filters.get_by_label("Loại đối tượng").select_option(label="Nhiệm vụ")
    filters.get_by_label("Tìm", exact=True).fill(REASON)
    filters.get_by_role("button", name="Lọc").click()

    rows = page.locator("#nhat-ky-thay-doi tbody tr")
    expect(rows).to_have_count(1)
    row = rows.first
    assert "Đổi thời hạn" in row.inner_text() and REASON in row.inner_text()
    assert old_deadline in row.locator("del").inner_text()
    assert f"31/12/{task.plan.year + 1}" in row.inner_text()
    screenshot("audit-log-filtered")

    with page.expect_download() as download:
        page.get_by_role("link", name="Xuất Excel (theo bộ lọc)").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    assert "loại đối tượng: Nhiệm vụ" in sheet["A2"].value
    assert [row[7] for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]] == [REASON]

    row.get_by_role("link", name=f"Nhiệm vụ {task.number}").click()
    assert page.url.endswith(f"/nhiem-vu/{task.pk}/")

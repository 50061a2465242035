"""In a real browser: the plan's task table folds a section's rows (and those of the sections inside
it) under its heading row's button, and shows them again."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.test_task_lists import in_section, make_sections

pytestmark = pytest.mark.e2e


def test_a_section_folds_and_unfolds_with_the_sections_inside_it(
    live_server, page, plan, clerk, staff, department, screenshot
):
    sections = make_sections(plan, clerk)
    in_section(plan, department, sections["III"], "1", content="Nhiệm vụ riêng của mục III")
    in_section(plan, department, sections["III.1"], "1", content="Nhiệm vụ của mục III.1")
    in_section(plan, department, sections["V"], "1", content="Nhiệm vụ của mục V")
    page.goto(f"{live_server.url}/")
    page.get_by_label("Tên đăng nhập").fill(staff.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(live_server.url + reverse("tasks:plan_tasks", args=[plan.pk]))

    fold_iii = page.get_by_role("button", name="Thu gọn hoặc mở III. Cải cách thủ tục hành chính")
    fold_iii_1 = page.get_by_role("button", name="Thu gọn hoặc mở III.1. Kiểm soát thủ tục hành chính")
    own, inner, other = (
        page.get_by_role("link", name=name)
        for name in ("Nhiệm vụ riêng của mục III", "Nhiệm vụ của mục III.1", "Nhiệm vụ của mục V")
    )
    assert own.is_visible() and inner.is_visible() and other.is_visible()

    fold_iii.click()
    assert fold_iii.get_attribute("aria-expanded") == "false"
    assert not own.is_visible() and not inner.is_visible() and not fold_iii_1.is_visible()
    assert other.is_visible()
    screenshot("task-table-section-folded")

    fold_iii.click()
    assert own.is_visible() and inner.is_visible()
    fold_iii_1.click()  # a sub-section folded stays folded when its parent is folded and opened again
    fold_iii.click()
    fold_iii.click()
    assert own.is_visible() and not inner.is_visible()

"""In a real browser: the agency's administrator creates a user and hands on the set-password link, the
user sets a password and signs in; then the administrator merges one department into another."""

import pytest
from django.urls import reverse

from accounts.models import Department, Role, User
from tasks.models import TaskEvent
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "mat-khau-moi-2026!"


def sign_in(page, base_url, username, password):
    page.goto(base_url + reverse("login"))
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_an_administrator_creates_a_user_who_sets_a_password_then_merges_a_department(
    live_server, browser, page, settings, task, department, coordinating_department, office, staff, screenshot
):
    settings.SITE_URL = live_server.url
    make_user("quantriso", Role.ADMIN, office.agency, office, full_name="Lê Văn Quản")
    sign_in(page, live_server.url, "quantriso", PASSWORD)
    page.get_by_role("link", name="Quản lý").click()
    assert page.get_by_role("heading", name="Người dùng của cơ quan").is_visible()
    screenshot("administration-users")

    page.get_by_role("link", name="Thêm người dùng").click()
    page.get_by_label("Tên đăng nhập").fill("chuyenvienmoi")
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Mới")
    page.get_by_label("Chức vụ").fill("Chuyên viên")
    page.get_by_label("Phòng, đơn vị").select_option(label=department.name)
    page.get_by_label("Vai trò").select_option(label="Chuyên viên")
    screenshot("administration-user-create")
    page.get_by_role("button", name="Tạo người dùng và cấp đường dẫn đặt mật khẩu").click()
    link_field = page.get_by_label("Đường dẫn đặt mật khẩu")
    url = link_field.input_value()
    assert url.startswith(live_server.url + "/quen-mat-khau/")
    page.get_by_role("button", name="Chép").click()
    screenshot("administration-user-link")

    newcomer = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900}).new_page()
    try:
        newcomer.goto(url)
        assert newcomer.get_by_role("heading", name="Đặt mật khẩu mới").is_visible()
        newcomer.set_default_timeout(15_000)
        newcomer.locator("#id_new_password1").fill(NEW_PASSWORD)
        newcomer.get_by_label("Nhập lại mật khẩu mới").fill(NEW_PASSWORD)
        newcomer.screenshot(path=str(ARTIFACTS / "administration-set-password.png"), full_page=True)
        newcomer.get_by_role("button", name="Đặt mật khẩu").click()
        assert newcomer.get_by_role("heading", name="Đã đặt mật khẩu mới").is_visible()
        newcomer.get_by_role("link", name="Đăng nhập").last.click()
        newcomer.get_by_label("Tên đăng nhập").fill("chuyenvienmoi")
        newcomer.get_by_label("Mật khẩu").fill(NEW_PASSWORD)
        newcomer.get_by_role("button", name="Đăng nhập").click()
        assert newcomer.get_by_text("Nguyễn Thị Mới").first.is_visible()
    finally:
        newcomer.context.close()
    assert User.objects.get(username="chuyenvienmoi").has_usable_password()

    page.goto(live_server.url + reverse("administration:departments"))
    row = page.get_by_role("row").filter(has_text=department.name)
    row.get_by_role("link", name="Sáp nhập…").click()
    page.get_by_label("Sáp nhập vào phòng, đơn vị").select_option(label=coordinating_department.name)
    page.get_by_label("Lý do (căn cứ quyết định sáp nhập)").fill("Quyết định 45/QĐ-SKHĐT")
    screenshot("administration-merge")
    page.get_by_role("button", name="Sáp nhập").click()
    assert page.get_by_text(f"Đã sáp nhập {department.name} vào {coordinating_department.name}").is_visible()
    screenshot("administration-merged")

    task.refresh_from_db()
    assert task.lead_department_id == coordinating_department.pk
    assert TaskEvent.objects.filter(
        task=task, kind=TaskEvent.Kind.LEAD, reason="Quyết định 45/QĐ-SKHĐT"
    ).exists()
    assert Department.objects.get(pk=department.pk).closed_at is not None
    assert User.objects.get(username="chuyenvienmoi").department_id == coordinating_department.pk
    page.goto(live_server.url + reverse("tasks:detail", args=[task.pk]))
    assert page.get_by_text("Quyết định 45/QĐ-SKHĐT").first.is_visible()
    screenshot("administration-task-history")

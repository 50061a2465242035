"""A leader opens the plan's dashboard, clicks a department's overdue count and gets exactly those tasks."""

import re

import pytest

from plans.models import Plan
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_plan_journey import log_in

pytestmark = pytest.mark.e2e


def test_a_leader_clicks_an_overdue_count_and_lands_on_that_many_tasks(demo, browser, live_server):
    plan = Plan.objects.get(agency__code="SKHĐT", number=14, year=2019)
    page = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900}).new_page()
    log_in(page, live_server, "lanhdao")
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/")
    page.get_by_role("link", name="Tổng quan").click()
    page.get_by_role("link", name="6 tháng (14/06/2019)").click()
    page.get_by_text("Số liệu tại ngày 14/06/2019,").wait_for()
    page.screenshot(path=str(ARTIFACTS / "dashboard-laptop.png"), full_page=True)
    table = page.locator("section", has=page.get_by_role("heading", name="Theo đơn vị chủ trì"))
    overdue = table.locator("tbody tr td:nth-child(6) a").first
    count = int(overdue.get_attribute("data-count"))
    overdue.click()
    page.get_by_text("Tình trạng tại ngày 14/06/2019").wait_for()
    shown = page.locator("p[aria-live=polite] strong").first.inner_text()
    assert int(shown) == count
    assert re.search(r"tinh_trang=open_overdue", page.url)

    phone = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}).new_page()
    log_in(phone, live_server, "lanhdao")
    phone.goto(f"{live_server.url}/ke-hoach/{plan.pk}/tong-quan/?ngay=14/06/2019")
    phone.get_by_role("heading", name="Theo lĩnh vực cải cách hành chính").wait_for()
    phone.screenshot(path=str(ARTIFACTS / "dashboard-phone.png"), full_page=True)

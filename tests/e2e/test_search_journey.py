"""In a real browser: a staff member types in the top bar's search box without diacritics, sees the
results grouped by plan with the match marked, and opens a task."""

import datetime

import pytest
from django.urls import reverse

from plans.models import Plan
from tests.conftest import PASSWORD, make_plan, make_task

pytestmark = pytest.mark.e2e


def test_the_top_bar_search_finds_tasks_of_every_year_and_opens_one(
    live_server, page, plan, agency, clerk, staff, department, office, screenshot
):
    older = make_plan(
        agency, number=3, year=2018, issued_on=datetime.date(2018, 1, 12), status=Plan.Status.CLOSED
    )
    make_task(
        older,
        office,
        number="4",
        by=clerk,
        deadline_text="Quý IV/2018",
        content="Đăng ký kinh doanh qua mạng",
    )
    wanted = make_task(
        plan, department, number="7", by=clerk, content="Đẩy mạnh đăng ký kinh doanh trực tuyến mức độ 4"
    )
    make_task(plan, department, number="8", by=clerk, content="Tuyên truyền cải cách hành chính")

    page.goto(f"{live_server.url}/")
    page.get_by_label("Tên đăng nhập").fill(staff.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    box = page.get_by_role("searchbox", name="Tìm nhiệm vụ, kế hoạch, văn bản")
    box.fill("dang ky kinh doanh")
    box.press("Enter")
    page.wait_for_url("**/tim-kiem/**")

    groups = page.locator(".search-group")
    assert groups.count() == 2
    assert "Kế hoạch số 03/KH-SKHĐT" in groups.nth(0).inner_text()
    assert "năm 2018" in groups.nth(0).inner_text()
    assert "Kế hoạch số 14/KH-SKHĐT" in groups.nth(1).inner_text()
    marked = page.locator(".search-hit mark").all_inner_texts()
    assert sorted(marked) == sorted(["Đăng ký kinh doanh", "đăng ký kinh doanh"])
    assert "Tuyên truyền" not in page.content()
    screenshot("search-results")

    page.get_by_role("link", name="Nhiệm vụ 7").click()
    page.wait_for_url(f"**{reverse('tasks:detail', args=[wanted.pk])}")
    assert "Đẩy mạnh đăng ký kinh doanh trực tuyến" in page.content()

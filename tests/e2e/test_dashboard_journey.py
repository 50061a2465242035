"""A leader opens the plan's dashboard, clicks a department's overdue count and gets exactly those tasks;
the top bar's "Tổng quan" brings them back to it; the page holds together from a phone to a wide screen."""

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
    page.get_by_role("main").get_by_role("link", name="Tổng quan", exact=True).click()
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
    assert re.search(r"status=open_overdue", page.url)

    phone = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}).new_page()
    log_in(phone, live_server, "lanhdao")
    phone.goto(f"{live_server.url}/ke-hoach/{plan.pk}/tong-quan/?as_of=14/06/2019")
    phone.get_by_role("heading", name="Theo lĩnh vực cải cách hành chính").wait_for()
    phone.screenshot(path=str(ARTIFACTS / "dashboard-phone.png"), full_page=True)


def test_sonoivu_sees_the_demo_agencies_ranked_and_opens_one(demo, browser, live_server):
    page = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900}).new_page()
    log_in(page, live_server, "sonoivu")
    page.get_by_role("link", name="Tổng quan tỉnh").click()
    page.get_by_label("Năm kế hoạch").select_option("2019")
    page.get_by_label("Số liệu tại ngày").fill("14/06/2019")
    page.get_by_role("button", name="Xem").click()
    page.get_by_role("heading", name="Tổng quan thực hiện kế hoạch CCHC năm 2019 của các cơ quan").wait_for()
    rows = page.locator("#bang-xep-hang tbody tr")
    assert rows.count() == 2
    assert [rows.nth(i).locator("td").first.inner_text() for i in range(2)] == ["1", "2"]
    page.screenshot(path=str(ARTIFACTS / "province-laptop.png"), full_page=True)
    rows.first.locator("th a").click()
    page.get_by_text("Số liệu tại ngày 14/06/2019,").wait_for()
    assert "/tong-quan/" in page.url

    phone = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}).new_page()
    log_in(phone, live_server, "sonoivu")
    phone.goto(f"{live_server.url}/tinh/tong-quan/?year=2019&as_of=14/06/2019")
    phone.locator("#bang-xep-hang").wait_for()
    phone.screenshot(path=str(ARTIFACTS / "province-phone.png"), full_page=True)


# The trend section's extent, its content included (a chart or table taller than the section spills
# over what follows), the box of the element after it, and the page's widths.
LAYOUT = """() => {
  const trend = document.querySelector('section[aria-labelledby="xu-huong"]');
  const box = trend.getBoundingClientRect();
  let [top, bottom, left, right] = [box.top, box.bottom, box.left, box.right];
  for (const element of trend.querySelectorAll("*")) {
    const r = element.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(element).position === "absolute") continue;
    [top, bottom] = [Math.min(top, r.top), Math.max(bottom, r.bottom)];
    [left, right] = [Math.min(left, r.left), Math.max(right, r.right)];
  }
  const next = trend.nextElementSibling.getBoundingClientRect();
  const root = document.documentElement;
  return {trend: {top, bottom, left, right}, next: {top: next.top, bottom: next.bottom, left: next.left,
          right: next.right}, scrollWidth: root.scrollWidth, clientWidth: root.clientWidth};
}"""


def intersect(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )


def test_tong_quan_returns_to_the_last_dashboard_whose_trend_overlaps_nothing_at_any_width(
    demo, browser, live_server
):
    seed = Plan.objects.get(agency__code="SKHĐT", number=14, year=2019)
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    log_in(page, live_server, "lanhdao")
    page.goto(f"{live_server.url}/ke-hoach/{seed.pk}/tong-quan/?as_of=14/06/2019")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Kế hoạch").click()
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Tổng quan", exact=True
    ).click()
    page.get_by_role("heading", name="Tổng quan thực hiện Kế hoạch số 14/KH-SKHĐT").wait_for()
    assert page.url.endswith(f"/ke-hoach/{seed.pk}/tong-quan/")
    top_bar = page.get_by_role("navigation", name="Điều hướng chính")
    assert top_bar.get_by_role("link", name="Tổng quan", exact=True).get_attribute("aria-current") == "page"

    ARTIFACTS.mkdir(exist_ok=True)
    for width in (360, 768, 1366, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/ke-hoach/{seed.pk}/tong-quan/?as_of=14/06/2019")
        page.locator("#bang-xu-huong").wait_for()
        layout = page.evaluate(LAYOUT)
        page.screenshot(path=str(ARTIFACTS / f"dashboard-{width}.png"), full_page=True)
        assert not intersect(layout["trend"], layout["next"]), (width, layout)
        assert layout["trend"]["bottom"] <= layout["next"]["top"], (width, layout)
        assert layout["scrollWidth"] <= layout["clientWidth"], (width, layout)
    context.close()

import pytest

from plans.models import Plan
from tests.e2e.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

LEGAL_BASES_IN_ORDER = ["30c/NQ-CP", "36a/NQ-CP", "60/NQ-HĐND", "2757/QĐ-UBND", "3674/QĐ-UBND", "02/KH-SKHĐT"]


def log_in(page, live_server, username):
    page.goto(live_server.url)
    assert "/dang-nhap/" in page.url
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_the_clerk_finds_the_seed_plan_and_creates_a_new_one(demo, page, live_server, screenshot):
    log_in(page, live_server, "vanthu")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Kế hoạch", exact=True
    ).click()
    page.get_by_role("link", name="2019").click()
    screenshot("plan-list-2019")
    page.get_by_role("link", name="14/KH-SKHĐT").click()
    page.get_by_role("heading", name="Kế hoạch số 14/KH-SKHĐT").wait_for()
    bases = page.get_by_test_id("legal-bases").locator("li").all_inner_texts()
    assert len(bases) == 6
    for text, number in zip(bases, LEGAL_BASES_IN_ORDER, strict=True):
        assert number in text
    assert page.get_by_text("Vĩnh Phúc, ngày 15 tháng 01 năm 2019").is_visible()
    screenshot("plan-detail-14")

    page.get_by_role("link", name="Kế hoạch năm 2019").click()
    page.get_by_role("link", name="Tạo kế hoạch").first.click()
    page.locator("#id_number").fill("14")
    page.locator("#id_issued_on").fill("20/06/2019")
    page.locator("#id_year").fill("2019")
    page.locator("#id_title").fill("Kiểm soát thủ tục hành chính năm 2019")
    basis = page.locator("#id_bases-0-document option").filter(has_text="30c/NQ-CP").get_attribute("value")
    page.locator("#id_bases-0-document").select_option(value=basis)
    page.get_by_role("button", name="Lưu kế hoạch").click()

    error = page.locator("#div_id_number .invalid-feedback")
    error.wait_for()
    assert "Số 14/KH-SKHĐT đã được dùng" in error.inner_text()
    assert page.locator("#id_title").input_value() == "Kiểm soát thủ tục hành chính năm 2019"
    assert page.locator("#id_issued_on").input_value() == "20/06/2019"
    screenshot("plan-form-duplicate-number")

    page.locator("#id_number").fill("15")
    page.get_by_role("button", name="Lưu kế hoạch").click()
    page.get_by_role("heading", name="Kế hoạch số 15/KH-SKHĐT").wait_for()
    assert page.get_by_text("Đã lưu Kế hoạch số 15/KH-SKHĐT (dự thảo).").is_visible()
    screenshot("plan-created")
    created = Plan.objects.get(agency__code="SKHĐT", number=15)
    assert created.title == "Kiểm soát thủ tục hành chính năm 2019"
    assert created.basis_links.get().document.number == "30c/NQ-CP"

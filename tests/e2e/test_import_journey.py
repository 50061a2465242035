"""The clerk imports a Word annex into the seed plan through the preview."""

import datetime

import pytest

from accounts.models import Agency
from plans.models import Plan
from tasks.models import ImportBatch, Task
from tests.annex_shapes import GOVERNMENT_EXPECTED, government_annex
from tests.annexes import build_docx, group
from tests.conftest import make_plan
from tests.e2e.test_plan_journey import log_in

pytestmark = pytest.mark.e2e

# Numbers 91–93 are far from the demo's own (1.1 … 7.x), whatever tasks the demo holds.
ANNEX_ROWS = [
    group("III", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"),
    (
        "91",
        "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính đăng ký doanh nghiệp:\n"
        "- Số hóa hồ sơ tiếp nhận từ 01/7/2019;\n- Kết nối với Cổng dịch vụ công của tỉnh",
        "Phòng Đăng ký kinh doanh",
        "Văn phòng Sở",
        "Quý III/2019",
        "Hồ sơ điện tử được lưu trữ",
    ),
    (
        "92",
        "Rà soát quy trình nội bộ giải quyết thủ tục hành chính lĩnh vực đầu tư",
        "Tổ số hóa dữ liệu",
        "",
        "Tháng 10/2019",
        "Quy trình nội bộ được sửa đổi",
    ),
    (
        "93",
        "Kiểm tra việc niêm yết thủ tục hành chính",
        "Thanh tra Sở",
        "",
        "Trước 15/11/2019",
        "Biên bản kiểm tra",
    ),
]


def test_the_clerk_imports_a_word_annex_through_the_preview(demo, page, live_server, screenshot, tmp_path):
    plan = Plan.objects.get(agency__code="SKHĐT", number=14, year=2019)
    before = Task.objects.filter(plan=plan).count()
    annex = tmp_path / "phu-luc-bo-sung.docx"
    annex.write_bytes(build_docx(ANNEX_ROWS))

    log_in(page, live_server, "vanthu")
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/nhap-phu-luc/")
    page.get_by_role("heading", name="Nhập phụ lục nhiệm vụ").wait_for()
    assert page.get_by_role("link", name="Tải tệp mẫu (.xlsx)").is_visible()
    screenshot("import-upload")
    page.get_by_label("Tệp phụ lục nhiệm vụ (.docx hoặc .xlsx)").set_input_files(str(annex))
    page.get_by_role("button", name="Tải lên và xem trước").click()

    page.get_by_role("heading", name="Xem trước: phu-luc-bo-sung.docx").wait_for()
    rows = page.get_by_test_id("import-rows")
    for number in ("91", "92", "93"):
        assert rows.locator(f'tr[data-number="{number}"]').is_visible()
    first = rows.locator('tr[data-number="91"]').inner_text()
    assert "Phòng Đăng ký kinh doanh" in first and "30/09/2019" in first and "Mới" in first
    area = rows.locator("tr.import-group select")
    assert area.locator("option:checked").inner_text() == "Cải cách thủ tục hành chính"
    screenshot("import-preview")

    # "Tổ số hóa dữ liệu" is no department of the agency: the clerk says which one it is.
    mapping = page.get_by_label("“Tổ số hóa dữ liệu”")
    mapping.select_option(label="Phòng Tổng hợp, Quy hoạch")
    confirm = page.get_by_role("button", name="Xác nhận nhập")
    assert confirm.is_enabled()
    confirm.click()

    page.wait_for_url(f"**/ke-hoach/{plan.pk}/nhiem-vu/")
    assert page.get_by_text(
        "Đã nhập phụ lục “phu-luc-bo-sung.docx”: 3 nhiệm vụ mới, 0 nhiệm vụ được cập nhật"
    ).is_visible()
    screenshot("import-done")
    assert Task.objects.filter(plan=plan).count() == before + 3
    imported = Task.objects.get(plan=plan, number="92")
    assert imported.lead_department.name == "Phòng Tổng hợp, Quy hoạch"
    assert imported.area.name == "Cải cách thủ tục hành chính"
    assert ImportBatch.objects.get(plan=plan).status == ImportBatch.Status.DONE

    # The task table finds the imported task by words without diacritics.
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/nhiem-vu/?q=so+hoa+ho+so")
    assert page.get_by_text(
        "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính đăng ký doanh nghiệp"
    ).first.is_visible()


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_the_clerk_imports_a_government_annex_with_nested_groups_and_ministries_in_one_pass(
    demo, page, live_server, screenshot, tmp_path, kind
):
    """The annex of a Government decision: groups and sub-groups (III.1, III.1.1…), numbers restarting
    in each, multi-year and yearly deadlines, ministries and "Các địa phương" as leads. One pass through
    the preview; the same file again changes nothing."""
    agency = Agency.objects.get(code="SKHĐT")
    plan = make_plan(agency, number=77, year=2026, issued_on=datetime.date(2026, 1, 10))
    annex = tmp_path / f"phu-luc-qd.{kind}"
    annex.write_bytes(government_annex(kind))

    log_in(page, live_server, "vanthu")
    for attempt in ("first", "again"):
        page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/nhap-phu-luc/")
        page.get_by_label("Tệp phụ lục nhiệm vụ (.docx hoặc .xlsx)").set_input_files(str(annex))
        page.get_by_role("button", name="Tải lên và xem trước").click()
        page.get_by_role("heading", name=f"Xem trước: {annex.name}").wait_for()
        counts = page.get_by_test_id("import-counts").inner_text()
        if attempt == "first":
            assert "75 dòng nhiệm vụ" in counts
            groups = page.locator("tr.import-group th").all_inner_texts()
            assert groups == [section.label for section in GOVERNMENT_EXPECTED.sections]
            screenshot(f"import-government-{kind}")
            page.get_by_label("Đơn vị theo dõi, đôn đốc nhiệm vụ do cơ quan ngoài chủ trì").select_option(
                label="Văn phòng Sở"
            )
            page.get_by_role("button", name="Xác nhận nhập").click()
            page.wait_for_url(f"**/ke-hoach/{plan.pk}/nhiem-vu/")
            assert page.get_by_text("75 nhiệm vụ mới").is_visible()
            screenshot(f"import-government-done-{kind}")
        else:
            assert "0 mới" in counts and "0 cập nhật" in counts and "75 không đổi" in counts
    assert Task.objects.filter(plan=plan).count() == 75
    task = Task.objects.get(plan=plan, section__label="III.1.2", number="2")
    assert (task.lead_name, task.lead_department.name) == ("Bộ Tài chính", "Văn phòng Sở")

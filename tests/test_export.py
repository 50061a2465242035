"""The plan's tasks as .xlsx, and the annex template, read back with openpyxl."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tasks import importing, services
from tests.annexes import upload
from tests.conftest import client_for, make_task, pdf_upload
from tests.sectioned import OUTSIDE_LEAD, UNSET_TEXT, sectioned_plan

EXPORT_HEADER = [
    "TT",
    "Nội dung nhiệm vụ",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Đơn vị theo dõi",
    "Thời hạn",
    "Hạn hoàn thành",
    "Sản phẩm",
    "Ghi chú",
    "Tiến độ (%)",
    "Tình trạng",
    "Ngày hoàn thành",
]
HEADER_ROW = 4


def workbook_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return openpyxl.load_workbook(io.BytesIO(response.content))


def aware(y, m, d, h=9):
    return timezone.make_aware(datetime.datetime(y, m, d, h))


@pytest.fixture
def tasks(plan, clerk, department, office, coordinating_department, dept_head, staff, private_storage):
    """Three tasks in two areas: one done on time, one open and overdue, one ongoing."""
    done = make_task(
        plan,
        department,
        number="2",
        by=clerk,
        area_position=2,
        coordinating=[office, coordinating_department],
    )
    report = services.progress_report(
        task=done,
        by=staff,
        percent=100,
        narrative="Đã rà soát",
        result="Báo cáo 12/BC-ĐKKD",
        files=[pdf_upload()],
        at=aware(2019, 6, 20),
    )
    services.progress_approve(report=report, by=dept_head, at=aware(2019, 6, 21))
    late = make_task(
        plan,
        office,
        number="1",
        by=clerk,
        area_position=0,
        deadline_text="Tháng 3/2019",
        content="Xây dựng kế hoạch CCHC\n- ban hành kế hoạch\n- phổ biến kế hoạch",
    )
    ongoing = make_task(
        plan, department, number="10", by=clerk, area_position=2, deadline_text="Thường xuyên"
    )
    return {"done": done, "late": late, "ongoing": ongoing}


@time_machine.travel(datetime.datetime(2019, 7, 1, 10, tzinfo=datetime.UTC), tick=False)
def test_the_export_has_a_frozen_header_real_dates_and_group_rows(plan, clerk, tasks):
    response = client_for(clerk).get(reverse("tasks:export", args=[plan.pk]))
    sheet = workbook_of(response).active
    assert sheet.cell(1, 1).value == "DANH SÁCH NHIỆM VỤ KẾ HOẠCH SỐ 14/KH-SKHĐT"
    assert sheet.cell(2, 1).value == plan.title
    assert sheet.cell(3, 1).value == "Toàn bộ nhiệm vụ của kế hoạch; tình hình đến ngày 01/07/2019"
    assert [cell.value for cell in sheet[HEADER_ROW]] == EXPORT_HEADER
    assert all(cell.font.b for cell in sheet[HEADER_ROW])
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"

    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=HEADER_ROW + 1)]
    assert [row[:2] for row in rows if row[0] in ("I", "II", "III")] == [
        ["I", "Công tác chỉ đạo, điều hành cải cách hành chính"],
        ["III", "Cải cách thủ tục hành chính"],
    ]
    assert [row[0] for row in rows] == ["I", "1", "III", "2", "10"]  # areas in order, 2 before 10
    by_number = {row[0]: row for row in rows}

    done = by_number["2"]
    assert done[2] == "Phòng Đăng ký kinh doanh"
    assert done[3].split("\n") == ["Văn phòng Sở", "Phòng Tổng hợp, Quy hoạch"]
    assert done[4] is None  # no follow-up department: the lead is one of the agency's
    assert done[5] == "Quý II/2019"
    assert done[6] == datetime.datetime(2019, 6, 30)  # a real date, not text
    assert done[9] == 100
    assert done[10] == "Đã hoàn thành đúng hạn"
    assert done[11] == datetime.datetime(2019, 6, 20)

    late = by_number["1"]
    assert late[1] == "Xây dựng kế hoạch CCHC\n- ban hành kế hoạch\n- phổ biến kế hoạch"
    assert late[6] == datetime.datetime(2019, 3, 31)
    assert late[10] == "Chưa hoàn thành, quá hạn"
    assert late[11] is None
    assert by_number["10"][10] == "Chưa triển khai"

    data_row = next(row for row in sheet.iter_rows(min_row=HEADER_ROW + 1) if row[0].value == "2")
    assert data_row[6].is_date and data_row[6].number_format == "DD/MM/YYYY"
    assert data_row[11].is_date
    assert all(cell.alignment.wrap_text for cell in data_row)
    group_row = next(row for row in sheet.iter_rows(min_row=HEADER_ROW + 1) if row[0].value == "I")
    assert group_row[1].font.b
    assert f"B{group_row[0].row}:L{group_row[0].row}" in {str(r) for r in sheet.merged_cells.ranges}


def data_rows(sheet):
    """The task rows (not the group rows) of an export: TT, content and status."""
    return [
        (row[0], row[1], row[10])
        for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
        if row[2] is not None
    ]


@time_machine.travel(datetime.datetime(2019, 7, 1, 10, tzinfo=datetime.UTC), tick=False)
def test_a_filtered_export_has_only_the_rows_the_table_shows_and_names_the_filter(plan, clerk, tasks):
    query = {"status": "open_overdue", "q": "ke hoach"}
    client = client_for(clerk)
    page = client.get(reverse("tasks:plan_tasks", args=[plan.pk]), query)
    export_url = reverse("tasks:export", args=[plan.pk]) + "?status=open_overdue&amp;q=ke+hoach"
    assert export_url in page.content.decode()  # the table's "Tải Excel" carries its query string

    sheet = workbook_of(client.get(reverse("tasks:export", args=[plan.pk]), query)).active
    assert data_rows(sheet) == [("1", tasks["late"].content, "Chưa hoàn thành, quá hạn")]
    assert [row[0] for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)] == ["I", "1"]
    assert sheet.cell(3, 1).value == (
        "Lọc: Tìm trong nội dung: “ke hoach”; Tình trạng: Chưa hoàn thành, quá hạn; "
        "tình hình đến ngày 01/07/2019"
    )


@time_machine.travel(datetime.datetime(2019, 7, 1, 10, tzinfo=datetime.UTC), tick=False)
def test_an_export_as_of_a_date_shows_the_statuses_of_that_date(plan, clerk, tasks):
    url = reverse("tasks:export", args=[plan.pk])
    sheet = workbook_of(client_for(clerk).get(url, {"as_of": "01/03/2019"})).active
    statuses = {number: status for number, _content, status in data_rows(sheet)}
    # on 1 March the task done in June was still open within its deadline, the late one not yet late
    assert statuses["2"] != "Đã hoàn thành đúng hạn"
    assert statuses["1"] != "Chưa hoàn thành, quá hạn"
    assert sheet.cell(3, 1).value == "Toàn bộ nhiệm vụ của kế hoạch; tình hình đến ngày 01/03/2019"

    filtered = workbook_of(client_for(clerk).get(url, {"as_of": "01/03/2019", "status": "done"})).active
    assert data_rows(filtered) == []  # nothing was done yet on that date
    assert filtered.cell(3, 1).value.startswith("Lọc: Tình trạng: Đã hoàn thành (đúng hạn và quá hạn);")


def test_an_unusable_filter_value_is_left_out_of_the_export_as_of_the_table(plan, clerk, tasks):
    url = reverse("tasks:export", args=[plan.pk])
    sheet = workbook_of(client_for(clerk).get(url, {"status": "bogus", "department": "999999"})).active
    assert len(data_rows(sheet)) == 3
    assert sheet.cell(3, 1).value.startswith("Toàn bộ nhiệm vụ của kế hoạch;")


def test_the_export_columns_have_widths(plan, clerk, tasks):
    sheet = workbook_of(client_for(clerk).get(reverse("tasks:export", args=[plan.pk]))).active
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEFGHIJKL"}
    assert widths["B"] >= 50  # the content column is the widest
    assert all(width >= 8 for width in widths.values())


def test_the_export_is_named_after_the_plan(plan, clerk):
    response = client_for(clerk).get(reverse("tasks:export", args=[plan.pk]))
    assert response["Content-Disposition"] == (
        "attachment; filename=\"nhiem-vu-14-KH-SKHDT.xlsx\"; filename*=UTF-8''nhiem-vu-14-KH-SKH%C4%90T.xlsx"
    )


def test_an_empty_plan_exports_just_the_header(plan, overseer):
    sheet = workbook_of(client_for(overseer).get(reverse("tasks:export", args=[plan.pk]))).active
    assert [cell.value for cell in sheet[HEADER_ROW]] == EXPORT_HEADER
    assert sheet.max_row == HEADER_ROW


def test_an_exported_plan_imports_back_unchanged(plan, clerk, tasks):
    content = client_for(clerk).get(reverse("tasks:export", args=[plan.pk])).content
    batch = importing.import_prepare(plan=plan, by=clerk, upload=upload("nhiem-vu-14-KH-SKHDT.xlsx", content))
    preview = importing.build_preview(batch)
    assert [(row.number, row.status) for row in preview.task_rows] == [
        ("1", "same"),
        ("2", "same"),
        ("10", "same"),
    ]


@pytest.fixture
def sectioned(plan, clerk, office, department, coordinating_department):
    return sectioned_plan(
        plan, clerk, office=office, department=department, coordinating_department=coordinating_department
    )


def exported_sheet(client, plan):
    return workbook_of(client.get(reverse("tasks:export", args=[plan.pk]))).active


def exported_rows(client, plan) -> list:
    return list(exported_sheet(client, plan).iter_rows(min_row=HEADER_ROW + 1))


def test_a_plan_with_sections_exports_them_as_written_each_before_the_sections_inside_it(
    plan, clerk, sectioned
):
    sheet = exported_sheet(client_for(clerk), plan)
    rows = list(sheet.iter_rows(min_row=HEADER_ROW + 1))
    assert [row[0].value for row in rows] == [
        *("I", "1", "II", "III", "1", "III.1", "1", "2", "III.1.1", "1", "III.2", "1"),
        *("IV", "1", "V", "1", "VI", "VII", "VIII", "IX", "1"),
    ]
    groups = {row[0].value: row for row in rows if row[0].font.b}
    assert set(groups) == {
        "I",
        "II",
        "III",
        "III.1",
        "III.1.1",
        "III.2",
        "IV",
        "V",
        "VI",
        "VII",
        "VIII",
        "IX",
    }
    assert groups["III.1"][1].value == "Kiểm soát thủ tục hành chính"
    assert groups["IX"][1].value == "Kinh phí thực hiện"
    # top groups upright, sub-groups italic, each merged across the row after its number
    assert not groups["III"][1].font.i and groups["III.1"][1].font.i and groups["III.1.1"][0].font.i
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert f"B{groups['III.1'][0].row}:L{groups['III.1'][0].row}" in merged


@time_machine.travel(datetime.datetime(2019, 7, 1, 10, tzinfo=datetime.UTC), tick=False)
def test_an_outside_lead_is_exported_by_name_with_its_follow_up_department_and_notes(
    plan, clerk, sectioned, coordinating_department
):
    rows = [[cell.value for cell in row] for row in exported_rows(client_for(clerk), plan)]
    outside = next(row for row in rows if row[1] == sectioned["tasks"]["III.1/1"].content)
    assert outside[2] == OUTSIDE_LEAD
    assert outside[3].split("\n") == [coordinating_department.name, "Bộ Công an", "Bộ Tài chính"]
    assert outside[4] == "Văn phòng Sở"  # the department following the outside lead up
    assert outside[8] == "Sở theo dõi, đôn đốc"
    inside = next(row for row in rows if row[1] == sectioned["tasks"]["III.1/2"].content)
    assert (inside[2], inside[4]) == ("Phòng Đăng ký kinh doanh", None)


@time_machine.travel(datetime.datetime(2019, 7, 1, 10, tzinfo=datetime.UTC), tick=False)
def test_a_deadline_that_names_no_date_is_exported_as_written_without_a_due_date(plan, clerk, sectioned):
    rows = [[cell.value for cell in row] for row in exported_rows(client_for(clerk), plan)]
    unset = next(row for row in rows if row[1] == sectioned["tasks"]["III.2/1"].content)
    assert (unset[5], unset[6]) == (UNSET_TEXT, None)
    assert unset[10] == "Chưa triển khai"


def test_an_exported_plan_with_sections_imports_back_unchanged(plan, clerk, sectioned):
    content = client_for(clerk).get(reverse("tasks:export", args=[plan.pk])).content
    batch = importing.import_prepare(plan=plan, by=clerk, upload=upload("nhiem-vu-14-KH-SKHDT.xlsx", content))
    preview = importing.build_preview(batch)
    assert len(preview.task_rows) == len(sectioned["tasks"])
    assert {(row.number, row.status, tuple(row.changes)) for row in preview.task_rows} == {
        (task.number, "same", ()) for task in sectioned["tasks"].values()
    }


def test_export_queries_do_not_grow_with_tasks(plan, clerk, department, office):
    client = client_for(clerk)
    url = reverse("tasks:export", args=[plan.pk])
    make_task(plan, department, number="1", by=clerk, coordinating=[office])

    def count():
        cache.clear()  # the filters' reference lists (departments, areas, sections) read afresh each time
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    few = count()
    for number in range(2, 15):
        make_task(
            plan, department, number=str(number), by=clerk, coordinating=[office], area_position=number % 7
        )
    assert count() == few


def test_the_export_query_count_is_pinned(plan, clerk, tasks, django_assert_num_queries):
    client = client_for(clerk)
    # session, user, plan, the filters' departments, areas and sections (then cached), tasks with
    # their status, their coordinating units
    with django_assert_num_queries(8):
        client.get(reverse("tasks:export", args=[plan.pk]))


def test_the_template_has_the_header_groups_a_sub_group_and_examples(staff):
    response = client_for(staff).get(reverse("tasks:import_template"))
    assert response["Content-Disposition"].startswith('attachment; filename="mau-phu-luc-nhiem-vu.xlsx"')
    workbook = workbook_of(response)
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == [
        "TT",
        "Nội dung nhiệm vụ",
        "Đơn vị chủ trì",
        "Đơn vị phối hợp",
        "Thời hạn",
        "Sản phẩm",
        "Ghi chú",
    ]
    assert sheet.freeze_panes == "A2"
    assert [sheet.cell(row, 1).value for row in range(2, 9)] == ["I", "1", "2", "II", "II.1", "1", "2"]
    assert sheet.cell(2, 2).font.b and not sheet.cell(2, 2).font.i
    assert sheet.cell(6, 2).font.b and sheet.cell(6, 2).font.i  # the sub-group II.1, lighter
    assert "\n" in sheet.cell(4, 2).value
    assert all(cell.alignment.wrap_text for cell in sheet[4])
    assert sheet.cell(8, 3).value == "Trung tâm Phục vụ hành chính công tỉnh"  # an outside lead
    assert sheet.column_dimensions["B"].width >= 50
    assert workbook.sheetnames == ["Phụ lục nhiệm vụ", "Hướng dẫn"]


def test_the_guide_names_the_deadlines_read_and_what_happens_to_the_others(staff):
    guide = workbook_of(client_for(staff).get(reverse("tasks:import_template")))["Hướng dẫn"]
    lines = {row[0].value: row[1].value for row in guide.iter_rows()}
    for form in (
        "Quý II/2025",
        "Tháng 6/2025",
        "Trước ngày 15/3/2025",
        "Năm 2025-2030",
        "Giai đoạn 2026–2030",
        "Đến năm 2030",
        "Thường xuyên",
        "Hằng năm",
        "Trước ngày 15/11 hằng năm",
        "Hằng quý",
    ):
        assert form in lines["Thời hạn"], form
    assert "Chưa xác định thời hạn" in lines["Thời hạn"]
    assert "cơ quan ngoài" in lines["Đơn vị chủ trì"] and "theo dõi" in lines["Đơn vị chủ trì"]
    assert "II.1" in lines["TT"]


def test_the_templates_examples_read_back_with_the_sub_group_and_the_outside_lead(plan, clerk, office):
    response = client_for(clerk).get(reverse("tasks:import_template"))
    batch = importing.import_prepare(plan=plan, by=clerk, upload=upload("mau.xlsx", response.content))
    preview = importing.build_preview(batch)
    assert [(row.label, row.depth) for row in preview.group_rows] == [("I", 0), ("II", 0), ("II.1", 1)]
    outside = preview.task_rows[-1]
    assert outside.outside_lead == "Trung tâm Phục vụ hành chính công tỉnh"
    assert outside.lead is None  # waits for the clerk to pick the department that follows it up

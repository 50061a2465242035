"""Importing a plan's task annex: real .docx and .xlsx files in the shapes of real annexes, and bad ones."""

import datetime
import io
import time
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Department
from plans.models import ReformArea
from tasks import importing, services
from tasks.models import ImportBatch, Task, TaskEvent
from tests.annexes import (
    EMPTY,
    HEADER,
    SKHDT_ROWS,
    TITLE,
    build_docx,
    build_xlsx,
    group,
    upload,
)
from tests.conftest import client_for, make_task


@pytest.fixture
def thanh_tra(agency):
    return Department.objects.create(agency=agency, code="TTr", name="Thanh tra Sở", position=4)


@pytest.fixture
def departments(office, department, coordinating_department, thanh_tra):
    return {"VP": office, "ĐKKD": department, "THQH": coordinating_department, "TTr": thanh_tra}


def area(plan, position):
    return ReformArea.objects.get(area_set=plan.area_set, position=position)


def post_upload(client, plan, name, content):
    return client.post(reverse("tasks:import", args=[plan.pk]), {"file": upload(name, content)})


def upload_ok(client, plan, name, content) -> ImportBatch:
    response = post_upload(client, plan, name, content)
    assert response.status_code == 302, response.content.decode()[:2000]
    batch = ImportBatch.objects.latest("pk")
    assert response["Location"] == reverse("tasks:import_preview", args=[plan.pk, batch.pk])
    return batch


def preview_url(plan, batch):
    return reverse("tasks:import_preview", args=[plan.pk, batch.pk])


def confirm(client, plan, batch, **choices):
    return client.post(preview_url(plan, batch), {"action": "confirm", **choices})


def refused(response) -> str:
    """The upload page came back with the file refused; the message shown to the clerk."""
    assert response.status_code == 200
    assert not ImportBatch.objects.exists()
    return response.context["form"].errors["file"][0]


# The shapes of real annexes ------------------------------------------------------------------------


@pytest.mark.parametrize("build", [build_docx, build_xlsx], ids=["docx", "xlsx"])
def test_the_domain_annex_reads_into_sections_tasks_and_matched_departments(plan, clerk, departments, build):
    name = "phu-luc.docx" if build is build_docx else "phu-luc.xlsx"
    batch = importing.import_prepare(plan=plan, by=clerk, upload=upload(name, build(SKHDT_ROWS)))
    preview = importing.build_preview(batch)
    groups = [row for row in preview.rows if row.kind == "group"]
    assert [(row.label, row.area) for row in groups] == [("I", area(plan, 0)), ("II", area(plan, 2))]
    rows = {row.number: row for row in preview.task_rows}
    assert list(rows) == ["1", "2", "3", "4"]
    assert all(row.status == "new" for row in rows.values())
    checking = rows["2"]
    assert checking.content.splitlines() == [
        "Kiểm tra công tác CCHC tại các phòng, đơn vị:",
        "- Kiểm tra thực hiện TTHC;",
        "- Kiểm tra kỷ luật, kỷ cương hành chính",
    ]
    assert checking.lead == departments["VP"]
    # "Phòng Tổng hợp, Quy hoạch" keeps its comma: it is one department, not two.
    assert checking.coordinating == [departments["TTr"], departments["THQH"]]
    assert checking.due == datetime.date(2019, 9, 30)
    assert rows["3"].due == datetime.date(2019, 6, 30)
    assert rows["4"].deadline == "Thường xuyên"
    assert batch.result["skipped_empty"] == 1
    # "Các phòng, đơn vị thuộc Sở" is suggested as every department but the lead.
    assert {d.pk for d in rows["1"].coordinating} == {d.pk for d in departments.values()} - {
        departments["VP"].pk
    }


def test_nothing_is_written_before_the_clerk_confirms(plan, clerk, departments):
    client = client_for(clerk)
    batch = upload_ok(client, plan, "phu-luc.docx", build_docx(SKHDT_ROWS))
    response = client.get(preview_url(plan, batch))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kiểm tra công tác CCHC tại các phòng, đơn vị:" in page
    assert "30/09/2019" in page
    assert not Task.objects.exists()
    assert batch.status == ImportBatch.Status.PREVIEW


def test_confirming_creates_the_tasks_and_returns_to_the_task_table(plan, clerk, departments):
    client = client_for(clerk)
    batch = upload_ok(client, plan, "phu-luc.docx", build_docx(SKHDT_ROWS))
    response = confirm(client, plan, batch)
    assert response.status_code == 302
    assert response["Location"] == reverse("tasks:plan_tasks", args=[plan.pk])
    message = str(list(response.wsgi_request._messages)[0])
    assert message == "Đã nhập phụ lục “phu-luc.docx”: 4 nhiệm vụ mới, 0 nhiệm vụ được cập nhật, 0 không đổi."
    tasks = {task.number: task for task in Task.objects.filter(plan=plan)}
    assert set(tasks) == {"1", "2", "3", "4"}
    assert tasks["2"].area == area(plan, 0)
    assert tasks["3"].area == area(plan, 2)
    assert tasks["2"].lead_department == departments["VP"]
    assert set(tasks["2"].coordinating_departments.all()) == {departments["TTr"], departments["THQH"]}
    assert tasks["2"].content.count("\n") == 2
    assert tasks["3"].due_date == datetime.date(2019, 6, 30)
    assert tasks["3"].deadlines.get().due_date == datetime.date(2019, 6, 30)
    assert tasks["4"].deadline_kind == Task.Kind.ONGOING
    assert {event.kind for event in TaskEvent.objects.all()} == {TaskEvent.Kind.IMPORTED}
    assert TaskEvent.objects.count() == 4
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert batch.result["created"] == 4


def test_the_bac_ninh_shape_with_restarted_numbering_gets_section_prefixes(plan, clerk, departments):
    """TT | Chỉ tiêu | Chủ trì with Roman group rows that match no CCHC area, numbering from 1 in each."""
    header = ["TT", "Chỉ tiêu", "Chủ trì", "Thời hạn"]
    rows = [
        group("I", "Kinh tế số"),
        ("1", "Kinh tế số chiếm 45% GRDP tỉnh.", "Văn phòng Sở", "Năm 2019"),
        (
            "2",
            "Phấn đấu mỗi năm phát triển từ\n05 bộ dữ liệu mở chất lượng cao phục vụ phát triển kinh tế số",
            "Phòng Đăng ký kinh doanh",
            "Quý IV/2019",
        ),
        group("II", "Xã hội số"),
        (
            "1",
            "Tỷ lệ phủ sóng 5G trên địa bàn đạt 100% dân số.",
            "Phòng Tổng hợp, Quy hoạch",
            "Tháng 12/2019",
        ),
    ]
    content = build_xlsx(rows, header=header, title=["PHỤ LỤC", "PHÂN CÔNG THỰC HIỆN CÁC CHỈ TIÊU"])
    client = client_for(clerk)
    batch = upload_ok(client, plan, "kh144.xlsx", content)
    preview = importing.build_preview(batch)
    # Numbers as written, unique within their section: "1" under I and "1" under II are two tasks.
    assert [(row.section, row.number) for row in preview.task_rows] == [(0, "1"), (0, "2"), (1, "1")]
    assert all(row.status == "new" for row in preview.task_rows)  # an area is optional
    page = client.get(preview_url(plan, batch)).content.decode()
    assert 'name="area-0"' in page and 'name="area-1"' in page

    modern = area(plan, 6)  # Hiện đại hóa hành chính
    response = confirm(client, plan, batch, **{"area-0": modern.pk, "area-1": modern.pk})
    assert response.status_code == 302
    assert set(Task.objects.values_list("section__label", "number", "area")) == {
        ("I", "1", modern.pk),
        ("I", "2", modern.pk),
        ("II", "1", modern.pk),
    }

    # The same file again: the same numbers, nothing duplicated.
    again = upload_ok(client, plan, "kh144.xlsx", content)
    confirm(client, plan, again, **{"area-0": modern.pk, "area-1": modern.pk})
    assert Task.objects.count() == 3
    assert again.__class__.objects.get(pk=again.pk).result["unchanged"] == 3


def test_the_bac_ninh_shape_without_a_deadline_column_assumes_the_end_of_the_plan_year(
    plan, clerk, departments
):
    rows = [group("I", "Kinh tế số"), ("1", "Kinh tế số chiếm 45% GRDP tỉnh.", "Văn phòng Sở")]
    client = client_for(clerk)
    batch = upload_ok(client, plan, "kh144.docx", build_docx(rows, header=["TT", "Chỉ tiêu", "Chủ trì"]))
    row = importing.build_preview(batch).task_rows[0]
    assert (row.deadline, row.due, row.status) == ("Năm 2019", datetime.date(2019, 12, 31), "new")
    page = client.get(preview_url(plan, batch)).content.decode()
    assert "Tệp không có cột thời hạn: giả định hạn cuối năm 2019 (31/12/2019)." in page


def test_group_rows_are_recognised_by_numeral_bold_or_merge(plan, clerk, departments):
    task_row = ("1", "Rà soát văn bản quy phạm pháp luật", "Văn phòng Sở", "", "Quý II/2019", "Báo cáo")
    # Numeral in the TT column, not bold, not merged.
    plain = build_xlsx([group("II", "Cải cách thể chế"), task_row], merge_groups=False, bold_groups=False)
    # Bold only, no numeral, not merged.
    bold = build_xlsx([group("", "Cải cách thể chế"), task_row], merge_groups=False)
    # Merged across the table in Word, numeral and title in one cell.
    merged = build_docx([group("II", "Cải cách thể chế"), task_row])
    for name, content in [("a.xlsx", plain), ("b.xlsx", bold), ("c.docx", merged)]:
        batch = importing.import_prepare(plan=plan, by=clerk, upload=upload(name, content))
        preview = importing.build_preview(batch)
        assert [row.kind for row in preview.rows] == ["group", "task"], name
        assert preview.rows[0].area == area(plan, 1), name
        assert preview.task_rows[0].status == "new", name


def test_a_word_group_row_merged_beside_its_numeral_is_one_section(plan, clerk, departments):
    import docx

    document = docx.Document()
    table = document.add_table(rows=3, cols=len(HEADER))
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = text
    table.rows[1].cells[0].text = "III"
    merged = table.rows[1].cells[1].merge(table.rows[1].cells[-1])
    merged.text = "Cải cách tổ chức bộ máy hành chính nhà nước"
    for cell, text in zip(
        table.rows[2].cells, ["1", "Rà soát chức năng", "Văn phòng Sở", "", "Quý III", "Đề án"], strict=True
    ):
        cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    batch = importing.import_prepare(plan=plan, by=clerk, upload=upload("bo-may.docx", buffer.getvalue()))
    preview = importing.build_preview(batch)
    assert preview.rows[0].title == "Cải cách tổ chức bộ máy hành chính nhà nước"
    assert preview.rows[0].area == area(plan, 3)
    assert preview.task_rows[0].lead == departments["VP"]  # not the group's text repeated across the merge
    assert preview.task_rows[0].due == datetime.date(2019, 9, 30)


def test_a_vertically_merged_lead_cell_applies_to_every_row_it_spans(plan, clerk, departments):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["I", "Cải cách thủ tục hành chính"])
    sheet.append(["1", "Rà soát TTHC đăng ký doanh nghiệp", "Phòng Đăng ký kinh doanh", "", "Quý II", ""])
    sheet.append(["2", "Công khai TTHC", None, "", "Quý III", ""])
    sheet.merge_cells("C3:C4")
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = importing.import_prepare(plan=plan, by=clerk, upload=upload("gop.xlsx", buffer.getvalue()))
    leads = [row.lead for row in importing.build_preview(batch).task_rows]
    assert leads == [departments["ĐKKD"], departments["ĐKKD"]]


def test_rows_without_a_number_are_numbered_after_the_row_before(plan, clerk, departments):
    rows = [
        group("I", "Cải cách thể chế"),
        ("1", "Rà soát văn bản", "Văn phòng Sở", "", "Quý I", ""),
        ("", "Tự kiểm tra văn bản", "Văn phòng Sở", "", "Quý II", ""),
        ("", "Hệ thống hóa văn bản", "Văn phòng Sở", "", "Quý III", ""),
        ("2", "Theo dõi thi hành pháp luật", "Văn phòng Sở", "", "Quý IV", ""),
    ]
    client = client_for(clerk)
    batch = upload_ok(client, plan, "so.xlsx", build_xlsx(rows))
    preview = importing.build_preview(batch)
    assert [row.number for row in preview.task_rows] == ["1", "1.1", "1.2", "2"]
    page = client.get(preview_url(plan, batch)).content.decode()
    assert "Dòng không có số thứ tự: đánh số 1.1 tiếp theo dòng trước trong cùng mục." in page


def test_task_rows_before_any_group_belong_to_no_section_and_may_get_an_area(plan, clerk, departments):
    content = build_xlsx([("1", "Rà soát văn bản", "Văn phòng Sở", "", "Quý I", "")])
    client = client_for(clerk)
    batch = upload_ok(client, plan, "khong-muc.xlsx", content)
    assert confirm(client, plan, batch, **{"area-0": area(plan, 1).pk}).status_code == 302
    task = Task.objects.get()
    assert (task.section, task.area) == (None, area(plan, 1))


def test_errors_in_the_file_are_shown_on_their_row_and_block_the_confirmation(plan, clerk, departments):
    rows = [
        group("I", "Cải cách thể chế"),
        ("1", "Rà soát văn bản", "Văn phòng Sở", "", "sớm nhất có thể", ""),
        ("2", "", "Văn phòng Sở", "", "Quý II", ""),
        ("3", "Hệ thống hóa văn bản", "", "", "", ""),
        ("1", "Theo dõi thi hành pháp luật", "Văn phòng Sở", "", "Quý IV", ""),
    ]
    client = client_for(clerk)
    batch = upload_ok(client, plan, "loi.xlsx", build_xlsx(rows))
    response = client.get(preview_url(plan, batch))
    page = response.content.decode()
    # A phrase naming no date and an empty cell are warnings: the row imports without a due date.
    assert "Thời hạn “sớm nhất có thể” không chỉ một ngày cụ thể" in page
    assert "Không ghi thời hạn: nhiệm vụ được nhập với “Chưa xác định thời hạn”." in page
    assert "Thiếu nội dung nhiệm vụ." in page
    assert "Thiếu cơ quan, đơn vị chủ trì." in page
    assert "Số thứ tự 1 trùng với dòng" in page
    assert 'id="confirm-import" disabled' in page
    assert response.context["preview"].counts["error"] == 3

    response = confirm(client, plan, batch)  # the server refuses too
    assert response.status_code == 200
    assert "Còn 3 dòng có lỗi" in response.content.decode()
    assert not Task.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW


# Re-importing -------------------------------------------------------------------------------------


def test_importing_the_same_file_again_updates_instead_of_duplicating(plan, clerk, departments):
    client = client_for(clerk)
    content = build_docx(SKHDT_ROWS)
    confirm(client, plan, upload_ok(client, plan, "phu-luc.docx", content))
    again = upload_ok(client, plan, "phu-luc.docx", content)
    preview = client.get(preview_url(plan, again)).context["preview"]
    assert preview.counts == {"new": 0, "update": 0, "same": 4, "error": 0}
    response = confirm(client, plan, again)
    assert "0 nhiệm vụ mới, 0 nhiệm vụ được cập nhật, 4 không đổi" in str(
        list(response.wsgi_request._messages)[0]
    )
    assert Task.objects.count() == 4
    assert TaskEvent.objects.count() == 4


def test_a_changed_deadline_and_lead_are_recorded_with_the_file_as_reason(plan, clerk, departments):
    client = client_for(clerk)
    confirm(client, plan, upload_ok(client, plan, "phu-luc.docx", build_docx(SKHDT_ROWS)))
    changed = list(SKHDT_ROWS)
    changed[5] = ("3", changed[5][1], "Văn phòng Sở", "", "Quý IV/2019", "Báo cáo rà soát")
    batch = upload_ok(client, plan, "phu-luc-sua.docx", build_docx(changed))
    preview = client.get(preview_url(plan, batch)).context["preview"]
    row = next(row for row in preview.task_rows if row.number == "3")
    assert row.status == "update"
    assert row.changes == ["đơn vị chủ trì", "đơn vị phối hợp", "thời hạn"]
    response = confirm(client, plan, batch)
    assert "0 nhiệm vụ mới, 1 nhiệm vụ được cập nhật, 3 không đổi" in str(
        list(response.wsgi_request._messages)[0]
    )
    task = Task.objects.get(plan=plan, number="3")
    assert task.lead_department == departments["VP"]
    assert task.due_date == datetime.date(2019, 12, 31)
    assert not task.coordinating_departments.exists()
    reasons = dict(task.events.exclude(kind=TaskEvent.Kind.IMPORTED).values_list("kind", "reason"))
    assert reasons == {
        TaskEvent.Kind.LEAD: "Cập nhật từ phụ lục phu-luc-sua.docx",
        TaskEvent.Kind.DEADLINE: "Cập nhật từ phụ lục phu-luc-sua.docx",
    }
    assert task.deadlines.count() == 2


def test_a_column_missing_from_the_file_leaves_that_field_alone(plan, clerk, departments):
    task = make_task(
        plan, departments["ĐKKD"], number="1", by=clerk, area_position=1, content="Rà soát văn bản"
    )
    task.coordinating_departments.set([departments["VP"]])
    header = ["TT", "Nội dung", "Chủ trì", "Thời hạn"]
    content = build_xlsx(
        [group("I", "Cải cách thể chế"), ("1", "Rà soát văn bản", "Phòng Đăng ký kinh doanh", "Quý II/2019")],
        header=header,
    )
    batch = importing.import_prepare(plan=plan, by=clerk, upload=upload("ngan.xlsx", content))
    assert importing.build_preview(batch).task_rows[0].status == "same"
    importing.import_confirm(batch=batch, by=clerk)
    assert list(task.coordinating_departments.all()) == [departments["VP"]]
    task.refresh_from_db()
    assert task.expected_output == "Báo cáo kết quả rà soát"


# Departments ----------------------------------------------------------------------------------


def test_department_names_match_exactly_ignoring_case_diacritics_and_generic_words(departments):
    matcher = importing.DepartmentMatcher(departments.values())
    assert matcher.match("Phòng Đăng ký kinh doanh") == (departments["ĐKKD"], "exact")
    assert matcher.match("PHÒNG ĐĂNG KÝ KINH DOANH") == (departments["ĐKKD"], "folded")
    assert matcher.match("phong dang ky kinh doanh") == (departments["ĐKKD"], "folded")
    assert matcher.match("Đăng ký kinh doanh") == (departments["ĐKKD"], "key")
    assert matcher.match("Phòng ĐKKD") == (departments["ĐKKD"], "key")
    assert matcher.match("Phòng TH-QH") == (departments["THQH"], "key")
    assert matcher.match("Văn phòng") == (departments["VP"], "key")  # "Văn phòng Sở" keeps its "Văn phòng"
    assert matcher.match("Thanh tra") == (departments["TTr"], "key")
    assert matcher.match("Phòng Tổng hợp - Quy hoạch") == (departments["THQH"], "folded")
    assert matcher.match("Phòng Tin học") == (None, "")
    assert matcher.suggest("Phòng Đăng ký KD") == departments["ĐKKD"]
    assert matcher.suggest("Hội đồng thi đua") is None


def test_a_cell_of_several_departments_is_split_without_breaking_names(departments):
    matcher = importing.DepartmentMatcher(departments.values())
    text = "Phòng Tổng hợp, Quy hoạch; Văn phòng Sở và Thanh tra Sở,\nSở Văn hóa, Thể thao và Du lịch"
    assert matcher.split(text) == [
        "Phòng Tổng hợp, Quy hoạch",
        "Văn phòng Sở",
        "Thanh tra Sở",
        "Sở Văn hóa, Thể thao và Du lịch",
    ]
    assert matcher.split("Các phòng, đơn vị thuộc Sở") == ["Các phòng, đơn vị thuộc Sở"]


def test_an_unknown_department_is_mapped_by_the_clerk_in_the_preview(plan, clerk, departments):
    rows = [
        group("II", "Cải cách thủ tục hành chính"),
        ("1", "Rà soát TTHC", "Phòng Đăng ký KD", "UBND các huyện; Phòng Tin học", "Quý II", ""),
    ]
    client = client_for(clerk)
    batch = upload_ok(client, plan, "tenla.xlsx", build_xlsx(rows))
    names = {entry["name"]: (index, entry) for index, entry in enumerate(batch.department_names)}
    lead_index, lead = names["Phòng Đăng ký KD"]
    assert lead["suggestion"] == departments["ĐKKD"].pk  # preselected: really close
    page = client.get(preview_url(plan, batch)).content.decode()
    assert "Cơ quan, đơn vị ghi trong tệp" in page
    assert f'<option value="{departments["ĐKKD"].pk}" selected>Phòng Đăng ký kinh doanh</option>' in page
    assert names["UBND các huyện"][1]["meaning"] == "outside"  # kept by its name, never a guess
    assert names["Phòng Tin học"][1]["meaning"] == "outside"

    tin_hoc = names["Phòng Tin học"][0]
    choices = {f"name-{lead_index}": departments["ĐKKD"].pk, f"name-{tin_hoc}": departments["VP"].pk}
    assert confirm(client, plan, batch, **choices).status_code == 302
    task = Task.objects.get()
    assert task.lead_department == departments["ĐKKD"]
    assert list(task.coordinating_departments.all()) == [departments["VP"]]
    assert task.outside_coordinators == "UBND các huyện"


def test_an_outside_lead_needs_a_department_to_follow_it_up(plan, clerk, departments):
    rows = [
        group("II", "Cải cách thủ tục hành chính"),
        ("1", "Rà soát TTHC", "Tổ công tác", "", "Quý II", ""),
    ]
    client = client_for(clerk)
    batch = upload_ok(client, plan, "to.xlsx", build_xlsx(rows))
    page = client.get(preview_url(plan, batch)).content.decode()
    assert 'value="all"' not in page  # every department cannot lead
    assert "Chọn đơn vị theo dõi, đôn đốc nhiệm vụ do “Tổ công tác” chủ trì." in page
    assert confirm(client, plan, batch, **{"name-0": "outside"}).status_code == 200
    assert not Task.objects.exists()
    assert confirm(client, plan, batch, **{"follow-0": departments["VP"].pk}).status_code == 302
    task = Task.objects.get()
    assert (task.lead_name, task.lead_department) == ("Tổ công tác", departments["VP"])


def test_section_titles_match_reform_areas_by_name_similarity(plan):
    areas = list(plan.area_set.areas.all())
    assert importing.match_area("CẢI CÁCH THỂ CHẾ", areas) == area(plan, 1)
    assert importing.match_area("Công tác chỉ đạo, điều hành CCHC", areas) == area(plan, 0)
    assert importing.match_area("Cải cách tổ chức bộ máy", areas) == area(plan, 3)
    assert importing.match_area("Xây dựng, nâng cao chất lượng đội ngũ CBCCVC", areas) == area(plan, 4)
    assert importing.match_area("Hiện đại hóa nền hành chính", areas) == area(plan, 6)
    assert importing.match_area("Kinh tế số", areas) is None


# Bad files -------------------------------------------------------------------------------------------


def test_a_word_file_without_a_table_is_refused(plan, clerk):
    import docx

    document = docx.Document()
    document.add_paragraph("Kế hoạch không có bảng phụ lục.")
    buffer = io.BytesIO()
    document.save(buffer)
    response = post_upload(client_for(clerk), plan, "khong-bang.docx", buffer.getvalue())
    assert refused(response).startswith("Tệp Word không có bảng nào.")
    assert "Tệp Word không có bảng nào." in response.content.decode()


def test_a_sheet_without_a_recognisable_header_is_refused(plan, clerk):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Họ tên", "Ngày sinh", "Quê quán"])
    workbook.active.append(["Nguyễn Văn A", "01/01/1990", "Vĩnh Phúc"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = post_upload(client_for(clerk), plan, "danh-sach.xlsx", buffer.getvalue())
    assert refused(response).startswith("Không tìm thấy dòng tiêu đề của bảng nhiệm vụ trong trang tính nào.")


def test_a_pdf_is_refused_by_its_content(plan, clerk):
    response = post_upload(client_for(clerk), plan, "phu-luc.pdf", b"%PDF-1.4\n" + b"0" * 500)
    assert "không phải tài liệu Word (.docx) hay bảng tính Excel (.xlsx) (nội dung là tệp pdf)" in refused(
        response
    )


def test_a_renamed_program_is_refused_whatever_its_name(plan, clerk):
    response = post_upload(client_for(clerk), plan, "phu-luc.xlsx", b"MZ\x90\x00" + b"\x00" * 500)
    assert refused(response).startswith(
        "Tệp “phu-luc.xlsx” không phải tài liệu Word (.docx) hay bảng tính Excel"
    )


def test_a_corrupt_archive_is_refused_as_damaged(plan, clerk):
    content = build_xlsx(SKHDT_ROWS)
    response = post_upload(client_for(clerk), plan, "hong.xlsx", content[: len(content) // 2])
    assert "bị hỏng" in refused(response)


def test_an_archive_with_a_damaged_document_inside_is_refused_as_damaged(plan, clerk):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document><w:body><w:tbl>")
    response = post_upload(client_for(clerk), plan, "hong.docx", buffer.getvalue())
    assert "bị hỏng" in refused(response)


def test_an_oversized_file_is_refused_with_its_size(plan, clerk):
    content = b"PK\x03\x04" + b"0" * (10 * 1024 * 1024 + 1)
    response = post_upload(client_for(clerk), plan, "lon.xlsx", content)
    assert refused(response) == "Tệp “lon.xlsx” nặng 10,0 MB, vượt giới hạn 10 MB của tệp phụ lục."


def test_an_empty_upload_and_no_file_are_refused(plan, clerk):
    client = client_for(clerk)
    assert refused(post_upload(client, plan, "rong.xlsx", b"")) == "Tệp tải lên rỗng."
    response = client.post(reverse("tasks:import", args=[plan.pk]), {})
    assert refused(response) == "Chọn tệp phụ lục (.docx hoặc .xlsx) để tải lên."


def test_a_sheet_of_5000_tasks_is_refused_quickly_and_clearly(plan, clerk, departments):
    rows = [group("I", "Cải cách thể chế")] + [
        (str(n), f"Nhiệm vụ {n}", "Văn phòng Sở", "", "Quý II", "") for n in range(1, 5001)
    ]
    content = build_xlsx(rows)
    started = time.perf_counter()
    response = post_upload(client_for(clerk), plan, "rat-lon.xlsx", content)
    assert time.perf_counter() - started < 10
    assert refused(response) == (
        "Bảng có hơn 2.000 dòng nhiệm vụ; mỗi lần nhập nhận tối đa 2.000 nhiệm vụ. "
        "Hãy tách phụ lục thành nhiều tệp (nhập lại không tạo trùng nhiệm vụ)."
    )


def test_a_sheet_with_a_huge_merged_range_is_refused_before_it_is_loaded(plan, clerk):
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"</worksheet>",
                    b'<mergeCells count="1"><mergeCell ref="A2:XFD1048576"/></mergeCells></worksheet>',
                )
            archive.writestr(info, data)
    response = post_upload(client_for(clerk), plan, "bom.xlsx", patched.getvalue())
    assert refused(response).startswith("Bảng tính có vùng gộp ô bất thường")


def test_the_template_reads_back_as_a_valid_annex(plan, clerk, departments):
    response = client_for(clerk).get(reverse("tasks:import_template"))
    batch = importing.import_prepare(plan=plan, by=clerk, upload=upload("mau.xlsx", response.content))
    preview = importing.build_preview(batch)
    assert preview.rows[0].area == area(plan, 0)
    labels = {row.section: row.label for row in preview.group_rows}
    assert [(labels[row.section], row.number) for row in preview.task_rows] == [
        ("I", "1"),
        ("I", "2"),
        ("II.1", "1"),
        ("II.1", "2"),
    ]
    assert {row.status for row in preview.task_rows[:2]} == {"new"}
    assert preview.task_rows[0].due == datetime.date(2019, 3, 31)
    assert preview.task_rows[3].outside_lead == "Trung tâm Phục vụ hành chính công tỉnh"


# The write ----------------------------------------------------------------------------------------


def test_a_failure_while_writing_leaves_no_task_created(plan, clerk, departments, monkeypatch):
    """Creations happen first; an update failing afterwards takes them back with it."""
    make_task(plan, departments["ĐKKD"], number="3", by=clerk, deadline_text="Quý I/2019")
    client = client_for(clerk)
    batch = upload_ok(client, plan, "phu-luc.docx", build_docx(SKHDT_ROWS))
    assert client.get(preview_url(plan, batch)).context["preview"].counts == {
        "new": 3,
        "update": 1,
        "same": 0,
        "error": 0,
    }

    def failing_update(**kwargs):
        raise ValidationError("Lỗi giả lập khi ghi.")

    monkeypatch.setattr(services, "tasks_bulk_update", failing_update)
    response = confirm(client, plan, batch)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chưa nhập được: Lỗi giả lập khi ghi. Chưa có nhiệm vụ nào được ghi." in page
    assert list(Task.objects.values_list("number", flat=True)) == ["3"]
    assert Task.objects.get().due_date == datetime.date(2019, 3, 31)  # the deadline change was rolled back
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW


def test_a_failure_inside_the_bulk_write_leaves_no_task_created(plan, clerk, departments, monkeypatch):
    client = client_for(clerk)
    batch = upload_ok(client, plan, "phu-luc.docx", build_docx(SKHDT_ROWS))
    calls = []

    def failing_events(self, objs, *args, **kwargs):
        calls.append(len(list(objs)))
        raise ValidationError("Lỗi giả lập khi ghi lịch sử.")

    monkeypatch.setattr(type(TaskEvent.objects), "bulk_create", failing_events)
    assert confirm(client, plan, batch).status_code == 200
    assert calls == [4]  # the tasks had been written when it failed
    assert not Task.objects.exists()
    assert ImportBatch.objects.get().status == ImportBatch.Status.PREVIEW


def test_confirming_twice_imports_once(plan, clerk, departments):
    client = client_for(clerk)
    batch = upload_ok(client, plan, "phu-luc.docx", build_docx(SKHDT_ROWS))
    assert confirm(client, plan, batch).status_code == 302
    second = confirm(client, plan, batch)
    assert second.status_code == 302
    assert second["Location"] == reverse("tasks:plan_tasks", args=[plan.pk])
    assert Task.objects.count() == 4
    assert TaskEvent.objects.count() == 4
    with pytest.raises(importing.AlreadyImported):
        importing.import_confirm(batch=batch, by=clerk)


def test_a_discarded_batch_cannot_be_confirmed(plan, clerk, departments):
    client = client_for(clerk)
    batch = upload_ok(client, plan, "phu-luc.docx", build_docx(SKHDT_ROWS))
    response = client.post(preview_url(plan, batch), {"action": "discard"})
    assert response["Location"] == reverse("tasks:import", args=[plan.pk])
    assert confirm(client, plan, batch)["Location"] == reverse("tasks:import", args=[plan.pk])
    assert not Task.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DISCARDED


def test_a_batch_of_another_plan_is_not_found(plan, draft_plan, clerk, departments):
    client = client_for(clerk)
    batch = upload_ok(client, plan, "phu-luc.docx", build_docx(SKHDT_ROWS))
    assert client.get(preview_url(draft_plan, batch)).status_code == 404


def test_an_ended_plan_takes_no_import(plan, clerk, departments):
    plan.status = plan.Status.CLOSED
    plan.save(update_fields=["status"])
    client = client_for(clerk)
    response = post_upload(client, plan, "phu-luc.docx", build_docx(SKHDT_ROWS))
    assert response.status_code == 200
    assert "Kế hoạch đã kết thúc, không nhập thêm nhiệm vụ." in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_batch_cannot_be_confirmed_once_the_plan_has_ended(plan, clerk, departments):
    client = client_for(clerk)
    batch = upload_ok(client, plan, "phu-luc.docx", build_docx(SKHDT_ROWS))
    plan.status = plan.Status.CLOSED
    plan.save(update_fields=["status"])
    response = confirm(client, plan, batch)
    assert "Kế hoạch đã kết thúc, không nhập thêm nhiệm vụ." in response.content.decode()
    assert not Task.objects.exists()
    assert ImportBatch.objects.get().status == ImportBatch.Status.PREVIEW


def test_applying_choices_keeps_them_and_shows_the_rows_again(plan, clerk, departments):
    client = client_for(clerk)
    content = build_xlsx(
        [group("I", "Kinh tế số"), ("1", "Kinh tế số chiếm 45% GRDP", "Văn phòng Sở", "", "Năm 2019", "")]
    )
    batch = upload_ok(client, plan, "kts.xlsx", content)
    modern = area(plan, 6)
    response = client.post(preview_url(plan, batch), {"action": "apply", "area-0": modern.pk})
    assert response["Location"] == preview_url(plan, batch)
    page = client.get(preview_url(plan, batch))
    assert f'<option value="{modern.pk}" selected>' in page.content.decode()
    assert page.context["preview"].counts == {"new": 1, "update": 0, "same": 0, "error": 0}
    assert not Task.objects.exists()


def test_a_header_repeated_inside_the_table_is_not_a_task(plan, clerk, departments):
    rows = [
        group("I", "Cải cách thể chế"),
        ("1", "A", "Văn phòng Sở", "", "Quý I", ""),
        tuple(HEADER),
        ("2", "B", "Văn phòng Sở", "", "Quý II", ""),
    ]
    batch = importing.import_prepare(plan=plan, by=clerk, upload=upload("trang.docx", build_docx(rows)))
    assert [row.number for row in importing.build_preview(batch).task_rows] == ["1", "2"]


def test_the_preview_query_count_is_pinned(plan, clerk, departments, django_assert_num_queries):
    client = client_for(clerk)
    batch = upload_ok(client, plan, "phu-luc.docx", build_docx(SKHDT_ROWS))
    client.get(preview_url(plan, batch))
    # session, user, plan, batch, departments, areas, sections, tasks, their coordinating units
    with django_assert_num_queries(9):
        client.get(preview_url(plan, batch))


def test_preview_queries_do_not_grow_with_rows(plan, clerk, departments):
    client = client_for(clerk)

    def rows(count):
        return [group("I", "Cải cách thể chế")] + [
            (str(n), f"Nhiệm vụ {n}", "Văn phòng Sở", "Thanh tra Sở", "Quý II", "")
            for n in range(1, count + 1)
        ]

    small = upload_ok(client, plan, "nho.xlsx", build_xlsx(rows(2)))
    big = upload_ok(client, plan, "lon.xlsx", build_xlsx(rows(60)))
    counts = []
    for batch in (small, big):
        with CaptureQueriesContext(connection) as context:
            assert client.get(preview_url(plan, batch)).status_code == 200
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1]


def test_the_upload_page_explains_the_columns_and_links_the_template(plan, clerk):
    page = client_for(clerk).get(reverse("tasks:import", args=[plan.pk])).content.decode()
    for words in ("Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Sản phẩm"):
        assert words in page
    assert reverse("tasks:import_template") in page


def test_measure_import_times_each_step_and_leaves_the_plan_as_it_was(plan, clerk, departments):
    timings = importing.measure_import(plan, clerk, rows=30)
    assert set(timings) == {"parse", "preview", "confirm", "total"}
    assert all(seconds > 0 for seconds in timings.values())
    assert not Task.objects.exists()
    assert not ImportBatch.objects.exists()


def test_a_title_above_the_header_is_skipped(plan, clerk, departments):
    content = build_xlsx(SKHDT_ROWS, title=TITLE + ["", "Ghi chú: số liệu tạm tính"])
    batch = importing.import_prepare(plan=plan, by=clerk, upload=upload("tieu-de.xlsx", content))
    assert len(importing.build_preview(batch).task_rows) == 4


def test_an_empty_row_between_tasks_is_skipped(plan, clerk, departments):
    rows = [
        group("I", "Cải cách thể chế"),
        ("1", "A", "Văn phòng Sở", "", "Quý I", ""),
        EMPTY,
        EMPTY,
        ("2", "B", "Văn phòng Sở", "", "Quý II", ""),
    ]
    batch = importing.import_prepare(plan=plan, by=clerk, upload=upload("trong.docx", build_docx(rows)))
    assert [row.number for row in importing.build_preview(batch).task_rows] == ["1", "2"]
    assert batch.result["skipped_empty"] == 2

"""The periodic CCHC report: windows, figures, drafted texts, snapshot, issuing, pages."""

import dataclasses
import datetime
import re
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role, User
from cchc.periods import reporting_window
from cchc.printing.document import GroupRow, Heading, Paragraph, Table
from dashboards.figures import summary
from plans.models import Plan, ReformArea
from reports.document import build_report_document, report_print_problems
from reports.drafting import DRAFT_LINES, draft_texts, next_period_range
from reports.models import PeriodicReport, PeriodicReportChange
from reports.services import report_create, report_issue, report_refresh, report_update
from reports.snapshot import area_figures, deadline_shown, read_snapshot
from tasks import services
from tasks.models import Task, TaskDeadline
from tests.conftest import client_for, demo_settings, make_task, make_user

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date


def at(y, m, d, h=9):
    return datetime.datetime(y, m, d, h, tzinfo=HANOI)


def on_day(y, m, d):
    return time_machine.travel(at(y, m, d, 10), tick=False)


@pytest.mark.parametrize(
    ("kind", "window"),
    [
        ("q1", (D(2018, 12, 15), D(2019, 3, 14))),
        ("half_year", (D(2018, 12, 15), D(2019, 6, 14))),
        ("q3", (D(2019, 6, 15), D(2019, 9, 14))),
        ("year", (D(2018, 12, 15), D(2019, 12, 14))),
    ],
)
def test_each_period_has_the_window_of_the_ministry(kind, window):
    assert reporting_window(kind, 2019) == window


def test_a_custom_range_has_no_standard_window():
    with pytest.raises(ValueError):
        reporting_window("custom", 2019)


# Fixtures ------------------------------------------------------------------------------------------


@pytest.fixture
def no_evidence_rule(agency):
    agency.completion_requires_evidence = False
    agency.save()


def progress(task, by, percent, when, narrative, result=""):
    return services.progress_report(
        task=task, by=by, percent=percent, narrative=narrative, result=result, at=when
    )


@pytest.fixture
def history(
    plan, department, coordinating_department, clerk, staff, dept_head, coordinator, no_evidence_rule
):
    """Tasks in two areas with reports before, inside and after the 6-month window (15/12/2018–14/6/2019).

    Area 2: task 1 reported in January and again in May (done in May), task 2 reported only in
    July, task 3 due in April and never done (overdue on 14/6), task 5 due in September.
    Area 3: task 4 reported in November 2018, before the window."""

    def task(number, lead, deadline, area, content):
        return make_task(
            plan, lead, number=number, deadline_text=deadline, area_position=area, by=clerk, content=content
        )

    tasks = {
        1: task("1", department, "Tháng 6/2019", 2, "Rà soát thủ tục đăng ký doanh nghiệp"),
        2: task("2", department, "Quý III/2019", 2, "Công bố thủ tục đầu tư mới"),
        3: task("3", department, "Tháng 4/2019", 2, "Số hóa hồ sơ đăng ký kinh doanh"),
        4: task("4", coordinating_department, "Quý IV/2019", 3, "Sắp xếp tổ chức các phòng"),
        5: task("5", coordinating_department, "Tháng 9/2019", 2, "Đánh giá mức độ hài lòng"),
    }
    progress(tasks[1], staff, 40, at(2019, 1, 10), "Đã rà soát 20 thủ tục")
    report = progress(tasks[1], staff, 100, at(2019, 5, 20), "Đã rà soát xong 45 thủ tục", "Báo cáo 12/BC")
    services.progress_approve(report=report, by=dept_head, at=at(2019, 5, 22))
    progress(tasks[2], staff, 30, at(2019, 7, 2), "Đang dự thảo quyết định công bố")
    progress(tasks[4], coordinator, 20, at(2018, 11, 20), "Đã lấy ý kiến các phòng")
    return tasks


@pytest.fixture
def half_year(plan, clerk, history):
    with on_day(2019, 6, 18):
        return report_create(plan=plan, by=clerk, period="half_year", year=2019)


def area_text(report, position):
    area = ReformArea.objects.get(area_set=report.plan.area_set, position=position)
    return next(entry for entry in report.area_texts if entry["area_id"] == area.pk)


def figures_dict(figures):
    return dataclasses.asdict(figures)


# Figures -------------------------------------------------------------------------------------------


def test_the_demo_half_year_report_has_the_dashboard_figures_of_14_june(db, tmp_path):
    with demo_settings(tmp_path), on_day(2026, 10, 15):
        call_command("load_demo", stdout=StringIO())
        plan = Plan.objects.get(agency__code="SKHĐT", number=14, year=2019)
        clerk = User.objects.get(agency=plan.agency, role=Role.CLERK, username="vanthu")
        report = report_create(
            plan=plan, by=clerk, period="half_year", year=2019, replace_reason="Lập lại để đối chiếu số liệu."
        )
        expected = summary(Task.objects.filter(plan=plan), D(2019, 6, 14))
        document = build_report_document(report)

    view = read_snapshot(report)
    assert expected.plan.total > 0
    assert figures_dict(view.figures) == figures_dict(expected.plan)
    assert [figures_dict(row) for row in area_figures(report)] == [
        figures_dict(row) for row in expected.areas
    ]
    assert view.task_count == Task.objects.filter(plan=plan).count() == 56
    assert report.symbol == "BC-SKHĐT" and (report.starts_on, report.ends_on) == (
        D(2018, 12, 15),
        D(2019, 6, 14),
    )
    assert document.summary == "Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2019"
    table = document.appendices[0].blocks[0]
    assert len([row for row in table.rows if not isinstance(row, GroupRow)]) == 56
    sentence = next(
        block.text for block in document.body if isinstance(block, Paragraph) and "Tổng số" in block.text
    )
    assert f"Tổng số nhiệm vụ theo kế hoạch: {expected.plan.total} nhiệm vụ" in sentence
    assert f"đã hoàn thành {expected.plan.done} nhiệm vụ" in sentence


def test_the_figures_follow_the_taxonomy_at_the_end_of_the_window(half_year):
    figures = read_snapshot(half_year).figures
    # on 14/6/2019: task 1 done on time (20/5 ≤ 30/6), 2 in its deadline and not yet reported,
    # 3 overdue, 4 reported in 2018 (in its deadline), 5 not started
    assert (figures.total, figures.done_on_time, figures.open_overdue) == (5, 1, 1)
    assert (figures.open_on_time, figures.not_started) == (1, 2)


# Drafted texts -------------------------------------------------------------------------------------


def test_a_report_drafted_before_its_window_ends_states_the_figures_of_today(plan, clerk, history):
    with on_day(2019, 5, 10):
        report = report_create(plan=plan, by=clerk, period="half_year", year=2019)
    view = read_snapshot(report)
    assert view.as_of == D(2019, 5, 10)
    assert view.figures.open_overdue == 1  # task 3, due 30/4; nothing due between 10/5 and 14/6 counts
    assert "Đến ngày 10 tháng 5 năm 2019" in build_report_document(report).body[3].text


def test_the_drafted_results_come_from_the_narratives_inside_the_window(half_year):
    results = area_text(half_year, 2)["results"]
    # the latest narrative of task 1 in the window; nothing of its earlier one, of July or of 2018
    assert results == "- Rà soát thủ tục đăng ký doanh nghiệp: Đã rà soát xong 45 thủ tục."
    assert "20 thủ tục" not in results and "dự thảo quyết định" not in results
    assert area_text(half_year, 3)["results"] == ""


def test_the_drafted_shortcomings_name_the_overdue_tasks_and_their_lead(half_year):
    shortcomings = area_text(half_year, 2)["shortcomings"]
    assert shortcomings == (
        "- Số hóa hồ sơ đăng ký kinh doanh (Phòng Đăng ký kinh doanh chủ trì; thời hạn: Tháng 4/2019): "
        "chưa hoàn thành, quá hạn 45 ngày."
    )


def test_the_next_period_lists_the_open_tasks_coming_due(half_year):
    assert next_period_range(half_year) == (D(2019, 6, 15), D(2019, 9, 30))
    assert half_year.next_tasks.splitlines() == [
        "- Công bố thủ tục đầu tư mới (Phòng Đăng ký kinh doanh chủ trì; thời hạn: Quý III/2019).",
        "- Đánh giá mức độ hài lòng (Phòng Tổng hợp, Quy hoạch chủ trì; thời hạn: Tháng 9/2019).",
    ]
    assert (
        "Sở Kế hoạch và Đầu tư báo cáo kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2019"
        in (half_year.introduction)
    )


def test_edited_texts_are_kept_and_printed(half_year, clerk):
    area = area_text(half_year, 2)
    report_update(
        report=half_year,
        by=clerk,
        difficulties="Thiếu nhân lực số hóa.",
        area_texts=[{"area_id": area["area_id"], "results": "Kết quả đã biên tập.", "shortcomings": ""}],
    )
    report = PeriodicReport.objects.get(pk=half_year.pk)
    assert area_text(report, 2)["results"] == "Kết quả đã biên tập."
    assert area_text(report, 2)["shortcomings"] == ""
    assert area_text(report, 3) == area_text(half_year, 3)
    texts = [block.text for block in build_report_document(report).body if isinstance(block, Paragraph)]
    assert "Kết quả đã biên tập." in texts and "Thiếu nhân lực số hóa." in texts


def test_the_edit_page_saves_the_area_texts(half_year, clerk):
    client = client_for(clerk)
    url = reverse("reports:update", args=[half_year.pk])
    form = client.get(url).context["form"]
    data = {name: field.value() or "" for name, field in ((name, form[name]) for name in form.fields)}
    data["issued_on"] = "20/06/2019"
    area = area_text(half_year, 2)
    data[f"ket_qua_{area['area_id']}"] = "Đã rà soát 45 thủ tục, đề nghị bãi bỏ 3."
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    report = PeriodicReport.objects.get(pk=half_year.pk)
    assert area_text(report, 2)["results"] == "Đã rà soát 45 thủ tục, đề nghị bãi bỏ 3."
    assert report.issued_on == D(2019, 6, 20)


# Snapshot ------------------------------------------------------------------------------------------


def test_a_change_to_the_tasks_after_drafting_does_not_change_the_document(half_year, history, clerk, staff):
    before = build_report_document(PeriodicReport.objects.get(pk=half_year.pk))
    services.task_update(task=history[3], by=clerk, content="Nội dung đã đổi")
    services.task_change_deadline(task=history[3], by=clerk, deadline_text="Tháng 12/2019", reason="Gia hạn")
    progress(history[3], staff, 50, at(2019, 6, 1), "Báo cáo bổ sung trong kỳ")
    after = build_report_document(PeriodicReport.objects.get(pk=half_year.pk))
    assert after == before
    assert after.cache_key() == before.cache_key()


def test_an_issued_report_prints_identically_after_the_tasks_change(half_year, history, clerk, staff):
    report_update(report=half_year, by=clerk, number=5, issued_on=D(2019, 6, 20))
    report = report_issue(report=half_year, by=clerk)
    before = build_report_document(PeriodicReport.objects.get(pk=report.pk))
    services.task_cancel(task=history[5], by=clerk, reason="Không còn phù hợp")
    progress(history[3], staff, 80, at(2019, 6, 10), "Gần xong")
    assert build_report_document(PeriodicReport.objects.get(pk=report.pk)) == before
    assert before.number_line == "Số: 05/BC-SKHĐT" and before.date == D(2019, 6, 20) and not before.draft


def test_refreshing_a_draft_takes_the_figures_again_and_keeps_the_edits(
    half_year, history, clerk, staff, dept_head
):
    area = area_text(half_year, 2)
    report_update(
        report=half_year,
        by=clerk,
        area_texts=[{"area_id": area["area_id"], "results": "Biên tập tay.", "shortcomings": "Không."}],
    )
    done = progress(history[3], staff, 100, at(2019, 6, 5), "Đã số hóa xong", "Kho dữ liệu")
    services.progress_approve(report=done, by=dept_head, at=at(2019, 6, 6))
    assert read_snapshot(PeriodicReport.objects.get(pk=half_year.pk)).figures.done_late == 0

    report = report_refresh(report=half_year, by=clerk)
    assert read_snapshot(report).figures.done_late == 1
    assert area_text(report, 2)["results"] == "Biên tập tay."

    report = report_refresh(report=report, by=clerk, redraft=True)
    assert "Số hóa hồ sơ đăng ký kinh doanh: Đã số hóa xong." in area_text(report, 2)["results"]


def test_refreshing_an_issued_report_is_refused(half_year, clerk):
    report_update(report=half_year, by=clerk, number=5, issued_on=D(2019, 6, 20))
    report_issue(report=half_year, by=clerk)
    with pytest.raises(ValidationError) as error:
        report_refresh(report=half_year, by=clerk)
    assert error.value.messages == ["Báo cáo đã ban hành: số liệu đã được chốt, không thể cập nhật."]

    response = client_for(clerk).post(reverse("reports:refresh", args=[half_year.pk]), follow=True)
    assert "Báo cáo đã ban hành: số liệu đã được chốt, không thể cập nhật." in response.content.decode()
    with pytest.raises(ValidationError):
        report_update(report=half_year, by=clerk, proposals="Sửa sau ban hành")


# Issuing and printing ------------------------------------------------------------------------------


def test_issuing_needs_a_number_and_a_date(half_year, leader):
    with pytest.raises(ValidationError) as error:
        report_issue(report=half_year, by=leader)
    assert (
        "Chưa có số báo cáo." in error.value.messages[0]
        and "Chưa có ngày ban hành." in error.value.messages[0]
    )
    assert PeriodicReport.objects.get(pk=half_year.pk).status == PeriodicReport.Status.DRAFT


def test_print_problems_name_each_missing_item(half_year):
    assert report_print_problems(half_year) == []  # a draft prints with blanks
    incomplete = PeriodicReport(
        agency=half_year.agency,
        plan=half_year.plan,
        status=PeriodicReport.Status.ISSUED,
        symbol="BC-SKHĐT",
        starts_on=half_year.starts_on,
        ends_on=half_year.ends_on,
        snapshot=half_year.snapshot,
    )
    assert report_print_problems(incomplete) == [
        "Chưa có số báo cáo.",
        "Chưa có ngày ban hành.",
        "Chưa có họ tên người ký.",
        "Chưa có chức vụ người ký.",
        "Chưa có nơi nhận.",
    ]
    incomplete.number, incomplete.issued_on = 3, D(2019, 6, 20)
    incomplete.signer_name = "Nguyễn Văn Thành"
    assert report_print_problems(incomplete) == ["Chưa có chức vụ người ký.", "Chưa có nơi nhận."]
    incomplete.signer_position, incomplete.recipients = "PHÓ GIÁM ĐỐC", "Sở Nội vụ\nLưu: VT, VP."
    assert report_print_problems(incomplete) == []


def test_the_document_follows_the_report_template(half_year):
    document = build_report_document(half_year)
    assert (document.type_name, document.parent_body, document.agency) == (
        "BÁO CÁO",
        "UBND TỈNH VĨNH PHÚC",
        "SỞ KẾ HOẠCH VÀ ĐẦU TƯ",
    )
    assert document.number_line == "Số:      /BC-SKHĐT" and document.date is None and document.draft
    assert document.signature.authority == "KT. GIÁM ĐỐC" and document.signature.position == "PHÓ GIÁM ĐỐC"
    assert document.recipients[-1] == "- Lưu: VT, VP."
    headings = [block.text for block in document.body if isinstance(block, Heading) and block.level == 1]
    assert headings == [
        "I. KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH",
        "II. KHÓ KHĂN, VƯỚNG MẮC",
        "III. NHIỆM VỤ TRỌNG TÂM KỲ TỚI",
        "IV. ĐỀ XUẤT, KIẾN NGHỊ",
    ]
    areas = [block.text for block in document.body if isinstance(block, Heading) and block.level == 2]
    assert areas[0] == "1. Tình hình thực hiện các nhiệm vụ của kế hoạch"
    assert len(areas) == 1 + len(half_year.area_texts) == 8
    assert any(isinstance(block, Table) for block in document.body)
    appendix = document.appendices[0]
    assert appendix.landscape and appendix.label == "Phụ lục"
    assert (
        appendix.attached_to
        == "(Kèm theo Báo cáo số      /BC-SKHĐT ngày      tháng      năm 2019 của Sở Kế hoạch và Đầu tư)"
    )
    table = appendix.blocks[0]
    assert [column.title for column in table.columns] == [
        "TT",
        "Nội dung nhiệm vụ",
        "Đơn vị chủ trì",
        "Thời hạn",
        "Tình trạng",
        "Kết quả",
    ]
    assert abs(sum(column.width for column in table.columns) - 1) < 1e-9
    assert [row.label for row in table.rows if isinstance(row, GroupRow)] == ["III", "IV"]
    rows = {row[0]: row for row in table.rows if not isinstance(row, GroupRow)}
    assert rows["1"][4:] == ("Đã hoàn thành đúng hạn", "Báo cáo 12/BC")
    assert rows["3"][4] == "Chưa hoàn thành, quá hạn"
    assert rows["4"][4:] == ("Chưa hoàn thành, trong hạn", "Đạt 20%: Đã lấy ý kiến các phòng")
    assert rows["2"][4:] == ("Chưa triển khai", "")  # its July report is after the window


@pytest.mark.parametrize(
    ("period", "wording"),
    [
        ("q1", "quý I năm 2019"),
        ("q3", "quý III năm 2019"),
        ("year", "năm 2019"),
    ],
)
def test_the_summary_names_the_period(plan, clerk, period, wording):
    report = report_create(plan=plan, by=clerk, period=period, year=2019)
    assert (
        build_report_document(report).summary == f"Kết quả thực hiện công tác cải cách hành chính {wording}"
    )


def test_a_custom_range_is_named_by_its_dates(plan, clerk):
    report = report_create(
        plan=plan, by=clerk, period="custom", starts_on=D(2019, 2, 1), ends_on=D(2019, 4, 30)
    )
    assert report.year == 2019
    assert build_report_document(report).summary == (
        "Kết quả thực hiện công tác cải cách hành chính từ ngày 01 tháng 02 năm 2019 đến ngày 30 tháng 4 năm 2019"
    )


# Forms and pages -----------------------------------------------------------------------------------


def create_url(plan):
    return reverse("reports:create", args=[plan.pk])


def test_a_new_report_leaves_its_number_and_date_to_the_signing(plan, clerk):
    """Điều 15 of Nghị định 30/2020: number and date are given when the report is signed; the edit
    page names the next free number as a hint."""
    with on_day(2019, 6, 18):
        first = report_create(plan=plan, by=clerk, period="q1", year=2019, number=4, issued_on=D(2019, 3, 18))
        form = client_for(clerk).get(create_url(plan)).context["form"]
        draft = report_create(plan=plan, by=clerk, period="half_year", year=2019)
        edit = client_for(clerk).get(reverse("reports:update", args=[draft.pk])).context["form"]
    assert first.number_symbol == "04/BC-SKHĐT"
    assert "number" not in form.initial and "issued_on" not in form.initial
    assert form.initial["symbol"] == "BC-SKHĐT"
    assert (draft.number, draft.issued_on) == (None, None)
    assert "Số tiếp theo còn trống năm 2019: 05/BC-SKHĐT." in edit.fields["number"].help_text


def test_the_leader_creates_a_report_from_the_form(plan, leader, history):
    response = client_for(leader).post(
        create_url(plan),
        {"period": "half_year", "year": "2019", "symbol": "BC-SKHĐT", "number": "", "issued_on": ""},
    )
    report = PeriodicReport.objects.get()
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    assert (report.period, report.number, report.created_by) == ("half_year", None, leader)


def test_a_duplicate_number_is_refused_with_the_input_kept(plan, clerk):
    report_create(plan=plan, by=clerk, period="q1", year=2019, number=7, issued_on=D(2019, 3, 18))
    response = client_for(clerk).post(
        create_url(plan),
        {
            "period": "half_year",
            "year": "2019",
            "number": "7",
            "symbol": "BC-SKHĐT",
            "issued_on": "20/06/2019",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["number"] == [
        "Số 07/BC-SKHĐT đã được dùng cho báo cáo quý I năm 2019 (ban hành năm 2019). Chọn số khác."
    ]
    page = response.content.decode()
    assert 'value="7"' in page and 'value="20/06/2019"' in page and "Chọn số khác" in page
    assert PeriodicReport.objects.count() == 1


def test_a_duplicate_number_is_refused_on_the_edit_page(plan, clerk):
    report_create(plan=plan, by=clerk, period="q1", year=2019, number=7, issued_on=D(2019, 3, 18))
    second = report_create(plan=plan, by=clerk, period="half_year", year=2019)
    client = client_for(clerk)
    url = reverse("reports:update", args=[second.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(number="7", issued_on="19/06/2019")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Chọn số khác" in response.context["form"].errors["number"][0]
    assert PeriodicReport.objects.get(pk=second.pk).number is None


def test_a_number_taken_in_the_meantime_is_a_form_error_not_a_crash(plan, clerk, monkeypatch):
    report_create(plan=plan, by=clerk, period="q1", year=2019, number=7, issued_on=D(2019, 3, 18))
    second = report_create(plan=plan, by=clerk, period="half_year", year=2019)
    monkeypatch.setattr(PeriodicReport, "validate_constraints", lambda self, exclude=None: None)  # the race
    with pytest.raises(ValidationError) as error:
        report_update(report=second, by=clerk, number=7, issued_on=D(2019, 6, 20))
    assert error.value.message_dict == {
        "number": ["Số này đã được dùng cho một báo cáo khác của cơ quan trong cùng năm ban hành."]
    }
    assert PeriodicReport.objects.get(pk=second.pk).number is None


def test_an_end_before_the_start_is_refused_and_nothing_is_saved(plan, clerk):
    response = client_for(clerk).post(
        create_url(plan),
        {
            "period": "custom",
            "year": "2019",
            "starts_on": "30/04/2019",
            "ends_on": "01/02/2019",
            "symbol": "BC-SKHĐT",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"] == [
        "Ngày kết thúc (01/02/2019) phải sau hoặc trùng ngày bắt đầu (30/04/2019)."
    ]
    with pytest.raises(ValidationError) as error:
        report_create(plan=plan, by=clerk, period="custom", starts_on=D(2019, 4, 30), ends_on=D(2019, 2, 1))
    assert error.value.message_dict == {
        "ends_on": ["Ngày kết thúc kỳ báo cáo phải sau hoặc trùng ngày bắt đầu."]
    }
    assert not PeriodicReport.objects.exists()


def test_a_standard_period_with_other_dates_is_refused_by_the_model(half_year):
    half_year.starts_on = D(2019, 1, 1)
    with pytest.raises(ValidationError) as error:
        half_year.full_clean()
    assert error.value.message_dict["period"] == ["Thời gian lấy số liệu không khớp với kỳ báo cáo đã chọn."]


def test_the_detail_page_shows_the_figures_and_texts(half_year, staff):
    response = client_for(staff).get(reverse("reports:detail", args=[half_year.pk]))
    page = response.content.decode()
    assert "Báo cáo kết quả thực hiện công tác CCHC 6 tháng đầu năm 2019" in page
    assert "Đã rà soát xong 45 thủ tục" in page and "quá hạn 45 ngày" in page
    assert 'data-testid="report-figures"' in page and "Tổng cộng" in page
    assert "Cập nhật số liệu" not in page  # staff read only


def test_the_plan_page_links_to_its_reports(plan, staff):
    page = client_for(staff).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert reverse("reports:list", args=[plan.pk]) in page and "Báo cáo CCHC" in page


def test_the_issue_page_reports_what_is_missing(half_year, clerk):
    response = client_for(clerk).post(reverse("reports:issue", args=[half_year.pk]), follow=True)
    assert "Chưa thể ban hành: Chưa có số báo cáo. Chưa có ngày ban hành." in response.content.decode()


# Query counts --------------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_pages_cost_the_same_queries_with_5_or_50_tasks(plan, department, clerk, leader):
    client = client_for(leader)
    counts = []
    for total in (5, 50):
        Task.objects.filter(plan=plan).delete()
        PeriodicReport.objects.all().delete()
        for number in range(1, total + 1):
            make_task(plan, department, number=str(number), by=clerk, area_position=2 + number % 3)
        cache.clear()  # the reform areas are read, not found in the cache, both times
        with CaptureQueriesContext(connection) as drafting:
            report = report_create(plan=plan, by=clerk, period="half_year", year=2019)
        report_create(plan=plan, by=clerk, period="q1", year=2019)
        counts.append(
            (
                len(drafting),
                count_queries(client, reverse("reports:list", args=[plan.pk])),
                count_queries(client, reverse("reports:detail", args=[report.pk])),
            )
        )
    assert counts[0] == counts[1]
    assert counts[0][1] <= 8 and counts[0][2] <= 8


def test_a_user_of_another_role_cannot_write(half_year, dept_head):
    client = client_for(dept_head)
    assert client.post(reverse("reports:issue", args=[half_year.pk])).status_code == 403
    assert client.get(reverse("reports:detail", args=[half_year.pk])).status_code == 200


def test_an_overseer_reads_another_agencys_report(half_year, overseer):
    page = client_for(overseer).get(reverse("reports:detail", args=[half_year.pk])).content.decode()
    assert "Sửa nội dung" not in page and "Đã rà soát xong 45 thủ tục" in page


def test_another_agency_gets_404(half_year, outsider):
    assert client_for(outsider).get(reverse("reports:detail", args=[half_year.pk])).status_code == 404
    make_user("lanhdaostc", Role.LEADER, outsider.agency)
    assert (
        client_for(User.objects.get(username="lanhdaostc"))
        .get(reverse("reports:list", args=[half_year.plan.pk]))
        .status_code
        == 404
    )


# History: every write is recorded as plan edits are ----------------------------------------------------


def history_of(report) -> list[tuple[str, dict]]:
    """(action, {field: (old, new)}) of each recorded change, oldest first."""
    return [
        (change.action, {item["field"]: (item["old"], item["new"]) for item in change.changes})
        for change in PeriodicReportChange.objects.filter(report=report).order_by("pk")
    ]


def test_every_report_write_is_recorded_with_each_fields_old_and_new_value(half_year, clerk, leader):
    area = area_text(half_year, 2)
    report_update(
        report=half_year,
        by=clerk,
        number=5,
        issued_on=D(2019, 6, 20),
        difficulties="Thiếu nhân lực số hóa.",
        area_texts=[{"area_id": area["area_id"], "results": "Kết quả đã biên tập.", "shortcomings": ""}],
    )
    with on_day(2019, 6, 19):
        report_refresh(report=half_year, by=clerk)
    report_issue(report=half_year, by=leader)

    (created, _), (edited, fields), (refreshed, taken), (issued, status) = history_of(half_year)
    assert created == "Lập dự thảo báo cáo 6 tháng đầu năm 2019"
    assert edited == "Sửa báo cáo"
    assert fields["số"] == ("", "5")
    assert fields["ngày ban hành"] == ("", "20/06/2019")
    assert fields["khó khăn, vướng mắc"] == (half_year.difficulties, "Thiếu nhân lực số hóa.")
    assert fields[f"kết quả – {area['name']}"] == (area["results"], "Kết quả đã biên tập.")
    assert fields[f"tồn tại, hạn chế – {area['name']}"] == (area["shortcomings"], "")
    assert refreshed == "Cập nhật số liệu"
    assert taken["chốt số liệu lúc"][1].endswith("19/06/2019")
    assert (issued, status) == ("Ban hành báo cáo", {"trạng thái": ("Dự thảo", "Đã ban hành")})
    assert PeriodicReportChange.objects.filter(report=half_year, changed_by=leader).count() == 1


def test_an_edit_that_changes_nothing_is_not_recorded(half_year, clerk):
    report_update(report=half_year, by=clerk, proposals=half_year.proposals)
    assert [action for action, _ in history_of(half_year)] == ["Lập dự thảo báo cáo 6 tháng đầu năm 2019"]


def test_the_detail_page_shows_the_reports_history(half_year, clerk, staff):
    report_update(report=half_year, by=clerk, proposals="Đề nghị bổ sung biên chế.")
    page = client_for(staff).get(reverse("reports:detail", args=[half_year.pk])).content.decode()
    history = page[page.index('id="lich-su"') :]
    assert "Sửa báo cáo" in history and "Lập dự thảo báo cáo" in history
    assert clerk.full_name in history
    assert "đề xuất, kiến nghị" in history and "Đề nghị bổ sung biên chế." in history


@pytest.mark.parametrize("persona", ["staff", "dept_head", "overseer", "outsider"])
def test_only_the_agencys_clerks_and_leaders_write_its_reports(request, persona, half_year, plan):
    somebody = request.getfixturevalue(persona)
    for write in (
        lambda: report_create(plan=plan, by=somebody, period="q1", year=2019),
        lambda: report_update(report=half_year, by=somebody, proposals="Sửa"),
        lambda: report_refresh(report=half_year, by=somebody),
        lambda: report_issue(report=half_year, by=somebody),
    ):
        with pytest.raises(PermissionDenied):
            write()
    assert PeriodicReport.objects.count() == 1
    assert len(history_of(half_year)) == 1


# The annex on the report page: a page of rows at a time ------------------------------------------------


def annex_numbers(page: str) -> list[str]:
    """The numbers of the task rows the page's annex shows, in order."""
    annex = page[page.index('data-testid="report-annex"') :]
    annex = annex[: annex.index("</table>")]
    return re.findall(r"<tr><td>([^<]*)</td>", annex)


def add_tasks(plan, department, clerk, numbers, area_position):
    for number in numbers:
        make_task(plan, department, number=str(number), by=clerk, area_position=area_position)


@pytest.fixture
def small_annex_pages(monkeypatch):
    monkeypatch.setattr("reports.views.ANNEX_PAGE_SIZE", 5)


def test_the_report_page_shows_its_annex_a_page_at_a_time_however_many_tasks(
    plan, department, clerk, staff, small_annex_pages
):
    add_tasks(plan, department, clerk, range(1, 8), 2)
    add_tasks(plan, department, clerk, range(8, 13), 3)
    client = client_for(staff)
    with on_day(2019, 6, 18):
        report = report_create(plan=plan, by=clerk, period="half_year", year=2019)
    url = reverse("reports:detail", args=[report.pk])

    pages = [client.get(f"{url}?page={number}").content.decode() for number in (1, 2, 3)]
    assert [annex_numbers(page) for page in pages] == [
        ["1", "2", "3", "4", "5"],
        ["6", "7", "8", "9", "10"],
        ["11", "12"],
    ]
    # an area that began on an earlier page is marked as continued
    area_2, area_3 = (ReformArea.objects.get(area_set=plan.area_set, position=p).name for p in (2, 3))
    assert (
        f'{area_2} <span class="fw-normal small">(tiếp)</span>' in pages[1] and f"{area_3}</td>" in pages[1]
    )
    assert f'{area_3} <span class="fw-normal small">(tiếp)</span>' in pages[2]
    assert "Nhiệm vụ 6–10 trong 12 nhiệm vụ (trang 2/3)." in pages[1]
    assert 'href="?page=3#phu-luc">Sau »</a>' in pages[1]
    # each area with its count, a link to the page it begins on
    assert re.search(rf'href="\?page=2#phu-luc">[IVX]+\. {re.escape(area_3)}</a> \(5\)', pages[0])
    # a page past the end shows the last one, a word the first
    assert annex_numbers(client.get(f"{url}?page=9").content.decode()) == ["11", "12"]
    assert annex_numbers(client.get(f"{url}?page=mot").content.decode()) == ["1", "2", "3", "4", "5"]

    add_tasks(plan, department, clerk, range(13, 40), 3)
    with on_day(2019, 6, 18):
        report_refresh(report=report, by=clerk)
    assert len(annex_numbers(client.get(url).content.decode())) == 5  # the page does not grow
    annex = build_report_document(PeriodicReport.objects.get(pk=report.pk)).appendices[0].blocks[0]
    assert len([row for row in annex.rows if not isinstance(row, GroupRow)]) == 39  # the print: every row


def test_the_annex_pages_keep_the_other_parameters(
    half_year, staff, small_annex_pages, plan, department, clerk
):
    add_tasks(plan, department, clerk, range(6, 12), 2)
    with on_day(2019, 6, 19):
        report_refresh(report=half_year, by=clerk)
    page = (
        client_for(staff)
        .get(reverse("reports:detail", args=[half_year.pk]) + "?page=2&xem=1")
        .content.decode()
    )
    assert 'href="?xem=1&amp;page=1#phu-luc">« Trước</a>' in page
    assert 'href="?xem=1&amp;page=3#phu-luc">Sau »</a>' in page


def test_a_plan_of_22000_tasks_gives_a_report_page_under_1_mb(plan, clerk, staff, history):
    """The annex of a measured plan of 21,914 tasks made the page 7.8 MB: it shows a page of rows, and
    the drafted list of the overdue tasks names DRAFT_LINES of them (the snapshot is given 22,000 rows,
    every one overdue, and the texts are drafted from it)."""
    with on_day(2019, 6, 18):
        report = report_create(plan=plan, by=clerk, period="half_year", year=2019)
    snapshot = report.snapshot
    row = next(row for row in snapshot["annex"] if row["status"] == "open_overdue")
    snapshot["annex"] = [{**row, "number": str(n), "task_id": -n} for n in range(1, 22001)]
    texts = draft_texts(report, snapshot)
    PeriodicReport.objects.filter(pk=report.pk).update(
        snapshot=snapshot, area_texts=texts["area_texts"], next_tasks=texts["next_tasks"]
    )
    response = client_for(staff).get(reverse("reports:detail", args=[report.pk]))
    assert response.status_code == 200
    assert len(response.content) < 1_000_000
    page = response.content.decode()
    assert len(annex_numbers(page)) == 100 and "trong 22.000 nhiệm vụ (trang 1/220)" in page
    assert "- Ngoài ra, còn 21.980 nhiệm vụ khác chưa hoàn thành, quá hạn (chi tiết tại Phụ lục)." in page


# Drafted lists of a large plan --------------------------------------------------------------------------


def test_a_long_drafted_list_names_its_first_tasks_and_counts_the_others(half_year):
    snapshot = half_year.snapshot
    overdue = next(row for row in snapshot["annex"] if row["status"] == "open_overdue")
    snapshot = {
        **snapshot,
        "annex": [
            {**overdue, "task_id": -n, "content": f"Số hóa hồ sơ {n}", "days_overdue": 1200 + n}
            for n in range(1, 1251)
        ],
    }
    texts = draft_texts(half_year, snapshot)
    lines = next(entry for entry in texts["area_texts"] if entry["area_id"] == overdue["area_id"])
    lines = lines["shortcomings"].splitlines()
    assert len(lines) == DRAFT_LINES + 1
    assert lines[0].startswith("- Số hóa hồ sơ 1 (") and lines[0].endswith("quá hạn 1.201 ngày.")
    assert lines[-1] == "- Ngoài ra, còn 1.230 nhiệm vụ khác chưa hoàn thành, quá hạn (chi tiết tại Phụ lục)."


# Tasks without a deadline ---------------------------------------------------------------------------------


def test_a_task_without_a_deadline_is_reported_as_such_never_overdue(plan, clerk, staff, history):
    task = history[3]  # due in April: overdue on 14/6 while it had a deadline
    Task.objects.filter(pk=task.pk).update(due_date=None, deadline_kind="unset", deadline_text="Kịp thời")
    TaskDeadline.objects.filter(task=task).update(
        due_date=None, deadline_kind="unset", deadline_text="Kịp thời"
    )
    with on_day(2019, 6, 18):
        report = report_create(plan=plan, by=clerk, period="half_year", year=2019)

    row = next(row for row in report.snapshot["annex"] if row["task_id"] == task.pk)
    assert (row["deadline"], row["due_on"], row["status"]) == (
        "Kịp thời (chưa xác định thời hạn)",
        None,
        "not_started",
    )
    figures = read_snapshot(report).figures
    assert (figures.open_overdue, figures.no_deadline, figures.not_started) == (0, 1, 3)
    assert area_text(report, 2)["shortcomings"] == ""  # nothing is overdue any more
    assert "Số hóa hồ sơ" not in report.next_tasks
    page = client_for(staff).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "1 nhiệm vụ chưa hoàn thành chưa xác định thời hạn" in page
    assert "<td>Kịp thời (chưa xác định thời hạn)</td>" in page
    document = build_report_document(report)
    sentence = next(
        block.text for block in document.body if isinstance(block, Paragraph) and "Tổng số" in block.text
    )
    assert "Có 1 nhiệm vụ chưa hoàn thành chưa xác định thời hạn." in sentence
    annex = document.appendices[0].blocks[0]
    assert ("3", "Số hóa hồ sơ đăng ký kinh doanh") in [
        tuple(row[:2]) for row in annex.rows if not isinstance(row, GroupRow)
    ]
    assert "Kịp thời (chưa xác định thời hạn)" in [
        row[3] for row in annex.rows if not isinstance(row, GroupRow)
    ]


@pytest.mark.parametrize(
    ("text", "due_on", "shown"),
    [
        ("Quý II/2019", D(2019, 6, 30), "Quý II/2019"),
        ("Kịp thời", None, "Kịp thời (chưa xác định thời hạn)"),
        ("", None, "Chưa xác định thời hạn"),
        ("chưa xác định thời hạn", None, "Chưa xác định thời hạn"),
    ],
)
def test_the_annex_says_when_a_deadline_names_no_date(text, due_on, shown):
    assert deadline_shown(text, due_on) == shown


# The cause of a delay ------------------------------------------------------------------------------------


@pytest.fixture
def late_with_cause(plan, clerk, staff, history):
    """Task 3 (due in April) reported on after its deadline, with the cause of the delay."""
    progress_late = services.progress_report(
        task=history[3],
        by=staff,
        percent=50,
        narrative="Đã số hóa 600/1.200 hồ sơ",
        delay_cause="Chưa được cấp kinh phí thuê số hóa",
        at=at(2019, 5, 10),
    )
    with on_day(2019, 6, 18):
        report = report_create(plan=plan, by=clerk, period="half_year", year=2019)
    return report, progress_late


def test_the_annex_and_the_shortcomings_state_the_cause_of_a_delay(staff, history, late_with_cause):
    report, _ = late_with_cause
    rows = {row["task_id"]: row for row in report.snapshot["annex"]}
    assert rows[history[3].pk]["delay_cause"] == "Chưa được cấp kinh phí thuê số hóa"
    assert rows[history[2].pk]["delay_cause"] == ""  # not late: nothing to explain
    shortcomings = area_text(report, 2)["shortcomings"]
    assert "Số hóa hồ sơ đăng ký kinh doanh (Phòng Đăng ký kinh doanh chủ trì; thời hạn: Tháng 4/2019)" in (
        shortcomings
    )
    assert "quá hạn 45 ngày; nguyên nhân: Chưa được cấp kinh phí thuê số hóa." in shortcomings
    annex = build_report_document(report).appendices[0].blocks[0]
    row = next(row for row in annex.rows if not isinstance(row, GroupRow) and row[1].startswith("Số hóa"))
    assert (
        row[-1] == "Đạt 50%: Đã số hóa 600/1.200 hồ sơ\nNguyên nhân chậm: Chưa được cấp kinh phí thuê số hóa"
    )
    page = client_for(staff).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "<em>Nguyên nhân chậm:</em> Chưa được cấp kinh phí thuê số hóa" in page


def test_a_snapshot_taken_before_delay_causes_still_reads_and_prints(staff, history, late_with_cause):
    report, _ = late_with_cause
    for row in report.snapshot["annex"]:
        del row["delay_cause"]
    report.save(update_fields=["snapshot"])
    report.refresh_from_db()
    page = client_for(staff).get(reverse("reports:detail", args=[report.pk]))
    assert page.status_code == 200 and "Nguyên nhân chậm" not in page.content.decode()
    annex = build_report_document(report).appendices[0].blocks[0]
    row = next(row for row in annex.rows if not isinstance(row, GroupRow) and row[1].startswith("Số hóa"))
    assert row[-1] == "Đạt 50%: Đã số hóa 600/1.200 hồ sơ"
    lines = draft_texts(report, report.snapshot)["area_texts"]
    assert any(entry["shortcomings"].endswith("chưa hoàn thành, quá hạn 45 ngày.") for entry in lines)

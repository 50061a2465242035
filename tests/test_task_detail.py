import datetime
import html
import re
import zoneinfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tasks import services
from tasks.models import Contribution, Direction, Evidence, ProgressUpdate, Task, TaskEvent
from tests.conftest import client_for, make_task, pdf_upload
from tests.test_form_rendering import error_of
from tests.test_periods import BrokenCache
from tests.test_task_lists import in_section, make_sections, unset_task

HTMX = {"HTTP_HX_REQUEST": "true"}
# A day within the 2019 plan, before the tasks' deadline (Quý II/2019): a report then needs no cause
# of delay unless a test moves past the deadline.
IN_TIME = datetime.datetime(2019, 5, 20, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))


AFTER_DEADLINE = datetime.datetime(2019, 7, 15, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture(autouse=True)
def _within_the_plan_year():
    with time_machine.travel(IN_TIME, tick=True):
        yield


def report_url(task):
    return reverse("tasks:progress", args=[task.pk])


def test_the_task_page_shows_the_facts_and_the_status_in_words(leader, task):
    with time_machine.travel(AFTER_DEADLINE):
        page = client_for(leader).get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "Phòng Đăng ký kinh doanh" in page
    assert "Quý II/2019" in page and "30/06/2019" in page
    assert "Chưa hoàn thành, quá hạn" in page  # 15/07/2019 is after 30/06/2019


def test_staff_report_progress_without_javascript(staff, task, private_storage):
    response = client_for(staff).post(
        report_url(task), {"percent": 40, "narrative": "Đã rà soát 12/30 thủ tục"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.percent, task.state) == (40, Task.State.IN_PROGRESS)


def test_htmx_report_returns_the_live_part_of_the_page(staff, task, private_storage):
    response = client_for(staff).post(
        report_url(task), {"percent": 60, "narrative": "Đã rà soát 18/30"}, **HTMX
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="task-live">') or 'id="task-live"' in page[:200]
    assert "<html" not in page
    assert "Đã ghi nhận tiến độ 60%" in page
    assert "Báo cáo tiến độ 60%" in page


def test_completion_with_evidence_waits_for_the_head(staff, task, private_storage):
    data = {
        "percent": 100,
        "narrative": "Hoàn thành",
        "result": "Quyết định số 45/QĐ-SKHĐT",
        "files": [pdf_upload("Quyết định 45.pdf")],
    }
    client_for(staff).post(report_url(task), data)
    report = ProgressUpdate.objects.get()
    assert report.review == ProgressUpdate.Review.PENDING
    assert report.evidence.get().original_name == "Quyết định 45.pdf"
    assert Task.objects.get(pk=task.pk).state == Task.State.PENDING


def test_completion_without_evidence_is_refused_and_the_text_is_kept(staff, task, private_storage):
    response = client_for(staff).post(
        report_url(task), {"percent": 100, "narrative": "Nội dung tôi đã gõ", "result": "Kết quả đã gõ"}
    )
    page = response.content.decode()
    assert "Báo cáo hoàn thành cần ít nhất một tài liệu kiểm chứng." in page
    assert "Nội dung tôi đã gõ" in page and "Kết quả đã gõ" in page
    assert not ProgressUpdate.objects.exists()


def test_a_renamed_executable_is_refused_by_content_with_the_reason(staff, task, private_storage):
    exe = SimpleUploadedFile("bao-cao.docx", b"MZ\x90\x00\x03" + b"\x00" * 500)
    response = client_for(staff).post(
        report_url(task), {"percent": 30, "narrative": "Đang làm", "files": [exe]}, **HTMX
    )
    page = response.content.decode()
    assert "“bao-cao.docx” không phải loại được nhận" in page
    assert "Đang làm" in page
    assert not ProgressUpdate.objects.exists()


def test_an_oversized_file_is_refused_naming_the_limit(staff, task, private_storage, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    response = client_for(staff).post(
        report_url(task), {"percent": 30, "narrative": "x", "files": [pdf_upload(size=5000)]}
    )
    assert "vượt giới hạn" in response.content.decode()
    assert not Evidence.objects.exists()


def test_percent_out_of_range_is_a_vietnamese_error(staff, task):
    response = client_for(staff).post(report_url(task), {"percent": 120, "narrative": "x"})
    assert "Tiến độ phải từ 0 đến 100%." in response.content.decode()


def test_an_assigned_person_of_the_department_may_report(task, dept_head, private_storage):
    from accounts.models import Role
    from tests.conftest import make_user

    colleague = make_user("cv2", Role.STAFF, task.lead_department.agency, task.lead_department)
    services.task_assign(task=task, by=dept_head, assignees=[colleague])
    assert (
        client_for(colleague).post(report_url(task), {"percent": 10, "narrative": "Bắt đầu"}).status_code
        == 302
    )


def test_the_head_approves_from_the_task_page(dept_head, pending_report):
    client = client_for(dept_head)
    page = client.get(reverse("tasks:detail", args=[pending_report.task_id])).content.decode()
    assert "Báo cáo hoàn thành chờ duyệt" in page
    response = client.post(reverse("tasks:progress_approve", args=[pending_report.pk]), follow=True)
    assert "Đã duyệt hoàn thành nhiệm vụ" in response.content.decode()
    assert Task.objects.get(pk=pending_report.task_id).state == Task.State.COMPLETED


def test_a_second_approval_is_told_it_was_already_approved(dept_head, pending_report):
    client = client_for(dept_head)
    client.post(reverse("tasks:progress_approve", args=[pending_report.pk]))
    response = client.post(reverse("tasks:progress_approve", args=[pending_report.pk]), follow=True)
    assert "Báo cáo này đã được xử lý" in response.content.decode()
    assert TaskEvent.objects.filter(kind=TaskEvent.Kind.APPROVED).count() == 1


def test_the_reporter_sees_why_a_report_was_returned(dept_head, staff, pending_report):
    client_for(dept_head).post(
        reverse("tasks:progress_return", args=[pending_report.pk]),
        {"reason": "Thiếu quyết định ban hành kèm theo"},
    )
    page = client_for(staff).get(reverse("tasks:detail", args=[pending_report.task_id])).content.decode()
    assert "Bị trả lại: Thiếu quyết định ban hành kèm theo" in page


def test_returning_without_a_reason_changes_nothing(dept_head, pending_report):
    response = client_for(dept_head).post(
        reverse("tasks:progress_return", args=[pending_report.pk]), {"reason": ""}, follow=True
    )
    assert "Nhập lý do trả lại" in response.content.decode()
    pending_report.refresh_from_db()
    assert pending_report.review == ProgressUpdate.Review.PENDING


def test_a_coordinating_department_contributes_without_changing_status(coordinator, task, private_storage):
    response = client_for(coordinator).post(
        reverse("tasks:contribute", args=[task.pk]),
        {"note": "Đã cung cấp số liệu", "files": [pdf_upload("So lieu.pdf")]},
    )
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.department == coordinator.department
    assert contribution.evidence.count() == 1
    assert Task.objects.get(pk=task.pk).state == Task.State.NOT_STARTED


def test_leaders_directions_show_on_the_task(leader, staff, task):
    client_for(leader).post(
        reverse("tasks:direct", args=[task.pk]), {"text": "Đề nghị hoàn thành trước 30/6"}
    )
    assert Direction.objects.get().author == leader
    page = client_for(staff).get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "Đề nghị hoàn thành trước 30/6" in page


def test_evidence_downloads_with_its_vietnamese_name_and_only_inside_the_agency(
    leader, outsider, staff, task, private_storage
):
    report = services.progress_report(
        task=task, by=staff, percent=20, narrative="x", files=[pdf_upload("Kết quả rà soát.pdf")]
    )
    evidence = report.evidence.get()
    response = client_for(leader).get(reverse("tasks:evidence", args=[evidence.pk]))
    assert response.status_code == 200
    assert (
        "filename*=utf-8''K%E1%BA%BFt%20qu%E1%BA%A3%20r%C3%A0%20so%C3%A1t.pdf"
        in response["Content-Disposition"]
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_for(outsider).get(reverse("tasks:evidence", args=[evidence.pk])).status_code == 404
    assert client_for(leader).get(reverse("tasks:evidence", args=[999999])).status_code == 404


def test_a_pdf_of_evidence_is_saved_even_when_asked_to_open_in_the_browser(
    leader, staff, task, private_storage
):
    # a PDF may hold JavaScript: only images preview inline (tests/test_low_findings.py)
    report = services.progress_report(task=task, by=staff, percent=20, narrative="x", files=[pdf_upload()])
    url = reverse("tasks:evidence", args=[report.evidence.get().pk])
    assert client_for(leader).get(url)["Content-Disposition"].startswith("attachment")
    assert client_for(leader).get(url + "?inline=1")["Content-Disposition"].startswith("attachment")


def test_the_clerk_changes_the_deadline_with_a_reason(clerk, task):
    client = client_for(clerk)
    response = client.post(
        reverse("tasks:deadline", args=[task.pk]), {"deadline_text": "Quý III/2019", "reason": ""}
    )
    assert "Nhập lý do thay đổi." in response.content.decode()
    response = client.post(
        reverse("tasks:deadline", args=[task.pk]), {"deadline_text": "Quý 5/2019", "reason": "Lùi"}
    )
    assert "Không đọc được thời hạn" in response.content.decode()
    client.post(
        reverse("tasks:deadline", args=[task.pk]),
        {"deadline_text": "Quý III/2019", "reason": "Chờ hướng dẫn"},
    )
    task.refresh_from_db()
    assert task.due_date.isoformat() == "2019-09-30"
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "Đổi thời hạn" in page and "Chờ hướng dẫn" in page and "Quý II/2019 (30/06/2019)" in page


def test_the_clerk_changes_the_lead_department_with_a_reason(clerk, task, coordinating_department):
    client_for(clerk).post(
        reverse("tasks:lead", args=[task.pk]),
        {"department": coordinating_department.pk, "reason": "Theo chức năng"},
    )
    task.refresh_from_db()
    assert task.lead_department == coordinating_department


def test_a_department_of_another_agency_cannot_be_made_lead(clerk, task, outsider):
    response = client_for(clerk).post(
        reverse("tasks:lead", args=[task.pk]), {"department": outsider.department_id, "reason": "x"}
    )
    assert "Đơn vị được chọn không thuộc cơ quan." in response.content.decode()


def test_cancelling_keeps_the_task_with_its_reason(clerk, staff, task):
    client_for(clerk).post(reverse("tasks:cancel", args=[task.pk]), {"reason": "Không còn phù hợp"})
    task.refresh_from_db()
    assert task.state == Task.State.CANCELLED
    page = client_for(staff).get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "Đã hủy" in page and "Không còn phù hợp" in page
    assert client_for(staff).post(report_url(task), {"percent": 10, "narrative": "x"}).status_code == 403


def test_the_clerk_adds_a_task_and_errors_are_vietnamese(clerk, plan, department):
    from plans.models import ReformArea

    area = ReformArea.objects.get(area_set=plan.area_set, position=2)
    data = {
        "number": "5",
        "area": area.pk,
        "content": "Công khai TTHC",
        "lead_department": department.pk,
        "deadline_text": "Sớm",
    }
    client = client_for(clerk)
    response = client.post(reverse("tasks:create", args=[plan.pk]), data)
    assert "Không đọc được thời hạn “Sớm”" in response.content.decode()
    data["deadline_text"] = "Tháng 6/2019"
    response = client.post(reverse("tasks:create", args=[plan.pk]), data)
    assert response.status_code == 302
    assert Task.objects.get(number="5").due_date.isoformat() == "2019-06-30"
    response = client.post(reverse("tasks:create", args=[plan.pk]), data)
    assert "Kế hoạch đã có nhiệm vụ số 5." in response.content.decode()


def test_editing_a_task_is_recorded(clerk, task):
    data = {
        "number": task.number,
        "area": task.area_id,
        "content": "Nội dung đã sửa",
        "details": "",
        "start_date": "",
        "expected_output": "Báo cáo",
        "notes": "",
        "coordinating_departments": [],
    }
    client_for(clerk).post(reverse("tasks:update", args=[task.pk]), data)
    event = task.events.get(kind=TaskEvent.Kind.UPDATED)
    assert {change["field"] for change in event.changes} >= {"nội dung nhiệm vụ", "đơn vị phối hợp"}


def test_the_timeline_is_cut_at_thirty_entries_with_a_link_to_all(leader, task, staff, agency):
    agency.completion_requires_evidence = False
    agency.save()
    for percent in range(1, 41):
        services.progress_report(task=task, by=staff, percent=percent, narrative=f"Bước {percent}")
    client = client_for(leader)
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "Xem toàn bộ diễn biến" in page and "30 mục gần nhất" in page
    assert "Bước 40" in page and "Bước 5<" not in page
    full = client.get(reverse("tasks:detail", args=[task.pk]) + "?history=all").content.decode()
    assert "Bước 1<" in full


@pytest.mark.parametrize("reports", [1, 40])
def test_task_detail_queries_do_not_grow_with_reports(
    leader, task, staff, agency, reports, django_assert_max_num_queries
):
    agency.completion_requires_evidence = False
    agency.save()
    for percent in range(reports):
        services.progress_report(task=task, by=staff, percent=percent % 100, narrative="x")
    client = client_for(leader)
    with django_assert_max_num_queries(16):
        client.get(reverse("tasks:detail", args=[task.pk]))


def test_foreign_ids_answer_404(staff, other_task):
    assert client_for(staff).get(reverse("tasks:detail", args=[other_task.pk])).status_code == 404
    assert client_for(staff).post(report_url(other_task), {"percent": 1, "narrative": "x"}).status_code == 404


def test_make_task_helper_builds_numbered_tasks(plan, department):
    assert make_task(plan, department, number="2.10").sort_key == "00002.00010"


def test_task_detail_query_count_is_pinned(staff, task, coordinating_department, django_assert_num_queries):
    task.coordinating_departments.add(coordinating_department)
    task.assignees.add(staff)
    services.progress_report(task=task, by=staff, percent=30, narrative="Đang rà soát")
    client = client_for(staff)
    client.get(reverse("tasks:detail", args=[task.pk]))
    # session, user, task, the coordinating departments and the people assigned (one query); the
    # timeline of an unchanged task comes from the cache
    with django_assert_num_queries(4):
        page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert coordinating_department.name in page
    assert staff.full_name in page
    assert "Đang rà soát" in page
    cache.clear()
    # ... and without it, the timeline's reports, contributions, their files, directions and events,
    # and the directions waiting for the staff member's report
    with django_assert_num_queries(10):
        client.get(reverse("tasks:detail", args=[task.pk]))


def test_the_task_page_shows_its_timeline_with_the_cache_down(leader, task, staff, monkeypatch):
    services.progress_report(task=task, by=staff, percent=30, narrative="Đang rà soát")
    monkeypatch.setattr("cchc.fragments.cache", BrokenCache())
    response = client_for(leader).get(reverse("tasks:detail", args=[task.pk]))
    assert response.status_code == 200
    assert "Báo cáo tiến độ 30%" in response.content.decode()


def test_the_timeline_is_the_same_whoever_reads_it_first(leader, staff, task, django_assert_num_queries):
    """The cached fragment holds nothing of its reader: a page that had it rendered for another
    person shows the same entries, with no query for them."""
    services.progress_report(task=task, by=staff, percent=30, narrative="Đang rà soát")
    url = reverse("tasks:detail", args=[task.pk])
    first = client_for(staff).get(url).content.decode()
    page = client_for(leader).get(url).content.decode()
    timeline = first[first.index('<section aria-labelledby="dien-bien">') :]
    assert timeline[: timeline.index("</section>")] in page


def detail_page(client, task) -> str:
    return client.get(reverse("tasks:detail", args=[task.pk])).content.decode()


def test_every_new_entry_shows_on_the_task_page_at_once(
    task, staff, dept_head, coordinator, leader, clerk, agency, private_storage
):
    """The timeline is kept in the cache under the task's revision; each action below must show on the
    next view of the page (time does not move between them)."""
    agency.completion_requires_evidence = False
    agency.save()
    client = client_for(leader)
    with time_machine.travel(timezone.now(), tick=False):
        steps = [
            (
                lambda: services.progress_report(
                    task=task, by=staff, percent=40, narrative="Đã rà soát 4 thủ tục"
                ),
                "Đã rà soát 4 thủ tục",
            ),
            (
                lambda: services.contribution_add(
                    task=task,
                    by=coordinator,
                    department=coordinator.department,
                    note="Đã gửi số liệu phối hợp",
                ),
                "Đã gửi số liệu phối hợp",
            ),
            (
                lambda: services.direction_add(task=task, by=leader, text="Hoàn thành trước ngày 30"),
                "Hoàn thành trước ngày 30",
            ),
            (
                lambda: services.task_assign(task=task, by=dept_head, assignees=[staff]),
                "Phân công người thực hiện",
            ),
            (
                lambda: services.task_change_deadline(
                    task=task, by=clerk, deadline_text="Tháng 9/2019", reason="Chờ văn bản của Bộ"
                ),
                "Chờ văn bản của Bộ",
            ),
            (
                lambda: services.progress_return(
                    report=services.progress_report(
                        task=task, by=staff, percent=100, narrative="Xong", result="Báo cáo"
                    ),
                    by=dept_head,
                    reason="Thiếu biên bản kiểm tra",
                ),
                "Thiếu biên bản kiểm tra",
            ),
            (
                lambda: services.task_cancel(task=task, by=clerk, reason="Không còn phù hợp với chỉ đạo mới"),
                "Không còn phù hợp với chỉ đạo mới",
            ),
        ]
        for change, shown in steps:
            assert shown not in detail_page(client, task)
            change()
            task.refresh_from_db()
            assert shown in detail_page(client, task)


def test_an_htmx_contribution_shows_in_the_live_part_it_returns(coordinator, task, private_storage):
    client = client_for(coordinator)
    detail_page(client, task)  # the timeline is now in the cache
    response = client.post(
        reverse("tasks:contribute", args=[task.pk]),
        {"note": "Đã góp ý dự thảo quy chế"},
        HTTP_HX_REQUEST="true",
    )
    assert "Đã góp ý dự thảo quy chế" in response.content.decode()


# Sections, outside bodies and deadlines not set -------------------------------------------------


@pytest.fixture
def sections(plan, clerk):
    return make_sections(plan, clerk)


def page_for(user, task) -> str:
    return client_for(user).get(reverse("tasks:detail", args=[task.pk])).content.decode()


def facts(page: str) -> str:
    """The task's facts (the card beside the progress), its tags taken out, its spaces made single."""
    part = page[page.index('id="thong-tin-nv"') : page.index("</dl>", page.index('id="thong-tin-nv"'))]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", part)).split())


def test_the_task_page_names_its_section_with_the_sections_it_is_in(leader, plan, sections, department):
    task = in_section(plan, department, sections["III.1.1"], "1")
    page = page_for(leader, task)
    path = "III. Cải cách thủ tục hành chính › III.1. Kiểm soát thủ tục hành chính › III.1.1. Rà soát, đơn giản hóa"
    assert f"Mục {path}" in facts(page)
    assert f'<p class="text-secondary mb-1">{path}</p>' in page


def test_an_outside_lead_shows_as_written_with_the_department_following_it_up(
    leader, plan, sections, department, office
):
    task = in_section(
        plan,
        department,
        sections["V"],
        "1",
        lead_name="Bộ Nội vụ",
        outside_coordinators="Bộ Công an; Bộ Tài chính",
        coordinating_departments=[office],
    )
    shown = facts(page_for(leader, task))
    assert "Cơ quan chủ trì Bộ Nội vụ" in shown
    assert "Đơn vị theo dõi Phòng Đăng ký kinh doanh (theo dõi, đôn đốc và báo cáo)" in shown
    assert "Đơn vị phối hợp Văn phòng Sở" in shown
    assert "Cơ quan phối hợp ngoài cơ quan Bộ Công an; Bộ Tài chính" in shown


def test_a_task_led_by_a_department_shows_no_follow_up_line(leader, task):
    shown = facts(page_for(leader, task))
    assert "Đơn vị chủ trì Phòng Đăng ký kinh doanh" in shown
    assert "Đơn vị theo dõi" not in shown and "Cơ quan phối hợp ngoài cơ quan" not in shown


def test_a_task_without_a_due_date_says_so(leader, clerk, plan, department):
    task = unset_task(plan, clerk, department, "1")
    page = page_for(leader, task)
    assert "Thời hạn Khi có hướng dẫn (chưa xác định thời hạn)" in facts(page)
    assert "Báo cáo định kỳ" not in page
    assert "Chưa xác định thời hạn" in page[page.index('id="tien-do"') :]  # the progress card too
    assert "Chưa triển khai" in page  # not overdue: there is no date to miss


def test_a_sectioned_task_page_costs_no_more_queries(
    staff, plan, sections, department, coordinating_department, django_assert_num_queries
):
    task = in_section(
        plan, department, sections["III.1.1"], "1", coordinating_departments=[coordinating_department]
    )
    client = client_for(staff)
    client.get(reverse("tasks:detail", args=[task.pk]))
    # as test_task_detail_query_count_is_pinned: the sections come from the cache
    with django_assert_num_queries(4):
        page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "III.1.1. Rà soát, đơn giản hóa" in page


def task_data(**fields):
    data = {
        "number": "1",
        "content": "Rà soát thủ tục đăng ký doanh nghiệp",
        "deadline_text": "Quý III/2019",
        "expected_output": "",
        "notes": "",
        "details": "",
        "start_date": "",
        "lead_name": "",
        "outside_coordinators": "",
    }
    data.update(fields)
    return data


def test_the_task_form_of_a_sectioned_plan_asks_for_the_section_not_the_area(clerk, plan, sections):
    page = client_for(clerk).get(reverse("tasks:create", args=[plan.pk])).content.decode()
    select = page[
        page.index('<select name="section"') : page.index("</select>", page.index('<select name="section"'))
    ]
    options = [html.unescape(text) for text in re.findall(r"<option[^>]*>([^<]*)</option>", select)]
    indent = "\u00a0" * 4
    assert options[1:4] == [
        "III. Cải cách thủ tục hành chính",
        f"{indent}III.1. Kiểm soát thủ tục hành chính",
        f"{indent * 2}III.1.1. Rà soát, đơn giản hóa",
    ]
    assert "required" in select[: select.index(">")]
    assert 'name="area"' not in page
    assert "Cơ quan chủ trì ngoài cơ quan" in page
    assert "khi đó đơn vị chủ trì ở trên là đơn vị theo dõi" in page
    assert 'name="outside_coordinators"' in page


def test_the_clerk_adds_a_task_to_a_section_with_an_outside_lead(clerk, plan, sections, department):
    data = task_data(
        section=sections["III.1"].pk,
        lead_department=department.pk,
        lead_name="Bộ Nội vụ",
        outside_coordinators="Bộ Công an; Các địa phương",
    )
    response = client_for(clerk).post(reverse("tasks:create", args=[plan.pk]), data)
    assert response.status_code == 302
    task = Task.objects.get(plan=plan)
    assert task.section == sections["III.1"]
    assert task.area == sections["III"].area  # the section's area, from its parent
    assert (task.lead_name, task.outside_coordinator_names) == ("Bộ Nội vụ", ["Bộ Công an", "Các địa phương"])


def test_a_sectioned_plan_needs_the_section_and_a_number_once_in_each(clerk, plan, sections, department):
    client = client_for(clerk)
    url = reverse("tasks:create", args=[plan.pk])
    response = client.post(url, task_data(lead_department=department.pk))
    assert "Chọn mục của kế hoạch chứa nhiệm vụ." in response.content.decode()
    assert (
        client.post(url, task_data(section=sections["V"].pk, lead_department=department.pk)).status_code
        == 302
    )
    again = client.post(url, task_data(section=sections["V"].pk, lead_department=department.pk))
    assert "Mục này đã có nhiệm vụ mang số thứ tự này." in again.content.decode()
    elsewhere = client.post(url, task_data(section=sections["IX"].pk, lead_department=department.pk))
    assert elsewhere.status_code == 302  # the same number in another section
    assert sorted(Task.objects.values_list("section__label", flat=True)) == ["IX", "V"]


def test_moving_a_task_to_another_section_brings_its_area(clerk, plan, sections, department):
    task = in_section(plan, department, sections["III.1.1"], "1")
    client = client_for(clerk)
    form = client.get(reverse("tasks:update", args=[task.pk])).content.decode()
    assert f'<option value="{sections["III.1.1"].pk}" selected>' in form
    data = task_data(section=sections["V"].pk, content=task.content, coordinating_departments=[])
    response = client.post(reverse("tasks:update", args=[task.pk]), data)
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.section, task.area) == (sections["V"], sections["V"].area)
    assert task.sort_key.startswith(sections["V"].sort_key)  # the table lists it in V


def test_a_task_created_by_hand_needs_its_deadline(clerk, plan, department):
    from tasks.forms_detail import TaskForm

    form = TaskForm(
        {
            "number": "9",
            "area": plan.area_set.areas.first().pk,
            "content": "Rà soát",
            "lead_department": department.pk,
        },
        plan=plan,
    )
    assert form.fields["deadline_text"].required
    assert not form.is_valid()
    assert form.errors["deadline_text"] == ["Nhập thời hạn, ví dụ Quý II/2019."]


# Lowering the percent, the cause of a delay, the report on a direction ------------------------------


def lowering(**fields):
    return {"percent": 60, "narrative": "Rà soát lại: 6 thủ tục phải làm lại", **fields}


def field_error(page: str, field_id: str) -> str:
    """The error shown beside the field `field_id` (tests.test_form_rendering.error_of)."""
    return " ".join(error_of(page, field_id).split())


def test_lowering_the_percent_without_a_reason_is_refused_and_the_text_is_kept(staff, task):
    services.progress_report(task=task, by=staff, percent=70, narrative="Đã rà soát 21/30")
    response = client_for(staff).post(report_url(task), lowering(confirm_decrease="on"))
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        field_error(page, "id_decrease_reason") == "Tiến độ giảm từ 70% xuống 60%: nhập lý do giảm tiến độ."
    )
    assert "Rà soát lại: 6 thủ tục phải làm lại" in page  # the narrative typed is still there
    assert 'value="60"' in page
    assert task.progress_updates.count() == 1
    task.refresh_from_db()
    assert task.percent == 70


def test_lowering_the_percent_needs_the_confirmation_box(staff, task):
    services.progress_report(task=task, by=staff, percent=70, narrative="Đã rà soát 21/30")
    response = client_for(staff).post(report_url(task), lowering(decrease_reason="Phát hiện sai sót"))
    page = response.content.decode()
    assert field_error(page, "id_confirm_decrease") == (
        "Tiến độ giảm từ 70% xuống 60%: đánh dấu ô xác nhận giảm tiến độ."
    )
    assert "Phát hiện sai sót" in page  # the reason typed is kept
    assert task.progress_updates.count() == 1


def test_a_confirmed_lowering_keeps_its_reason_and_shows_on_the_timeline(staff, leader, task):
    services.progress_report(task=task, by=staff, percent=70, narrative="Đã rà soát 21/30")
    data = lowering(confirm_decrease="on", decrease_reason="6 thủ tục được Bộ sửa đổi, phải rà soát lại")
    assert client_for(staff).post(report_url(task), data).status_code == 302
    report = task.progress_updates.order_by("-reported_at").first()
    assert (report.percent, report.previous_percent) == (60, 70)
    assert report.decrease_reason == "6 thủ tục được Bộ sửa đổi, phải rà soát lại"
    task.refresh_from_db()
    assert task.percent == 60
    page = client_for(leader).get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "Giảm tiến độ từ 70% xuống 60%. Lý do:" in page
    assert "6 thủ tục được Bộ sửa đổi, phải rà soát lại" in page


def test_a_higher_percent_needs_no_reason_and_keeps_none(staff, task):
    services.progress_report(task=task, by=staff, percent=40, narrative="Đã rà soát 12/30")
    data = {"percent": 50, "narrative": "Đã rà soát 15/30", "decrease_reason": "không liên quan"}
    assert client_for(staff).post(report_url(task), data).status_code == 302
    report = task.progress_updates.order_by("-reported_at").first()
    assert (report.percent, report.previous_percent, report.decrease_reason) == (50, 40, "")


def test_the_decrease_confirmation_shows_only_once_there_is_a_percent_to_lower(staff, task):
    page = client_for(staff).get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert 'id="id_confirm_decrease"' not in page  # nothing to lower from 0 %
    services.progress_report(task=task, by=staff, percent=70, narrative="Đã rà soát 21/30")
    page = client_for(staff).get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert 'id="id_confirm_decrease"' in page and 'data-decrease-block="70"' in page
    assert 'data-current-percent="70"' in page
    assert "Tôi xác nhận giảm tiến độ so với lần trước (70%)" in page


def test_a_report_on_an_overdue_task_needs_the_cause_of_the_delay(staff, leader, task):
    with time_machine.travel(AFTER_DEADLINE):
        client = client_for(staff)
        form = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
        assert "Nguyên nhân chậm (bắt buộc)" in form
        assert "Nhiệm vụ đã quá hạn 15 ngày (hạn 30/06/2019)" in form
        response = client.post(report_url(task), {"percent": 80, "narrative": "Còn 6 thủ tục"})
        page = response.content.decode()
        assert field_error(page, "id_delay_cause") == "Nhiệm vụ đã quá hạn: nhập nguyên nhân chậm."
        assert "Còn 6 thủ tục" in page
        assert not task.progress_updates.exists()
        data = {"percent": 80, "narrative": "Còn 6 thủ tục", "delay_cause": "Chờ ý kiến của Bộ Tư pháp"}
        assert client.post(report_url(task), data).status_code == 302
        assert task.progress_updates.get().delay_cause == "Chờ ý kiến của Bộ Tư pháp"
        page = client_for(leader).get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "Nguyên nhân chậm:</em> Chờ ý kiến của Bộ Tư pháp" in page


def test_a_task_within_its_deadline_asks_no_cause(staff, task):
    page = client_for(staff).get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert 'id="id_delay_cause"' not in page
    data = {"percent": 30, "narrative": "Đang rà soát", "delay_cause": "không liên quan"}
    assert client_for(staff).post(report_url(task), data).status_code == 302


def reply_url(direction):
    return reverse("tasks:direction_reply", args=[direction.pk])


def test_staff_report_on_a_direction_and_it_shows_answered_under_it(staff, leader, task):
    direction = services.direction_add(task=task, by=leader, text="Hoàn thành trước ngày 20/6")
    client = client_for(staff)
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "Ý kiến chỉ đạo cần báo cáo thực hiện" in page and f'action="{reply_url(direction)}"' in page
    prefix = f"tra-loi-{direction.pk}"
    response = client.post(reply_url(direction), {f"{prefix}-text": "Đã rà soát xong 30 thủ tục ngày 18/6"})
    assert response.status_code == 302
    reply = direction.replies.get()
    assert (reply.author, reply.text) == (staff, "Đã rà soát xong 30 thủ tục ngày 18/6")
    page = client_for(leader).get(reverse("tasks:detail", args=[task.pk])).content.decode()
    timeline = page[page.index('data-testid="timeline"') :]
    assert "Đã báo cáo thực hiện" in timeline
    assert timeline.index("Hoàn thành trước ngày 20/6") < timeline.index("Đã rà soát xong 30 thủ tục")
    assert staff.full_name in timeline and reply.created_at.astimezone().strftime("%d/%m/%Y") in timeline
    staff_page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "Ý kiến chỉ đạo cần báo cáo thực hiện" not in staff_page  # answered: no form any more


def test_an_unanswered_direction_says_so(leader, task):
    services.direction_add(task=task, by=leader, text="Báo cáo trước ngày 20/6")
    page = client_for(leader).get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "Chưa báo cáo thực hiện" in page
    assert "Ý kiến chỉ đạo cần báo cáo thực hiện" not in page  # the leader does not report on it


def test_an_empty_reply_is_refused_in_vietnamese(dept_head, leader, task):
    direction = services.direction_add(task=task, by=leader, text="Báo cáo trước ngày 20/6")
    response = client_for(dept_head).post(
        reply_url(direction), {f"tra-loi-{direction.pk}-text": "  "}, **HTMX
    )
    assert response.status_code == 200
    assert "Nhập kết quả thực hiện ý kiến chỉ đạo." in response.content.decode()
    assert not direction.replies.exists()


def test_an_assigned_person_of_another_department_may_report_on_a_direction(
    leader, task, coordinator, private_storage
):
    direction = services.direction_add(task=task, by=leader, text="Phối hợp hoàn thành trước 20/6")
    with pytest.raises(PermissionDenied):
        services.direction_reply(direction=direction, by=coordinator, text="Đã phối hợp")
    task.assignees.add(coordinator)
    task = Task.objects.get(pk=task.pk)  # the people assigned are read once per instance
    direction.task = task
    assert services.direction_reply(direction=direction, by=coordinator, text="Đã phối hợp").pk

"""The task lists: "Việc của tôi", the department page, the plan's task table and the clerk's bulk actions."""

import datetime
import functools
import html
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from plans import services as plan_services
from plans.models import Plan, ReformArea
from tasks import services
from tasks.deadlines import Deadline
from tasks.models import Task, TaskEvent
from tests.conftest import client_for, make_plan, make_task, make_user, pdf_upload
from tests.test_form_rendering import attributes, by_id, classes, error_of, label_of

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, h=9):
    return datetime.datetime(y, m, d, h, tzinfo=HANOI)


def on_day(y, m, d):
    """Travel to 10:00 of that day in Việt Nam; the clock stands still."""
    return time_machine.travel(at(y, m, d, 10), tick=False)


@pytest.fixture
def no_evidence_rule(agency):
    agency.completion_requires_evidence = False
    agency.save()


def report(task, by, percent, when, result=""):
    return services.progress_report(
        task=task, by=by, percent=percent, narrative="Đã triển khai", result=result or "Kết quả", at=when
    )


def complete(task, by, head, reported, approved):
    done = report(task, by, 100, reported)
    services.progress_approve(report=done, by=head, at=approved)
    return done


def numbers(tasks):
    return [task.number for task in tasks]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


# "Việc của tôi" ---------------------------------------------------------------------------------


@pytest.fixture
def my_plan_tasks(plan, department, clerk):
    """Four tasks of the staff member's department on 10/6/2019, with different kinds of deadline."""
    return {
        "later": make_task(plan, department, number="1", deadline_text="Quý III/2019", by=clerk),
        "overdue": make_task(plan, department, number="2", deadline_text="Trước 15/3/2019", by=clerk),
        "june": make_task(plan, department, number="3", deadline_text="Tháng 6/2019", by=clerk),
        "ongoing": make_task(plan, department, number="4", deadline_text="Thường xuyên", by=clerk),
    }


def test_my_tasks_put_overdue_first_then_the_nearest_date(staff, my_plan_tasks):
    with on_day(2019, 6, 10):
        response = client_for(staff).get(reverse("tasks:mine"))
    # overdue (15/3), then the ongoing task's report date 14/6, then 30/6, then 30/9
    assert numbers(response.context["tasks"]) == ["2", "4", "3", "1"]
    assert "quá hạn 87 ngày" in response.content.decode()
    assert "Kỳ báo cáo 14/06/2019" in response.content.decode()
    assert "còn 20 ngày" in response.content.decode()


def test_my_tasks_counts_are_links_to_their_tasks(staff, dept_head, my_plan_tasks, no_evidence_rule):
    report(my_plan_tasks["later"], staff, 40, at(2019, 5, 2))
    report(my_plan_tasks["june"], staff, 100, at(2019, 6, 3))
    with on_day(2019, 6, 10):
        client = client_for(staff)
        response = client.get(reverse("tasks:mine"))
        counts = response.context["counts"]
        assert {key: counts[key] for key in ("overdue", "due_soon", "in_progress", "pending", "done")} == {
            "overdue": 1,
            "due_soon": 1,
            "in_progress": 1,
            "pending": 1,
            "done": 0,
        }
        assert 'href="?view=overdue"' in response.content.decode()
        assert numbers(client.get(reverse("tasks:mine") + "?view=overdue").context["tasks"]) == ["2"]
        assert numbers(client.get(reverse("tasks:mine") + "?view=due_soon").context["tasks"]) == ["4"]
        assert numbers(client.get(reverse("tasks:mine") + "?view=pending").context["tasks"]) == ["3"]


def test_my_tasks_mark_pending_and_returned_reports_with_the_reason(
    staff, dept_head, my_plan_tasks, no_evidence_rule
):
    pending = report(my_plan_tasks["june"], staff, 100, at(2019, 6, 3))
    returned = report(my_plan_tasks["later"], staff, 100, at(2019, 6, 4))
    services.progress_return(
        report=returned, by=dept_head, reason="Thiếu quyết định phê duyệt", at=at(2019, 6, 5)
    )
    with on_day(2019, 6, 10):
        page = client_for(staff).get(reverse("tasks:mine")).content.decode()
    assert pending.task.number == "3"
    assert "Chờ duyệt hoàn thành" in page
    assert "Bị trả lại" in page
    assert "Thiếu quyết định phê duyệt" in page


def test_completed_tasks_leave_the_list_and_show_for_30_days(
    staff, dept_head, my_plan_tasks, no_evidence_rule
):
    complete(my_plan_tasks["june"], staff, dept_head, at(2019, 6, 3), at(2019, 6, 4))
    complete(my_plan_tasks["overdue"], staff, dept_head, at(2019, 3, 1), at(2019, 3, 2))
    with on_day(2019, 6, 10):
        client = client_for(staff)
        response = client.get(reverse("tasks:mine"))
        assert numbers(response.context["tasks"]) == ["4", "1"]
        assert numbers(response.context["recent"]) == [
            "3"
        ]  # completed 3/6; the March one is older than 30 days
        assert response.context["counts"]["done"] == 2
        done = client.get(reverse("tasks:mine") + "?view=done")
        assert numbers(done.context["tasks"]) == ["3", "2"]


def test_my_tasks_leave_out_other_departments_drafts_and_old_plans(
    staff, plan, draft_plan, agency, department, coordinating_department, clerk
):
    make_task(plan, department, number="1", by=clerk)
    make_task(plan, coordinating_department, number="2", by=clerk)
    make_task(draft_plan, department, number="3", by=clerk)
    old = make_plan(
        agency, number=3, year=2017, issued_on=datetime.date(2017, 1, 10), status=Plan.Status.ISSUED
    )
    make_task(old, department, number="4", deadline_text="Quý II/2017", by=clerk)
    with on_day(2019, 6, 10):
        response = client_for(staff).get(reverse("tasks:mine"))
    assert numbers(response.context["tasks"]) == ["1"]


def test_a_leader_sees_what_is_overdue_or_due_soon_in_this_years_plans(leader, my_plan_tasks, settings):
    settings.DUE_SOON_DAYS = 14  # the one due-soon rule (cchc.periods), set to two weeks here
    with on_day(2019, 6, 20):
        client = client_for(leader)
        response = client.get(reverse("tasks:mine"))
        # overdue 15/3; due 30/6 (10 days); not the ongoing task (next report 14/9) nor 30/9
        assert numbers(response.context["tasks"]) == ["2", "3"]
        assert "Nhiệm vụ cần chú ý" in response.content.decode()
        assert numbers(client.get(reverse("tasks:mine") + "?view=all").context["tasks"]) == [
            "2",
            "3",
            "4",
            "1",
        ]


def test_a_leader_with_nothing_urgent_gets_a_link_to_all_open_tasks(leader, plan, department, clerk):
    make_task(plan, department, number="1", deadline_text="Quý IV/2019", by=clerk)
    with on_day(2019, 6, 10):
        page = client_for(leader).get(reverse("tasks:mine")).content.decode()
    assert "Không có nhiệm vụ nào quá hạn hoặc đến hạn trong 7 ngày tới" in page  # DUE_SOON_DAYS
    assert "?view=all" in page


def test_an_unknown_view_of_my_tasks_is_explained_and_the_open_tasks_are_shown(staff, my_plan_tasks):
    with on_day(2019, 6, 10):
        response = client_for(staff).get(reverse("tasks:mine") + "?view=qua-han")
    assert response.status_code == 200
    assert "Không có mục xem này; đang hiện danh sách mặc định." in response.content.decode()
    assert numbers(response.context["tasks"]) == ["2", "4", "3", "1"]


def test_the_head_alone_gets_the_link_to_the_department_page(staff, dept_head, my_plan_tasks):
    with on_day(2019, 6, 10):
        assert (
            reverse("tasks:department") not in client_for(staff).get(reverse("tasks:mine")).content.decode()
        )
        assert (
            reverse("tasks:department") in client_for(dept_head).get(reverse("tasks:mine")).content.decode()
        )


def test_an_overseer_is_sent_to_the_plans(overseer):
    response = client_for(overseer).get(reverse("tasks:mine"))
    assert "không được giao nhiệm vụ" in response.content.decode()
    assert reverse("plans:list") in response.content.decode()


def test_staff_without_tasks_get_a_helpful_sentence(staff):
    page = client_for(staff).get(reverse("tasks:mine")).content.decode()
    assert "chưa có nhiệm vụ nào đang mở" in page


def test_my_tasks_queries_do_not_grow_with_tasks(staff, dept_head, plan, department, clerk, no_evidence_rule):
    client = client_for(staff)
    url = reverse("tasks:mine")
    with on_day(2019, 6, 10):
        for n in range(1, 4):
            task = make_task(plan, department, number=str(n), by=clerk)
        complete(task, staff, dept_head, at(2019, 6, 1), at(2019, 6, 2))
        few = count_queries(client, url)
        for n in range(4, 61):
            task = make_task(plan, department, number=str(n), deadline_text="Thường xuyên", by=clerk)
            services.task_assign(task=task, by=dept_head, assignees=[staff])
            report(task, staff, 30, at(2019, 5, 1))
        complete(task, staff, dept_head, at(2019, 6, 3), at(2019, 6, 4))
        assert count_queries(client, url) == few


def test_my_tasks_query_count_is_pinned(staff, my_plan_tasks, django_assert_num_queries):
    client = client_for(staff)
    with on_day(2019, 6, 10):
        client.get(reverse("tasks:mine"))
        # session, user, the agency (its data_version keys the cached lists), the department; the
        # counts and the rows of unchanged tasks come from the cache
        with django_assert_num_queries(4):
            client.get(reverse("tasks:mine"))
        cache.clear()
        # ... and without the cache: the counts of every view in one query, the rows of the page
        with django_assert_num_queries(6):
            client.get(reverse("tasks:mine"))


def my_lists(client) -> str:
    """The counts and lists of "Việc của tôi" (the part kept in the cache)."""
    page = client.get(reverse("tasks:mine")).content.decode()
    return page[page.index('aria-label="Lọc theo tình trạng"') : page.index("</main>")]


def test_my_tasks_show_a_change_at_once(staff, my_plan_tasks):
    client = client_for(staff)
    with on_day(2019, 6, 10):
        before = my_lists(client)
        assert my_lists(client) == before  # now from the cache
        report(my_plan_tasks["later"], staff, 40, at(2019, 6, 10))
        after = my_lists(client)
        assert after != before
        cache.clear()
        assert my_lists(client) == after


def test_a_full_my_tasks_page_costs_one_query_more_than_an_empty_one(staff, plan, department, clerk):
    client = client_for(staff)
    with on_day(2019, 6, 10):
        empty = count_queries(client, reverse("tasks:mine"))
        for n in range(1, 6):
            make_task(plan, department, number=str(n), by=clerk)
        full = count_queries(client, reverse("tasks:mine"))
        for n in range(6, 40):
            make_task(plan, department, number=str(n), by=clerk)
        assert full == empty + 1  # the rows, read only when there are some
        assert count_queries(client, reverse("tasks:mine")) == full


# The department page ----------------------------------------------------------------------------


def test_the_approval_queue_has_approve_and_return_forms(dept_head, pending_report):
    with on_day(2019, 6, 10):
        page = client_for(dept_head).get(reverse("tasks:department")).content.decode()
    assert f'action="{reverse("tasks:progress_approve", args=[pending_report.pk])}"' in page
    assert f'action="{reverse("tasks:progress_return", args=[pending_report.pk])}"' in page
    assert 'name="reason"' in page
    assert "bao-cao-ket-qua.pdf" in page


def test_approving_from_the_department_page_comes_back_to_it(dept_head, pending_report):
    with on_day(2019, 6, 10):
        client = client_for(dept_head)
        response = client.post(
            reverse("tasks:progress_approve", args=[pending_report.pk]), {"next": reverse("tasks:department")}
        )
    assert response["Location"] == reverse("tasks:department")
    assert Task.objects.get(pk=pending_report.task_id).state == Task.State.COMPLETED


def test_a_returned_report_stays_listed_until_the_next_report(dept_head, staff, pending_report):
    services.progress_return(report=pending_report, by=dept_head, reason="Bổ sung quyết định")
    client = client_for(dept_head)
    with on_day(2019, 6, 10):
        response = client.get(reverse("tasks:department"))
        assert [r.pk for r in response.context["returned"]] == [pending_report.pk]
        assert "Bổ sung quyết định" in response.content.decode()
    report(pending_report.task, staff, 90, None)
    with on_day(2019, 6, 10):
        assert client.get(reverse("tasks:department")).context["returned"] == []


def test_the_department_page_assigns_staff_with_the_assignees_field(dept_head, staff, task):
    with on_day(2019, 6, 10):
        page = client_for(dept_head).get(reverse("tasks:department")).content.decode()
    assert f'action="{reverse("tasks:assign", args=[task.pk])}"' in page
    assert f'name="assignees" value="{staff.pk}"' in page


def test_the_department_page_lists_overdue_tasks_and_only_its_own(
    dept_head, plan, department, coordinating_department, clerk
):
    make_task(plan, department, number="1", deadline_text="Trước 15/3/2019", by=clerk)
    make_task(plan, department, number="2", deadline_text="Quý IV/2019", by=clerk)
    make_task(plan, coordinating_department, number="3", deadline_text="Trước 15/3/2019", by=clerk)
    with on_day(2019, 6, 10):
        response = client_for(dept_head).get(reverse("tasks:department"))
    assert numbers(response.context["overdue"]) == ["1"]
    assert numbers(response.context["tasks"]) == ["1", "2"]


def test_the_overdue_list_stays_whole_when_the_table_is_filtered_or_paged(
    dept_head, staff, plan, department, clerk
):
    late = make_task(plan, department, number="1", deadline_text="Trước 15/3/2019", by=clerk)
    services.task_assign(task=late, by=dept_head, assignees=[staff])
    for n in range(2, 53):
        make_task(plan, department, number=str(n), deadline_text="Quý IV/2019", by=clerk)
    client = client_for(dept_head)
    with on_day(2019, 6, 10):
        first = client.get(reverse("tasks:department"))
        unassigned = client.get(reverse("tasks:department") + "?assignee=none")
        second = client.get(reverse("tasks:department") + "?page=2")
    assert numbers(first.context["overdue"]) == ["1"]
    assert "1" not in numbers(unassigned.context["tasks"])
    assert numbers(unassigned.context["overdue"]) == ["1"]
    assert "1" not in numbers(second.context["tasks"])
    assert numbers(second.context["overdue"]) == ["1"]


def test_the_department_page_filters_by_assignee(dept_head, staff, plan, department, clerk):
    assigned = make_task(plan, department, number="1", by=clerk)
    make_task(plan, department, number="2", by=clerk)
    services.task_assign(task=assigned, by=dept_head, assignees=[staff])
    client = client_for(dept_head)
    with on_day(2019, 6, 10):
        mine = client.get(reverse("tasks:department") + f"?assignee={staff.pk}")
        nobody = client.get(reverse("tasks:department") + "?assignee=none")
    assert numbers(mine.context["tasks"]) == ["1"]
    assert numbers(nobody.context["tasks"]) == ["2"]
    assert "khớp bộ lọc" in mine.content.decode()


def test_someone_outside_the_department_is_explained_and_filters_nothing(
    dept_head, plan, department, clerk, outsider
):
    make_task(plan, department, number="1", by=clerk)
    with on_day(2019, 6, 10):
        response = client_for(dept_head).get(reverse("tasks:department") + f"?assignee={outsider.pk}")
    assert response.status_code == 200
    assert "Người này không thuộc phòng." in response.content.decode()
    assert numbers(response.context["tasks"]) == ["1"]


def test_the_department_page_queries_do_not_grow(dept_head, staff, plan, department, clerk, private_storage):
    client = client_for(dept_head)
    url = reverse("tasks:department")

    def add(first, last):
        for n in range(first, last):
            task = make_task(plan, department, number=str(n), by=clerk)
            services.task_assign(task=task, by=dept_head, assignees=[staff])
            services.progress_report(
                task=task, by=staff, percent=100, narrative="Xong", result="Kết quả", files=[pdf_upload()]
            )

    with on_day(2019, 6, 10):
        add(1, 4)
        few = count_queries(client, url)
        add(4, 40)
        assert count_queries(client, url) == few


def test_the_department_page_reads_returned_reports_in_constant_queries(
    dept_head, staff, plan, department, clerk, private_storage
):
    client = client_for(dept_head)
    url = reverse("tasks:department")

    def add_returned(first, last):
        for n in range(first, last):
            task = make_task(plan, department, number=str(n), by=clerk)
            done = services.progress_report(
                task=task, by=staff, percent=100, narrative="Xong", result="Kết quả", files=[pdf_upload()]
            )
            services.progress_return(report=done, by=dept_head, reason=f"Bổ sung {n}")

    with on_day(2019, 6, 10):
        add_returned(1, 3)
        few = count_queries(client, url)
        add_returned(3, 20)
        response = client.get(url)
        assert count_queries(client, url) == few
    assert len(response.context["returned"]) == 19
    assert "Bổ sung 19" in response.content.decode()


# The plan's task table --------------------------------------------------------------------------


@pytest.fixture
def table_tasks(plan, department, coordinating_department, office, clerk):
    """Tasks in three areas and two lead departments, one about 'cải cách thể chế'."""
    return [
        make_task(
            plan, department, number="1", area_position=1, content="Cải cách thể chế về đầu tư", by=clerk
        ),
        make_task(
            plan,
            coordinating_department,
            number="2",
            area_position=1,
            deadline_text="Trước 15/3/2019",
            content="Rà soát văn bản quy phạm pháp luật",
            coordinating=[office, department],
            by=clerk,
        ),
        make_task(plan, department, number="3", area_position=2, deadline_text="Tháng 7/2019", by=clerk),
        make_task(
            plan,
            department,
            number="4",
            area_position=6,
            deadline_text="Thường xuyên",
            content="Ứng dụng công nghệ thông tin",
            by=clerk,
        ),
    ]


def plan_table(client, plan, query=""):
    return client.get(reverse("tasks:plan_tasks", args=[plan.pk]) + query)


TABLE_NUMBER = re.compile(
    r'<tr data-task="\d+"[^>]*>\s*(?:<td class="text-center">.*?</td>\s*)?<td class="text-nowrap fw-semibold">([^<]*)</td>'
)


def shown(response) -> list[str]:
    """The numbers of the tasks in the plan table's rows, in order (the rows are rendered HTML)."""
    return [html.unescape(number) for number in TABLE_NUMBER.findall(response.content.decode())]


def test_the_table_groups_tasks_by_reform_area_with_roman_numerals(staff, plan, table_tasks):
    with on_day(2019, 6, 10):
        response = plan_table(client_for(staff), plan)
    page = response.content.decode()
    assert shown(response) == ["1", "2", "3", "4"]
    assert "II. Cải cách thể chế" in page
    assert "III. Cải cách thủ tục hành chính" in page
    assert "VII. Hiện đại hóa hành chính" in page
    assert "Văn phòng Sở; Phòng Đăng ký kinh doanh" in page  # coordinating departments
    assert "Trước 15/3/2019" in page and "Hạn 15/03/2019" in page


def test_each_row_links_to_its_task_and_shortens_a_long_content(staff, plan, department, clerk):
    long = make_task(plan, department, number="1", content="Rà soát thủ tục " + "rất dài " * 40, by=clerk)
    short = make_task(plan, department, number="2", by=clerk)
    with on_day(2019, 6, 10):
        page = plan_table(client_for(staff), plan).content.decode()
    assert f'<a href="{reverse("tasks:detail", args=[long.pk])}">{long.content[:219]}…</a>' in page
    assert f'<a href="{reverse("tasks:detail", args=[short.pk])}">{short.content}</a>' in page


@pytest.mark.parametrize(
    ("day", "words", "marked"),
    [
        ((2019, 3, 16), "quá hạn 1 ngày", "text-danger fw-semibold"),
        ((2019, 3, 15), "đến hạn hôm nay", "text-warning-emphasis fw-semibold"),
        ((2019, 3, 8), "còn 7 ngày", "text-warning-emphasis fw-semibold"),
        ((2019, 3, 7), "còn 8 ngày", "text-secondary"),
    ],
)
def test_a_row_counts_the_days_to_its_deadline_in_colour_when_near(
    staff, plan, department, clerk, day, words, marked
):
    make_task(plan, department, number="1", deadline_text="Trước 15/3/2019", by=clerk)
    with on_day(*day):
        page = plan_table(client_for(staff), plan).content.decode()
    assert f'<div class="text-nowrap {marked}">{words}</div>' in page


def test_the_table_filters_by_lead_department(staff, plan, table_tasks, coordinating_department):
    with on_day(2019, 6, 10):
        assert shown(plan_table(client_for(staff), plan, f"?department={coordinating_department.pk}")) == [
            "2"
        ]


def test_the_table_filters_by_status(staff, plan, table_tasks):
    with on_day(2019, 6, 10):
        assert shown(plan_table(client_for(staff), plan, "?status=open_overdue")) == ["2"]
        assert shown(plan_table(client_for(staff), plan, "?status=not_started")) == ["1", "3", "4"]


def test_the_table_filters_by_area(staff, plan, table_tasks):
    area = ReformArea.objects.get(area_set=plan.area_set, position=6)
    with on_day(2019, 6, 10):
        assert shown(plan_table(client_for(staff), plan, f"?area={area.pk}")) == ["4"]


def test_the_table_filters_tasks_coming_due_within_n_days(staff, plan, table_tasks):
    with on_day(2019, 6, 10):
        # 30/6 is 20 days away, 31/7 is 51; the overdue task is not "coming due"
        assert shown(plan_table(client_for(staff), plan, "?due_within=25")) == ["1"]
        assert shown(plan_table(client_for(staff), plan, "?due_within=60")) == ["1", "3"]


@pytest.mark.parametrize("query", ["cai cach", "CẢI CÁCH thể", "the che", "đầu tư"])
def test_the_search_ignores_diacritics_and_case(staff, plan, table_tasks, query):
    with on_day(2019, 6, 10):
        assert shown(plan_table(client_for(staff), plan, f"?q={query}")) == ["1"]


def test_every_word_of_the_search_must_match(staff, plan, table_tasks):
    with on_day(2019, 6, 10):
        assert shown(plan_table(client_for(staff), plan, "?q=van ban")) == ["2"]
        assert shown(plan_table(client_for(staff), plan, "?q=thu tuc")) == ["3"]
        response = plan_table(client_for(staff), plan, "?q=van ban dau tu")  # words of two different tasks
    assert "Không có nhiệm vụ nào khớp bộ lọc" in response.content.decode()


def test_a_bad_filter_is_explained_and_the_others_still_apply(staff, plan, table_tasks):
    with on_day(2019, 6, 10):
        response = plan_table(client_for(staff), plan, "?as_of=31/02/2019&q=the che")
    assert shown(response) == ["1"]
    assert "Nhập ngày theo dạng dd/mm/yyyy" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?status=xong", "Tình trạng không hợp lệ."),
        ("?department={foreign}", "Đơn vị này không thuộc cơ quan của kế hoạch."),
        ("?area=abc", "Lĩnh vực này không thuộc kế hoạch."),
        ("?due_within=-3", "Số ngày không được âm."),
        ("?due_within=ba", "Nhập số ngày, ví dụ 30."),
        ("?as_of=2019-06-01", "Nhập ngày theo dạng dd/mm/yyyy"),
    ],
)
def test_a_bad_filter_value_is_explained_and_narrows_nothing(
    staff, plan, table_tasks, outsider, query, message
):
    with on_day(2019, 6, 10):
        response = plan_table(
            client_for(staff), plan, query.format(foreign=outsider.department_id) + "&q=the che"
        )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert shown(response) == ["1"]


def test_the_filters_show_their_labels_and_each_error_beside_its_control(staff, plan, table_tasks):
    with on_day(2019, 6, 10):
        page = plan_table(client_for(staff), plan, "?status=bad&due_within=x&q=the+che").content.decode()
    assert "Tình trạng" in label_of(page, "id_status")
    assert "Tình trạng không hợp lệ." in error_of(page, "id_status")
    assert "Nhập số ngày, ví dụ 30." in error_of(page, "id_due_within")
    assert classes(by_id(page, "id_status")) == {"form-select", "form-select-sm", "is-invalid"}
    assert classes(by_id(page, "id_q")) == {"form-control", "form-control-sm"}
    assert attributes(by_id(page, "id_q"))["value"] == "the che"  # what was typed is kept


def test_the_table_has_50_tasks_a_page_and_page_links_keep_the_filters(staff, plan, department, clerk):
    for n in range(1, 56):
        make_task(plan, department, number=str(n), content=f"Cải cách thủ tục số {n}", by=clerk)
    client = client_for(staff)
    with on_day(2019, 6, 10):
        first = plan_table(client, plan, f"?q=cai+cach&department={department.pk}")
        assert len(shown(first)) == 50
        assert f"?q=cai+cach&amp;department={department.pk}&amp;page=2" in first.content.decode()
        second = plan_table(client, plan, f"?q=cai+cach&department={department.pk}&page=2")
    assert shown(second) == [str(n) for n in range(51, 56)]
    assert "(tiếp)" in second.content.decode()  # the area's header row repeats on the next page


def test_the_pages_follow_the_areas_in_their_order_across_page_breaks(staff, plan, department, clerk):
    for n in range(1, 31):  # the later area's tasks are created first
        make_task(plan, department, number=str(n), area_position=4, by=clerk)
    for n in range(31, 61):
        make_task(plan, department, number=str(n), area_position=2, by=clerk)
    client = client_for(staff)
    with on_day(2019, 6, 10):
        first, second = plan_table(client, plan), plan_table(client, plan, "?page=2")
    assert shown(first) == [str(n) for n in range(31, 61)] + [str(n) for n in range(1, 21)]
    assert shown(second) == [str(n) for n in range(21, 31)]
    assert first.context["page"].paginator.count == second.context["page"].paginator.count == 60
    assert "(tiếp)" in second.content.decode() and "(tiếp)" not in first.content.decode()


def test_the_table_shows_statuses_as_of_a_given_date(
    staff, dept_head, plan, department, clerk, no_evidence_rule
):
    task = make_task(plan, department, number="1", deadline_text="Quý II/2019", by=clerk)
    complete(task, staff, dept_head, at(2019, 6, 10), at(2019, 6, 12))
    client = client_for(staff)
    with on_day(2019, 9, 1):
        today = plan_table(client, plan).content.decode()
        before = plan_table(client, plan, "?as_of=01/06/2019").content.decode()
    assert "Đã hoàn thành đúng hạn" in today
    assert "Chưa triển khai" in before
    assert "Tình trạng tại ngày 01/06/2019" in before
    assert "Xong 10/06/2019" in today


def test_only_clerks_see_the_checkboxes_and_bulk_actions(staff, clerk, plan, table_tasks):
    with on_day(2019, 6, 10):
        assert 'name="tasks"' not in plan_table(client_for(staff), plan).content.decode()
        page = plan_table(client_for(clerk), plan).content.decode()
    assert 'name="tasks"' in page
    assert reverse("tasks:bulk", args=[plan.pk]) in page


def test_the_empty_plan_invites_the_clerk_to_add_or_import_tasks(clerk, plan):
    page = plan_table(client_for(clerk), plan).content.decode()
    assert "Kế hoạch chưa có nhiệm vụ nào" in page
    assert reverse("tasks:import", args=[plan.pk]) in page


def test_the_table_queries_do_not_grow_from_3_to_60_tasks(
    clerk, staff, plan, department, coordinating_department, office
):
    client = client_for(clerk)
    for n in range(1, 4):
        make_task(plan, department, number=str(n), coordinating=[coordinating_department, office], by=clerk)

    def cold(url):  # nothing in the cache: every query the page needs
        cache.clear()
        return count_queries(client, url)

    with on_day(2019, 6, 10):
        few = cold(reverse("tasks:plan_tasks", args=[plan.pk]))
    for n in range(4, 61):
        task = make_task(
            plan,
            department,
            number=str(n),
            area_position=n % 7,
            coordinating=[coordinating_department],
            by=clerk,
        )
        report(task, staff, 20, at(2019, 5, 1))
    with on_day(2019, 6, 10):
        assert cold(reverse("tasks:plan_tasks", args=[plan.pk])) == few
        assert cold(reverse("tasks:plan_tasks", args=[plan.pk]) + "?page=2") == few


def test_the_table_query_count_is_pinned(staff, plan, table_tasks, django_assert_num_queries):
    client = client_for(staff)
    url = reverse("tasks:plan_tasks", args=[plan.pk])
    client.get(url)
    # session, user, plan (with its agency, whose data_version keys the cache); the departments,
    # areas and sections of the filters and the page of rows of unchanged tasks come from the cache
    with django_assert_num_queries(3):
        client.get(url)
    cache.clear()
    # ... and without the cache: the departments, the areas, the plan's sections, the count, the page
    # and the coordinating departments of its rows
    with django_assert_num_queries(9):
        client.get(url)


class BrokenCache:
    """A cache that cannot be reached: every call raises, as a Redis client does when Redis is down."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache down")

        return fail


def test_the_table_renders_with_the_cache_down(staff, plan, table_tasks, monkeypatch):
    client = client_for(staff)
    with on_day(2019, 6, 10):
        cached = plan_table(client, plan).content.decode()
        monkeypatch.setattr("cchc.fragments.cache", BrokenCache())
        response = plan_table(client, plan)
    assert response.status_code == 200
    assert shown(response) == ["1", "2", "3", "4"]
    start = cached.index('aria-live="polite"')
    assert (
        response.content.decode()[start : cached.index("</table>")]
        == cached[start : cached.index("</table>")]
    )


def test_a_renamed_department_or_area_shows_in_the_filters_at_once(staff, plan, table_tasks, department):
    client = client_for(staff)
    url = reverse("tasks:plan_tasks", args=[plan.pk])
    client.get(url)
    department.name = "Phòng Đăng ký doanh nghiệp"
    department.save()
    area = ReformArea.objects.filter(area_set_id=plan.area_set_id).order_by("position").first()
    area.name = "Cải cách thể chế hành chính"
    area.save()
    page = client.get(url).content.decode()
    assert "Phòng Đăng ký doanh nghiệp" in page
    assert "Cải cách thể chế hành chính" in page


def test_a_page_past_the_end_shows_the_last_page(staff, plan, table_tasks):
    page = client_for(staff).get(reverse("tasks:plan_tasks", args=[plan.pk]) + "?page=99")
    assert page.status_code == 200
    assert page.context["page"].number == 1
    assert len(shown(page)) == len(table_tasks)


# The plan's sections in the table -----------------------------------------------------------------


def area_of(plan, position):
    return ReformArea.objects.get(area_set=plan.area_set, position=position)


def make_sections(plan, clerk) -> dict:
    """The sections of an annex as written, created out of their written order: IX (no reform area)
    before V, and III with III.1 and III.1.1 inside it."""
    make = functools.partial(plan_services.section_create, plan=plan, by=clerk)
    ix = make(label="IX", title="Công tác chỉ đạo, điều hành", position=9)
    v = make(label="V", title="Cải cách chế độ công vụ", area=area_of(plan, 4), position=5)
    iii = make(label="III", title="Cải cách thủ tục hành chính", area=area_of(plan, 2), position=3)
    iii_1 = make(label="III.1", title="Kiểm soát thủ tục hành chính", parent=iii)
    iii_1_1 = make(label="III.1.1", title="Rà soát, đơn giản hóa", parent=iii_1)
    return {"IX": ix, "V": v, "III": iii, "III.1": iii_1, "III.1.1": iii_1_1}


@pytest.fixture
def sections(plan, clerk):
    return make_sections(plan, clerk)


def in_section(plan, lead, section, number, **fields):
    """A task of `section`, its area the section's (as task_create gives it when no area is named)."""
    fields.setdefault("content", f"Nhiệm vụ {section.label} số {number}")
    return services.task_create(
        plan=plan,
        by=plan.agency.users.get(role=Role.CLERK),
        number=number,
        section=section,
        lead_department=lead,
        deadline_text=fields.pop("deadline_text", "Quý III/2019"),
        **fields,
    )


@pytest.fixture
def sectioned_tasks(plan, sections, department, office):
    """Tasks of the sections, each created out of the order it is written in: 2.10 before 2.9."""
    return {
        "IX 1": in_section(plan, office, sections["IX"], "1"),
        "V 2.10": in_section(plan, department, sections["V"], "2.10"),
        "V 2.9": in_section(plan, department, sections["V"], "2.9"),
        "III.1.1 1": in_section(plan, department, sections["III.1.1"], "1"),
        "III.1 2": in_section(plan, department, sections["III.1"], "2"),
        "III 1": in_section(plan, department, sections["III"], "1"),
    }


def shown_tasks(response) -> list[int]:
    """The ids of the tasks in the plan table's rows, in order."""
    return [int(pk) for pk in re.findall(r'<tr data-task="(\d+)"', response.content.decode())]


def group_rows(page: str) -> list[tuple[str, str]]:
    """(group key, heading) of the table's group rows, in order."""
    found = re.findall(
        r'<tr class="group-row[^"]*" data-group="([^"]+)" data-in="[^"]*">(.*?)</tr>', page, re.S
    )
    return [(key, " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split())) for key, row in found]


def test_the_table_lists_the_sections_as_written_and_their_tasks_by_number(staff, plan, sectioned_tasks):
    with on_day(2019, 6, 10):
        response = plan_table(client_for(staff), plan)
    page = response.content.decode()
    # a section's own tasks before its sub-sections', V before IX, 2.9 before 2.10
    order = ["III 1", "III.1 2", "III.1.1 1", "V 2.9", "V 2.10", "IX 1"]
    assert shown_tasks(response) == [sectioned_tasks[name].pk for name in order]
    assert shown(response) == ["1", "2", "1", "2.9", "2.10", "1"]
    headings = [heading for _key, heading in group_rows(page)]
    assert headings == [
        "III. Cải cách thủ tục hành chính",
        "III.1. Kiểm soát thủ tục hành chính",
        "III.1.1. Rà soát, đơn giản hóa",
        "V. Cải cách chế độ công vụ",
        "IX. Công tác chỉ đạo, điều hành",
    ]
    assert "III. Cải cách thủ tục hành chính (tiếp)" not in headings


def test_sub_sections_are_indented_and_every_row_names_the_groups_it_is_in(
    staff, plan, sections, sectioned_tasks
):
    with on_day(2019, 6, 10):
        page = plan_table(client_for(staff), plan).content.decode()
    iii, iii_1, iii_1_1 = (f"section-{sections[label].pk}" for label in ("III", "III.1", "III.1.1"))
    assert (
        f'data-group="{iii_1_1}" data-in="{iii} {iii_1}"><th scope="colgroup" colspan="7" class="group-depth-2">'
        in page
    )
    assert f'data-group="{iii}" data-in=""><th scope="colgroup" colspan="7" class="group-depth-0">' in page
    task = sectioned_tasks["III.1.1 1"]
    assert f'<tr data-task="{task.pk}" data-in="{iii} {iii_1} {iii_1_1}">' in page


def test_each_group_row_has_a_fold_button_that_shows_only_with_javascript(staff, plan, sectioned_tasks):
    with on_day(2019, 6, 10):
        page = plan_table(client_for(staff), plan).content.decode()
    buttons = re.findall(
        r'<button type="button" class="group-toggle[^"]*" aria-expanded="true"[^>]*hidden>', page
    )
    assert len(buttons) == len(group_rows(page)) == 5  # hidden until the script shows them: rows all show
    assert 'aria-label="Thu gọn hoặc mở III.1. Kiểm soát thủ tục hành chính"' in page
    assert "js/table-groups.js" in page  # tests/e2e/test_task_table_journey.py folds with it


def test_tasks_outside_every_section_keep_their_reform_area_group(
    staff, plan, sections, sectioned_tasks, department
):
    make_task(plan, department, number="7", area_position=1)
    with on_day(2019, 6, 10):
        response = plan_table(client_for(staff), plan)
    assert shown(response)[-1] == "7"
    assert group_rows(response.content.decode())[-1] == (
        f"area-{area_of(plan, 1).pk}",
        "II. Cải cách thể chế",
    )


def test_the_table_filters_by_a_section_with_the_sections_inside_it(staff, plan, sections, sectioned_tasks):
    client = client_for(staff)
    with on_day(2019, 6, 10):
        whole = plan_table(client, plan, f"?section={sections['III'].pk}")
        inner = plan_table(client, plan, f"?section={sections['III.1.1'].pk}")
        other = plan_table(client, plan, f"?section={sections['V'].pk}")
    assert shown(whole) == ["1", "2", "1"]
    assert shown(inner) == ["1"]
    assert shown(other) == ["2.9", "2.10"]
    assert (
        group_rows(inner.content.decode())[0][1] == "III. Cải cách thủ tục hành chính"
    )  # its parents head it


def test_the_section_filter_lists_the_tree_indented_in_written_order(staff, plan, sections):
    page = plan_table(client_for(staff), plan).content.decode()
    select = page[
        page.index('<select name="section"') : page.index("</select>", page.index('<select name="section"'))
    ]
    options = [html.unescape(text) for text in re.findall(r"<option[^>]*>([^<]*)</option>", select)]
    indent = "\u00a0" * 4
    assert options == [
        "Mọi mục",
        "III. Cải cách thủ tục hành chính",
        f"{indent}III.1. Kiểm soát thủ tục hành chính",
        f"{indent * 2}III.1.1. Rà soát, đơn giản hóa",
        "V. Cải cách chế độ công vụ",
        "IX. Công tác chỉ đạo, điều hành",
    ]
    assert "Mục" in label_of(page, "id_section")


def test_a_plan_without_sections_shows_no_section_filter(staff, plan, table_tasks):
    page = plan_table(client_for(staff), plan).content.decode()
    assert 'name="section"' not in page
    assert 'name="area"' in page


def test_a_section_of_another_plan_is_explained_and_narrows_nothing(
    staff, clerk, plan, agency, sections, sectioned_tasks
):
    other = make_plan(agency, number=15, status=Plan.Status.ISSUED)
    foreign = plan_services.section_create(plan=other, by=clerk, label="I", title="Khác")
    with on_day(2019, 6, 10):
        response = plan_table(client_for(staff), plan, f"?section={foreign.pk}")
    assert "Mục này không thuộc kế hoạch." in error_of(response.content.decode(), "id_section")
    assert len(shown(response)) == 6


def test_the_pages_follow_the_sections_and_say_which_group_goes_on(staff, plan, sections, department):
    for n in range(1, 41):  # the later section's tasks are created first
        in_section(plan, department, sections["V"], str(n))
    for n in range(1, 21):
        in_section(plan, department, sections["III.1"], str(n))
    in_section(plan, department, sections["III"], "1")
    client = client_for(staff)
    with on_day(2019, 6, 10):
        first, second = plan_table(client, plan), plan_table(client, plan, "?page=2")
    assert shown(first) == ["1", *(str(n) for n in range(1, 21)), *(str(n) for n in range(1, 30))]
    assert shown(second) == [str(n) for n in range(30, 41)]
    assert [heading for _key, heading in group_rows(second.content.decode())] == [
        "V. Cải cách chế độ công vụ (tiếp)"
    ]
    assert "(tiếp)" not in first.content.decode()


def test_a_page_that_begins_a_sub_section_says_its_parents_go_on(staff, plan, sections, department):
    for n in range(1, 51):
        in_section(plan, department, sections["III.1"], str(n))
    in_section(plan, department, sections["III.1.1"], "1")
    with on_day(2019, 6, 10):
        second = plan_table(client_for(staff), plan, "?page=2")
    assert shown(second) == ["1"]
    assert [heading for _key, heading in group_rows(second.content.decode())] == [
        "III. Cải cách thủ tục hành chính (tiếp)",
        "III.1. Kiểm soát thủ tục hành chính (tiếp)",
        "III.1.1. Rà soát, đơn giản hóa",
    ]


def test_an_outside_lead_shows_as_written_with_the_department_that_follows_it_up(
    staff, plan, sections, department, office
):
    in_section(
        plan,
        department,
        sections["V"],
        "1",
        lead_name="Bộ Nội vụ",
        outside_coordinators="Bộ Công an; Bộ Tài chính",
        coordinating_departments=[office],
    )
    with on_day(2019, 6, 10):
        page = plan_table(client_for(staff), plan).content.decode()
    assert 'Bộ Nội vụ<div class="small text-secondary">Theo dõi: Phòng Đăng ký kinh doanh</div>' in page
    assert "Văn phòng Sở; Bộ Công an; Bộ Tài chính" in page  # departments, then the outside bodies


@pytest.mark.parametrize("query", ["bo noi vu", "Bộ Nội vụ", "các địa phương", "bo cong an"])
def test_the_search_finds_a_task_by_the_outside_bodies_as_written(staff, plan, sections, department, query):
    in_section(plan, department, sections["V"], "1", lead_name="Bộ Nội vụ")
    in_section(
        plan, department, sections["V"], "2", lead_name="Các địa phương", outside_coordinators="Bộ Công an"
    )
    in_section(plan, department, sections["V"], "3")
    expected = {"bo noi vu": ["1"], "Bộ Nội vụ": ["1"], "các địa phương": ["2"], "bo cong an": ["2"]}[query]
    with on_day(2019, 6, 10):
        assert shown(plan_table(client_for(staff), plan, f"?q={query}")) == expected


def unset_task(plan, clerk, lead, number, **item):
    """A task whose plan names no date (the import writes it so: an unset Deadline)."""
    item = {
        "number": number,
        "area": area_of(plan, 2),
        "content": f"Nhiệm vụ chưa có hạn số {number}",
        "lead_department": lead,
        "deadline": Deadline.unset("Khi có hướng dẫn"),
        **item,
    }
    return services.tasks_bulk_create(plan=plan, by=clerk, items=[item])[0]


def test_a_task_without_a_due_date_says_so_and_comes_last_among_due_dates(staff, clerk, plan, department):
    make_task(plan, department, number="1", deadline_text="Quý III/2019")
    unset_task(plan, clerk, department, "2")
    make_task(plan, department, number="3", deadline_text="Quý IV/2019")
    with on_day(2019, 6, 10):
        table = plan_table(client_for(staff), plan).content.decode()
        mine = client_for(staff).get(reverse("tasks:mine"))
    assert "Khi có hướng dẫn" in table and "Chưa xác định thời hạn" in table
    assert numbers_of(mine) == ["1", "3", "2"]
    assert "Chưa xác định thời hạn" in mine.content.decode()


def numbers_of(response) -> list[str]:
    return [row.number for row in response.context["tasks"]]


def test_a_section_renamed_or_added_shows_in_the_table_at_once(staff, clerk, plan, sections, sectioned_tasks):
    client = client_for(staff)
    with on_day(2019, 6, 10):
        plan_table(client, plan)  # now in the cache
        plan_services.section_update(section=sections["V"], by=clerk, title="Cải cách công vụ", area=None)
        plan_services.section_create(plan=plan, by=clerk, label="X", title="Kinh phí thực hiện")
        page = plan_table(client, plan).content.decode()
    assert (f"section-{sections['V'].pk}", "V. Cải cách công vụ") in group_rows(page)
    assert "X. Kinh phí thực hiện" in page  # among the section filter's choices


def test_the_sectioned_table_query_count_is_that_of_a_plan_without_sections(
    staff, plan, sections, sectioned_tasks, django_assert_num_queries
):
    client = client_for(staff)
    url = reverse("tasks:plan_tasks", args=[plan.pk])
    client.get(url)
    with django_assert_num_queries(3):  # the sections come from the cache with the rest
        client.get(url)
    cache.clear()
    with django_assert_num_queries(9):
        client.get(url)


def test_the_sectioned_table_queries_do_not_grow_with_sections_or_tasks(
    clerk, plan, sections, department, office
):
    client = client_for(clerk)
    url = reverse("tasks:plan_tasks", args=[plan.pk])
    in_section(plan, department, sections["III.1.1"], "1", coordinating_departments=[office])

    def cold(query=""):
        cache.clear()
        return count_queries(client, url + query)

    with on_day(2019, 6, 10):
        few = cold()
    parent = sections["III.1.1"]
    for n in range(1, 8):
        parent = plan_services.section_create(
            plan=plan, by=clerk, label=f"III.1.1.{n}", title=f"Mục {n}", parent=parent
        )
        for number in range(1, 10):
            in_section(plan, department, parent, str(number), coordinating_departments=[office])
    with on_day(2019, 6, 10):
        assert cold() == few
        assert cold("?page=2") == few
        assert cold(f"?section={sections['III'].pk}") == few


# Bulk actions -----------------------------------------------------------------------------------


def bulk(client, plan, **data):
    return client.post(reverse("tasks:bulk", args=[plan.pk]), data)


def test_the_clerk_changes_the_lead_department_of_selected_tasks(clerk, plan, table_tasks, office):
    first, _, third, fourth = table_tasks
    response = bulk(
        client_for(clerk),
        plan,
        tasks=[first.pk, third.pk],
        action="chu-tri",
        department=office.pk,
        reason="Theo chức năng, nhiệm vụ mới",
        filters="q=cai+cach&page=1",
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("tasks:plan_tasks", args=[plan.pk]) + "?q=cai+cach&page=1"
    assert set(Task.objects.filter(lead_department=office).values_list("number", flat=True)) == {"1", "3"}
    assert Task.objects.get(pk=fourth.pk).lead_department_id != office.pk
    assert (
        TaskEvent.objects.filter(kind=TaskEvent.Kind.LEAD, reason="Theo chức năng, nhiệm vụ mới").count() == 2
    )


def test_the_clerk_moves_deadlines_of_selected_tasks(clerk, plan, table_tasks):
    first, second, *_ = table_tasks
    response = bulk(
        client_for(clerk),
        plan,
        tasks=[first.pk, second.pk],
        action="thoi-han",
        deadline_text="Quý III/2019",
        reason="Chờ hướng dẫn của Bộ",
    )
    assert response.status_code == 302
    moved = Task.objects.filter(pk__in=[first.pk, second.pk])
    assert {task.due_date for task in moved} == {datetime.date(2019, 9, 30)}
    assert {task.deadline_text for task in moved} == {"Quý III/2019"}


def test_a_refused_bulk_action_shows_its_errors_beside_the_fields(clerk, plan, table_tasks):
    response = bulk(client_for(clerk), plan, action="thoi-han", deadline_text="", reason="")
    page = response.content.decode()
    assert "Nhập lý do thay đổi." in error_of(page, "id_reason")
    assert "is-invalid" in classes(by_id(page, "id_reason"))
    assert "Thao tác" in label_of(page, "id_action")
    assert attributes(by_id(page, "id_action"))["required"] is None  # a required field is marked


def test_a_bulk_change_without_a_reason_changes_nothing_and_keeps_the_input(clerk, plan, table_tasks, office):
    first, second, *_ = table_tasks
    response = bulk(
        client_for(clerk),
        plan,
        tasks=[first.pk, second.pk],
        action="chu-tri",
        department=office.pk,
        reason=" ",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nhập lý do thay đổi." in page
    assert f'value="{first.pk}" id="chon-{first.pk}" checked' in page
    assert not Task.objects.filter(lead_department=office).exists()
    assert not TaskEvent.objects.filter(kind=TaskEvent.Kind.LEAD).exists()


def test_an_unreadable_deadline_changes_nothing(clerk, plan, table_tasks):
    first, *_ = table_tasks
    response = bulk(
        client_for(clerk),
        plan,
        tasks=[first.pk],
        action="thoi-han",
        deadline_text="sớm nhất",
        reason="Lùi hạn",
    )
    assert response.status_code == 200
    assert "Không đọc được thời hạn" in response.content.decode()
    assert Task.objects.get(pk=first.pk).deadline_text == "Quý II/2019"


def test_a_bulk_action_with_nothing_selected_asks_for_a_choice(clerk, plan, table_tasks):
    response = bulk(
        client_for(clerk), plan, action="thoi-han", deadline_text="Quý III/2019", reason="Lùi hạn"
    )
    assert "Chọn ít nhất một nhiệm vụ" in response.content.decode()


def test_a_task_of_another_plan_in_a_bulk_action_is_404(
    clerk, plan, draft_plan, table_tasks, department, office
):
    foreign = make_task(draft_plan, department, number="9", by=clerk)
    response = bulk(
        client_for(clerk),
        plan,
        tasks=[table_tasks[0].pk, foreign.pk],
        action="chu-tri",
        department=office.pk,
        reason="Thử",
    )
    assert response.status_code == 404
    assert not Task.objects.filter(lead_department=office).exists()


def test_a_task_of_another_agency_in_a_bulk_action_is_404(clerk, plan, other_task, table_tasks, office):
    response = bulk(
        client_for(clerk), plan, tasks=[other_task.pk], action="chu-tri", department=office.pk, reason="Thử"
    )
    assert response.status_code == 404


def test_only_the_clerk_makes_bulk_changes(dept_head, plan, table_tasks, office):
    response = bulk(
        client_for(dept_head),
        plan,
        tasks=[table_tasks[0].pk],
        action="chu-tri",
        department=office.pk,
        reason="Thử",
    )
    assert response.status_code == 403
    assert not Task.objects.filter(lead_department=office).exists()


def test_a_department_of_another_agency_is_refused(clerk, plan, table_tasks, outsider):
    response = bulk(
        client_for(clerk),
        plan,
        tasks=[table_tasks[0].pk],
        action="chu-tri",
        department=outsider.department_id,
        reason="Thử",
    )
    assert response.status_code == 200
    assert "Đơn vị này không thuộc cơ quan của kế hoạch." in response.content.decode()


def test_a_staff_member_of_another_department_sees_the_table_read_only(agency, plan, table_tasks, office):
    reader = make_user("docgia", Role.STAFF, agency, office)
    with on_day(2019, 6, 10):
        response = plan_table(client_for(reader), plan)
    assert response.status_code == 200
    assert response.context["bulk_form"] is None


def test_the_plan_page_counts_the_tasks_of_each_area_and_links_to_them(leader, task, agency, department):
    other = make_plan(agency, number=15, status=Plan.Status.ISSUED)  # the same set of reform areas
    make_task(other, department, number="1")
    make_task(other, department, number="2")
    page = client_for(leader).get(reverse("plans:detail", args=[task.plan_id])).content.decode()
    url = reverse("tasks:plan_tasks", args=[task.plan_id])
    assert f'href="{url}?area={task.area_id}">1 nhiệm vụ</a>' in page  # not the other plan's
    assert "Chưa có nhiệm vụ trong lĩnh vực này." in page  # the other areas


# A returned completion: the lists show the percent last accepted, marked "bị trả lại" -------------


def percent_cell(page: str, task) -> str:
    """The text of the percent column of `task`'s row (its progress bar's cell)."""
    row = page[page.index(f'<tr data-task="{task.pk}"') :]
    row = row[: row.index("</tr>")]
    cell = re.search(r'aria-label="Tiến độ nhiệm vụ [^"]*".*?</div></div>(.*?)</td>', row, re.S).group(1)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split())


def test_the_lists_show_the_accepted_percent_of_a_returned_task_with_the_mark(
    staff, dept_head, plan, my_plan_tasks, no_evidence_rule
):
    task = my_plan_tasks["later"]
    report(task, staff, 70, at(2019, 6, 1))
    returned = report(task, staff, 100, at(2019, 6, 4))
    services.progress_return(report=returned, by=dept_head, reason="Thiếu quyết định", at=at(2019, 6, 5))
    with on_day(2019, 6, 10):
        pages = {
            "mine": client_for(staff).get(reverse("tasks:mine")).content.decode(),
            "department": client_for(dept_head).get(reverse("tasks:department")).content.decode(),
            "table": plan_table(client_for(staff), plan).content.decode(),
            "table then": plan_table(client_for(staff), plan, "?as_of=06/06/2019").content.decode(),
        }
        before = plan_table(client_for(staff), plan, "?as_of=04/06/2019").content.decode()
    for name, page in pages.items():
        assert percent_cell(page, task) == "70% bị trả lại", name
    assert percent_cell(before, task) == "100%"  # on 4/6 the completion was not returned yet


def test_the_mark_goes_once_the_task_is_reported_again(staff, dept_head, my_plan_tasks, no_evidence_rule):
    task = my_plan_tasks["later"]
    returned = report(task, staff, 100, at(2019, 6, 4))
    services.progress_return(report=returned, by=dept_head, reason="Thiếu quyết định", at=at(2019, 6, 5))
    report(task, staff, 80, at(2019, 6, 6))
    with on_day(2019, 6, 10):
        page = client_for(staff).get(reverse("tasks:mine")).content.decode()
    assert percent_cell(page, task) == "80%"

"""The leadership dashboard: the figures of a plan on a date, by department and area, from the history."""

import datetime
import html
import re
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role, User
from dashboards.figures import Figures, share
from plans.models import Plan, ReformArea
from tasks import services
from tasks.models import Task, TaskDeadline
from tests.conftest import client_for, demo_settings, make_plan, make_task, make_user
from tests.test_periods import BrokenCache
from tests.test_task_lists import shown

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
JUNE_14 = datetime.date(2019, 6, 14)


def at(y, m, d, h=9):
    return datetime.datetime(y, m, d, h, tzinfo=HANOI)


def on_day(y, m, d):
    """Travel to 10:00 of that day in Việt Nam; the clock stands still."""
    return time_machine.travel(at(y, m, d, 10), tick=False)


def report(task, by, percent, when):
    return services.progress_report(
        task=task, by=by, percent=percent, narrative="Đã triển khai", result="Kết quả", at=when
    )


def complete(task, by, head, reported, approved):
    services.progress_approve(report=report(task, by, 100, reported), by=head, at=approved)


@pytest.fixture
def no_evidence_rule(agency):
    agency.completion_requires_evidence = False
    agency.save()


@pytest.fixture
def seeded(plan, department, coordinating_department, clerk, staff, dept_head, coordinator, no_evidence_rule):
    """Eight tasks whose statuses on 14/6/2019 cover the whole taxonomy.

    Phòng ĐKKD (department): 1 done on time, 2 done 26 days late, 3 open 14 days overdue, 7 cancelled.
    Phòng THQH (coordinating): 4 open within its deadline, 5 not started, 6 open 45 days overdue,
    8 done before its deadline of 30/6."""

    def task(number, lead, deadline, area):
        return make_task(plan, lead, number=number, deadline_text=deadline, area_position=area, by=clerk)

    head_b = make_user("truongphongb", Role.DEPT_HEAD, plan.agency, coordinating_department)
    tasks = {
        1: task("1", department, "Quý I/2019", 1),
        2: task("2", department, "Trước 15/3/2019", 1),
        3: task("3", department, "Tháng 5/2019", 2),
        4: task("4", coordinating_department, "Quý III/2019", 2),
        5: task("5", coordinating_department, "Tháng 12/2019", 6),
        6: task("6", coordinating_department, "Tháng 4/2019", 2),
        7: task("7", department, "Quý IV/2019", 6),
        8: task("8", coordinating_department, "Tháng 6/2019", 1),
    }
    complete(tasks[1], staff, dept_head, at(2019, 3, 20), at(2019, 3, 25))
    complete(tasks[2], staff, dept_head, at(2019, 4, 10), at(2019, 4, 12))
    report(tasks[3], staff, 50, at(2019, 5, 1))
    report(tasks[4], coordinator, 30, at(2019, 6, 1))
    services.task_cancel(task=tasks[7], by=clerk, reason="Không còn phù hợp", at=at(2019, 3, 1))
    complete(tasks[8], coordinator, head_b, at(2019, 6, 10), at(2019, 6, 12))
    return tasks


def dashboard_page(client, plan, query=""):
    return client.get(reverse("dashboards:plan", args=[plan.pk]) + query)


def headline(figures):
    return {
        "total": figures.total,
        "cancelled": figures.cancelled,
        "due": figures.due,
        "done_on_time": figures.done_on_time,
        "done_late": figures.done_late,
        "open_on_time": figures.open_on_time,
        "open_overdue": figures.open_overdue,
        "not_started": figures.not_started,
    }


JUNE_FIGURES = {
    "total": 7,
    "cancelled": 1,
    "due": 4,
    "done_on_time": 2,
    "done_late": 1,
    "open_on_time": 1,
    "open_overdue": 2,
    "not_started": 1,
}


def test_the_headline_figures_follow_the_taxonomy_on_the_date(leader, plan, seeded):
    with on_day(2019, 6, 14):
        response = dashboard_page(client_for(leader), plan)
    figures = response.context["figures"]
    assert headline(figures) == JUNE_FIGURES
    # completed 3 of the 5 tasks that have come due (3 completed + 2 overdue); task 4 is left out
    assert response.context["completion_rate"] == "60,00 %"
    assert response.context["overdue_rate"] == "40,00 %"
    assert figures.average_days_late == Decimal("28.3")  # (26 + 14 + 45) / 3
    page = response.content.decode()
    assert "Số liệu tại ngày <strong>14/06/2019</strong> (hôm nay)" in page
    assert "Chưa hoàn thành, quá hạn" in page and "bi-exclamation-triangle-fill" in page


def test_the_figures_of_a_past_date_come_from_the_history(leader, clerk, staff, dept_head, plan, seeded):
    client = client_for(leader)
    with on_day(2019, 6, 14):
        on_the_day = dashboard_page(client, plan)
    # after 14/6: task 3 is completed (reported 18/6, approved 20/6) and task 6 gets a new deadline on 1/7
    complete(seeded[3], staff, dept_head, at(2019, 6, 18), at(2019, 6, 20))
    services.task_change_deadline(
        task=seeded[6], by=clerk, deadline_text="Quý IV/2019", reason="Theo chỉ đạo", at=at(2019, 7, 1)
    )
    with on_day(2019, 9, 1):
        # the dashboard of 14/6 remembered its plan in the session, which expired on that day's clock
        client.force_login(leader)
        later = dashboard_page(client, plan, "?as_of=14/06/2019")
        today = dashboard_page(client, plan)
    assert headline(later.context["figures"]) == JUNE_FIGURES == headline(on_the_day.context["figures"])
    assert later.context["completion_rate"] == "60,00 %"
    assert [(row.name, row.open_overdue) for row in later.context["departments"]] == [
        (row.name, row.open_overdue) for row in on_the_day.context["departments"]
    ]
    now = today.context["figures"]
    assert (now.done_late, now.open_overdue) == (2, 0)  # task 3 done late; task 6 due 31/12 now
    assert "Số liệu tại ngày <strong>14/06/2019</strong>, tính từ lịch sử" in later.content.decode()


def test_the_rates_add_up_to_exactly_100():
    figures = Figures(done_on_time=1, done_late=1, open_overdue=1)
    assert (figures.completion_rate, figures.overdue_rate) == (Decimal("66.67"), Decimal("33.33"))
    assert figures.completion_rate + figures.overdue_rate == Decimal("100.00")
    half_up = Figures(done_on_time=1, open_overdue=7)  # 12.5 % exactly
    assert half_up.completion_rate == Decimal("12.50")
    assert Figures(done_on_time=1, open_overdue=199).completion_rate == Decimal("0.50")


def test_nothing_come_due_shows_a_dash_for_both_rates(leader, plan, department, clerk):
    make_task(plan, department, number="1", deadline_text="Quý IV/2019", by=clerk)
    with on_day(2019, 6, 14):
        response = dashboard_page(client_for(leader), plan)
    assert response.context["completion_rate"] == response.context["overdue_rate"] == "—"
    assert response.context["figures"].not_started == 1


def test_the_department_and_area_tables(leader, plan, seeded, department, coordinating_department):
    with on_day(2019, 9, 1):
        response = dashboard_page(client_for(leader), plan, "?as_of=14/06/2019")
    rows = {
        row.name: (row.total, row.due, row.done, row.on_time_shown, row.open_overdue, row.days_late_shown)
        for row in response.context["departments"]
    }
    assert rows == {
        department.name: (3, 3, 2, "50,00 %", 1, "20,0"),
        coordinating_department.name: (4, 1, 1, "100,00 %", 1, "45,0"),
    }
    areas = [
        (row.position, row.total, row.done, row.open_overdue, row.cancelled)
        for row in response.context["areas"]
    ]
    assert areas == [(1, 3, 3, 0, 0), (2, 3, 0, 2, 0), (6, 1, 0, 0, 1)]
    page = response.content.decode()
    assert (
        'aria-label="Đã hoàn thành đúng hạn: 1; Đã hoàn thành quá hạn: 1; Chưa hoàn thành, quá hạn: 1"'
        in page
    )
    assert 'style="width: 33.33%"' in page


def test_the_tables_sort_by_a_column_both_ways(leader, plan, seeded, department, coordinating_department):
    client = client_for(leader)
    with on_day(2019, 9, 1):
        most_assigned = dashboard_page(client, plan, "?as_of=14/06/2019&order=-assigned")
        least_assigned = dashboard_page(client, plan, "?as_of=14/06/2019&order=assigned")
        unknown = dashboard_page(client, plan, "?as_of=14/06/2019&order=xoa")
    names = lambda response: [row.name for row in response.context["departments"]]  # noqa: E731
    assert names(most_assigned) == [coordinating_department.name, department.name]
    assert names(least_assigned) == [department.name, coordinating_department.name]
    assert names(unknown) == [department.name, coordinating_department.name]
    assert 'aria-sort="descending"' in most_assigned.content.decode()


def number_links(page: str) -> list[tuple[int, str]]:
    return [
        (int(count), html.unescape(url))
        for count, url in re.findall(r'data-count="(\d+)" href="([^"]+)"', page)
    ]


def table_count(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return int(
        re.search(r"<strong>([\d.]+)</strong> nhiệm vụ", response.content.decode()).group(1).replace(".", "")
    )


@pytest.mark.parametrize(("today", "query"), [((2019, 6, 14), ""), ((2019, 9, 1), "?as_of=14/06/2019")])
def test_every_number_links_to_a_table_of_exactly_that_many_tasks(leader, plan, seeded, today, query):
    client = client_for(leader)
    with on_day(*today):
        links = number_links(dashboard_page(client, plan, query).content.decode())
        # 8 headline cards, 4 counts per department and area row, the overdue and coming-due lists
        assert len(links) == 8 + 4 * (2 + 3) + 2
        for count, url in links:
            assert "as_of=14%2F06%2F2019" in url
            assert table_count(client, url) == count, url


def test_a_department_head_sees_the_departments_part_and_its_links_stay_in_it(
    dept_head, plan, seeded, department
):
    client = client_for(dept_head)
    with on_day(2019, 9, 1):
        response = dashboard_page(client, plan, "?as_of=14/06/2019")
        assert [row.name for row in response.context["departments"]] == [department.name]
        figures = response.context["figures"]
        assert (figures.total, figures.done, figures.open_overdue, figures.cancelled) == (3, 2, 1, 1)
        for count, url in number_links(response.content.decode()):
            assert f"department={department.pk}" in url
            assert table_count(client, url) == count, url


def test_an_overseer_reads_the_dashboard_of_an_agency_of_the_province(overseer, plan, seeded):
    with on_day(2019, 6, 14):
        response = dashboard_page(client_for(overseer), plan)
    assert response.status_code == 200
    assert response.context["figures"].total == 7
    assert plan.agency.name in response.content.decode()


def test_a_bad_date_is_explained_and_today_is_shown(leader, plan, seeded):
    with on_day(2019, 6, 14):
        response = dashboard_page(client_for(leader), plan, "?as_of=31/02/2019")
    page = response.content.decode()
    assert "Nhập ngày theo dạng dd/mm/yyyy" in page
    assert 'value="31/02/2019"' in page
    assert response.context["as_of"] == JUNE_14


def test_the_report_cut_offs_of_the_plans_year_are_shortcuts(leader, plan):
    with on_day(2019, 6, 14):
        page = dashboard_page(client_for(leader), plan).content.decode()
    for day in ("14/03/2019", "14/06/2019", "14/09/2019", "14/12/2019"):
        assert f"?as_of={day.replace('/', '%2F')}" in page
    assert "6 tháng (14/06/2019)" in page


def test_the_plan_page_links_to_the_dashboard_for_leaders_not_staff(leader, staff, plan):
    url = reverse("dashboards:plan", args=[plan.pk])
    assert url in client_for(leader).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert url not in client_for(staff).get(reverse("plans:detail", args=[plan.pk])).content.decode()


def test_the_task_table_filters_by_the_dashboards_status_groups(leader, plan, seeded):
    client = client_for(leader)
    base = reverse("tasks:plan_tasks", args=[plan.pk])
    with on_day(2019, 9, 1):
        done = client.get(base + "?status=done&as_of=14/06/2019")
        due = client.get(base + "?status=due&as_of=14/06/2019")
        active = client.get(base + "?status=active&as_of=14/06/2019")
    assert shown(done) == ["1", "2", "8"]
    assert shown(due) == ["1", "2", "3", "6"]
    assert shown(active) == ["1", "2", "8", "3", "4", "6", "5"]


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def add_tasks(plan, departments, clerk, staff, first, last):
    for n in range(first, last + 1):
        task = make_task(
            plan,
            departments[n % len(departments)],
            number=str(n),
            deadline_text=("Quý I/2019", "Tháng 5/2019", "Quý III/2019")[n % 3],
            area_position=n % 7,
            by=clerk,
        )
        if n % 2 and task.lead_department_id == staff.department_id:
            report(task, staff, 40, at(2019, 2, 1))


@pytest.mark.parametrize("query", ["", "?as_of=14/06/2019"])
def test_the_dashboard_queries_do_not_grow_from_3_to_30_tasks(
    leader, clerk, staff, plan, department, coordinating_department, office, query
):
    client = client_for(leader)
    url = reverse("dashboards:plan", args=[plan.pk]) + query
    departments = [department, coordinating_department, office]
    add_tasks(plan, departments, clerk, staff, 1, 3)
    with on_day(2019, 9, 1):
        client.get(url)  # the session remembers the plan: written once, not on every visit
        cache.clear()  # every query the page needs, both times
        few = count_queries(client, url)
    add_tasks(plan, departments, clerk, staff, 4, 30)
    with on_day(2019, 9, 1):
        cache.clear()
        assert count_queries(client, url) == few


def test_the_dashboard_query_count_is_pinned(leader, dept_head, plan, seeded, django_assert_num_queries):
    url = reverse("dashboards:plan", args=[plan.pk]) + "?as_of=14/06/2019"
    client = client_for(leader)
    client.get(url)
    cache.clear()
    # session, user, plan (with its agency's data_version, the key of the cached part), the plan
    # selector, then the figures (headline, departments and areas in one, with their names), the
    # overdue list, the list of tasks coming due and the trend of this year and of the year before
    with django_assert_num_queries(9):
        client.get(url)
    with django_assert_num_queries(4):  # unchanged data: the figures come from the cache
        client.get(url)
    head = client_for(dept_head)
    head.get(url)
    cache.clear()
    with django_assert_num_queries(10):  # ... and the head's department
        head.get(url)
    with django_assert_num_queries(5):
        head.get(url)


def test_the_dashboard_shows_its_figures_with_the_cache_down(leader, plan, seeded, monkeypatch):
    with on_day(2019, 6, 14):
        expected = dashboard_page(client_for(leader), plan).context["figures"].total
        monkeypatch.setattr("cchc.fragments.cache", BrokenCache())
        response = dashboard_page(client_for(leader), plan)
    assert response.status_code == 200
    assert response.context["figures"].total == expected == 7
    assert 'id="so-lieu-chung"' in response.content.decode()


def test_areas_without_tasks_are_not_listed(leader, plan, department, clerk):
    make_task(plan, department, number="1", area_position=3, by=clerk)
    with on_day(2019, 6, 14):
        response = dashboard_page(client_for(leader), plan)
    area = ReformArea.objects.get(area_set=plan.area_set, position=3)
    assert [row.key for row in response.context["areas"]] == [area.pk]


@pytest.mark.parametrize("query", ["?as_of=14/06/2019", ""])
def test_every_number_of_the_demo_dashboard_matches_its_table(db, tmp_path, query):
    """14/KH-SKHĐT of the demo, as of 14/6/2019 (from the history) and today, read by lanhdao."""
    with demo_settings(tmp_path), on_day(2026, 10, 15):
        call_command("load_demo", stdout=StringIO())
        plan = Plan.objects.get(agency__code="SKHĐT", number=14, year=2019)
        client = client_for(User.objects.get(username="lanhdao"))
        response = dashboard_page(client, plan, query)
        links = number_links(response.content.decode())
        assert response.context["figures"].total > 0
        rows = len(response.context["departments"]) + len(response.context["areas"])
        assert len(links) == 8 + 4 * rows + 2
        for count, url in links:
            assert table_count(client, url) == count, url


def test_the_overdue_and_coming_due_lists_as_of_a_past_date(
    leader, plan, seeded, department, clerk, settings
):
    settings.DUE_SOON_DAYS = 14  # the agency's setting (cchc.periods); the default is 7
    make_task(plan, department, number="9", deadline_text="Tháng 6/2019", area_position=3, by=clerk)
    client = client_for(leader)
    with on_day(2019, 9, 1):
        june_14 = dashboard_page(client, plan, "?as_of=14/06/2019")
        june_20 = dashboard_page(client, plan, "?as_of=20/06/2019")
    overdue = [(task.number, task.days_overdue, task.last_report_on) for task in june_14.context["overdue"]]
    assert overdue == [("6", 45, None), ("3", 14, datetime.date(2019, 5, 1))]
    page = june_14.content.decode()
    assert "45 ngày" in page and "01/05/2019" in page and "Chưa báo cáo" in page
    # 30/6 is within 14 days of 20/6 (and of 14/6 for the new task 9); task 8, due then, is already done
    assert [task.number for task in june_20.context["due_soon"]] == ["9"]
    assert june_20.context["figures"].due_soon == 1


def trend_rows(response):
    return [
        (month.number, month.due, month.done, month.previous_due, month.previous_done)
        for month in response.context["months"]
    ]


def test_the_trend_adds_up_due_and_completed_tasks_month_by_month(leader, plan, seeded):
    with on_day(2019, 9, 1):
        response = dashboard_page(client_for(leader), plan, "?as_of=14/06/2019")

    # due: 2 in March (tasks 1, 2), task 6 in April, task 3 in May; June stops on the 14th, before the
    # deadline of task 8 (30/6); the cancelled task 7 is left out. Completed: task 1 in March, task 2 in
    # April, task 8 in June. No plan of 2018.
    assert trend_rows(response) == [
        (1, 0, 0, 0, 0),
        (2, 0, 0, 0, 0),
        (3, 2, 1, 0, 0),
        (4, 3, 2, 0, 0),
        (5, 4, 2, 0, 0),
        (6, 4, 3, 0, 0),
    ]
    figures = response.context["figures"]
    assert trend_rows(response)[-1][1:3] == (figures.due, figures.done)  # the last point is the headline
    page = response.content.decode()
    assert '<svg class="dash-trend' in page and 'id="bang-xu-huong"' in page
    assert "Hoàn thành năm 2018" in page and "cùng thời điểm (14/06/2018)" in page


def test_the_trend_compares_with_the_plans_of_the_year_before_on_the_same_date(
    leader, agency, department, clerk, staff, dept_head, plan, seeded, legal_documents
):
    previous = make_plan(
        agency,
        number=5,
        year=2018,
        issued_on=datetime.date(2018, 1, 10),
        documents=legal_documents[:1],
        status=Plan.Status.ISSUED,
    )
    early = make_task(previous, department, number="1", deadline_text="Tháng 2/2018", by=clerk)
    later = make_task(previous, department, number="2", deadline_text="Tháng 5/2018", by=clerk)
    complete(early, staff, dept_head, at(2018, 2, 20), at(2018, 2, 22))
    complete(later, staff, dept_head, at(2018, 7, 2), at(2018, 7, 3))  # after 14/6/2018: still open then
    with on_day(2019, 9, 1):
        response = dashboard_page(client_for(leader), plan, "?as_of=14/06/2019")

    assert [(row[0], row[3], row[4]) for row in trend_rows(response)] == [
        (1, 0, 0),
        (2, 1, 1),
        (3, 1, 1),
        (4, 1, 1),
        (5, 2, 1),
        (6, 2, 1),
    ]


def test_the_trend_covers_the_whole_year_once_it_is_over(leader, plan, seeded):
    with on_day(2020, 2, 1):
        response = dashboard_page(client_for(leader), plan)

    months = trend_rows(response)
    assert [month[0] for month in months] == list(range(1, 13))
    assert months[-1][1] == 7  # every task not cancelled had come due by December


# Tasks without a deadline ------------------------------------------------------------------------


def without_deadline(task, text="Kịp thời"):
    """The task as the import leaves it when the plan's words name no date (Task.Kind.UNSET)."""
    Task.objects.filter(pk=task.pk).update(due_date=None, deadline_kind="unset", deadline_text=text)
    TaskDeadline.objects.filter(task=task).update(due_date=None, deadline_kind="unset", deadline_text=text)


@pytest.fixture
def unset(plan, seeded, department, coordinating_department, clerk, staff, dept_head):
    """Three tasks of the seeded plan without a deadline: 9 open and reported (Phòng ĐKKD), 10 never
    started (Phòng THQH), 11 completed in May."""
    tasks = {
        9: make_task(plan, department, number="9", deadline_text="Tháng 3/2019", area_position=3, by=clerk),
        10: make_task(
            plan,
            coordinating_department,
            number="10",
            deadline_text="Tháng 3/2019",
            area_position=3,
            by=clerk,
        ),
        11: make_task(plan, department, number="11", deadline_text="Tháng 3/2019", area_position=3, by=clerk),
    }
    for task in tasks.values():
        without_deadline(task)
    report(tasks[9], staff, 30, at(2019, 4, 2))
    complete(tasks[11], staff, dept_head, at(2019, 5, 2), at(2019, 5, 3))
    return tasks


@pytest.mark.parametrize(("today", "query"), [((2019, 6, 14), ""), ((2019, 9, 1), "?as_of=14/06/2019")])
def test_open_tasks_without_a_deadline_have_a_card_and_a_list_of_their_own(leader, plan, unset, today, query):
    with on_day(*today):
        response = dashboard_page(client_for(leader), plan, query)
    figures = response.context["figures"]
    # never overdue, never come due: 9 is open within its (missing) deadline, 10 not started, 11 done
    # on time; the other figures are those of the seeded tasks
    assert figures.no_deadline == 2
    assert (figures.total, figures.due, figures.open_overdue) == (10, 4, 2)
    assert (figures.open_on_time, figures.not_started, figures.done_on_time) == (2, 2, 3)
    assert [task.number for task in response.context["no_deadline"]] == ["9", "10"]
    assert [task.number for task in response.context["overdue"]] == ["6", "3"]
    page = response.content.decode()
    # the card leads to the list further down (the task table has no filter for them)
    assert re.search(
        r'Chưa xác định thời hạn</div>\s*<div[^>]*>\s*<a [^>]*href="#chua-xac-dinh-thoi-han"[^>]*>2</a>', page
    )
    assert 'id="chua-xac-dinh-thoi-han"' in page
    assert "Chưa xác định thời hạn: 2 nhiệm vụ chưa hoàn thành" in page


def test_a_plan_whose_tasks_all_have_deadlines_shows_no_list_of_tasks_without_one(leader, plan, seeded):
    with on_day(2019, 6, 14):
        response = dashboard_page(client_for(leader), plan)
    assert response.context["figures"].no_deadline == 0
    page = response.content.decode()
    assert 'id="chua-xac-dinh-thoi-han"' not in page and 'href="#chua-xac-dinh-thoi-han"' not in page


def test_tasks_without_a_deadline_never_come_due_in_the_trend_or_the_tables(leader, plan, unset):
    client = client_for(leader)
    with on_day(2020, 2, 1):  # the plan's year is over: every task with a deadline has come due
        response = dashboard_page(client, plan)
        by_name = dashboard_page(client, plan, "?order=-days_late")
    figures = response.context["figures"]
    # come due: the 7 seeded tasks not cancelled; 11, completed without a deadline, never did
    assert figures.no_deadline == 2 and figures.due == 7
    assert [task.number for task in response.context["due_soon"]] == []
    assert trend_rows(response)[-1][1] == 7  # come due by December: the seeded tasks not cancelled
    area = next(row for row in response.context["areas"] if row.position == 3)
    assert (area.total, area.due, area.done, area.open_overdue, area.days_late_shown) == (3, 0, 1, 0, "—")
    assert by_name.status_code == 200 and len(by_name.context["areas"]) == 4


def test_every_number_still_links_to_a_table_of_exactly_that_many_tasks(leader, plan, unset):
    client = client_for(leader)
    with on_day(2019, 9, 1):
        response = dashboard_page(client, plan, "?as_of=14/06/2019")
        links = number_links(response.content.decode())
        rows = len(response.context["departments"]) + len(response.context["areas"])
        assert len(links) == 8 + 4 * rows + 2  # the card of the tasks without a deadline links down the page
        for count, url in links:
            assert table_count(client, url) == count, url


def test_the_province_view_counts_each_agencys_open_tasks_without_a_deadline(overseer, plan, unset):
    with on_day(2019, 6, 14):
        response = client_for(overseer).get(reverse("dashboards:province"))
    assert response.status_code == 200
    (row,) = response.context["rows"]
    assert (row.total, row.no_deadline, row.open_overdue) == (10, 2, 2)
    assert '<th scope="col" class="text-end">Chưa xác định thời hạn</th>' in response.content.decode()


# Vietnamese separators --------------------------------------------------------------------------


def test_counts_are_shown_with_vietnamese_thousands_separators(leader, plan, seeded, monkeypatch):
    """A plan of 21,914 tasks, as the figures would give them (counting so many here would be slow)."""
    from dashboards import views

    counted = views.summary

    def large(tasks, as_of):
        summary = counted(tasks, as_of)
        summary.plan = Figures.from_row(
            {"total": 21914, "due": 12040, "done_on_time": 9207, "done_late": 1201, "open_overdue": 1632}
        )
        for row in summary.departments:
            row.total = 10420
        return summary

    monkeypatch.setattr(views, "summary", large)
    with on_day(2019, 6, 14):
        page = dashboard_page(client_for(leader), plan).content.decode()
    assert 'data-count="21914"' in page and ">21.914</a>" in page and ">12.040</a>" in page
    assert 'title="Xem 21.914 nhiệm vụ: nhiệm vụ của kế hoạch"' in page
    assert ">10.420</a>" in page and "Xem cả 1.632 nhiệm vụ" in page
    assert "86,45 %" in page  # 10,408 completed of 12,040 come due
    assert re.search(r">\s*1\.632\s*</a> nhiệm vụ</h2>", page)


# The headline cards: each rate with what it divides, each count with what it is a part of -----------


def cards_shown(page: str) -> dict[str, tuple[int, int | None, str]]:
    """The count cards as the page shows them: code → (count, the tasks it is a part of (None when
    the card shows none), the colour of its number: "danger", "success" or "" for neutral)."""
    page = page[: page.index("</section>", page.index('data-card="'))]
    cards = {}
    for chunk in page.split('data-card="')[1:]:
        number = re.search(r'class="fs-3 fw-bold([^"]*)"[^>]*>([\d.]+)<', chunk)
        part_of = re.search(r'data-of="(\d+)"', chunk)
        tone = next((tone for tone in ("danger", "success") if f"text-{tone}" in number.group(1)), "")
        cards[chunk[: chunk.index('"')]] = (
            int(number.group(2).replace(".", "")),
            int(part_of.group(1)) if part_of else None,
            tone,
        )
    return cards


def rates_shown(page: str) -> dict[str, tuple[str, int, int]]:
    """The rate cards as the page shows them: code → (the rate, its numerator, its denominator)."""
    rates = {}
    for chunk in page.split('data-rate="')[1:]:
        rates[chunk[: chunk.index('"')]] = (
            re.search(r'id="ty-le-[^"]+">([^<]+)<', chunk).group(1),
            int(re.search(r'data-numerator="(\d+)"', chunk).group(1)),
            int(re.search(r'data-denominator="(\d+)"', chunk).group(1)),
        )
    return rates


def test_the_rate_cards_show_the_numerator_and_denominator_the_rates_divide(leader, plan, seeded):
    with on_day(2019, 6, 14):
        response = dashboard_page(client_for(leader), plan)
    figures = response.context["figures"]
    rates = rates_shown(response.content.decode())
    # task 8 was completed before its deadline of 30/6: it counts in the rates' denominator (3 completed
    # + 2 overdue) but not among the 4 tasks come due on the card
    assert rates == {"completion": ("60,00 %", 3, 5), "overdue": ("40,00 %", 2, 5)}
    assert (figures.done, figures.open_overdue, figures.come_due, figures.due) == (3, 2, 5, 4)
    for rate, numerator, denominator in rates.values():
        assert rate == f"{share(numerator, denominator):.2f} %".replace(".", ",")
    page = response.content.decode()
    assert (
        '<strong data-numerator="3">3</strong> đã hoàn thành / <strong data-denominator="5">5</strong>'
        in page
    )
    assert "nhiệm vụ đã hoàn thành hoặc đã quá hạn" in page


def test_the_count_cards_show_what_they_are_a_part_of_and_colour_only_overdue_and_on_time(
    leader, plan, seeded
):
    with on_day(2019, 6, 14):
        page = dashboard_page(client_for(leader), plan).content.decode()
    assert cards_shown(page) == {
        "total": (7, None, ""),
        "due": (4, 7, ""),
        "done_on_time": (2, 7, "success"),
        "done_late": (1, 7, ""),
        "open_overdue": (2, 7, "danger"),
        "open_on_time": (1, 7, ""),
        "not_started": (1, 7, ""),
        "cancelled": (1, None, ""),  # outside the plan's 7 tasks
        "no_deadline": (0, 7, ""),
    }
    assert "không tính trong 7 nhiệm vụ" in page
    # the tables' counts are neutral links; only an overdue count, when not 0, is red
    table = page[page.index('id="theo-don-vi"') : page.index('id="xu-huong"')]
    links = re.findall(r'class="dash-count ([^"]*)" data-count="(\d+)" href="[^"]*status=(\w+)', table)
    assert len(links) == 4 * (2 + 3)
    for colour, count, status in links:
        red = status == "open_overdue" and count != "0"
        assert colour == ("text-danger fw-semibold" if red else "link-body-emphasis"), (status, count)
    assert sum(colour.startswith("text-danger") for colour, _, _ in links) == 3  # 2 departments, 1 area


def test_nothing_overdue_leaves_every_number_neutral(leader, plan, department, clerk):
    make_task(plan, department, number="1", deadline_text="Quý IV/2019", by=clerk)
    with on_day(2019, 6, 14):
        page = dashboard_page(client_for(leader), plan).content.decode()
    assert {tone for _, _, tone in cards_shown(page).values()} == {""}
    assert rates_shown(page) == {"completion": ("—", 0, 0), "overdue": ("—", 0, 0)}
    assert "text-danger" not in page[page.index('id="so-lieu-chung"') : page.index('id="theo-don-vi"')]


# The top bar's "Tổng quan" ------------------------------------------------------------------------------


def home(client):
    return client.get(reverse("dashboards:home"))


def dashboard_url(plan):
    return reverse("dashboards:plan", args=[plan.pk])


@pytest.mark.parametrize(
    "persona", ["staff", "dept_head", "leader", "clerk", "admin", "overseer", "outsider"]
)
def test_the_top_bar_offers_tong_quan_exactly_to_those_a_dashboard_opens_for(personas, persona, plan):
    client = client_for(personas[persona])
    menu = client.get(reverse("profile")).content.decode()
    menu = menu[menu.index('id="menu-chinh"') : menu.index("</nav>")]
    offered = f'href="{reverse("dashboards:home")}"' in menu
    assert offered == (home(client).status_code != 403), persona
    assert offered == (persona in ("dept_head", "leader", "clerk", "overseer", "outsider")), persona


def test_tong_quan_opens_the_plan_last_opened_and_is_active_there(leader, plan, draft_plan):
    with on_day(2019, 6, 14):
        client = client_for(leader)
        assert home(client)["Location"] == dashboard_url(plan)  # this year's issued plan
        page = dashboard_page(client, draft_plan).content.decode()
        assert home(client)["Location"] == dashboard_url(draft_plan)
    menu = page[page.index('id="menu-chinh"') : page.index("</nav>")]
    assert re.search(
        rf'<a class="nav-link active" aria-current="page" href="{reverse("dashboards:home")}">Tổng quan</a>',
        menu,
    )


def test_a_remembered_plan_the_user_may_no_longer_read_is_forgotten(leader, plan, other_plan):
    with on_day(2019, 6, 14):
        client = client_for(leader)
        dashboard_page(client, plan)
        assert home(client)["Location"] == dashboard_url(plan)
        leader.agency = other_plan.agency  # moved to Sở Tài chính
        leader.save(update_fields=["agency"])
        assert home(client)["Location"] == dashboard_url(other_plan)
        assert "dashboards.last_plan" not in client.session


def test_without_a_plan_of_this_year_tong_quan_opens_the_newest_readable_plan(
    leader, overseer, plan, draft_plan, agency, legal_documents
):
    newer = make_plan(
        agency,
        number=3,
        year=2020,
        issued_on=datetime.date(2020, 1, 10),
        documents=legal_documents[:1],
        status=Plan.Status.ISSUED,
    )
    with on_day(2019, 6, 14):
        # this year's issued plan, not next year's plan nor this year's draft
        assert home(client_for(leader))["Location"] == dashboard_url(plan)
    with on_day(2021, 2, 1):
        assert home(client_for(leader))["Location"] == dashboard_url(newer)
        # Sở Nội vụ has no plan of its own: the newest of the province's
        assert home(client_for(overseer))["Location"] == dashboard_url(newer)


def test_without_any_plan_tong_quan_says_so_and_links_the_plan_list(leader):
    response = home(client_for(leader))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chưa có kế hoạch cải cách hành chính nào để xem tổng quan" in page
    assert f'href="{reverse("plans:list")}"' in page
    assert 'class="nav-link active" aria-current="page"' in page

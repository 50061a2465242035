"""The province view of Sở Nội vụ: one row per agency with the dashboard's figures, ranked."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Agency, Department, Role
from plans.models import Plan
from tasks import services
from tests.conftest import client_for, make_plan, make_task, make_user
from tests.test_periods import BrokenCache

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, h=9):
    return datetime.datetime(y, m, d, h, tzinfo=HANOI)


def on_day(y, m, d):
    return time_machine.travel(at(y, m, d, 10), tick=False)


def complete(task, by, head, reported, approved):
    report = services.progress_report(
        task=task, by=by, percent=100, narrative="Đã triển khai", result="Kết quả", at=reported
    )
    services.progress_approve(report=report, by=head, at=approved)


def people(agency, code):
    """A department of `agency` with its head and a staff member; no evidence needed to complete."""
    agency.completion_requires_evidence = False
    agency.save()
    department = Department.objects.create(agency=agency, code=code, name=f"Phòng {code}", position=1)
    head = make_user(f"tp{agency.pk}", Role.DEPT_HEAD, agency, department)
    staff = make_user(f"cv{agency.pk}", Role.STAFF, agency, department)
    return department, head, staff


@pytest.fixture
def province_plans(agency, other_agency, overseer, plan, other_plan, legal_documents):
    """On 14/6/2019 SKHĐT has completed 1 of its 2 tasks that have come due (50 %), Sở Tài chính both
    of its tasks (one late: 100 %); SKHĐT's draft plan is not counted; Sở Nội vụ has issued no plan."""
    department, head, staff = people(agency, "ĐKKD")
    on_time = make_task(plan, department, number="1", deadline_text="Quý I/2019")
    make_task(plan, department, number="2", deadline_text="Tháng 4/2019")
    make_task(plan, department, number="3", deadline_text="Tháng 12/2019")
    complete(on_time, staff, head, at(2019, 3, 20), at(2019, 3, 25))
    draft = make_plan(agency, number=20, documents=legal_documents[:1])
    make_task(draft, department, number="1", deadline_text="Tháng 4/2019")

    other_department, other_head, other_staff = people(other_agency, "NS")
    first = make_task(other_plan, other_department, number="1", deadline_text="Quý I/2019")
    late = make_task(other_plan, other_department, number="2", deadline_text="Trước 15/3/2019")
    complete(first, other_staff, other_head, at(2019, 3, 20), at(2019, 3, 25))
    complete(late, other_staff, other_head, at(2019, 4, 10), at(2019, 4, 12))
    return plan, other_plan


def province_page(client, query=""):
    return client.get(reverse("dashboards:province") + query)


def test_agencies_are_ranked_by_completion_rate_with_their_figures(overseer, province_plans):
    with on_day(2019, 6, 14):
        response = province_page(client_for(overseer))

    rows = response.context["rows"]
    assert [row.name for row in rows] == ["Sở Tài chính", "Sở Kế hoạch và Đầu tư"]
    finance, planning = rows
    assert (finance.total, finance.due, finance.done_on_time, finance.done_late, finance.open_overdue) == (
        2,
        2,
        1,
        1,
        0,
    )
    assert (finance.completion_shown, finance.overdue_shown) == ("100,00 %", "0,00 %")
    # the draft plan's task is not counted: 3 tasks, 1 done, 1 overdue, 1 not started within its deadline
    assert (
        planning.total,
        planning.due,
        planning.done_on_time,
        planning.open_overdue,
        planning.not_started,
    ) == (
        3,
        2,
        1,
        1,
        1,
    )
    assert (planning.completion_shown, planning.overdue_shown) == ("50,00 %", "50,00 %")
    assert [row.name for row in response.context["without_plans"]] == ["Sở Nội vụ"]
    page = response.content.decode()
    assert "Chưa ban hành kế hoạch năm 2019" in page


def test_each_row_links_to_the_agency_dashboard_on_the_same_date(overseer, province_plans):
    plan, other_plan = province_plans
    with on_day(2019, 9, 1):
        response = province_page(client_for(overseer), "?year=2019&as_of=14/06/2019")

    links = {row.name: row.url for row in response.context["rows"]}
    assert (
        links["Sở Kế hoạch và Đầu tư"] == reverse("dashboards:plan", args=[plan.pk]) + "?as_of=14%2F06%2F2019"
    )
    assert links["Sở Tài chính"] == reverse("dashboards:plan", args=[other_plan.pk]) + "?as_of=14%2F06%2F2019"
    assert f'href="{links["Sở Tài chính"]}"' in response.content.decode().replace("&amp;", "&")


def test_an_agency_with_two_plans_of_the_year_links_to_its_plan_list(overseer, agency, province_plans):
    make_plan(agency, number=30, status=Plan.Status.ISSUED)
    with on_day(2019, 6, 14):
        response = province_page(client_for(overseer))

    row = next(row for row in response.context["rows"] if row.key == agency.pk)
    assert row.plans == 2
    assert row.url == reverse("plans:list") + f"?agency={agency.pk}&year=2019"


def test_the_figures_of_a_past_date_stay_when_tasks_change_later(overseer, agency, province_plans):
    plan, _ = province_plans
    client = client_for(overseer)
    with on_day(2019, 6, 14):
        before = province_page(client).context["rows"]
    overdue = plan.tasks.get(number="2")
    head = agency.users.get(role=Role.DEPT_HEAD)
    staff = agency.users.get(username=f"cv{agency.pk}")
    complete(overdue, staff, head, at(2019, 6, 20), at(2019, 6, 21))
    with on_day(2019, 9, 1):
        later = province_page(client, "?as_of=14/06/2019").context["rows"]
        today = province_page(client).context["rows"]

    def figures(rows):
        return [(row.name, row.done, row.open_overdue, row.completion_shown) for row in rows]

    assert figures(later) == figures(before)
    # today both agencies stand at 100 % without overdue tasks: the tie goes by name
    assert figures(today) == [("Sở Kế hoạch và Đầu tư", 2, 0, "100,00 %"), ("Sở Tài chính", 2, 0, "100,00 %")]


def test_another_year_shows_that_years_plans(overseer, province_plans):
    with on_day(2019, 6, 14):
        response = province_page(client_for(overseer), "?year=2018")

    assert response.context["year"] == 2018
    assert response.context["rows"] == []
    assert "Chưa có cơ quan nào ban hành kế hoạch CCHC năm 2018." in response.content.decode()


def test_the_province_view_ranks_the_agencies_with_the_cache_down(overseer, province_plans, monkeypatch):
    monkeypatch.setattr("cchc.fragments.cache", BrokenCache())
    with on_day(2019, 6, 14):
        response = province_page(client_for(overseer))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 2
    assert 'id="bang-xep-hang"' in response.content.decode()


def test_the_navbar_links_overseers_to_the_province_view(overseer, leader):
    link = f'href="{reverse("dashboards:province")}"'
    assert link in client_for(overseer).get(reverse("profile")).content.decode()
    assert link not in client_for(leader).get(reverse("profile")).content.decode()


def count_queries(client, url, *, cached: bool):
    client.get(url)
    if not cached:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_query_count_does_not_grow_with_the_agencies(overseer, province, province_plans, legal_documents):
    client = client_for(overseer)
    url = reverse("dashboards:province") + "?as_of=14/06/2019"
    with on_day(2019, 9, 1):
        few = count_queries(client, url, cached=False), count_queries(client, url, cached=True)
    for index in range(3):
        agency = Agency.objects.create(
            code=f"S{index}", name=f"Sở số {index}", short_name=f"Sở số {index}", parent=province
        )
        department, _, _ = people(agency, "VP")
        clerk = make_user(f"vt{agency.pk}", Role.CLERK, agency, department)
        extra = make_plan(agency, documents=legal_documents[:1], status=Plan.Status.ISSUED)
        for number in range(1, 4):
            make_task(extra, department, number=str(number), by=clerk)
    with on_day(2019, 9, 1):
        many = count_queries(client, url, cached=False), count_queries(client, url, cached=True)
        cache.clear()
        response = province_page(client, "?as_of=14/06/2019")
    assert len(response.context["rows"]) == 5
    # session, user, the province (2: each agency with its data_version, the key of the cached
    # ranking), then the plans per agency and the figures per agency unless the ranking is in the cache
    assert few == many == (6, 4)


def test_the_province_cards_show_what_the_rates_divide_and_colour_only_overdue_and_on_time(
    overseer, other_plan, province_plans
):
    from tests.test_dashboard import cards_shown, rates_shown

    department = other_plan.tasks.first().lead_department
    early = make_task(other_plan, department, number="3", deadline_text="Tháng 12/2019")
    head, staff = (other_plan.agency.users.get(role=role) for role in (Role.DEPT_HEAD, Role.STAFF))
    complete(early, staff, head, at(2019, 5, 10), at(2019, 5, 12))  # before its deadline of 31/12
    with on_day(2019, 6, 14):
        response = province_page(client_for(overseer))
    page = response.content.decode()
    figures = response.context["figures"]
    # 4 tasks come due (2 of each agency); the rates divide the 4 completed (the early one with them)
    # and SKHĐT's overdue task
    assert (figures.due, figures.done, figures.open_overdue, figures.come_due) == (4, 4, 1, 5)
    assert rates_shown(page) == {"completion": ("80,00 %", 4, 5), "overdue": ("20,00 %", 1, 5)}
    assert cards_shown(page) == {
        "total": (6, None, ""),
        "due": (4, 6, ""),
        "done_on_time": (3, 6, "success"),
        "done_late": (1, 6, ""),
        "open_overdue": (1, 6, "danger"),
        "open_on_time": (0, 6, ""),
        "not_started": (1, 6, ""),
        "cancelled": (0, None, ""),
        "no_deadline": (0, 6, ""),
    }
    assert sum(row.come_due for row in response.context["rows"]) == figures.come_due
    # each agency's rates: Sở Tài chính completed 3 of 3, SKHĐT 1 of 2 with 1 of 2 overdue
    ranking = page[page.index('id="bang-xep-hang"') :]
    assert re.findall(r'<div class="small text-secondary" title="[^"]*">(\d+ / \d+)</div>', ranking) == [
        "3 / 3",
        "0 / 3",
        "1 / 2",
        "1 / 2",
    ]

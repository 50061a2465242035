"""The dashboards keep their rendered figures in the cache under the agency's data_version
(dashboards.views, cchc.fragments), and the task table and "Việc của tôi" their rows likewise (tasks.caching);
every change that affects a figure must show at once. Each test primes the cache, makes one change through the service a user's action
calls, and compares the page with one computed afresh (cache emptied)."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from plans import services as plan_services
from tasks import services
from tests.conftest import client_for, make_plan, make_task
from tests.test_dashboard import at, complete, no_evidence_rule, report, seeded  # noqa: F401 — fixtures

START, END = 'id="so-lieu-chung"', "Về Kế hoạch số"


def figures_part(client, url) -> str:
    """The cached part of the page: the figures, tables, trend and lists (not the CSRF-bearing frame)."""
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index(START) : page.index(END)]


def fresh(client, url) -> str:
    cache.clear()
    return figures_part(client, url)


def a_report(ctx):
    report(ctx["tasks"][5], ctx["coordinator"], 20, at(2019, 7, 1))


def an_approval(ctx):
    services.progress_approve(
        report=report(ctx["tasks"][3], ctx["staff"], 100, at(2019, 7, 1)),
        by=ctx["dept_head"],
        at=at(2019, 7, 2),
    )


def a_return(ctx):
    pending = report(ctx["tasks"][3], ctx["staff"], 100, at(2019, 7, 1))
    ctx["cache_prime"]()  # the waiting report is already counted when the head returns it
    services.progress_return(report=pending, by=ctx["dept_head"], reason="Thiếu tài liệu kèm theo")


def a_deadline_change(ctx):
    services.task_change_deadline(
        task=ctx["tasks"][5],
        by=ctx["clerk"],
        deadline_text="Tháng 3/2019",
        reason="Theo chỉ đạo của UBND tỉnh",
    )


def a_lead_change(ctx):
    services.task_change_lead(
        task=ctx["tasks"][3], by=ctx["clerk"], department=ctx["office"], reason="Phân công lại"
    )


def a_cancellation(ctx):
    services.task_cancel(task=ctx["tasks"][6], by=ctx["clerk"], reason="Không còn phù hợp")


def a_new_task(ctx):
    make_task(ctx["plan"], ctx["department"], number="9", deadline_text="Tháng 2/2019", by=ctx["clerk"])


def an_edited_task(ctx):
    services.task_update(
        task=ctx["tasks"][6], by=ctx["clerk"], content="Rà soát, đơn giản hóa thủ tục đầu tư"
    )


def a_bulk_deadline_move(ctx):
    tasks = [ctx["tasks"][4], ctx["tasks"][5]]
    services.tasks_bulk_move_deadline(
        tasks=tasks, by=ctx["clerk"], deadline_text="Tháng 1/2019", reason="Đẩy nhanh tiến độ"
    )


def a_bulk_lead_change(ctx):
    tasks = [ctx["tasks"][1], ctx["tasks"][2]]
    services.tasks_bulk_change_lead(
        tasks=tasks, by=ctx["clerk"], department=ctx["office"], reason="Sắp xếp lại"
    )


def a_renamed_department(ctx):
    """As the admin saves it (accounts.admin; tests/test_admin.py goes through the admin's pages)."""
    department = ctx["department"]
    department.name = "Phòng Đăng ký kinh doanh và Hỗ trợ doanh nghiệp"
    account_services.department_save(department=department)


def a_renamed_area(ctx):
    """As the admin saves it (plans.admin)."""
    area = ctx["tasks"][1].area
    area.name = "Cải cách thể chế, pháp chế"
    plan_services.reform_area_save(area=area)


def a_previous_year_plan_issued(ctx):
    """The trend compares with the plans of the year before that are issued."""
    plan_services.plan_issue(plan=ctx["previous"], by=ctx["clerk"])


CHANGES = [
    a_report,
    an_approval,
    a_return,
    a_deadline_change,
    a_lead_change,
    a_cancellation,
    a_new_task,
    an_edited_task,
    a_bulk_deadline_move,
    a_bulk_lead_change,
    a_renamed_department,
    a_renamed_area,
    a_previous_year_plan_issued,
]


@pytest.fixture
def context(plan, seeded, clerk, staff, dept_head, coordinator, department, office, leader, legal_documents):  # noqa: F811
    previous = make_plan(
        plan.agency, number=3, year=2018, issued_on=datetime.date(2018, 1, 10), documents=legal_documents
    )
    old = make_task(previous, department, number="1", deadline_text="Tháng 3/2018", by=clerk)
    complete(old, staff, dept_head, at(2018, 3, 1), at(2018, 3, 2))
    return {
        "plan": plan,
        "previous": previous,
        "tasks": seeded,
        "clerk": clerk,
        "staff": staff,
        "dept_head": dept_head,
        "coordinator": coordinator,
        "department": department,
        "office": office,
        "leader": leader,
    }


@pytest.mark.parametrize("query", ["", "?as_of=14/12/2019"], ids=["today", "as-of-14-12"])
@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__ for change in CHANGES])
def test_every_change_to_a_figure_shows_on_the_dashboard_at_once(context, change, query):
    client = client_for(context["leader"])
    url = reverse("dashboards:plan", args=[context["plan"].pk]) + query
    context["cache_prime"] = lambda: figures_part(client, url)
    before = figures_part(client, url)
    assert figures_part(client, url) == before  # now served from the cache
    change(context)
    after = figures_part(client, url)
    if not query:  # on a past date, only the changes dated before it alter the figures (the history)
        assert after != before, "the change should alter today's dashboard"
    assert after == fresh(client, url)


def test_an_unchanged_plan_is_served_from_the_cache(context, django_assert_num_queries):
    client = client_for(context["leader"])
    url = reverse("dashboards:plan", args=[context["plan"].pk])
    first = figures_part(client, url)
    with django_assert_num_queries(4):  # session, user, plan (and its agency's data_version), plan selector
        assert figures_part(client, url) == first


def test_a_department_heads_part_is_kept_apart_from_the_whole(context, dept_head):
    url = reverse("dashboards:plan", args=[context["plan"].pk])
    whole = figures_part(client_for(context["leader"]), url)
    part = figures_part(client_for(dept_head), url)
    assert part != whole
    assert figures_part(client_for(context["leader"]), url) == whole


@pytest.mark.parametrize("change", [an_approval, a_cancellation, a_new_task, a_previous_year_plan_issued])
def test_every_change_to_a_figure_shows_on_the_province_view(context, change, overseer):
    client = client_for(overseer)
    url = reverse("dashboards:province") + "?year=2019"
    context["cache_prime"] = lambda: client.get(url)

    def rows():
        page = client.get(url).content.decode()
        return page[page.index("<main") : page.index("</main>")]

    if change is a_previous_year_plan_issued:  # the 2018 plan shows on the province view of 2018
        url = reverse("dashboards:province") + "?year=2018"
    before = rows()
    change(context)
    after = rows()
    assert after != before
    cache.clear()
    assert after == rows()


def table_part(client, url) -> str:
    """The plan table's count line and rows (the part kept in the cache)."""
    page = client.get(url).content.decode()
    count = page[page.index('aria-live="polite"') :]
    return count[: count.index("</p>")] + page[page.index('<table class="table') : page.index("</table>")]


@pytest.mark.parametrize(
    "change",
    [change for change in CHANGES if change is not a_previous_year_plan_issued],
    ids=[change.__name__ for change in CHANGES if change is not a_previous_year_plan_issued],
)
def test_every_change_to_a_task_shows_in_the_task_table_at_once(context, change):
    client = client_for(context["clerk"])
    url = reverse("tasks:plan_tasks", args=[context["plan"].pk])
    context["cache_prime"] = lambda: table_part(client, url)
    # The clock stands still: the cache must not depend on it (a_return makes two changes in the
    # same instant, with the page read between them).
    with time_machine.travel(timezone.now(), tick=False):
        before = table_part(client, url)
        assert table_part(client, url) == before  # now served from the cache
        change(context)
        after = table_part(client, url)
        assert after != before, "the change should alter the task table"
        cache.clear()
        assert after == table_part(client, url)


def my_lists(client) -> str:
    """The counts and lists of "Việc của tôi" (the part kept in the cache)."""
    page = client.get(reverse("tasks:mine")).content.decode()
    return page[page.index('aria-label="Lọc theo tình trạng"') : page.index("</main>")]


@pytest.mark.parametrize("persona", ["staff", "leader"])
@pytest.mark.parametrize(
    "change",
    [change for change in CHANGES if change is not a_previous_year_plan_issued],
    ids=[change.__name__ for change in CHANGES if change is not a_previous_year_plan_issued],
)
def test_every_change_to_a_task_shows_in_my_tasks_at_once(context, change, persona):
    client = client_for(context[persona])
    context["cache_prime"] = lambda: my_lists(client)
    # On a day of the plan's year (its tasks are then work in hand), the clock standing still.
    with time_machine.travel(
        datetime.datetime(2019, 7, 10, 10, tzinfo=timezone.get_current_timezone()), tick=False
    ):
        before = my_lists(client)
        assert my_lists(client) == before  # now served from the cache
        change(context)
        after = my_lists(client)
        cache.clear()
        assert after == my_lists(client)

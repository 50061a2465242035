"""The bench's reminder scan at a target number of open tasks (demo.bench_reminders): the data set is
topped up with tasks shaped like its open ones, inside a transaction that is rolled back."""

import datetime
from collections import Counter

import pytest

from accounts.models import Role
from demo import bench_reminders
from plans.models import Plan
from tasks.models import Task, TaskDeadline
from tasks.services import search_text, sort_key
from tests.conftest import make_plan, make_task, make_user
from tests.sectioned import sectioned_plan
from tests.test_bench import run_bench

DAY = datetime.date(2019, 6, 3)  # a Monday
TARGET = 300


@pytest.fixture
def data_set(
    plan,
    other_plan,
    clerk,
    office,
    department,
    coordinating_department,
    staff,
    coordinator,
    dept_head,
    outsider,
):
    """Open tasks of two agencies' issued plans of 2019: one plan written in sections (numbers restart
    in each), one without (numbers unique in the plan); a task already completed, one with no due date
    and a draft plan's task, which the scan does not read."""
    tasks = sectioned_plan(
        plan, clerk, office=office, department=department, coordinating_department=coordinating_department
    )["tasks"]
    tasks["III/1"].assignees.set([staff])
    Task.objects.filter(pk=tasks["IV/1"].pk).update(state=Task.State.COMPLETED, percent=100)
    make_user("chuyenvienvp", Role.STAFF, plan.agency, office)  # every department has staff
    other_staff = make_user("chuyenvienstc", Role.STAFF, other_plan.agency, outsider.department)
    # due in 7 working days on DAY: an upcoming notice at the data set's own size
    soon = make_task(
        other_plan, outsider.department, by=outsider, number="1", deadline_text="Trước 12/6/2019"
    )
    soon.assignees.set([other_staff])
    make_task(other_plan, outsider.department, by=outsider, number="1.1", deadline_text="Tháng 9/2019")
    draft = make_plan(plan.agency, number=30, status=Plan.Status.DRAFT)
    make_task(draft, department, by=clerk, deadline_text="Trước 5/6/2019")


def table_counts() -> dict[str, int]:
    return {
        "tasks": Task.objects.count(),
        "deadlines": TaskDeadline.objects.count(),
        "coordinating": Task.coordinating_departments.through.objects.count(),
        "assignees": Task.assignees.through.objects.count(),
    }


def test_it_scans_the_target_number_of_tasks_with_as_many_queries_and_rolls_everything_back(data_set):
    before = table_counts()

    figures = bench_reminders.measure_scan(TARGET, day=DAY)

    # sectioned_plan's 9 tasks less the completed one and the one with no date, and other_plan's 2
    assert (figures.day, figures.own_tasks, figures.tasks) == (DAY, 9, TARGET)
    assert figures.queries == figures.own_queries
    assert figures.notices > figures.own_notices > 0
    assert figures.seconds > 0 and figures.own_seconds > 0
    assert table_counts() == before


def test_the_added_tasks_are_open_tasks_of_the_same_plans_as_the_services_would_write_them(data_set):
    existing = set(Task.objects.values_list("pk", flat=True))
    scanned = bench_reminders.scanned_tasks(DAY)
    plans = set(scanned.values_list("plan_id", flat=True))

    bench_reminders.add_open_tasks(DAY, 291)

    assert scanned.count() == TARGET
    added = list(
        Task.objects.exclude(pk__in=existing)
        .select_related("plan", "section", "lead_department")
        .prefetch_related("assignees", "coordinating_departments", "deadlines")
    )
    assert len(added) == 291
    for task in added:
        assert task.plan_id in plans and task.is_open
        assert task.section is None or task.section.plan_id == task.plan_id
        assert task.sort_key == sort_key(task.number, task.section)
        assert task.search_text == search_text(task)
        assert task.due_date.year == task.plan.year
        assert task.lead_department.agency_id == task.plan.agency_id
        assert [(d.deadline_kind, d.due_date) for d in task.deadlines.all()] == [
            (task.deadline_kind, task.due_date)
        ]
        coordinating = list(task.coordinating_departments.all())
        assert len(coordinating) <= bench_reminders.MAX_COORDINATING
        assert all(
            d.agency_id == task.plan.agency_id and d.pk != task.lead_department_id for d in coordinating
        )
        assert all(user.department_id == task.lead_department_id for user in task.assignees.all())
    # numbers under those of the tasks copied, unique where the constraints ask: a number taken
    # already ("1.1" in other_plan) is skipped
    numbers = Counter((task.plan_id, task.section_id, task.number) for task in Task.objects.all())
    assert max(numbers.values()) == 1
    assert "1.2" in {task.number for task in added if task.section_id is None}
    assert "1.1.1" in {task.number for task in added if task.section_id is None}
    # varied deadlines over the year, a share assigned, a share coordinated
    assert len({task.deadline_kind for task in added}) >= 2
    assert len({task.due_date.month for task in added}) >= 6
    assigned = sum(bool(task.assignees.all()) for task in added)
    assert 0.2 * len(added) < assigned < 0.6 * len(added)
    # the other agency has one department: nobody to coordinate with
    assert sum(bool(task.coordinating_departments.all()) for task in added) > len(added) / 3


def test_it_refuses_to_top_up_a_data_set_without_open_tasks(plan):
    with pytest.raises(ValueError, match="no open task"):
        bench_reminders.add_open_tasks(DAY, 10)


@pytest.mark.django_db
def test_the_bench_prints_the_scan_and_its_queries_at_both_sizes():
    output = run_bench(in_place=True, reminder_tasks=TARGET)

    line = next(line for line in output.splitlines() if line.startswith("Quét nhắc việc ngày"))
    assert f"trên {TARGET} nhiệm vụ chưa xong" in line
    _own, queries = line.split(f" → {TARGET} nhiệm vụ: ")
    before, after = queries.split(" truy vấn")[0].split(" → ")
    assert before == after
    assert "(mục tiêu ≤ 5 s, số truy vấn không tăng theo số nhiệm vụ)" in line
    assert line.rsplit("–", 1)[1].strip() == "OK"


@pytest.mark.django_db
def test_the_bench_skips_the_scan_with_0_tasks():
    assert "Quét nhắc việc" not in run_bench(in_place=True, reminder_tasks=0)

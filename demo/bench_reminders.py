"""The benchmark's figure for the daily reminder scan (tasks.reminders.notices_on) at 100,000 open tasks.

The bench data set holds a few thousand of the open tasks the scan reads (those of issued plans of
this year or last year, with a due date). Inside a transaction that is rolled back, so the data set
stays as it was, they are topped up to the target with copies of their shape: the same plans, sections
and departments, deadlines picked as the bench's plans write them (bench_tasks.Deadlines: quarters,
months, days, "Thường xuyên", "Hàng quý"…), a share with assignees and coordinating departments. The
scan is timed and its queries counted at the data set's own size and at the target, with the
calendar read from the database both times (a cache that keeps nothing): the query count must be the
same at both sizes.
"""

import datetime
import random
import time
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Department, Role, User
from cchc.periods import is_working_day
from demo import bench_tasks
from plans.models import Plan
from tasks.models import Task, TaskDeadline
from tasks.reminders import notices_on
from tasks.services import search_text, sort_key

OPEN_TASKS = 100_000
ASSIGNED_SHARE = 0.4  # of the added tasks, those assigned to one or two staff of the lead department
MAX_COORDINATING = 2  # coordinating departments of an added task: 0 to this many
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
BATCH = 1000


@dataclass(frozen=True)
class ScanFigures:
    """One scan at the data set's own size (own_*) and one at the target size."""

    day: datetime.date
    own_tasks: int  # open tasks the scan reads, in the data set as it is
    tasks: int  # the same after topping up
    own_seconds: float
    seconds: float
    own_queries: int
    queries: int
    own_notices: int
    notices: int


def scan_day(today: datetime.date | None = None) -> datetime.date:
    """The last working day up to `today` (the local date by default): a day the job sends on."""
    day = today or timezone.localdate()
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def scanned_tasks(day: datetime.date):
    """The open tasks the scan of `day` reads, as tasks.reminders.notices_on selects them."""
    return Task.objects.filter(
        plan__status=Plan.Status.ISSUED, plan__year__gte=day.year - 1, due_date__isnull=False
    ).exclude(state__in=(Task.State.COMPLETED, Task.State.CANCELLED))


def add_open_tasks(day: datetime.date, count: int, *, seed: int = 2026) -> list[Task]:
    """Write `count` open tasks shaped like those the scan of `day` reads, with bulk_create.

    Each copies a task of the data set in turn (plan, section, area, state, progress, last report),
    numbered under it ("2.15" → "2.15.1", "2.15.2"…: unique in its section, or in its plan outside
    every section, as the constraints ask) with the sort_key and search_text tasks.services would give
    it, a deadline of the plan's year, a lead department of the agency, up to two coordinating
    departments and, for a share, assignees; every task gets its first TaskDeadline."""
    templates = list(scanned_tasks(day).select_related("plan", "section").order_by("pk"))
    if not templates:
        raise ValueError(f"The data set has no open task of an issued plan of {day.year - 1} or {day.year}.")
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    plan_ids = {task.plan_id for task in templates}
    agency_ids = {task.plan.agency_id for task in templates}
    departments: dict[int, list[Department]] = defaultdict(list)
    for department in Department.objects.filter(agency_id__in=agency_ids).order_by("position", "pk"):
        departments[department.agency_id].append(department)
    staff: dict[int, list[int]] = defaultdict(list)
    for user_id, department_id in (
        User.objects.filter(department__agency_id__in=agency_ids, role=Role.STAFF, is_active=True)
        .order_by("pk")
        .values_list("pk", "department_id")
    ):
        staff[department_id].append(user_id)
    taken = set(Task.objects.filter(plan_id__in=plan_ids).values_list("plan_id", "section_id", "number"))
    suffixes: dict[int, int] = defaultdict(int)
    deadlines = bench_tasks.Deadlines()

    tasks, coordinating, assignees = [], [], []
    for index in range(count):
        template = templates[index % len(templates)]
        plan = template.plan
        while True:
            suffixes[template.pk] += 1
            number = f"{template.number}.{suffixes[template.pk]}"
            if (plan.pk, template.section_id, number) not in taken:
                break
        taken.add((plan.pk, template.section_id, number))
        deadline = deadlines.pick(rng, plan.year)
        lead = rng.choice(departments[plan.agency_id])
        task = Task(
            plan=plan,
            section=template.section,
            area_id=template.area_id,
            number=number,
            sort_key=sort_key(number, template.section),
            content=f"{rng.choice(bench_tasks.CONTENTS)} (nhiệm vụ {number})",
            lead_department=lead,
            start_date=plan.issued_on,
            deadline_text=deadline.text,
            deadline_kind=deadline.kind,
            due_date=deadline.due_date,
            expected_output=rng.choice(bench_tasks.OUTPUTS),
            notes="Dữ liệu tổng hợp cho bench.",
            state=template.state,
            percent=template.percent,
            last_report_at=template.last_report_at,
        )
        task.search_text = search_text(task)
        tasks.append(task)
        others = [department for department in departments[plan.agency_id] if department.pk != lead.pk]
        coordinating.append(rng.sample(others, min(len(others), rng.randint(0, MAX_COORDINATING))))
        people = staff.get(lead.pk, [])
        chosen = (
            rng.sample(people, min(len(people), rng.randint(1, 2))) if rng.random() < ASSIGNED_SHARE else []
        )
        assignees.append(chosen)

    Task.objects.bulk_create(tasks, batch_size=BATCH)
    TaskDeadline.objects.bulk_create(
        (
            TaskDeadline(
                task=task,
                deadline_text=task.deadline_text,
                deadline_kind=task.deadline_kind,
                due_date=task.due_date,
            )
            for task in tasks
        ),
        batch_size=BATCH,
    )
    Coordinating = Task.coordinating_departments.through
    Coordinating.objects.bulk_create(
        (
            Coordinating(task_id=task.pk, department_id=department.pk)
            for task, chosen in zip(tasks, coordinating, strict=True)
            for department in chosen
        ),
        batch_size=BATCH,
    )
    Assignee = Task.assignees.through
    Assignee.objects.bulk_create(
        (
            Assignee(task_id=task.pk, user_id=user_id)
            for task, chosen in zip(tasks, assignees, strict=True)
            for user_id in chosen
        ),
        batch_size=BATCH,
    )
    return tasks


def _scan(day: datetime.date) -> tuple[float, int, int]:
    """Seconds, queries and notices of one scan of `day`, the calendar read from the database."""
    with override_settings(CACHES=NO_CACHE), CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        notices = notices_on(day)
        seconds = time.perf_counter() - started
    return seconds, len(queries), len(notices)


def measure_scan(
    open_tasks: int = OPEN_TASKS, *, day: datetime.date | None = None, seed: int = 2026
) -> ScanFigures:
    """Time the scan of a working day (the last one up to today by default) over the data set's open
    tasks, then over `open_tasks` of them (when the data set has fewer), everything added rolled back."""
    day = scan_day(day)
    with transaction.atomic():
        own_tasks = scanned_tasks(day).count()
        notices_on(day)  # once untimed: the deadlines' report dates are computed once per process
        own_seconds, own_queries, own_notices = _scan(day)
        if open_tasks > own_tasks:
            with override_settings(DEBUG=False):  # no query log: it would keep and quote the inserts
                add_open_tasks(day, open_tasks - own_tasks, seed=seed)
        tasks = scanned_tasks(day).count()
        seconds, queries, notices = _scan(day)
        transaction.set_rollback(True)
    return ScanFigures(
        day=day,
        own_tasks=own_tasks,
        tasks=tasks,
        own_seconds=own_seconds,
        seconds=seconds,
        own_queries=own_queries,
        queries=queries,
        own_notices=own_notices,
        notices=notices,
    )

"""Reads shared by the task lists: which tasks, in which order, and one query shape for every row.

Lists filter, count and order in the database on cheap columns, then read the rows of one page with
everything a row shows: a page costs the same queries whether the list holds no task, 3 or 1,000,
and the costly status annotations are computed for the page's rows only.
"""

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

from django.db import connection
from django.db.models import Case, DateField, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from cchc import formatting
from cchc.text import fold
from plans.models import Plan
from tasks.deadlines import Deadline
from tasks.models import ProgressUpdate, Task
from tasks.status import COMPLETED, Status, end_of_day, status_from_columns, status_q, with_status

OPEN_STATES = (Task.State.NOT_STARTED, Task.State.IN_PROGRESS, Task.State.PENDING)
PERIODIC_KINDS = (Task.Kind.ONGOING, Task.Kind.QUARTERLY, Task.Kind.MONTHLY)
# Long texts a list row never shows.
ROW_DEFERRED = ("details", "expected_output", "notes", "search_text")
PLAN_DEFERRED = ("title", "purpose", "requirements", "arrangements", "recipients")


def task_rows(queryset, as_of: datetime.date):
    """Tasks ready for a list row: their status on `as_of` (tasks.status), the progress reported by then,
    and why their latest report was returned, if it was.

    For today every fact is a column of the task (the services keep them in step), and the status is
    worked out for the page's rows in Python (status_from_columns); for an earlier date the database
    rebuilds them from the history."""
    rows = queryset.select_related("area", "lead_department").defer(*ROW_DEFERRED)
    if as_of >= timezone.localdate():
        return rows.annotate(percent_on=F("percent"), last_return_reason=F("returned_reason"))
    latest = ProgressUpdate.objects.filter(task=OuterRef("pk"), reported_at__lt=end_of_day(as_of)).order_by(
        "-reported_at", "-pk"
    )
    return with_status(rows, as_of).annotate(
        percent_on=Coalesce(Subquery(latest.values("percent")[:1]), 0, output_field=IntegerField()),
        last_return_reason=Subquery(latest.values("return_reason")[:1]),
    )


def page_of(
    ordered, window: slice, as_of: datetime.date, *, plan: Plan | None = None, prefetch=()
) -> list[Task]:
    """One page of the ordered queryset `ordered` as list rows, in one query (also when empty): the
    page's ids are picked from cheap columns in a subquery, and only those rows get the annotations of
    task_rows. Rows of one known `plan` share it; otherwise each row brings its plan's number."""
    chosen = ordered.filter(pk__in=ordered.values("pk")[window])
    rows = task_rows(chosen, as_of).prefetch_related(*prefetch)
    if plan is None:
        rows = rows.select_related("plan").defer(*(f"plan__{name}" for name in PLAN_DEFERRED))
    tasks = add_timing(rows, as_of)
    if plan is not None:
        for task in tasks:
            task.plan = plan
    return tasks


ROW_COLUMNS = (
    "pk",
    "plan_id",
    "area_id",
    "number",
    "content",
    "lead_department_id",
    "deadline_text",
    "deadline_kind",
    "due_date",
    "state",
    "percent",
    "completed_on",
    "last_report_at",
    "cancelled_at",
    "returned_reason",
    "area__position",
    "area__name",
    "lead_department__name",
)
PLAN_COLUMNS = ("plan__number", "plan__symbol")


class TaskRow(SimpleNamespace):
    """A task as a list row shows it, read with values() rather than as a model instance: building
    fifty model instances with their related objects cost more than the rest of the page."""

    @property
    def deadline(self) -> Deadline:
        return Deadline(self.deadline_text, self.due_date, self.deadline_kind)


def rows_by_id(
    ids: list[int],
    as_of: datetime.date,
    *,
    plan: Plan | None = None,
    coordinating: bool = False,
    departments: list | None = None,
    areas: list | None = None,
    source_rows=None,
) -> list:
    """The list rows of the tasks `ids`, in that order (`source_rows`: their column values, already read). For today they are TaskRow objects read in one
    query (two with the coordinating departments); for an earlier date, model rows whose status the
    database rebuilds from the history (page_of). A view that has already loaded the plan's
    `departments` and `areas` passes them, and the rows are read without joins."""
    if not ids:
        return []
    if as_of < timezone.localdate():
        prefetch = [Prefetch("coordinating_departments", to_attr="coordinating")] if coordinating else []
        found = {
            task.pk: task
            for task in page_of(
                Task.objects.filter(pk__in=ids), slice(0, len(ids)), as_of, plan=plan, prefetch=prefetch
            )
        }
        return [found[pk] for pk in ids if pk in found]
    loaded = plan is not None and departments is not None and areas is not None
    if loaded:
        department_of = {department.pk: department for department in departments}
        area_of = {area.pk: area for area in areas}
        columns = [name for name in ROW_COLUMNS if "__" not in name]
    else:
        columns = ROW_COLUMNS if plan is not None else ROW_COLUMNS + PLAN_COLUMNS
    found = {}
    source = source_rows if source_rows is not None else Task.objects.filter(pk__in=ids).values(*columns)
    for values in source:
        row = TaskRow(**{key: value for key, value in values.items() if "__" not in key})
        if loaded:
            row.area, row.lead_department = area_of[row.area_id], department_of[row.lead_department_id]
        else:
            row.area = SimpleNamespace(position=values["area__position"], name=values["area__name"])
            row.lead_department = SimpleNamespace(
                pk=values["lead_department_id"], name=values["lead_department__name"]
            )
        row.plan = plan or SimpleNamespace(
            pk=values["plan_id"],
            number_symbol=formatting.document_number(values["plan__number"], values["plan__symbol"]),
        )
        row.percent_on, row.last_return_reason = row.percent, row.returned_reason
        found[row.pk] = row
    if coordinating:
        for row in found.values():
            row.coordinating = []
        links = Task.coordinating_departments.through.objects.filter(task_id__in=ids)
        if loaded:
            pairs = sorted(_coordinating_pairs(ids), key=lambda pair: department_of[pair[1]].position)
            for task_id, department_id in pairs:
                found[task_id].coordinating.append(department_of[department_id])
        else:
            for task_id, name in links.order_by("department__position").values_list(
                "task_id", "department__name"
            ):
                found[task_id].coordinating.append(SimpleNamespace(name=name))
    return add_timing([found[pk] for pk in ids if pk in found], as_of)


def _coordinating_pairs(ids: list[int]) -> list[tuple[int, int]]:
    """(task id, department id) of the coordinating departments of the tasks `ids`. A two-column read of
    the link table, written in SQL: on a list page the ORM took four times as long to build it as the
    database to answer it."""
    table = connection.ops.quote_name(Task.coordinating_departments.through._meta.db_table)
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT task_id, department_id FROM {table} WHERE task_id IN ({placeholders})", ids)  # noqa: S608 – the table name is ours, the ids are parameters
        return cursor.fetchall()


def page_rows(
    ordered, window: slice, as_of: datetime.date, *, plan: Plan, departments: list, areas: list
) -> list:
    """One page of the ordered queryset as rows of the plan table. For today the page's columns are read
    straight from the ordered query (LIMIT/OFFSET), without first collecting every id."""
    if as_of < timezone.localdate():
        ids = list(ordered.values_list("pk", flat=True)[window])
        return rows_by_id(ids, as_of, plan=plan, coordinating=True, departments=departments, areas=areas)
    values = list(ordered.values(*(name for name in ROW_COLUMNS if "__" not in name))[window])
    ids = [row["pk"] for row in values]
    return rows_by_id(
        ids, as_of, plan=plan, coordinating=True, departments=departments, areas=areas, source_rows=values
    )


def add_timing(tasks, today: datetime.date) -> list[Task]:
    """Give each row the date that matters next and how far it is: the due date, or for ongoing and
    recurring tasks still open the next reporting date (Task.deadline.next_report_date)."""
    tasks = list(tasks)
    for task in tasks:
        if not hasattr(task, "status"):
            task.status = status_from_columns(task, today)
            task.due_on, task.done_on = task.due_date, task.completed_on
        due = task.due_on or task.due_date
        task.is_overdue = task.status == Status.OPEN_OVERDUE
        task.is_done = task.status in COMPLETED
        task.is_periodic = task.deadline_kind != Task.Kind.ONCE
        if task.is_done or task.status == Status.CANCELLED:
            task.next_date = task.done_on if task.is_done else due
            task.days_left = None
        else:
            if task.is_periodic and not task.is_overdue:
                due = task.deadline.next_report_date(today)
            task.next_date = due
            task.days_left = (due - today).days
        task.days_late = -task.days_left if task.days_left is not None and task.days_left < 0 else 0
        task.percent_shown = 100 if task.is_done else task.percent_on
        _timing_labels(task)
    return tasks


def _timing_labels(task: Task) -> None:
    """The words of a row's date cell: 'Hạn 30/06/2019' or 'Kỳ báo cáo 14/06/2019', 'Xong …', and how far."""
    if task.is_periodic and task.days_left is not None and not task.is_overdue:
        task.due_label = f"Kỳ báo cáo {task.next_date:%d/%m/%Y}"
    else:
        task.due_label = f"Hạn {(task.due_on or task.due_date) if task.is_done else task.next_date:%d/%m/%Y}"
    task.done_label = f"Xong {task.done_on:%d/%m/%Y}" if task.is_done else ""
    task.relative, task.relative_tone = "", ""
    if task.days_left is None:
        return
    if task.is_overdue:
        task.relative, task.relative_tone = f"quá hạn {task.days_late} ngày", "text-danger fw-semibold"
    elif task.days_left == 0:
        task.relative, task.relative_tone = "đến hạn hôm nay", "text-warning-emphasis fw-semibold"
    elif task.days_left > 0:
        tone = "text-warning-emphasis fw-semibold" if task.days_left <= 7 else "text-secondary"
        task.relative, task.relative_tone = f"còn {task.days_left} ngày", tone


def next_date(today: datetime.date):
    """In SQL, the date that matters next for a task today: its due date, or for an ongoing or
    recurring task the next reporting date of its year (the rule of Deadline.next_report_date)."""
    whens = []
    for kind in PERIODIC_KINDS:
        for year in (today.year, today.year + 1):  # earlier years have no report date left
            upcoming = [
                day for day in Deadline("", datetime.date(year, 12, 31), kind).report_dates() if day >= today
            ]
            if upcoming:
                whens.append(When(deadline_kind=kind, due_date__year=year, then=Value(upcoming[0])))
    return Case(*whens, default=F("due_date"), output_field=DateField())


def urgency_order(queryset, today: datetime.date):
    """Open tasks overdue first (the longest overdue on top), then by the next date (annotated as
    `next_on`, see next_date), plan and number."""
    overdue_first = Case(
        When(due_date__lt=today, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return queryset.annotate(overdue_first=overdue_first).order_by(
        "overdue_first", "next_on", "plan_id", "sort_key"
    )


def live_plans(today: datetime.date):
    """Plans whose tasks are work in hand: issued and not yet closed (a draft assigns nothing yet), of
    this year or the last (in January last year's leftovers still matter; older plans are history)."""
    return Plan.objects.filter(status=Plan.Status.ISSUED, year__gte=today.year - 1)


def open_q(today: datetime.date, *, within: int | None = None) -> dict[str, Q]:
    """Conditions on open tasks today, for filters and counts: overdue, coming due within `within` days."""
    is_open = Q(state__in=OPEN_STATES)
    overdue = is_open & Q(due_date__lt=today)
    conditions = {"open": is_open, "overdue": overdue}
    if within is not None:
        conditions["due_soon"] = (
            is_open & Q(due_date__gte=today) & Q(next_on__lte=today + datetime.timedelta(days=within))
        )
    return conditions


# Filter values that stand for several statuses at once: the dashboard's figures that are unions.
DONE_GROUP, DUE_GROUP, ACTIVE_GROUP = "da_hoan_thanh", "den_han", "con_hieu_luc"
STATUS_GROUPS = [
    (DONE_GROUP, "Đã hoàn thành (đúng hạn và quá hạn)"),
    (DUE_GROUP, "Đã đến hạn tại ngày xem (trừ đã hủy)"),
    (ACTIVE_GROUP, "Mọi nhiệm vụ trừ đã hủy"),
]


@dataclass(frozen=True)
class TaskFilter:
    """What the plan's task table is narrowed to; every field optional."""

    text: str = ""
    department_id: int | None = None
    status: str = ""
    area_id: int | None = None
    due_within: int | None = None


def _filter_today(queryset, criteria: TaskFilter, today: datetime.date):
    """The status filters of today, as conditions on the columns (tasks.status.status_q). The rows carry
    no annotation: today's status, deadline and completion are the task's own columns (add_timing)."""
    not_cancelled = ~status_q(Status.CANCELLED, today)
    if criteria.status == DONE_GROUP:
        queryset = queryset.filter(status_q(Status.DONE_ON_TIME, today) | status_q(Status.DONE_LATE, today))
    elif criteria.status == DUE_GROUP:
        queryset = queryset.filter(not_cancelled, due_date__lte=today)
    elif criteria.status == ACTIVE_GROUP:
        queryset = queryset.filter(not_cancelled)
    elif criteria.status:
        queryset = queryset.filter(status_q(criteria.status, today))
    if criteria.due_within is not None:
        horizon = today + datetime.timedelta(days=criteria.due_within)
        queryset = queryset.filter(
            not_cancelled, completed_on__isnull=True, due_date__gte=today, due_date__lte=horizon
        )
    return queryset


def filter_tasks(queryset, criteria: TaskFilter, as_of: datetime.date):
    """Apply the table's filters; status and due dates are those on `as_of` (tasks.status).
    The text search ignores case and diacritics: every folded word must occur in Task.search_text."""
    if criteria.department_id:
        queryset = queryset.filter(lead_department_id=criteria.department_id)
    if criteria.area_id:
        queryset = queryset.filter(area_id=criteria.area_id)
    for word in fold(criteria.text).split():
        queryset = queryset.filter(search_text__contains=word)
    if as_of >= timezone.localdate():
        return _filter_today(queryset, criteria, as_of)
    if criteria.status or criteria.due_within is not None:
        queryset = with_status(queryset, as_of)
    if criteria.status == DONE_GROUP:
        queryset = queryset.filter(status__in=COMPLETED)
    elif criteria.status == DUE_GROUP:
        queryset = queryset.filter(due_on__lte=as_of).exclude(status=Status.CANCELLED)
    elif criteria.status == ACTIVE_GROUP:
        queryset = queryset.exclude(status=Status.CANCELLED)
    elif criteria.status:
        queryset = queryset.filter(status=criteria.status)
    if criteria.due_within is not None:
        horizon = as_of + datetime.timedelta(days=criteria.due_within)
        queryset = queryset.filter(due_on__gte=as_of, due_on__lte=horizon).exclude(
            status__in=[*COMPLETED, Status.CANCELLED]
        )
    return queryset

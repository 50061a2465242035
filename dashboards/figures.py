"""The figures of the leadership dashboard: where a plan stands on a date, in the taxonomy of the
Government's task tracking (DOMAIN.md §5), for the whole plan, by lead department and by reform area.

Every figure is counted in the database from tasks.status.with_status, so that a past date gives the
figures that held then (rebuilt from the history), and the headline and both tables cost one query
however many tasks the plan has: the tasks counted by department, area and status. The lists of overdue tasks and of
tasks coming due use the task table's own filters (tasks.selectors.of_status and due_within).

A task may have no deadline (Task.Kind.UNSET: the plan's words name no date): it is never overdue nor
due soon, and the open ones are counted apart (Figures.no_deadline) so that someone sets a date.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from cchc import periods
from plans.models import Plan
from tasks.models import ProgressUpdate
from tasks.selectors import due_within, of_status
from tasks.status import COMPLETED, OPEN, STYLE, Status, days_overdue, end_of_day, with_status

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
TENTH = Decimal("0.1")
# The plans whose tasks the province view and the previous year's trend count: issued, and those
# closed at the end of their year.
COUNTED_PLANS = (Plan.Status.ISSUED, Plan.Status.CLOSED)
LIST_LIMIT = 20

# The statuses a bar shows, in the order of its segments.
BAR_STATUSES = (
    Status.DONE_ON_TIME,
    Status.DONE_LATE,
    Status.OPEN_OVERDUE,
    Status.OPEN_ON_TIME,
    Status.NOT_STARTED,
)


def _groups(tasks, as_of: datetime.date, fields: tuple[str, ...]):
    """The tasks counted by `fields` (e.g. lead department and reform area) and status on `as_of`,
    in one query.

    Each row also says whether its tasks had come due (due_on ≤ as_of; NULL, not false, when they had no
    deadline then: the comparison with NULL is unknown) and whether they fall due within the due-soon
    window of cchc.periods, and sums the days between their deadline and their completion (or `as_of` when
    open). The status, deadline and completion of a past date are subqueries (tasks.status.with_status):
    selected once per task and grouped by their place in the SELECT list, so that the database works
    them out once per task rather than once for every figure."""
    soon = periods.due_soon_until(as_of)
    return (
        with_status(tasks, as_of)
        .annotate(
            is_due=ExpressionWrapper(Q(due_on__lte=as_of), output_field=BooleanField()),
            # the rule of the task table's filter due_within (tasks.selectors.due_within)
            is_soon=ExpressionWrapper(Q(due_on__gte=as_of, due_on__lte=soon), output_field=BooleanField()),
        )
        .values(*fields, "status", "is_due", "is_soon")
        .annotate(
            tasks=Count("pk"),
            # worked out for late tasks only: on SQLite a date difference is a Python function call
            days=Sum(
                Case(
                    When(
                        Q(done_on__gt=F("due_on")) | Q(done_on__isnull=True, due_on__lt=as_of),
                        then=Coalesce(F("done_on"), Value(as_of), output_field=DateField()) - F("due_on"),
                    ),
                    output_field=DurationField(),
                )
            ),
        )
        .order_by()
    )


GROUP_FIELDS = (
    "lead_department_id",
    "lead_department__name",
    "lead_department__position",
    "area_id",
    "area__name",
    "area__position",
)


def _add(totals: dict, row: dict) -> None:
    """Add one group of tasks to the running figures `totals` (the keys of Figures.from_row)."""
    status, count = row["status"], row["tasks"]
    totals[status] = totals.get(status, 0) + count
    if status == Status.CANCELLED:
        return
    totals["total"] = totals.get("total", 0) + count
    if row["is_due"]:
        totals["due"] = totals.get("due", 0) + count
    if status in (Status.DONE_LATE, Status.OPEN_OVERDUE) and row["days"] is not None:
        days = row["days"]
        if not isinstance(days, datetime.timedelta):  # a backend that sums durations as microseconds
            days = datetime.timedelta(microseconds=days)
        totals["days_late"] = (totals.get("days_late") or datetime.timedelta()) + days
    if row["is_soon"] and status not in COMPLETED:
        totals["due_soon"] = totals.get("due_soon", 0) + count
    if row["is_due"] is None and status in OPEN:  # no deadline (a separate is_unset costs a subquery)
        totals["no_deadline"] = totals.get("no_deadline", 0) + count


def share(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` in per cent with two decimals (half up); None when `whole` is 0."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Figures:
    """Where a set of tasks stands on a date. Cancelled tasks are outside every other figure."""

    total: int = 0
    cancelled: int = 0
    due: int = 0
    done_on_time: int = 0
    done_late: int = 0
    open_on_time: int = 0
    open_overdue: int = 0
    not_started: int = 0
    days_late: datetime.timedelta | None = None
    due_soon: int = 0
    no_deadline: int = 0  # open tasks without a deadline (Task.Kind.UNSET)
    # What the row stands for, in a table by department or area.
    key: int | None = None
    name: str = ""
    position: int = 0
    segments: list = field(default_factory=list)

    @classmethod
    def from_row(cls, row: dict, **extra) -> "Figures":
        """The figures from counts by name (a status code, total, due, days_late, due_soon,
        no_deadline); a missing count is 0."""
        figures = cls(
            total=row.get("total", 0),
            cancelled=row.get(Status.CANCELLED.value, 0),
            due=row.get("due", 0),
            done_on_time=row.get(Status.DONE_ON_TIME.value, 0),
            done_late=row.get(Status.DONE_LATE.value, 0),
            open_on_time=row.get(Status.OPEN_ON_TIME.value, 0),
            open_overdue=row.get(Status.OPEN_OVERDUE.value, 0),
            not_started=row.get(Status.NOT_STARTED.value, 0),
            days_late=row.get("days_late"),
            due_soon=row.get("due_soon", 0),
            no_deadline=row.get("no_deadline", 0),
            **extra,
        )
        figures.segments = figures._segments()
        return figures

    @property
    def done(self) -> int:
        return self.done_on_time + self.done_late

    @property
    def come_due(self) -> int:
        """The denominator of the Government's rates: every completed task and the open ones past
        their deadline; open tasks still within their deadline are left out."""
        return self.done + self.open_overdue

    @property
    def completion_rate(self) -> Decimal | None:
        return share(self.done, self.come_due)

    @property
    def overdue_rate(self) -> Decimal | None:
        """100 minus the completion rate, so that the pair adds up to exactly 100 %."""
        rate = self.completion_rate
        return None if rate is None else HUNDRED - rate

    @property
    def on_time_rate(self) -> Decimal | None:
        """Of the completed tasks, the share completed by their deadline."""
        return share(self.done_on_time, self.done)

    @property
    def late_count(self) -> int:
        return self.done_late + self.open_overdue

    @property
    def average_days_late(self) -> Decimal | None:
        """Days past the deadline, averaged over late completions and open overdue tasks."""
        if not self.late_count:
            return None
        days = Decimal(self.days_late.days if self.days_late else 0)
        return (days / Decimal(self.late_count)).quantize(TENTH, rounding=ROUND_HALF_UP)

    def count(self, status: str) -> int:
        return getattr(self, status)

    def _segments(self) -> list[dict]:
        """Each non-empty part of the row's bar: its status in words, colour, count and width (per
        cent of the tasks, written with a dot for CSS)."""
        if not self.total:
            return []
        return [
            {
                "status": status.value,
                "label": status.label,
                "colour": STYLE[status][0],
                "count": self.count(status.value),
                "width": f"{self.count(status.value) * 100 / self.total:.2f}",
            }
            for status in BAR_STATUSES
            if self.count(status.value)
        ]


@dataclass
class Summary:
    """The figures of a plan on a date: the whole, by lead department and by reform area."""

    plan: "Figures"
    departments: list["Figures"]
    areas: list["Figures"]


def summary(tasks, as_of: datetime.date) -> Summary:
    """The figures of the tasks `tasks` (a queryset) on `as_of`, in one query: the database counts the
    tasks by department, area and status, and the few groups are added up here."""
    whole: dict = {}
    departments: dict = {}
    areas: dict = {}
    for row in _groups(tasks, as_of, GROUP_FIELDS):
        _add(whole, row)
        for rows, key, name, position in (
            (departments, "lead_department_id", "lead_department__name", "lead_department__position"),
            (areas, "area_id", "area__name", "area__position"),
        ):
            entry = rows.setdefault(row[key], ({}, row[name], row[position]))
            _add(entry[0], row)

    def listed(rows: dict) -> list[Figures]:
        figures = [
            Figures.from_row(totals, key=key, name=name or "", position=position or 0)
            for key, (totals, name, position) in rows.items()
        ]
        return sorted(figures, key=lambda row: (row.position, row.name))

    return Summary(plan=Figures.from_row(whole), departments=listed(departments), areas=listed(areas))


def agency_figures(tasks, as_of: datetime.date) -> dict[int, Figures]:
    """The figures of the tasks `tasks` on `as_of` for each agency whose plans hold them, by agency id,
    in one query."""
    totals: dict[int, dict] = {}
    for row in _groups(tasks, as_of, ("plan__agency_id",)):
        _add(totals.setdefault(row["plan__agency_id"], {}), row)
    return {agency_id: Figures.from_row(counts, key=agency_id) for agency_id, counts in totals.items()}


def combined(rows) -> Figures:
    """The figures of several sets of tasks taken together (the agencies of the province view)."""
    counts: dict = {}
    for row in rows:
        for name in ("total", "due", "due_soon", "no_deadline", *(status.value for status in Status)):
            counts[name] = counts.get(name, 0) + getattr(row, name)
        if row.days_late is not None:
            counts["days_late"] = (counts.get("days_late") or datetime.timedelta()) + row.days_late
    return Figures.from_row(counts)


def rank(rows: list[Figures]) -> list[Figures]:
    """Rows ranked by completion rate (highest first; rows without one last), then by fewer open
    overdue tasks, then by name."""
    return sorted(
        rows,
        key=lambda row: (
            row.completion_rate is None,
            -(row.completion_rate or 0),
            row.open_overdue,
            row.name,
        ),
    )


def _listed(listed, as_of: datetime.date, order) -> list:
    """The first of the tasks `listed` by one of the task table's filters on `as_of`, each with its lead
    department, the date of its last report by then and the days it is overdue, in one query."""
    latest = ProgressUpdate.objects.filter(task=OuterRef("pk"), reported_at__lt=end_of_day(as_of)).order_by(
        "-reported_at", "-pk"
    )
    rows = list(
        listed.select_related("lead_department")
        .only("pk", "plan_id", "number", "content", "lead_department__name")
        .annotate(last_report_on=Subquery(latest.values("reported_on")[:1]))
        .order_by(*order)[:LIST_LIMIT]
    )
    for task in rows:
        task.days_overdue = days_overdue(task.due_on, as_of)
    return rows


def overdue_tasks(tasks, as_of: datetime.date) -> list:
    """Open tasks past their deadline on `as_of`, the longest overdue first."""
    return _listed(
        of_status(with_status(tasks, as_of), Status.OPEN_OVERDUE, as_of), as_of, ("due_on", "sort_key")
    )


def due_soon_tasks(tasks, as_of: datetime.date) -> list:
    """Open tasks whose deadline falls within the due-soon window of `as_of` (cchc.periods), the nearest
    first."""
    soon = due_within(with_status(tasks, as_of), settings.DUE_SOON_DAYS, as_of)
    return _listed(soon, as_of, ("due_on", "sort_key"))


def no_deadline_tasks(tasks, as_of: datetime.date) -> list:
    """Open tasks that had no deadline on `as_of` (Task.Kind.UNSET), in the plan's order."""
    unset = with_status(tasks, as_of).filter(status__in=OPEN, due_on__isnull=True)
    return _listed(unset, as_of, ("sort_key", "pk"))


# The columns a table of the dashboard can be sorted by: URL value → the figure, missing last.
SORT_KEYS = {
    "name": lambda row: (row.position, row.name),
    "assigned": lambda row: row.total,
    "due": lambda row: row.due,
    "done": lambda row: row.done,
    "on_time": lambda row: row.on_time_rate if row.on_time_rate is not None else Decimal(-1),
    "overdue": lambda row: row.open_overdue,
    "days_late": lambda row: row.average_days_late if row.average_days_late is not None else Decimal(-1),
}


def valid_order(order: str) -> str:
    """The order asked for when it names a column ("overdue", "-overdue"), else the plan's own ("name")."""
    return order if order.removeprefix("-") in SORT_KEYS else "name"


def sort_rows(rows: list[Figures], order: str) -> tuple[list[Figures], str]:
    """The rows in the order asked for ("qua-han", or "-qua-han" for descending), and that order;
    an unknown order falls back to the plan's own order."""
    column = order.removeprefix("-")
    if column not in SORT_KEYS:
        return rows, "name"
    return sorted(rows, key=SORT_KEYS[column], reverse=order.startswith("-")), order

"""The figures of the leadership dashboard: where a plan stands on a date, in the taxonomy of the
Government's task tracking (DOMAIN.md §5), for the whole plan, by lead department and by reform area.

Every figure is counted in the database from tasks.status.with_status, so that a past date gives the
figures that held then (rebuilt from the history), and each table costs one query however many tasks
the plan has: conditional aggregates over the status annotation. The lists of overdue tasks and of
tasks coming due use the task table's own filters (tasks.selectors.filter_tasks).
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, DurationField, F, OuterRef, Q, Subquery, Sum, Value, When

from tasks.models import ProgressReport
from tasks.selectors import TaskFilter, filter_tasks
from tasks.status import COMPLETED, STYLE, Status, days_overdue, end_of_day, with_status

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
TENTH = Decimal("0.1")
SOON_DAYS = 14  # the list of tasks coming due, and the task table's "han_trong" filter it links to
LIST_LIMIT = 20

# The statuses a bar shows, in the order of its segments.
BAR_STATUSES = (
    Status.DONE_ON_TIME,
    Status.DONE_LATE,
    Status.OPEN_OVERDUE,
    Status.OPEN_ON_TIME,
    Status.NOT_STARTED,
)


def _aggregates(as_of: datetime.date) -> dict:
    """Count per status, the tasks due by `as_of` and the days late summed in the database: a late
    completion counts from its deadline to its completion, an open overdue task up to `as_of`."""
    kept = ~Q(status=Status.CANCELLED)
    days_late = Case(
        When(status=Status.DONE_LATE, then=F("done_on") - F("due_on")),
        When(status=Status.OPEN_OVERDUE, then=Value(as_of) - F("due_on")),
        output_field=DurationField(),
    )
    counts = {status.value: Count("pk", filter=Q(status=status)) for status in Status}
    return {
        **counts,
        "total": Count("pk", filter=kept),
        "due": Count("pk", filter=kept & Q(due_on__lte=as_of)),
        "days_late": Sum(days_late),
        # the rule of the task table's filter han_trong (tasks.selectors.filter_tasks)
        "due_soon": Count(
            "pk",
            filter=Q(due_on__gte=as_of, due_on__lte=as_of + datetime.timedelta(days=SOON_DAYS))
            & ~Q(status__in=[*COMPLETED, Status.CANCELLED]),
        ),
    }


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
    # What the row stands for, in a table by department or area.
    key: int | None = None
    name: str = ""
    position: int = 0
    segments: list = field(default_factory=list)

    @classmethod
    def from_row(cls, row: dict, **extra) -> "Figures":
        figures = cls(
            total=row["total"],
            cancelled=row[Status.CANCELLED.value],
            due=row["due"],
            done_on_time=row[Status.DONE_ON_TIME.value],
            done_late=row[Status.DONE_LATE.value],
            open_on_time=row[Status.OPEN_ON_TIME.value],
            open_overdue=row[Status.OPEN_OVERDUE.value],
            not_started=row[Status.NOT_STARTED.value],
            days_late=row["days_late"],
            due_soon=row["due_soon"],
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


def plan_figures(tasks, as_of: datetime.date) -> Figures:
    """The headline figures of the tasks `tasks` (a queryset) on `as_of`, in one query."""
    return Figures.from_row(with_status(tasks, as_of).aggregate(**_aggregates(as_of)))


def _grouped(tasks, as_of: datetime.date, key: str, name: str, position: str) -> list[Figures]:
    rows = (
        with_status(tasks, as_of)
        .values(key, name, position)
        .annotate(**_aggregates(as_of))
        .order_by(position, name)
    )
    return [Figures.from_row(row, key=row[key], name=row[name], position=row[position]) for row in rows]


def department_figures(tasks, as_of: datetime.date) -> list[Figures]:
    """The figures of each lead department, in the agency's order of departments, in one query."""
    return _grouped(tasks, as_of, "lead_department_id", "lead_department__name", "lead_department__position")


def area_figures(tasks, as_of: datetime.date) -> list[Figures]:
    """The figures of each reform area of the plan, in the plan's order of areas, in one query."""
    return _grouped(tasks, as_of, "area_id", "area__name", "area__position")


def _listed(tasks, as_of: datetime.date, criteria: TaskFilter, order) -> list:
    """The first tasks of the task table's filter `criteria` on `as_of`, each with its lead department,
    the date of its last report by then and the days it is overdue, in one query."""
    latest = ProgressReport.objects.filter(task=OuterRef("pk"), reported_at__lt=end_of_day(as_of)).order_by(
        "-reported_at", "-pk"
    )
    rows = list(
        filter_tasks(tasks, criteria, as_of)
        .select_related("lead_department")
        .only("pk", "plan_id", "number", "content", "lead_department__name")
        .annotate(last_report_on=Subquery(latest.values("reported_on")[:1]))
        .order_by(*order)[:LIST_LIMIT]
    )
    for task in rows:
        task.days_overdue = days_overdue(task.due_on, as_of)
    return rows


def overdue_tasks(tasks, as_of: datetime.date) -> list:
    """Open tasks past their deadline on `as_of`, the longest overdue first."""
    return _listed(tasks, as_of, TaskFilter(status=Status.OPEN_OVERDUE.value), ("due_on", "sort_key"))


def due_soon_tasks(tasks, as_of: datetime.date) -> list:
    """Open tasks whose deadline falls within SOON_DAYS days of `as_of`, the nearest first."""
    return _listed(tasks, as_of, TaskFilter(due_within=SOON_DAYS), ("due_on", "sort_key"))


# The columns a table of the dashboard can be sorted by: URL value → the figure, missing last.
SORT_KEYS = {
    "ten": lambda row: (row.position, row.name),
    "giao": lambda row: row.total,
    "den-han": lambda row: row.due,
    "hoan-thanh": lambda row: row.done,
    "dung-han": lambda row: row.on_time_rate if row.on_time_rate is not None else Decimal(-1),
    "qua-han": lambda row: row.open_overdue,
    "ngay-tre": lambda row: row.average_days_late if row.average_days_late is not None else Decimal(-1),
}


def sort_rows(rows: list[Figures], order: str) -> tuple[list[Figures], str]:
    """The rows in the order asked for ("qua-han", or "-qua-han" for descending), and that order;
    an unknown order falls back to the plan's own order."""
    column = order.removeprefix("-")
    if column not in SORT_KEYS:
        return rows, "ten"
    return sorted(rows, key=SORT_KEYS[column], reverse=order.startswith("-")), order

"""The status of tasks on any date, computed from their history in the database.

The taxonomy is the Government's task tracking (DOMAIN.md §5). A task's status on day D uses only
what had happened by the end of D: the deadline in force then, the completion approved by then and
the reports made by then — so a report of a past period comes out as it was, whatever changed since.
"""

import datetime
import functools
import operator
from dataclasses import dataclass

from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from tasks.models import ProgressUpdate, TaskDeadline


class Status(models.TextChoices):
    DONE_ON_TIME = "done_on_time", "Đã hoàn thành đúng hạn"
    DONE_LATE = "done_late", "Đã hoàn thành quá hạn"
    OPEN_ON_TIME = "open_on_time", "Chưa hoàn thành, trong hạn"
    OPEN_OVERDUE = "open_overdue", "Chưa hoàn thành, quá hạn"
    NOT_STARTED = "not_started", "Chưa triển khai"
    CANCELLED = "cancelled", "Đã hủy"


# Colour and icon together, so that the status never rests on colour alone.
STYLE = {
    Status.DONE_ON_TIME: ("success", "bi-check-circle-fill"),
    Status.DONE_LATE: ("warning", "bi-check-circle"),
    Status.OPEN_ON_TIME: ("primary", "bi-hourglass-split"),
    Status.OPEN_OVERDUE: ("danger", "bi-exclamation-triangle-fill"),
    Status.NOT_STARTED: ("secondary", "bi-circle"),
    Status.CANCELLED: ("dark", "bi-x-circle"),
}


@dataclass(frozen=True)
class Badge:
    """What a status's badge shows (templates/tasks/_status_badge.html): its words, colour and icon."""

    code: str
    label: str
    colour: str
    icon: str


BADGES = {status: Badge(status.value, status.label, *STYLE[status]) for status in Status}

COMPLETED = (Status.DONE_ON_TIME, Status.DONE_LATE)
OPEN = (Status.NOT_STARTED, Status.OPEN_ON_TIME, Status.OPEN_OVERDUE)


@functools.lru_cache(maxsize=64)
def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first instant after `day` in the project's time zone: 'by the end of D' is '< this'."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


# What a task's status on day D rests on, under the names with_status annotates them with: when it
# was cancelled, the deadline in force (due_on), the completion approved by then (done_on) and whether
# a report had been made by then (started). AS_OF and CUTOFF stand for D and the end of D.
AS_OF, CUTOFF = object(), object()

# The rule: the first status whose conditions all hold, NOT_STARTED when none does. It is written once,
# as Django lookups on those facts: with_status turns it into SQL, status_from_columns reads it for a
# task already in memory (tests/test_task_services.py checks that the two agree).
RULE = (
    (Status.CANCELLED, {"cancelled_at__lt": CUTOFF}),
    (Status.DONE_ON_TIME, {"done_on__isnull": False, "done_on__lte": F("due_on")}),
    (Status.DONE_ON_TIME, {"done_on__isnull": False, "due_on__isnull": True}),  # no deadline to miss
    (Status.DONE_LATE, {"done_on__isnull": False}),
    (Status.OPEN_OVERDUE, {"due_on__lt": AS_OF}),
    (Status.OPEN_ON_TIME, {"started": True}),
)
DEFAULT = Status.NOT_STARTED


def _bound(as_of: datetime.date) -> dict:
    return {AS_OF: as_of, CUTOFF: end_of_day(as_of)}


def _status_case(as_of: datetime.date) -> Case:
    """The rule in SQL, over the facts annotated by with_status."""
    bound = _bound(as_of)

    def condition(conditions: dict) -> Q:
        return Q(**{lookup: bound.get(operand, operand) for lookup, operand in conditions.items()})

    return Case(
        *(When(condition(conditions), then=Value(status.value)) for status, conditions in RULE),
        default=Value(DEFAULT.value),
        output_field=models.CharField(),
    )


_COMPARE = {"exact": operator.eq, "lt": operator.lt, "lte": operator.le}


def _holds(facts: dict, lookup: str, operand) -> bool:
    """One condition of the rule on facts in memory, with SQL's sense of a missing value: a comparison
    with NULL is never true."""
    name, _, test = lookup.partition("__")
    value = facts[name]
    if isinstance(operand, F):
        operand = facts[operand.name]
    if test == "isnull":
        return (value is None) is operand
    return value is not None and operand is not None and _COMPARE[test or "exact"](value, operand)


def deadline_in_force(cutoff: datetime.datetime, field: str):
    """A subquery of `field` ("due_date", "deadline_text") of the deadline the outer task had just
    before `cutoff`: the latest one set by then (the first deadline has no start)."""
    return (
        TaskDeadline.objects.filter(task=OuterRef("pk"))
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lt=cutoff))
        .order_by(F("valid_from").desc(nulls_last=True))
        .values(field)[:1]
    )


def with_status(queryset, as_of: datetime.date | None = None, *, from_history: bool = False):
    """Annotate tasks with their status on `as_of` (default today) and the facts it rests on:
    status, due_on (deadline in force), done_on (completion date), started.

    For today (or later) the task's own columns already hold the latest of its history — the
    services keep due_date, completed_on, last_report_at and cancelled_at in step — so the status is
    read from them; for an earlier date it is rebuilt from the deadline, report and approval records."""
    today = timezone.localdate()
    as_of = as_of or today
    cutoff = end_of_day(as_of)
    if as_of >= today and not from_history:
        facts = queryset.annotate(
            due_on=F("due_date"),
            done_on=F("completed_on"),
            started=models.ExpressionWrapper(
                Q(last_report_at__isnull=False), output_field=models.BooleanField()
            ),
        )
        return facts.annotate(status=_status_case(as_of))
    deadline_then = deadline_in_force(cutoff, "due_date")
    completed_then = (
        ProgressUpdate.objects.filter(
            task=OuterRef("pk"), review=ProgressUpdate.Review.APPROVED, reviewed_at__lt=cutoff
        )
        .order_by("reviewed_at")
        .values("reported_on")[:1]
    )
    started_then = ProgressUpdate.objects.filter(task=OuterRef("pk"), reported_at__lt=cutoff)
    return queryset.annotate(
        due_on=Subquery(deadline_then, output_field=models.DateField()),
        done_on=Subquery(completed_then, output_field=models.DateField()),
        started=Exists(started_then),
    ).annotate(status=_status_case(as_of))


def status_from_columns(task, as_of: datetime.date) -> str:
    """Today's status of one task already in memory, from its own columns (the facts of with_status's
    fast path) read through the same RULE."""
    facts = {
        "cancelled_at": task.cancelled_at,
        "due_on": task.due_date,
        "done_on": task.completed_on,
        "started": task.last_report_at is not None,
    }
    bound = _bound(as_of)
    for status, conditions in RULE:
        if all(_holds(facts, lookup, bound.get(operand, operand)) for lookup, operand in conditions.items()):
            return status
    return DEFAULT


def days_overdue(due_on: datetime.date | None, as_of: datetime.date) -> int:
    return max((as_of - due_on).days, 0) if due_on else 0

"""The status of tasks on any date, computed from their history in the database.

The taxonomy is the Government's task tracking (DOMAIN.md §5). A task's status on day D uses only
what had happened by the end of D: the deadline in force then, the completion approved by then and
the reports made by then — so a report of a past period comes out as it was, whatever changed since.
"""

import datetime
import functools

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

COMPLETED = (Status.DONE_ON_TIME, Status.DONE_LATE)


@functools.lru_cache(maxsize=64)
def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first instant after `day` in the project's time zone: 'by the end of D' is '< this'."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def _status_case(*, cutoff, as_of, done, due, started):
    return Case(
        When(cancelled_at__lt=cutoff, then=Value(Status.CANCELLED.value)),
        When(Q(**{f"{done}__isnull": False, f"{done}__lte": F(due)}), then=Value(Status.DONE_ON_TIME.value)),
        When(Q(**{f"{done}__isnull": False}), then=Value(Status.DONE_LATE.value)),
        When(Q(**{f"{due}__lt": as_of}), then=Value(Status.OPEN_OVERDUE.value)),
        When(started, then=Value(Status.OPEN_ON_TIME.value)),
        default=Value(Status.NOT_STARTED.value),
        output_field=models.CharField(),
    )


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
        return queryset.annotate(
            due_on=F("due_date"),
            done_on=F("completed_on"),
            started=models.ExpressionWrapper(
                Q(last_report_at__isnull=False), output_field=models.BooleanField()
            ),
        ).annotate(
            status=_status_case(
                cutoff=cutoff,
                as_of=as_of,
                done="completed_on",
                due="due_date",
                started=Q(last_report_at__isnull=False),
            )
        )
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
    ).annotate(
        status=_status_case(cutoff=cutoff, as_of=as_of, done="done_on", due="due_on", started=Q(started=True))
    )


def status_from_columns(task, as_of: datetime.date) -> str:
    """Today's status of one loaded task from its own columns: the rule of with_status's fast path,
    for rows already in hand (tests/test_task_services.py checks the two agree)."""
    cutoff = end_of_day(as_of)
    if task.cancelled_at is not None and task.cancelled_at < cutoff:
        return Status.CANCELLED
    if task.completed_on is not None:
        return Status.DONE_ON_TIME if task.completed_on <= task.due_date else Status.DONE_LATE
    if task.due_date < as_of:
        return Status.OPEN_OVERDUE
    return Status.OPEN_ON_TIME if task.last_report_at is not None else Status.NOT_STARTED


def status_q(status: str, today: datetime.date) -> Q:
    """Today's tasks of one status as a plain condition on the task's columns (the fast path of
    with_status as a filter: cheaper to build and to run than filtering on the annotation)."""
    live = Q(cancelled_at__isnull=True)
    done, open_ = live & Q(completed_on__isnull=False), live & Q(completed_on__isnull=True)
    conditions = {
        Status.CANCELLED: Q(cancelled_at__isnull=False),
        Status.DONE_ON_TIME: done & Q(completed_on__lte=F("due_date")),
        Status.DONE_LATE: done & Q(completed_on__gt=F("due_date")),
        Status.OPEN_OVERDUE: open_ & Q(due_date__lt=today),
        Status.OPEN_ON_TIME: open_ & Q(due_date__gte=today, last_report_at__isnull=False),
        Status.NOT_STARTED: open_ & Q(due_date__gte=today, last_report_at__isnull=True),
    }
    return conditions[Status(status)]


def days_overdue(due_on: datetime.date | None, as_of: datetime.date) -> int:
    return max((as_of - due_on).days, 0) if due_on else 0

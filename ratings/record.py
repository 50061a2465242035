"""A person's task record for a year (or a month or quarter of it), as of the round's cut-off.

Whose tasks: the tasks of the agency's issued plans (in force or closed since) of the round's year that
name the person among their assignees; for a head of department, also every task their department leads
(a head answers for the department's work). A task cancelled by the cut-off is not assigned.
On the cut-off (tasks.status.with_status, the one rule):
  - completed: done, on time or late;
  - met (completed meeting requirements): done, and no report of the task returned before approval;
  - on_time (completed on time or early): done by the deadline in force;
  - early (exceeded, "vượt tiến độ"): on time and done at least the round's early_days before that
    deadline (a task done the day before its deadline is on time, not ahead of it);
  - on_time_met: on time and met (the tasks "ensured" in the criteria scheme).
For a month or quarter, the tasks whose deadline in force falls inside it (a task with no dated
deadline — "Thường xuyên" — counts in the year only).

Two queries whatever the number of people: the tasks with their facts on the cut-off, and who is
assigned to which.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from plans.models import Plan
from ratings.models import Rating, Round
from ratings.rules import Counts
from tasks.models import ProgressUpdate, Task
from tasks.status import COMPLETED, Status, end_of_day, with_status

ISSUED = (Plan.Status.ISSUED, Plan.Status.CLOSED)
MEASURES = {
    "assigned": "Được giao",
    "completed": "Hoàn thành",
    "met": "Hoàn thành đạt yêu cầu",
    "on_time": "Hoàn thành đúng hạn hoặc trước hạn",
    "early": "Hoàn thành vượt tiến độ",
}


@dataclass(frozen=True)
class Period:
    """The year, a quarter or a month of the round's year."""

    key: str  # "" the year, "q1".."q4", "m1".."m12"
    label: str
    start: datetime.date
    end: datetime.date

    @property
    def whole_year(self) -> bool:
        return self.key == ""


def periods(year: int) -> list[Period]:
    found = [Period("", f"Cả năm {year}", datetime.date(year, 1, 1), datetime.date(year, 12, 31))]
    for quarter in range(1, 5):
        start = datetime.date(year, 3 * quarter - 2, 1)
        end = datetime.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - datetime.timedelta(days=1)
        found.append(Period(f"q{quarter}", f"Quý {['I', 'II', 'III', 'IV'][quarter - 1]}/{year}", start, end))
    for month in range(1, 13):
        start = datetime.date(year, month, 1)
        end = datetime.date(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(days=1)
        found.append(Period(f"m{month}", f"Tháng {month:02d}/{year}", start, end))
    return found


def period_of(year: int, key: str) -> Period | None:
    return next((period for period in periods(year) if period.key == key), None)


@dataclass(frozen=True)
class Fact:
    """One task on the cut-off, as the record counts it."""

    pk: int
    lead_department_id: int | None
    due_on: datetime.date | None
    cancelled: bool
    completed: bool
    met: bool
    on_time: bool
    early: bool

    def counts_in(self, measure: str) -> bool:
        if measure == "assigned":
            return True
        return getattr(self, measure)


def year_tasks(round_: Round):
    return Task.objects.filter(
        plan__agency_id=round_.agency_id, plan__year=round_.year, plan__status__in=ISSUED
    )


def facts(round_: Round, tasks=None) -> dict[int, Fact]:
    """Every task of the round's year with its facts on the cut-off (one query)."""
    tasks = year_tasks(round_) if tasks is None else tasks
    returned = ProgressUpdate.objects.filter(
        task=OuterRef("pk"), review=ProgressUpdate.Review.RETURNED, reviewed_at__lt=end_of_day(round_.cut_off)
    )
    rows = (
        with_status(tasks, round_.cut_off)
        .annotate(was_returned=Exists(returned))
        .values_list("pk", "lead_department_id", "due_on", "done_on", "status", "was_returned")
    )
    found = {}
    ahead = datetime.timedelta(days=round_.early_days)
    for pk, lead, due_on, done_on, status, was_returned in rows:
        completed = status in COMPLETED
        on_time = status == Status.DONE_ON_TIME
        found[pk] = Fact(
            pk=pk,
            lead_department_id=lead,
            due_on=due_on,
            cancelled=status == Status.CANCELLED,
            completed=completed,
            met=completed and not was_returned,
            on_time=on_time,
            early=on_time and done_on is not None and due_on is not None and done_on <= due_on - ahead,
        )
    return found


def assignments(round_: Round, task_ids) -> dict[int, set[int]]:
    """person id → ids of the tasks naming them as assignee (one query)."""
    found: dict[int, set[int]] = defaultdict(set)
    through = Task.assignees.through.objects.filter(task_id__in=task_ids).values_list("user_id", "task_id")
    for user_id, task_id in through:
        found[user_id].add(task_id)
    return found


class Book:
    """The task records of a round's people, from facts and assignments read once."""

    def __init__(self, round_: Round):
        self.round = round_
        self.facts = facts(round_)
        self.assigned = assignments(round_, list(self.facts))
        self.led: dict[int, set[int]] = defaultdict(set)
        for fact in self.facts.values():
            if fact.lead_department_id:
                self.led[fact.lead_department_id].add(fact.pk)

    def task_ids(self, rating: Rating) -> set[int]:
        ids = set(self.assigned.get(rating.person_id, ()))
        if rating.is_head:
            ids |= self.led.get(rating.department_id, set())
        return {pk for pk in ids if not self.facts[pk].cancelled}

    def in_period(self, ids, period: Period | None) -> list[Fact]:
        chosen = [self.facts[pk] for pk in ids]
        if period is None or period.whole_year:
            return chosen
        return [fact for fact in chosen if fact.due_on and period.start <= fact.due_on <= period.end]

    def counts(self, rating: Rating, period: Period | None = None) -> Counts:
        chosen = self.in_period(self.task_ids(rating), period)
        return Counts(
            assigned=len(chosen),
            completed=sum(fact.completed for fact in chosen),
            met=sum(fact.met for fact in chosen),
            on_time=sum(fact.on_time for fact in chosen),
            early=sum(fact.early for fact in chosen),
            on_time_met=sum(fact.on_time and fact.met for fact in chosen),
        )

    def behind(self, rating: Rating, measure: str, period: Period | None = None) -> list[int]:
        """The ids of exactly the tasks behind one number of the record."""
        return [fact.pk for fact in self.in_period(self.task_ids(rating), period) if fact.counts_in(measure)]

    def undated(self, rating: Rating) -> int:
        return sum(1 for pk in self.task_ids(rating) if self.facts[pk].due_on is None)

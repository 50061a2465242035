"""Who is told what about which task's deadline on a given local day: the scan behind the reminders.

notices_on(day) only reads; the notifications app stores, shows and mails what it returns, claiming a
sent-log row per (recipient, task, kind, offset, day) before it sends, so that scanning a day twice (the
job runs every 15 minutes) or again after downtime sends nothing twice. A missed day is caught up by
scanning that day: the answer depends on the day and on the tasks as they stand now.

Which tasks: the open ones (neither completed nor cancelled) of issued plans of this year or the last
(a plan of years ago left issued instead of closed would otherwise remind of its tasks for ever) that
have a due date. A task whose deadline is unset ("Chưa xác định thời hạn") is never reminded.

Counting: every offset is in working days of the task's agency (cchc.periods, the agency's own recorded
days included), and nothing at all is said about an agency's tasks on a day that is not a working day of
that agency. A date that falls on a day off counts as the last working day before it, so that
  - "due today" is said on that last working day: a task due Sunday 30/6/2019 is due today on Friday
    28/6, one due during Tết on Tuesday 5/2/2019 on Friday 1/2;
  - "upcoming n" is said when n working days are left after today up to that day: 1 on Thursday 27/6,
    3 on Tuesday 25/6, 7 on Wednesday 19/6 — always a working day, never doubling "due today";
  - overdue counts the working days after the due date, so the first one is the next working day after
    it: Monday 1/7 for 30/6/2019, Monday 11/2/2019 after Tết for Friday 1/2 or Tuesday 5/2.
A Saturday worked in exchange for a bridging day off (04/05/2019) is a working day like any other.

Kinds and recipients (offsets as in Notice.offset: working days before the date, negative after it):
  - upcoming (rules.upcoming), due_today, and overdue on the first working day after the due date and
    every rules.repeat_every working days after that: to the task's assignees, or to the heads of its lead
    department when nobody (active) is assigned; the heads of its coordinating departments get the same
    notices "để biết" (audience "info").
  - escalation, from rules.escalate_head working days overdue and every rules.repeat_every working days
    after that (5, 8, 11 … by default): to the heads of the lead department; from rules.escalate_leaders
    on and on its own cadence (10, 13, 16 …): to the agency's leaders as well.
  - update_due, rules.update_due working days before each reporting cut-off (14/3, 14/6, 14/9, 14/12;
    counted from the working day on or before it like a due date): to the assignees (or heads) of each
    task with no progress report since the day after the previous cut-off. For 14/6 that is 15/3, not
    15/12 where the data of the 6-month report begin: what was reported for quý I is no update for the
    next report. A task that starts after the cut-off has nothing to report yet and is left out.
Inactive users and overseers are never told. A person gets one notice per (task, kind, offset, day):
an assignee who also heads a coordinating department is told once, as the one who must act.

Periodic tasks (ongoing, yearly, quarterly, monthly) are reminded before each of their report dates
(tasks.deadlines.Deadline.report_dates: the cut-offs, quarter or month ends) as well as before their
due date, and are overdue only after their due date: the end of the year, or for a yearly task the day
written with it ("trước ngày 15/11 hằng năm"), as tasks.status counts it. Which report date an upcoming
or due_today notice of a periodic task counts to is Deadline.next_report_date(notice.day); the cut-off
of an update_due notice is periods.next_cut_off(notice.day).

Speed: five queries whatever the number of tasks (and the calendar's), and reads that grow with the
notices rather than the tasks. The first reads the distinct deadlines of the open tasks (agency, kind, due date: hundreds of
rows for any number of tasks); from them and the working days, walked once per agency from its earliest
due date to the furthest day a notice looks ahead, follows which deadlines have something due today.
Then one query reads only the tasks with those deadlines (and, on an update_due day, those owing an
update), one their assignees, one their coordinating departments, one the heads and leaders. The
calendar costs one query per agency and year when cchc.periods' cache is cold, none when warm.
"""

import datetime
import functools
import operator
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Q

from accounts.models import Role, User
from cchc import periods
from plans.models import Plan
from tasks.deadlines import Deadline
from tasks.models import Task
from tasks.status import end_of_day

UPCOMING = "upcoming"
DUE_TODAY = "due_today"
OVERDUE = "overdue"
ESCALATION = "escalation"
UPDATE_DUE = "update_due"
KINDS = {
    UPCOMING: "Sắp đến hạn",
    DUE_TODAY: "Đến hạn hôm nay",
    OVERDUE: "Quá hạn",
    ESCALATION: "Quá hạn lâu (báo cáo lãnh đạo)",
    UPDATE_DUE: "Sắp đến kỳ báo cáo",
}
KIND_ORDER = {kind: order for order, kind in enumerate(KINDS)}

LEAD = "lead"  # must act
INFO = "info"  # a coordinating department, told "để biết"


@dataclass(frozen=True)
class ReminderRules:
    """When reminders are given, in working days; the agency's admin may set other values."""

    upcoming: tuple[int, ...] = (7, 3, 1)  # working days before the due date
    repeat_every: int = 3  # overdue: the day after, then every N working days
    escalate_head: int = 5  # overdue ≥ N working days → the lead department's head(s)
    escalate_leaders: int = 10  # ≥ N → the agency's leaders (Role.LEADER)
    update_due: int = 5  # working days before each reporting cut-off (cchc.periods.cut_offs)

    def __post_init__(self):
        numbers = (
            *self.upcoming,
            self.repeat_every,
            self.escalate_head,
            self.escalate_leaders,
            self.update_due,
        )
        if not all(isinstance(number, int) and number >= 1 for number in numbers):
            raise ValueError(f"Every reminder rule must be a whole number of working days ≥ 1: {self}")

    @property
    def horizon(self) -> int:
        """The most working days ahead of the day that a notice looks."""
        return max((*self.upcoming, self.update_due))


DEFAULT_RULES = ReminderRules()


@dataclass(frozen=True, slots=True)
class Notice:
    recipient_id: int
    task_id: int
    kind: str  # one of KINDS
    # working days before (>0) or after (<0) the due date; for update_due the days before the cut-off;
    # 0 for due_today
    offset: int
    day: datetime.date  # the local day the notice is for
    audience: str = LEAD  # LEAD (must act) or INFO (coordinating departments: "để biết")


def notices_on(
    day: datetime.date,
    *,
    agency_ids: Iterable[int] | None = None,
    rules: ReminderRules | Mapping[int, ReminderRules] = DEFAULT_RULES,
) -> list[Notice]:
    """Every notice due on the local `day` about the tasks of the agencies (of all, with None), ordered
    by recipient, task and urgency of the kind. `rules` are the same for every agency, or given by
    agency id (an agency missing from the mapping has DEFAULT_RULES)."""
    by_agency = {} if isinstance(rules, ReminderRules) else rules
    same = rules if isinstance(rules, ReminderRules) else DEFAULT_RULES
    tasks = Task.objects.filter(
        plan__status=Plan.Status.ISSUED, plan__year__gte=day.year - 1, due_date__isnull=False
    ).exclude(state__in=(Task.State.COMPLETED, Task.State.CANCELLED))
    if agency_ids is not None:
        tasks = tasks.filter(plan__agency_id__in=list(agency_ids))
    tasks = tasks.order_by()
    deadlines: dict[int, set[tuple[str, datetime.date]]] = defaultdict(set)
    for agency_id, deadline_kind, due in tasks.values_list(
        "plan__agency_id", "deadline_kind", "due_date"
    ).distinct():
        deadlines[agency_id].add((deadline_kind, due))
    agencies = {}
    for agency_id, keys in deadlines.items():
        found = _AgencyDue.on(agency_id, keys, day, by_agency.get(agency_id, same))
        if found is not None:
            agencies[agency_id] = found
    if not agencies:
        return []
    # only the tasks with something due today, in the database: the reads grow with the notices
    due_tasks = tasks.filter(functools.reduce(operator.or_, (due.tasks() for due in agencies.values())))
    rows = due_tasks.values_list(
        "pk",
        "plan__agency_id",
        "lead_department_id",
        "due_date",
        "deadline_kind",
        "start_date",
        "last_report_at",
    )
    people = _People(due_tasks, set(agencies))
    notices = []
    for task_id, agency_id, department_id, due, deadline_kind, start_date, last_report_at in rows:
        agency = agencies[agency_id]
        due_now = agency.by_deadline.get((deadline_kind, due), ())
        if agency.update is not None and agency.update.applies(start_date, last_report_at):
            due_now = (*due_now, (UPDATE_DUE, agency.update_offset, TO_OWNERS))
        for kind, offset, to in due_now:
            for user_id, audience in people.recipients(task_id, agency_id, department_id, to):
                notices.append(Notice(user_id, task_id, kind, offset, day, audience))
    notices.sort(
        key=lambda notice: (notice.recipient_id, notice.task_id, KIND_ORDER[notice.kind], notice.offset)
    )
    return notices


# What is due, before the tasks are read ---------------------------------------------------------

# Whom a notice goes to (_People.recipients).
TO_TASK = "task"  # the assignees (or heads), and the coordinating departments' heads "để biết"
TO_OWNERS = "owners"  # the assignees (or heads) only
TO_HEADS = "heads"  # the lead department's heads
TO_LEADERS = "leaders"  # the agency's leaders


class _Window:
    """The working days of one agency from `start` to `ahead` working days after `day`, as positions.

    A date's position is the number of working days from `start` to it, both included, less one: a day
    off has the position of the last working day before it, and the difference of two positions is the
    number of working days after the first date up to the second."""

    def __init__(
        self, calendar: periods.WorkingCalendar, start: datetime.date, day: datetime.date, ahead: int
    ):
        positions: dict[datetime.date, int] = {}
        position, after, current = -1, 0, start
        while True:
            working = calendar.is_working_day(current)
            if working and current > day:
                after += 1
                if after > ahead:
                    break
            position += working
            positions[current] = position
            current += periods.ONE_DAY
        self._positions = positions
        self._today = positions[day]

    def left(self, date: datetime.date) -> int | None:
        """The working days left after `day` up to `date` (0 on its day, minus the working days past it
        once gone by); None for a date before `start` or beyond the window."""
        position = self._positions.get(date)
        return None if position is None else position - self._today


class _UpdateDue(NamedTuple):
    cut_off: datetime.date
    since: datetime.datetime  # a report from this instant on is an update of the period

    def tasks(self) -> Q:
        """The tasks that owe an update: begun by the cut-off, not reported since the period began."""
        begun = Q(start_date__isnull=True) | Q(start_date__lte=self.cut_off)
        return begun & (Q(last_report_at__isnull=True) | Q(last_report_at__lt=self.since))

    def applies(self, start_date: datetime.date | None, last_report_at: datetime.datetime | None) -> bool:
        """tasks() for one task already read."""
        begun = start_date is None or start_date <= self.cut_off
        return begun and (last_report_at is None or last_report_at < self.since)


class _AgencyDue(NamedTuple):
    """What one agency's tasks are due today: (kind, offset, to) by deadline, and the update reminder."""

    agency_id: int
    by_deadline: dict[tuple[str, datetime.date], tuple[tuple[str, int, str], ...]]
    update: _UpdateDue | None
    update_offset: int  # the agency's rules.update_due

    @classmethod
    def on(
        cls,
        agency_id: int,
        deadlines: set[tuple[str, datetime.date]],
        day: datetime.date,
        rules: ReminderRules,
    ) -> "_AgencyDue | None":
        """None when nothing is due, on a day that is not a working day of the agency among others."""
        calendar = periods.WorkingCalendar(agency_id)
        if not calendar.is_working_day(day):
            return None
        start = min(min(due for _kind, due in deadlines), day)
        window = _Window(calendar, start, day, rules.horizon)
        by_deadline = {}
        for deadline_kind, due in deadlines:
            found = _deadline_notices(window, deadline_kind, due, rules)
            if found:
                by_deadline[deadline_kind, due] = found
        update = _update_due(window, day, rules)
        if not by_deadline and update is None:
            return None
        return cls(agency_id, by_deadline, update, rules.update_due)

    def tasks(self) -> Q:
        """The agency's tasks with something due today."""
        dates = defaultdict(list)
        for deadline_kind, due in self.by_deadline:
            dates[deadline_kind].append(due)
        found = [Q(deadline_kind=deadline_kind, due_date__in=dues) for deadline_kind, dues in dates.items()]
        if self.update is not None:
            found.append(self.update.tasks())
        return Q(plan__agency_id=self.agency_id) & functools.reduce(operator.or_, found)


@functools.lru_cache(maxsize=4096)
def _targets(deadline_kind: str, due: datetime.date) -> tuple[datetime.date, ...]:
    """The dates a task is reminded before: its report dates and its due date."""
    return tuple(sorted({*Deadline("", due, deadline_kind).report_dates(), due}))


def _deadline_notices(
    window: _Window, deadline_kind: str, due: datetime.date, rules: ReminderRules
) -> tuple[tuple[str, int, str], ...]:
    """(kind, offset, to) of the notices due today about a task with this deadline, each once."""
    notices = []
    for target in _targets(deadline_kind, due):
        left = window.left(target)
        if left == 0:
            notices.append((DUE_TODAY, 0, TO_TASK))
        elif left is not None and left in rules.upcoming:
            notices.append((UPCOMING, left, TO_TASK))
    left = window.left(due)
    if left is not None and left < 0:
        late = -left
        if (late - 1) % rules.repeat_every == 0:
            notices.append((OVERDUE, left, TO_TASK))
        if late >= rules.escalate_head and (late - rules.escalate_head) % rules.repeat_every == 0:
            notices.append((ESCALATION, left, TO_HEADS))
        if late >= rules.escalate_leaders and (late - rules.escalate_leaders) % rules.repeat_every == 0:
            notices.append((ESCALATION, left, TO_LEADERS))
    return tuple(dict.fromkeys(notices))


def _update_due(window: _Window, day: datetime.date, rules: ReminderRules) -> _UpdateDue | None:
    """The cut-off whose update reminder is due today, with the start of the period it closes."""
    cut_off = periods.next_cut_off(day)
    for _ in range(2):  # with a long rules.update_due, the cut-off after the next one
        if window.left(cut_off.day) == rules.update_due:
            return _UpdateDue(cut_off.day, end_of_day(_previous_cut_off(cut_off.day)))
        cut_off = periods.next_cut_off(cut_off.day + periods.ONE_DAY)
    return None


def _previous_cut_off(day: datetime.date) -> datetime.date:
    earlier = [cut_off.day for cut_off in periods.cut_offs(day.year) if cut_off.day < day]
    return earlier[-1] if earlier else periods.cut_offs(day.year - 1)[-1].day


# The recipients --------------------------------------------------------------------------------------


class _People:
    """Who is behind the tasks, read in three queries for all of them at once."""

    def __init__(self, tasks, agency_ids: set[int]):
        task_ids = tasks.values("pk")
        assigned = (
            Task.assignees.through.objects.filter(task__in=task_ids, user__is_active=True)
            .exclude(user__role=Role.OVERSEER)
            .values_list("task_id", "user_id")
        )
        self.assignees = _grouped(assigned)
        coordinating = Task.coordinating_departments.through.objects.filter(task__in=task_ids)
        self.coordinating = _grouped(coordinating.values_list("task_id", "department_id"))
        self.heads: dict[int, list[int]] = defaultdict(list)
        self.leaders: dict[int, list[int]] = defaultdict(list)
        people = User.objects.filter(is_active=True).filter(
            Q(role=Role.DEPT_HEAD, department__agency_id__in=agency_ids)
            | Q(role=Role.LEADER, agency_id__in=agency_ids)
        )
        for user_id, role, department_id, agency_id in people.values_list(
            "pk", "role", "department_id", "agency_id"
        ):
            if role == Role.DEPT_HEAD:
                self.heads[department_id].append(user_id)
            else:
                self.leaders[agency_id].append(user_id)

    def recipients(self, task_id: int, agency_id: int, department_id: int, to: str) -> list[tuple[int, str]]:
        """(user id, audience) of one notice, each user once, those who must act first. The lists never
        share a person but for an assignee who heads a coordinating department: a user has one role
        and one department."""
        if to == TO_HEADS:
            return [(user_id, LEAD) for user_id in self.heads.get(department_id, ())]
        if to == TO_LEADERS:
            return [(user_id, LEAD) for user_id in self.leaders.get(agency_id, ())]
        owners = self.assignees.get(task_id) or self.heads.get(department_id, ())
        found = [(user_id, LEAD) for user_id in owners]
        if to == TO_TASK:
            for coordinating in self.coordinating.get(task_id, ()):
                found.extend(
                    (user_id, INFO) for user_id in self.heads.get(coordinating, ()) if user_id not in owners
                )
        return found


def _grouped(pairs) -> dict[int, list[int]]:
    """(key, value) pairs as key → [values]."""
    grouped = defaultdict(list)
    for key, value in pairs:
        grouped[key].append(value)
    return dict(grouped)

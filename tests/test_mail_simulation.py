"""Five months of the demo plan 14/KH-SKHĐT simulated day by day with a fixed clock, from 17/1/2019
(the day after its tasks were written) to 14/6/2019: the jobs run as the beat would run them, and the
mails each person gets each day are counted against an expectation written here from the rules alone.

The stretch holds Tết 2019 (Monday 4 to Friday 8/2), Giỗ Tổ Hùng Vương (Sunday 14/4, off on Monday
15/4), 30/4 and 1/5 with the bridging Monday 29/4 given off in exchange for Saturday 4/5, the 14/3 and
14/6 cut-offs, the end of quý I and the days before the end of quý II.

The demo's tasks are held as they stood on 16/1/2019, when they were written: nothing reported yet, the
first deadline in force. The demo writes each task's whole 2019 at once (most tasks end up completed), so
it is put back to that day; two tasks are set apart so that every rule comes up: 3.1's completion waits
for approval, 4.3 is cancelled. The current year's plan, whose tasks stand relative to the day of
loading, is closed: it does not exist in 2019. Nobody reports during the stretch, so the reminders run
their whole course: due today, overdue, escalation to the head, then to the leaders.

Run with -s for the table of the mails of each day.
"""

import datetime
from collections import Counter, defaultdict
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail as django_mail
from django.core.management import call_command
from django.db import transaction

from accounts.models import Role, User
from notifications import jobs
from notifications.models import Notification
from plans.models import Plan
from tasks.models import Task, TaskDeadline
from tests.conftest import demo_settings

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date
ONE_DAY = datetime.timedelta(days=1)

FIRST_DAY = D(2019, 1, 17)
LAST_DAY = D(2019, 6, 14)
DIGEST_TIME = datetime.time(7, 30)  # everyone's: no preference or agency setting in the demo
# When the jobs run each simulated day: the night's scan (the reminders are written then, before the
# digests' hour), the digests' hour, noon and the end of the working day.
INSTANTS = (datetime.time(0, 5), DIGEST_TIME, datetime.time(12, 0), datetime.time(17, 0))

# The calendar of 2019, written out from the Government's notice (Công văn 6519/VPCP-KGVX): the
# weekdays off, and the Saturdays worked in exchange for a bridging Monday off.
WEEKDAYS_OFF_2019 = {
    D(2019, 1, 1),  # Tết Dương lịch
    D(2019, 2, 4),  # Tết Nguyên đán: 30 Tết to mùng 4
    D(2019, 2, 5),
    D(2019, 2, 6),
    D(2019, 2, 7),
    D(2019, 2, 8),
    D(2019, 4, 15),  # Giỗ Tổ Hùng Vương (Sunday 14/4), off on the Monday
    D(2019, 4, 29),  # bridging day, worked on Saturday 4/5
    D(2019, 4, 30),
    D(2019, 5, 1),
    D(2019, 9, 2),
}
WORKED_SATURDAYS_2019 = {D(2019, 1, 5), D(2019, 5, 4)}
TET = [D(2019, 2, day) for day in range(4, 9)]
WORKED_SATURDAY = D(2019, 5, 4)
AFTER_TET = D(2019, 2, 11)

# The rules, in working days.
UPCOMING = (7, 3, 1)
REPEAT_EVERY = 3
ESCALATE_HEAD = 5
ESCALATE_LEADERS = 10
UPDATE_DUE = 5
DUE_SOON_DAYS = 7  # calendar days (settings.DUE_SOON_DAYS)
# The reporting cut-offs in the stretch, each with the first day of the period whose report it closes.
CUT_OFFS = {D(2019, 3, 14): D(2018, 12, 15), D(2019, 6, 14): D(2019, 3, 15)}
# The dates a periodic task is reported on, besides its due date.
REPORT_DATES = {
    Task.Kind.ONGOING: [D(2019, 3, 14), D(2019, 6, 14), D(2019, 9, 14), D(2019, 12, 14)],
    Task.Kind.QUARTERLY: [D(2019, 3, 31), D(2019, 6, 30), D(2019, 9, 30), D(2019, 12, 31)],
}

WRITTEN_ON = D(2019, 1, 16)  # the day the demo's clerk wrote the plan's tasks


def at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=VN)


def days(first: datetime.date, last: datetime.date):
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


# The plain working-day walk ----------------------------------------------------------------------


def is_working(day: datetime.date) -> bool:
    assert day.year == 2019, day  # the calendar above is 2019's
    if day in WORKED_SATURDAYS_2019:
        return True
    return day.weekday() < 5 and day not in WEEKDAYS_OFF_2019


def _numbered() -> dict[datetime.date, int]:
    """Each day of 2019 → how many working days of 2019 there are up to it: a day off has the number of
    the last working day before it, and the difference of two numbers counts the working days after the
    first date up to the second."""
    numbers, count = {}, 0
    for day in days(D(2019, 1, 1), D(2019, 12, 31)):
        count += is_working(day)
        numbers[day] = count
    return numbers


NUMBER = _numbered()


def left(today: datetime.date, target: datetime.date) -> int:
    """Working days after `today` up to `target` (negative: working days `target` is past)."""
    return NUMBER[target] - NUMBER[today]


def first_working_day_of_week(day: datetime.date) -> bool:
    monday = day - datetime.timedelta(days=day.weekday())
    week = [monday + datetime.timedelta(days=n) for n in range(7)]
    return is_working(day) and next(d for d in week if is_working(d)) == day


# The demo, pinned -----------------------------------------------------------------------------------


def pin_as_written():
    """The 2019 tasks as they stood on 16/1/2019; the current year's plan closed."""
    Plan.objects.filter(year__gt=2019).update(status=Plan.Status.CLOSED)
    tasks = Task.objects.filter(plan__year=2019)
    tasks.update(
        state=Task.State.NOT_STARTED,
        percent=0,
        completed_on=None,
        last_report_at=None,
        cancelled_at=None,
        returned_reason="",
    )
    for first in TaskDeadline.objects.filter(task__plan__year=2019, valid_from__isnull=True):
        Task.objects.filter(pk=first.task_id).update(
            deadline_text=first.deadline_text, deadline_kind=first.deadline_kind, due_date=first.due_date
        )
    seed = tasks.filter(plan__number=14)
    seed.filter(number="3.1").update(
        state=Task.State.PENDING, percent=100, last_report_at=at(WRITTEN_ON, datetime.time(16, 0))
    )
    seed.filter(number="4.3").update(
        state=Task.State.CANCELLED, cancelled_at=at(WRITTEN_ON, datetime.time(16, 30))
    )
    for user in User.objects.all():
        user.email = f"{user.username}@mo-phong.example.vn"
        user.save(update_fields=["email"])


# The expectation, from the tasks' own fields --------------------------------------------------------


class Demo:
    """What the expectation reads of the pinned demo: the tasks and the people."""

    def __init__(self):
        self.users = {user.pk: user for user in User.objects.all()}
        people = [user for user in self.users.values() if user.is_active and user.role != Role.OVERSEER]
        self.heads = defaultdict(list)
        self.leaders = defaultdict(list)
        for user in people:
            if user.role == Role.DEPT_HEAD:
                self.heads[user.department_id].append(user.username)
            elif user.role == Role.LEADER:
                self.leaders[user.agency_id].append(user.username)
        self.mailable = [user for user in people if user.agency_id and user.email]
        self.tasks = list(
            Task.objects.filter(plan__status=Plan.Status.ISSUED, plan__year=2019).select_related("plan")
        )
        self.assignees = defaultdict(list)
        for task_id, user_id in Task.assignees.through.objects.values_list("task_id", "user_id"):
            user = self.users[user_id]
            if user.is_active and user.role != Role.OVERSEER:
                self.assignees[task_id].append(user.username)
        self.coordinating = defaultdict(list)
        for task_id, department_id in Task.coordinating_departments.through.objects.values_list(
            "task_id", "department_id"
        ):
            self.coordinating[task_id].append(department_id)

    def label(self, task: Task) -> str:
        return f"{task.plan.number_symbol} {task.number}"

    def is_open(self, task: Task) -> bool:
        return task.state not in (Task.State.COMPLETED, Task.State.CANCELLED) and task.due_date is not None

    def owners(self, task: Task) -> list[str]:
        return self.assignees[task.pk] or self.heads[task.lead_department_id]

    def to_task(self, task: Task) -> list[str]:
        """The owners, and the coordinating departments' heads "để biết" (an owner is told once)."""
        owners = self.owners(task)
        informed = [
            head
            for department_id in self.coordinating[task.pk]
            for head in self.heads[department_id]
            if head not in owners
        ]
        return owners + informed

    def notices(self, today: datetime.date) -> Counter:
        """(username, task pk, kind) → how many notices (one per offset) on `today`."""
        found = Counter()
        if not is_working(today):
            return found
        for task in self.tasks:
            if not self.is_open(task):
                continue
            told = set()  # (username, kind, offset): once each
            targets = {task.due_date, *REPORT_DATES.get(task.deadline_kind, ())}
            for target in targets:
                n = left(today, target)
                if n == 0:
                    told |= {(user, "due_today", 0) for user in self.to_task(task)}
                elif n in UPCOMING:
                    told |= {(user, "upcoming", n) for user in self.to_task(task)}
            late = -left(today, task.due_date)
            if late >= 1 and (late - 1) % REPEAT_EVERY == 0:
                told |= {(user, "overdue", -late) for user in self.to_task(task)}
            if late >= ESCALATE_HEAD and (late - ESCALATE_HEAD) % REPEAT_EVERY == 0:
                told |= {(user, "escalation", -late) for user in self.heads[task.lead_department_id]}
            if late >= ESCALATE_LEADERS and (late - ESCALATE_LEADERS) % REPEAT_EVERY == 0:
                told |= {(user, "escalation", -late) for user in self.leaders[task.plan.agency_id]}
            for cut_off, since in CUT_OFFS.items():
                begun = task.start_date is None or task.start_date <= cut_off
                reported = task.last_report_at is not None and task.last_report_at >= at(
                    since, datetime.time()
                )
                if left(today, cut_off) == UPDATE_DUE and begun and not reported:
                    told |= {(user, "update_due", UPDATE_DUE) for user in self.owners(task)}
            for user, kind, _offset in told:
                found[user, task.pk, kind] += 1
        return found

    def worth_telling(self, task: Task, today: datetime.date) -> bool:
        """Whether the task shows in a head's section or the leaders' week: overdue, due within
        DUE_SOON_DAYS calendar days, or its completion waiting for approval."""
        if task.state in (Task.State.COMPLETED, Task.State.CANCELLED):
            return False
        if task.state == Task.State.PENDING:
            return True
        return task.due_date is not None and task.due_date <= today + datetime.timedelta(days=DUE_SOON_DAYS)

    def mails(self, today: datetime.date, noticed: set[str]) -> dict[str, int]:
        """username → mails on `today`: one digest at most, on a working day, for whoever was told
        something before the digest's hour, a head whose department has a task worth telling, a leader
        on the first working day of the week when the agency has one."""
        if not is_working(today):
            return {}
        expected = {}
        tasks = [task for task in self.tasks if self.worth_telling(task, today)]
        for user in self.mailable:
            department = user.role == Role.DEPT_HEAD and any(
                task.lead_department_id == user.department_id for task in tasks
            )
            week = (
                user.role == Role.LEADER
                and first_working_day_of_week(today)
                and any(task.plan.agency_id == user.agency_id for task in tasks)
            )
            if user.username in noticed or department or week:
                expected[user.username] = 1
        return expected


# The simulation ------------------------------------------------------------------------------------


def run_jobs(instant: datetime.datetime) -> None:
    """What the beat runs at that instant: the 15-minute job, then the minute's delivery."""
    with time_machine.travel(instant, tick=False):
        jobs.send_reminders()
        jobs.deliver_mail()


@pytest.fixture(scope="module")
def simulated(django_db_setup, django_db_blocker, tmp_path_factory):
    root = tmp_path_factory.mktemp("mail-simulation")
    with django_db_blocker.unblock(), demo_settings(root), transaction.atomic():
        with time_machine.travel(datetime.datetime(2026, 10, 15, 10, 0, tzinfo=VN), tick=False):
            call_command("load_demo", stdout=StringIO())
        pin_as_written()
        demo = Demo()
        by_address = {user.email.casefold(): user.username for user in demo.users.values()}
        actual, expected, bodies = Counter(), {}, {}
        expected_notices, actual_notices = Counter(), Counter()
        django_mail.outbox = []
        for day in days(FIRST_DAY, LAST_DAY):
            told = demo.notices(day)  # read before the day's jobs: the tasks do not change
            expected_notices.update({(day, *key): count for key, count in told.items()})
            for user, count in demo.mails(day, {user for user, _task, _kind in told}).items():
                expected[user, day] = count
            for time in INSTANTS:
                run_jobs(at(day, time))
                for message in django_mail.outbox:
                    [address] = message.to
                    user = by_address[address.casefold()]
                    actual[user, day] += 1
                    bodies[user, day] = message.body
                django_mail.outbox = []
        for username, task_id, kind, created_at in Notification.objects.filter(
            created_at__gte=at(FIRST_DAY, datetime.time()),
            created_at__lt=at(LAST_DAY + ONE_DAY, datetime.time()),
        ).values_list("recipient__username", "task_id", "kind", "created_at"):
            actual_notices[created_at.astimezone(VN).date(), username, task_id, kind] += 1
        labels = {task.pk: demo.label(task) for task in demo.tasks}
        yield {
            "expected": expected,
            "actual": dict(actual),
            "expected_notices": expected_notices,
            "actual_notices": actual_notices,
            "bodies": bodies,
            "labels": labels,
            "tasks": {task.number: task for task in demo.tasks if task.plan.number == 14},
        }
        transaction.set_rollback(True)


def per_day(counts: dict) -> dict[datetime.date, dict[str, int]]:
    found = defaultdict(dict)
    for (user, day), count in counts.items():
        found[day][user] = count
    return found


def table(expected: dict, actual: dict) -> str:
    """One line a day: the day, the mails sent (expected when it differs), and who got them."""
    want, got = per_day(expected), per_day(actual)
    lines = [f"{'day':<22} {'mails':>5}  recipients (×n when more than one)"]
    for day in days(FIRST_DAY, LAST_DAY):
        sent = got.get(day, {})
        total = sum(sent.values())
        wanted = sum(want.get(day, {}).values())
        mark = "" if want.get(day, {}) == sent else f" ≠ {wanted} expected"
        names = " ".join(f"{user}×{n}" if n > 1 else user for user, n in sorted(sent.items()))
        off = "" if is_working(day) else " (off)"
        lines.append(f"{day:%a %d/%m/%Y}{off:<8} {total:>5}{mark}  {names}")
    lines.append(f"total: {sum(actual.values())} mails sent, {sum(expected.values())} expected")
    return "\n".join(lines)


def test_every_persons_mails_of_every_day_are_those_the_rules_give(simulated):
    expected, actual = simulated["expected"], simulated["actual"]
    print("\n" + table(expected, actual))
    doubled = {key: count for key, count in actual.items() if count > 1}
    assert not doubled, f"more than one mail a day: {doubled}"
    missing = sorted((day, user) for (user, day) in expected.keys() - actual.keys())
    extra = sorted((day, user) for (user, day) in actual.keys() - expected.keys())
    assert actual == expected, (
        f"{sum(actual.values())} mails sent, {sum(expected.values())} expected; "
        f"missing {missing[:20]}; unexpected {extra[:20]}"
    )


def test_every_notice_of_every_day_is_one_the_rules_give(simulated):
    expected, actual, labels = simulated["expected_notices"], simulated["actual_notices"], simulated["labels"]
    print(f"\nnotices: {sum(actual.values())} written, {sum(expected.values())} expected")
    missing = sorted(
        (day, user, labels.get(task), kind, count - actual[day, user, task, kind])
        for (day, user, task, kind), count in expected.items()
        if actual[day, user, task, kind] != count
    )
    extra = sorted(
        (day, user, labels.get(task), kind, count)
        for (day, user, task, kind), count in actual.items()
        if (day, user, task, kind) not in expected
    )
    assert not missing and not extra, (
        f"{sum(actual.values())} notices written, {sum(expected.values())} expected; "
        f"missing or miscounted {missing[:20]}; unexpected {extra[:20]}"
    )


def test_nothing_is_sent_on_tết_nor_on_a_weekend(simulated):
    actual = simulated["actual"]
    for day in days(FIRST_DAY, LAST_DAY):
        if day in TET or (day.weekday() >= 5 and day != WORKED_SATURDAY):
            sent = {user: n for (user, when), n in actual.items() if when == day}
            assert sent == {}, f"{day}: {sent}"
    notices = {day for day, *_ in simulated["actual_notices"]}
    assert not notices & set(TET)
    assert not [day for day in notices if day.weekday() >= 5 and day != WORKED_SATURDAY]


def test_the_saturday_worked_in_exchange_for_29_april_is_a_working_day(simulated):
    expected, actual = simulated["expected"], simulated["actual"]
    on_saturday = {user: n for (user, day), n in actual.items() if day == WORKED_SATURDAY}
    assert on_saturday, "no mail on Saturday 4/5/2019, a working day"
    assert on_saturday == {user: n for (user, day), n in expected.items() if day == WORKED_SATURDAY}
    # the first working day of that week is Thursday 2/5: the leader's summary came then, not Monday 29/4
    assert ("lanhdao", D(2019, 4, 29)) not in actual
    assert "TỔNG HỢP TUẦN" in simulated["bodies"]["lanhdao", D(2019, 5, 2)]


def test_after_tết_the_days_overdue_are_counted_in_working_days(simulated):
    actual, bodies, tasks = simulated["actual"], simulated["bodies"], simulated["tasks"]
    task = tasks["1.1"]
    assert task.due_date == D(2019, 1, 31)  # Thursday before Tết, nobody assigned: Văn phòng's head
    assert "Nhiệm vụ 1.1 đã quá hạn 1 ngày làm việc (hạn 31/01/2019)" in bodies["tp.vp", D(2019, 2, 1)]
    # Monday 11/2, the first working day after Tết: the heads with overdue tasks hear of them again
    assert {"tp.vp", "tp.stc"} <= {user for (user, day) in actual if day == AFTER_TET}
    assert "Quá hạn: 1 nhiệm vụ" in bodies["tp.vp", AFTER_TET]
    # Wednesday 13/2 is the 4th working day after 31/1 (13 calendar days): the first repeat
    assert "Nhiệm vụ 1.1 đã quá hạn 4 ngày làm việc (hạn 31/01/2019)" in bodies["tp.vp", D(2019, 2, 13)]
    # the 5th, Thursday 14/2: to the lead department's head; the 10th, Thursday 21/2: to the leaders
    assert "quá hạn 5 ngày làm việc (hạn 31/01/2019)" in bodies["tp.vp", D(2019, 2, 14)]
    assert "quá hạn 10 ngày làm việc (hạn 31/01/2019)" in bodies["lanhdao", D(2019, 2, 21)]

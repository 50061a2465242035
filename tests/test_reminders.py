"""The reminders scan (tasks.reminders): who is told what about which task's deadline on a given day,
counted in working days of the agency's calendar."""

import datetime
import importlib
from collections import defaultdict

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.utils import timezone

from accounts.models import Role
from cchc import periods
from cchc.models import CalendarDay
from plans.models import Plan
from tasks.models import Task
from tasks.reminders import (
    DUE_TODAY,
    ESCALATION,
    INFO,
    KINDS,
    LEAD,
    OVERDUE,
    UPCOMING,
    UPDATE_DUE,
    Notice,
    ReminderRules,
    notices_on,
)
from tests.conftest import make_plan, make_task, make_user

D = datetime.date
SEED = importlib.import_module("cchc.migrations.0002_seed_calendar_days")
DEADLINE_KINDS = (UPCOMING, DUE_TODAY, OVERDUE)


@pytest.fixture
def seeded(db):
    """The Saturdays worked in exchange (04/05/2019), put back should a transactional test have
    emptied the table."""
    SEED.seed(django_apps, None)


@pytest.fixture
def coordinating_head(coordinating_department):
    return make_user(
        "truongphongphoihop", Role.DEPT_HEAD, coordinating_department.agency, coordinating_department
    )


def each_day(first: datetime.date, last: datetime.date):
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


def schedule(task, first, last, *, recipient=None, kinds=tuple(KINDS), **options):
    """(day, kind, offset) of the notices about `task` (to `recipient`, when given) from first to last."""
    found = []
    for day in each_day(first, last):
        for notice in notices_on(day, **options):
            if notice.task_id != task.pk or notice.kind not in kinds:
                continue
            if recipient is None or notice.recipient_id == recipient.pk:
                found.append((notice.day, notice.kind, notice.offset))
    return sorted(set(found))


def at(y, m, d, hour=0, minute=0):
    return timezone.make_aware(datetime.datetime(y, m, d, hour, minute))


@pytest.mark.parametrize(
    "rules",
    [
        {"repeat_every": 0},
        {"upcoming": (7, 0)},
        {"escalate_head": -1},
        {"update_due": 0},
        {"escalate_leaders": 2.5},
    ],
)
def test_rules_refuse_anything_but_whole_working_days(rules):
    with pytest.raises(ValueError):
        ReminderRules(**rules)


# Counting in working days ----------------------------------------------------------------------


@pytest.mark.django_db
def test_upcoming_counts_7_3_1_working_days_across_weekends(plan, department, staff, clerk):
    task = make_task(plan, department, by=clerk, deadline_text="Trước 10/6/2019")  # a Monday
    task.assignees.set([staff])
    assert schedule(task, D(2019, 5, 25), D(2019, 6, 12), kinds=DEADLINE_KINDS) == [
        (D(2019, 5, 30), UPCOMING, 7),  # Thursday: 31/5, 3, 4, 5, 6, 7 and 10/6 are left
        (D(2019, 6, 5), UPCOMING, 3),
        (D(2019, 6, 7), UPCOMING, 1),  # the Friday: the weekend is no working day
        (D(2019, 6, 10), DUE_TODAY, 0),
        (D(2019, 6, 11), OVERDUE, -1),
    ]


@pytest.mark.django_db
def test_a_deadline_on_a_sunday_is_due_on_the_friday_before_and_overdue_on_the_monday_after(
    plan, department, staff, clerk
):
    task = make_task(plan, department, by=clerk, deadline_text="Quý II/2019")  # 30/6/2019, a Sunday
    task.assignees.set([staff])
    assert schedule(task, D(2019, 6, 17), D(2019, 7, 2), kinds=DEADLINE_KINDS) == [
        (D(2019, 6, 19), UPCOMING, 7),
        (D(2019, 6, 25), UPCOMING, 3),
        (D(2019, 6, 27), UPCOMING, 1),
        (D(2019, 6, 28), DUE_TODAY, 0),
        (D(2019, 7, 1), OVERDUE, -1),
    ]


@pytest.mark.django_db
def test_tet_2019_sends_nothing_and_moves_the_reminders_around_it(plan, department, staff, clerk):
    assert [periods.is_working_day(D(2019, 2, day)) for day in range(1, 12)] == [True] + [False] * 9 + [True]
    in_tet = make_task(plan, department, by=clerk, number="1", deadline_text="Trước 5/2/2019")
    before = make_task(plan, department, by=clerk, number="2", deadline_text="Trước 1/2/2019")
    after = make_task(plan, department, by=clerk, number="3", deadline_text="Trước 15/2/2019")
    for task in (in_tet, before, after):
        task.assignees.set([staff])

    assert all(notices_on(day) == [] for day in each_day(D(2019, 2, 2), D(2019, 2, 10)))
    # due on the third day of Tết: due on the last working day before it, overdue on the first after
    assert schedule(in_tet, D(2019, 1, 21), D(2019, 2, 15)) == [
        (D(2019, 1, 23), UPCOMING, 7),
        (D(2019, 1, 29), UPCOMING, 3),
        (D(2019, 1, 31), UPCOMING, 1),
        (D(2019, 2, 1), DUE_TODAY, 0),
        (D(2019, 2, 11), OVERDUE, -1),
        (D(2019, 2, 14), OVERDUE, -4),
    ]
    assert schedule(before, D(2019, 2, 1), D(2019, 2, 15), kinds=(DUE_TODAY, OVERDUE)) == [
        (D(2019, 2, 1), DUE_TODAY, 0),
        (D(2019, 2, 11), OVERDUE, -1),  # "the day after" is the Monday after Tết
        (D(2019, 2, 14), OVERDUE, -4),
    ]
    # seven working days before 15/2 reach back across Tết
    assert schedule(after, D(2019, 1, 21), D(2019, 2, 15)) == [
        (D(2019, 1, 30), UPCOMING, 7),
        (D(2019, 2, 12), UPCOMING, 3),
        (D(2019, 2, 14), UPCOMING, 1),
        (D(2019, 2, 15), DUE_TODAY, 0),
    ]


@pytest.mark.django_db
def test_a_substituted_holiday_is_no_working_day_and_a_saturday_worked_is_one(
    seeded, plan, department, staff, clerk
):
    # Giỗ Tổ Hùng Vương fell on Sunday 14/4/2019, taken on Monday 15/4
    lieu = make_task(plan, department, by=clerk, number="1", deadline_text="Trước 15/4/2019")
    # Monday 29/4/2019 was given off for Saturday 4/5, worked
    swap = make_task(plan, department, by=clerk, number="2", deadline_text="Trước 8/5/2019")
    for task in (lieu, swap):
        task.assignees.set([staff])

    assert notices_on(D(2019, 4, 15)) == []
    assert schedule(lieu, D(2019, 4, 1), D(2019, 4, 17), kinds=DEADLINE_KINDS) == [
        (D(2019, 4, 3), UPCOMING, 7),
        (D(2019, 4, 9), UPCOMING, 3),
        (D(2019, 4, 11), UPCOMING, 1),
        (D(2019, 4, 12), DUE_TODAY, 0),
        (D(2019, 4, 16), OVERDUE, -1),
    ]
    assert schedule(swap, D(2019, 4, 22), D(2019, 5, 9), kinds=DEADLINE_KINDS) == [
        (D(2019, 4, 25), UPCOMING, 7),  # 26/4, 2/5, 3/5, 4/5, 6/5, 7/5 and 8/5 are left
        (D(2019, 5, 4), UPCOMING, 3),  # on the Saturday worked
        (D(2019, 5, 7), UPCOMING, 1),
        (D(2019, 5, 8), DUE_TODAY, 0),
        (D(2019, 5, 9), OVERDUE, -1),
    ]


@pytest.mark.django_db
def test_an_agencys_own_day_off_moves_only_its_own_reminders(
    plan, other_plan, department, outsider, staff, clerk, agency, other_agency
):
    CalendarDay.objects.create(
        agency=agency, date=D(2019, 6, 10), kind=CalendarDay.Kind.DAY_OFF, note="Lễ hội"
    )
    ours = make_task(plan, department, by=clerk, deadline_text="Trước 10/6/2019")
    ours.assignees.set([staff])
    other_staff = make_user("chuyenvienstc", Role.STAFF, other_agency, outsider.department)
    theirs = make_task(other_plan, outsider.department, by=outsider, deadline_text="Trước 10/6/2019")
    theirs.assignees.set([other_staff])

    # 10/6 counts as Friday 7/6, the last working day before it
    assert schedule(ours, D(2019, 6, 3), D(2019, 6, 11), kinds=DEADLINE_KINDS) == [
        (D(2019, 6, 4), UPCOMING, 3),
        (D(2019, 6, 6), UPCOMING, 1),
        (D(2019, 6, 7), DUE_TODAY, 0),
        (D(2019, 6, 11), OVERDUE, -1),
    ]
    assert schedule(theirs, D(2019, 6, 3), D(2019, 6, 11), kinds=DEADLINE_KINDS) == [
        (D(2019, 6, 5), UPCOMING, 3),
        (D(2019, 6, 7), UPCOMING, 1),
        (D(2019, 6, 10), DUE_TODAY, 0),
        (D(2019, 6, 11), OVERDUE, -1),
    ]
    assert {notice.task_id for notice in notices_on(D(2019, 6, 10))} == {theirs.pk}
    assert {notice.task_id for notice in notices_on(D(2019, 6, 7), agency_ids=[other_agency.pk])} == {
        theirs.pk
    }
    assert {notice.task_id for notice in notices_on(D(2019, 6, 7), agency_ids=[agency.pk])} == {ours.pk}


# Overdue and escalation ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_overdue_the_day_after_then_every_3_working_days_and_escalated_at_5_and_10(
    plan, department, staff, dept_head, leader, clerk
):
    task = make_task(plan, department, by=clerk, deadline_text="Trước 31/5/2019")  # a Friday
    task.assignees.set([staff])
    first, last = D(2019, 6, 1), D(2019, 6, 21)
    assert schedule(task, first, last, recipient=staff, kinds=(OVERDUE, ESCALATION)) == [
        (D(2019, 6, 3), OVERDUE, -1),
        (D(2019, 6, 6), OVERDUE, -4),
        (D(2019, 6, 11), OVERDUE, -7),
        (D(2019, 6, 14), OVERDUE, -10),
        (D(2019, 6, 19), OVERDUE, -13),
    ]
    assert schedule(task, first, last, recipient=dept_head) == [
        (D(2019, 6, 7), ESCALATION, -5),
        (D(2019, 6, 12), ESCALATION, -8),
        (D(2019, 6, 17), ESCALATION, -11),
        (D(2019, 6, 20), ESCALATION, -14),
    ]
    assert schedule(task, first, last, recipient=leader) == [
        (D(2019, 6, 14), ESCALATION, -10),
        (D(2019, 6, 19), ESCALATION, -13),
    ]


@pytest.mark.django_db
def test_the_agencys_own_rules_set_every_interval(plan, department, staff, dept_head, leader, clerk):
    task = make_task(plan, department, by=clerk, deadline_text="Trước 31/5/2019")
    task.assignees.set([staff])
    rules = ReminderRules(upcoming=(2,), repeat_every=2, escalate_head=2, escalate_leaders=3, update_due=1)
    first, last = D(2019, 5, 27), D(2019, 6, 13)
    assert schedule(task, first, last, recipient=staff, rules=rules) == [
        (D(2019, 5, 29), UPCOMING, 2),
        (D(2019, 5, 31), DUE_TODAY, 0),
        (D(2019, 6, 3), OVERDUE, -1),
        (D(2019, 6, 5), OVERDUE, -3),
        (D(2019, 6, 7), OVERDUE, -5),
        (D(2019, 6, 11), OVERDUE, -7),
        (D(2019, 6, 13), OVERDUE, -9),
        (D(2019, 6, 13), UPDATE_DUE, 1),  # one working day before the cut-off 14/6
    ]
    assert schedule(task, first, last, recipient=dept_head, rules=rules) == [
        (D(2019, 6, 4), ESCALATION, -2),
        (D(2019, 6, 6), ESCALATION, -4),
        (D(2019, 6, 10), ESCALATION, -6),
        (D(2019, 6, 12), ESCALATION, -8),
    ]
    assert schedule(task, first, last, recipient=leader, rules=rules) == [
        (D(2019, 6, 5), ESCALATION, -3),
        (D(2019, 6, 7), ESCALATION, -5),
        (D(2019, 6, 11), ESCALATION, -7),
        (D(2019, 6, 13), ESCALATION, -9),
    ]


# Recipients ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_coordinating_heads_are_told_the_deadline_for_information_only(
    plan, department, coordinating_department, staff, dept_head, leader, coordinating_head, coordinator, clerk
):
    task = make_task(
        plan, department, by=clerk, deadline_text="Trước 31/5/2019", coordinating=[coordinating_department]
    )
    task.assignees.set([staff])

    def told(day):
        return {(notice.recipient_id, notice.kind, notice.audience) for notice in notices_on(day)}

    assert told(D(2019, 5, 31)) == {(staff.pk, DUE_TODAY, LEAD), (coordinating_head.pk, DUE_TODAY, INFO)}
    assert told(D(2019, 6, 3)) == {(staff.pk, OVERDUE, LEAD), (coordinating_head.pk, OVERDUE, INFO)}
    # escalation and the update reminder are for the lead department alone
    assert told(D(2019, 6, 7)) == {(dept_head.pk, ESCALATION, LEAD), (staff.pk, UPDATE_DUE, LEAD)}
    assert told(D(2019, 6, 14)) == {
        (staff.pk, OVERDUE, LEAD),
        (coordinating_head.pk, OVERDUE, INFO),
        (leader.pk, ESCALATION, LEAD),
    }


@pytest.mark.django_db
def test_with_nobody_assigned_the_lead_departments_head_is_told(plan, department, dept_head, clerk):
    task = make_task(plan, department, by=clerk, deadline_text="Trước 31/5/2019")
    assert notices_on(D(2019, 5, 31)) == [Notice(dept_head.pk, task.pk, DUE_TODAY, 0, D(2019, 5, 31), LEAD)]


@pytest.mark.django_db
def test_inactive_people_and_overseers_are_never_told(
    plan, department, staff, dept_head, leader, overseer, clerk
):
    gone = make_user("danghi", Role.STAFF, department.agency, department, is_active=False)
    gone_head = make_user("truongphongcu", Role.DEPT_HEAD, department.agency, department, is_active=False)
    make_user("lanhdaocu", Role.LEADER, department.agency, is_active=False)
    assigned = make_task(plan, department, by=clerk, number="1", deadline_text="Trước 31/5/2019")
    assigned.assignees.set([staff, gone, overseer])
    left_alone = make_task(plan, department, by=clerk, number="2", deadline_text="Trước 31/5/2019")
    left_alone.assignees.set([gone])  # nobody active is assigned: the head is told

    assert notices_on(D(2019, 5, 31)) == [
        Notice(staff.pk, assigned.pk, DUE_TODAY, 0, D(2019, 5, 31)),
        Notice(dept_head.pk, left_alone.pk, DUE_TODAY, 0, D(2019, 5, 31)),
    ]
    recipients = {
        notice.recipient_id for day in each_day(D(2019, 5, 1), D(2019, 6, 30)) for notice in notices_on(day)
    }
    assert recipients == {staff.pk, dept_head.pk, leader.pk}
    assert not {gone.pk, gone_head.pk, overseer.pk} & recipients


@pytest.mark.django_db
def test_a_person_is_told_once_per_task_kind_and_day(
    plan, department, coordinating_department, staff, coordinating_head, clerk
):
    task = make_task(
        plan, department, by=clerk, deadline_text="Trước 31/5/2019", coordinating=[coordinating_department]
    )
    task.assignees.set([staff, coordinating_head])  # the head of a coordinating department, assigned too
    assert notices_on(D(2019, 5, 31)) == sorted(
        [
            Notice(staff.pk, task.pk, DUE_TODAY, 0, D(2019, 5, 31), LEAD),
            Notice(coordinating_head.pk, task.pk, DUE_TODAY, 0, D(2019, 5, 31), LEAD),
        ],
        key=lambda notice: notice.recipient_id,
    )


@pytest.mark.django_db
def test_no_reminder_for_finished_cancelled_undated_or_unissued_tasks(
    plan, draft_plan, agency, department, staff, dept_head, clerk
):
    closed_plan = make_plan(agency, number=30, status=Plan.Status.CLOSED)
    tasks = {
        "open": make_task(plan, department, by=clerk, number="1", deadline_text="Trước 31/5/2019"),
        "completed": make_task(plan, department, by=clerk, number="2", deadline_text="Trước 31/5/2019"),
        "cancelled": make_task(plan, department, by=clerk, number="3", deadline_text="Trước 31/5/2019"),
        "undated": make_task(plan, department, by=clerk, number="4", deadline_text="Trước 31/5/2019"),
        "draft": make_task(draft_plan, department, by=clerk, number="1", deadline_text="Trước 31/5/2019"),
        "closed": make_task(closed_plan, department, by=clerk, number="1", deadline_text="Trước 31/5/2019"),
    }
    for task in tasks.values():
        task.assignees.set([staff])
    Task.objects.filter(pk=tasks["completed"].pk).update(
        state=Task.State.COMPLETED, completed_on=D(2019, 5, 20)
    )
    Task.objects.filter(pk=tasks["cancelled"].pk).update(
        state=Task.State.CANCELLED, cancelled_at=at(2019, 5, 20)
    )
    Task.objects.filter(pk=tasks["undated"].pk).update(
        deadline_text="Kịp thời", deadline_kind=Task.Kind.UNSET, due_date=None
    )

    told = {notice.task_id for day in each_day(D(2019, 5, 20), D(2019, 6, 30)) for notice in notices_on(day)}
    assert told == {tasks["open"].pk}


# Reporting cut-offs ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_update_due_5_working_days_before_a_cut_off_for_tasks_not_reported_since_the_last_one(
    plan, department, staff, dept_head, clerk
):
    def task(number, **fields):
        return make_task(plan, department, by=clerk, number=number, deadline_text="Quý IV/2019", **fields)

    never = task("1")
    before = task("2")  # reported late on the night of the quý I cut-off
    since = task("3")  # reported just after midnight: an update of the period 15/3–14/6
    unassigned = task("4")
    not_begun = task("5", start_date=D(2019, 7, 1))
    for reported in (never, before, since, not_begun):
        reported.assignees.set([staff])
    Task.objects.filter(pk=before.pk).update(last_report_at=at(2019, 3, 14, 23, 30))
    Task.objects.filter(pk=since.pk).update(last_report_at=at(2019, 3, 15, 0, 30))

    day = D(2019, 6, 7)  # 10, 11, 12, 13 and 14/6 are left before the 6-month cut-off
    assert notices_on(day) == sorted(
        [
            Notice(staff.pk, never.pk, UPDATE_DUE, 5, day),
            Notice(staff.pk, before.pk, UPDATE_DUE, 5, day),
            Notice(dept_head.pk, unassigned.pk, UPDATE_DUE, 5, day),
        ],
        key=lambda notice: (notice.recipient_id, notice.task_id),
    )
    assert notices_on(D(2019, 6, 6)) == notices_on(D(2019, 6, 10)) == []
    # 14/9/2019 is a Saturday: five working days before Friday 13/9; the period began on 15/6, and
    # the task begun on 1/7 has a period to report on now
    assert {notice.task_id for notice in notices_on(D(2019, 9, 6))} == {
        never.pk,
        before.pk,
        since.pk,
        unassigned.pk,
        not_begun.pk,
    }
    assert notices_on(D(2019, 9, 9)) == []


# Periodic tasks ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_periodic_tasks_are_reminded_before_each_report_date_and_never_overdue_before_the_year_end(
    plan, department, staff, clerk
):
    ongoing = make_task(plan, department, by=clerk, number="1", deadline_text="Thường xuyên")
    quarterly = make_task(plan, department, by=clerk, number="2", deadline_text="Hằng quý")
    for task in (ongoing, quarterly):
        task.assignees.set([staff])

    assert schedule(ongoing, D(2019, 6, 1), D(2019, 9, 20), kinds=DEADLINE_KINDS) == [
        (D(2019, 6, 5), UPCOMING, 7),
        (D(2019, 6, 11), UPCOMING, 3),
        (D(2019, 6, 13), UPCOMING, 1),
        (D(2019, 6, 14), DUE_TODAY, 0),  # the 6-month cut-off, and no overdue after it
        (D(2019, 9, 4), UPCOMING, 7),
        (D(2019, 9, 10), UPCOMING, 3),
        (D(2019, 9, 12), UPCOMING, 1),
        (D(2019, 9, 13), DUE_TODAY, 0),  # 14/9 is a Saturday
    ]
    assert schedule(quarterly, D(2019, 6, 15), D(2019, 7, 15), kinds=DEADLINE_KINDS) == [
        (D(2019, 6, 19), UPCOMING, 7),
        (D(2019, 6, 25), UPCOMING, 3),
        (D(2019, 6, 27), UPCOMING, 1),
        (D(2019, 6, 28), DUE_TODAY, 0),  # 30/6 is a Sunday
    ]
    # after the year's end (1/1/2020 a holiday) an ongoing task still open is overdue
    assert schedule(ongoing, D(2019, 12, 27), D(2020, 1, 3), kinds=DEADLINE_KINDS) == [
        (D(2019, 12, 30), UPCOMING, 1),
        (D(2019, 12, 31), DUE_TODAY, 0),
        (D(2020, 1, 2), OVERDUE, -1),
    ]


@pytest.mark.django_db
def test_a_yearly_task_with_its_own_day_is_overdue_after_that_day(plan, department, staff, clerk):
    task = make_task(plan, department, by=clerk, deadline_text="trước ngày 15/11 hằng năm")
    task.assignees.set([staff])
    assert schedule(task, D(2019, 11, 13), D(2019, 11, 20), kinds=DEADLINE_KINDS) == [
        (D(2019, 11, 14), UPCOMING, 1),
        (D(2019, 11, 15), DUE_TODAY, 0),
        (D(2019, 11, 18), OVERDUE, -1),  # as the task's status says "quá hạn" from 16/11
    ]


# Speed -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.django_db
def test_the_scan_costs_the_same_few_queries_for_3_or_30_tasks(
    count,
    plan,
    department,
    coordinating_department,
    staff,
    dept_head,
    leader,
    coordinating_head,
    clerk,
    django_assert_max_num_queries,
):
    for number in range(1, count + 1):
        task = make_task(
            plan,
            department,
            by=clerk,
            number=str(number),
            deadline_text="Trước 31/5/2019",
            coordinating=[coordinating_department],
        )
        task.assignees.set([staff])
    cache.clear()  # the calendar read from the database too

    # the deadlines, the calendar of 2019, the tasks due, their assignees, their coordinating
    # departments, the heads and leaders
    with django_assert_max_num_queries(6):
        notices = notices_on(D(2019, 6, 14))  # 10 working days overdue
    assert len(notices) == 3 * count  # the assignee, the coordinating head, the leader
    assert {notice.recipient_id for notice in notices} == {staff.pk, coordinating_head.pk, leader.pk}


# A month, day by day -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_april_2019_day_by_day_against_an_expectation_written_by_hand(
    seeded,
    plan,
    draft_plan,
    department,
    coordinating_department,
    staff,
    dept_head,
    leader,
    coordinating_head,
    coordinator,
    clerk,
):
    """From 1/4 to 10/5/2019: Giỗ Tổ taken on Monday 15/4, 29/4–1/5 off, Saturday 4/5 worked."""
    gone = make_user("danghi", Role.STAFF, department.agency, department, is_active=False)
    a = make_task(
        plan,
        department,
        by=clerk,
        number="1",
        deadline_text="Trước 29/3/2019",
        coordinating=[coordinating_department],
    )
    a.assignees.set([staff, gone])
    b = make_task(plan, department, by=clerk, number="2", deadline_text="Trước 15/4/2019")  # nobody assigned
    c = make_task(plan, department, by=clerk, number="3", deadline_text="Hằng tháng")
    c.assignees.set([staff])
    d = make_task(
        plan,
        department,
        by=clerk,
        number="4",
        deadline_text="Trước 8/5/2019",
        coordinating=[coordinating_department],
    )
    d.assignees.set([staff])
    done = make_task(plan, department, by=clerk, number="5", deadline_text="Trước 12/4/2019")
    Task.objects.filter(pk=done.pk).update(state=Task.State.COMPLETED, completed_on=D(2019, 4, 1))
    undated = make_task(plan, department, by=clerk, number="6", deadline_text="Trước 12/4/2019")
    Task.objects.filter(pk=undated.pk).update(deadline_text="", deadline_kind=Task.Kind.UNSET, due_date=None)
    draft = make_task(draft_plan, department, by=clerk, number="1", deadline_text="Trước 12/4/2019")
    draft.assignees.set([staff])

    letters = {a.pk: "A", b.pk: "B", c.pk: "C", d.pk: "D"}
    names = {staff.pk: "staff", dept_head.pk: "head", leader.pk: "leader", coordinating_head.pk: "coord"}
    told = defaultdict(lambda: defaultdict(list))
    for day in each_day(D(2019, 4, 1), D(2019, 5, 10)):
        for notice in notices_on(day):
            label = f"{letters[notice.task_id]} {notice.kind} {notice.offset}"
            told[day][names[notice.recipient_id]].append(label + (" info" if notice.audience == INFO else ""))
    told = {day: {name: sorted(labels) for name, labels in by_name.items()} for day, by_name in told.items()}

    # A: due Friday 29/3, overdue 1 on 1/4; overdue on 1, 4, 7 … working days; head at 5, 8, 11 …;
    #    leaders at 10, 13, 16 …  B: due Monday 15/4 (off), so due on Friday 12/4, overdue 1 on 16/4;
    #    nobody assigned: the head. C: monthly, 30/4 off, so due on Friday 26/4. D: due Wednesday 8/5.
    assert told == {
        D(2019, 4, 1): {"staff": ["A overdue -1"], "coord": ["A overdue -1 info"]},
        D(2019, 4, 3): {"head": ["B upcoming 7"]},
        D(2019, 4, 4): {"staff": ["A overdue -4"], "coord": ["A overdue -4 info"]},
        D(2019, 4, 5): {"head": ["A escalation -5"]},
        D(2019, 4, 9): {"staff": ["A overdue -7"], "coord": ["A overdue -7 info"], "head": ["B upcoming 3"]},
        D(2019, 4, 10): {"head": ["A escalation -8"]},
        D(2019, 4, 11): {"head": ["B upcoming 1"]},
        D(2019, 4, 12): {
            "staff": ["A overdue -10"],
            "coord": ["A overdue -10 info"],
            "leader": ["A escalation -10"],
            "head": ["B due_today 0"],
        },
        D(2019, 4, 16): {"head": ["A escalation -11", "B overdue -1"]},
        D(2019, 4, 17): {"staff": ["C upcoming 7"]},
        D(2019, 4, 18): {
            "staff": ["A overdue -13"],
            "coord": ["A overdue -13 info"],
            "leader": ["A escalation -13"],
        },
        D(2019, 4, 19): {"head": ["A escalation -14", "B overdue -4"]},
        D(2019, 4, 22): {"head": ["B escalation -5"]},
        D(2019, 4, 23): {
            "staff": ["A overdue -16", "C upcoming 3"],
            "coord": ["A overdue -16 info"],
            "leader": ["A escalation -16"],
        },
        D(2019, 4, 24): {"head": ["A escalation -17", "B overdue -7"]},
        D(2019, 4, 25): {
            "staff": ["C upcoming 1", "D upcoming 7"],
            "coord": ["D upcoming 7 info"],
            "head": ["B escalation -8"],
        },
        D(2019, 4, 26): {
            "staff": ["A overdue -19", "C due_today 0"],
            "coord": ["A overdue -19 info"],
            "leader": ["A escalation -19"],
        },
        D(2019, 5, 2): {"head": ["A escalation -20", "B overdue -10"], "leader": ["B escalation -10"]},
        D(2019, 5, 3): {"head": ["B escalation -11"]},
        D(2019, 5, 4): {
            "staff": ["A overdue -22", "D upcoming 3"],
            "coord": ["A overdue -22 info", "D upcoming 3 info"],
            "leader": ["A escalation -22"],
        },
        D(2019, 5, 6): {"head": ["A escalation -23", "B overdue -13"], "leader": ["B escalation -13"]},
        D(2019, 5, 7): {
            "staff": ["D upcoming 1"],
            "coord": ["D upcoming 1 info"],
            "head": ["B escalation -14"],
        },
        D(2019, 5, 8): {
            "staff": ["A overdue -25", "D due_today 0"],
            "coord": ["A overdue -25 info", "D due_today 0 info"],
            "leader": ["A escalation -25"],
        },
        D(2019, 5, 9): {
            "staff": ["D overdue -1"],
            "coord": ["D overdue -1 info"],
            "head": ["A escalation -26", "B overdue -16"],
            "leader": ["B escalation -16"],
        },
        D(2019, 5, 10): {"head": ["B escalation -17"]},
    }


def test_the_tasks_of_a_plan_of_years_ago_left_issued_are_not_reminded(plan, department, clerk, dept_head):
    from tasks.reminders import notices_on

    make_task(plan, department, by=clerk, number="8", deadline_text="28/6/2019")
    assert notices_on(datetime.date(2020, 7, 1))  # the year after the plan's: still reminded
    assert notices_on(datetime.date(2021, 7, 1)) == []  # plan 2019 left issued in 2021: not any more

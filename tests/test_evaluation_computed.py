"""The computed criteria counted from a small agency's year of tasks, every figure counted by hand: which
tasks are a unit's, the five measures as of the round's cut-off, the tasks behind each number, the
points they give, and a query count that does not grow with the units and the tasks."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Department, Role
from cchc.periods import Period
from evaluations import computed, services
from evaluations.models import Measure, Method, Scope, Score
from evaluations.scoring import Node
from plans.models import Plan
from tasks import services as task_services
from tests.conftest import make_plan, make_task, make_user, pdf_upload

D = Decimal


def at(y, m, d, hour=10):
    return timezone.make_aware(datetime.datetime(y, m, d, hour))


def on(y, m, d):
    return time_machine.travel(at(y, m, d), tick=False)


def task_on(day, plan, lead, number, deadline, by):
    with on(*day):
        return make_task(plan, lead, number=number, deadline_text=deadline, by=by)


def report(task, by, day, percent):
    with on(*day):
        files = [pdf_upload()] if percent == 100 else []
        return task_services.progress_report(
            task=task, by=by, percent=percent, narrative="Tiến độ", result="Kết quả", files=files
        )


def approve(update, head, day):
    with on(*day):
        task_services.progress_approve(report=update, by=head)


def give_back(update, head, day):
    with on(*day):
        task_services.progress_return(report=update, by=head, reason="Bổ sung tài liệu kiểm chứng.")


def cancel(task, clerk, day):
    with on(*day):
        task_services.task_cancel(task=task, by=clerk, reason="Không còn phù hợp.")


def rubric_for(scope, agency=None):
    criteria = [
        Node("1", "Hoàn thành", D(20), Method.COMPUTED, measure="completed", thresholds=[[80, 1], [50, 0.5], [0, 0]]),
        Node("2", "Đúng hạn", D(20), Method.COMPUTED, measure="on_time"),  # proportional
        Node("3", "Không quá hạn", D(20), Method.COMPUTED, measure="not_overdue", thresholds=[[90, 1], [60, 0.5], [0, 0]]),
        Node("4", "Báo cáo tiến độ", D(20), Method.COMPUTED, measure="updates"),  # proportional
        Node("5", "Duyệt ngay", D(10), Method.COMPUTED, measure="first_time", thresholds=[[100, 1], [50, 0.5], [0, 0]]),
        Node("6", "Tự chấm", D(10), Method.MANUAL),
    ]  # fmt: skip
    return services.rubric_create(
        name="Bộ tiêu chí thử", scope=scope, total_points=D(100), criteria=criteria, agency=agency
    )


def round_of(agency, by, scope, year=2019, cut_off=None):
    return services.round_create(
        agency=agency,
        by=by,
        rubric=rubric_for(scope, agency),
        year=year,
        title="",
        self_from=datetime.date(year, 12, 1),
        self_to=datetime.date(year, 12, 15),
        appraisal_from=datetime.date(year, 12, 16),
        appraisal_to=datetime.date(year, 12, 31),
        cut_off=cut_off,
    )


@pytest.fixture
def year(
    agency, plan, draft_plan, department, office, coordinating_department, staff, dept_head, clerk, leader
):
    """The agency's 2019 (plan issued 15/1/2019; the round's cut-off 31/12/2019). Reporting periods:
    Q1 15/12/2018–14/3, Q2 15/3–14/6, Q3 15/6–14/9, Q4 15/9–14/12."""
    office_head = make_user("chanhvanphong", Role.DEPT_HEAD, agency, office)
    planning_head = make_user("truongphongthqh", Role.DEPT_HEAD, agency, coordinating_department)
    inspection = Department.objects.create(agency=agency, code="TTr", name="Thanh tra Sở", position=4)
    closed = make_plan(agency, number=30, status=Plan.Status.CLOSED)
    created = (2019, 1, 10)
    t = {}

    # Phòng Đăng ký kinh doanh (department)
    t[1] = task_on(created, plan, department, "1", "Quý I/2019", clerk)  # due 31/3
    report(t[1], staff, (2019, 2, 20), 50)
    approve(report(t[1], staff, (2019, 3, 10), 100), dept_head, (2019, 3, 12))
    t[2] = task_on(created, plan, department, "2", "Quý II/2019", clerk)  # due 30/6
    give_back(report(t[2], staff, (2019, 6, 1), 100), dept_head, (2019, 6, 3))
    approve(report(t[2], staff, (2019, 7, 20), 100), dept_head, (2019, 7, 25))
    t[3] = task_on(created, plan, department, "3", "Quý III/2019", clerk)  # due 30/9
    report(t[3], staff, (2019, 4, 10), 30)
    report(t[3], staff, (2019, 10, 1), 60)
    t[4] = task_on(created, plan, department, "4", "Năm 2019", clerk)  # due 31/12, no report
    t[5] = task_on(created, plan, department, "5", "Quý IV/2019", clerk)
    report(t[5], staff, (2019, 3, 1), 20)
    cancel(t[5], clerk, (2019, 5, 5))
    t[6] = task_on(created, plan, department, "6", "Quý I/2019", clerk)  # due 31/3
    approve(report(t[6], staff, (2019, 3, 1), 100), dept_head, (2019, 3, 20))
    t[7] = task_on(created, draft_plan, department, "7", "Quý I/2019", clerk)  # a draft assigns nothing

    # Văn phòng Sở (office)
    t[11] = task_on(created, plan, office, "11", "Quý II/2019", clerk)  # due 30/6
    approve(report(t[11], clerk, (2019, 6, 10), 100), office_head, (2019, 6, 11))
    t[12] = task_on(created, plan, office, "12", "Tháng 2/2019", clerk)  # due 28/2
    report(t[12], clerk, (2019, 2, 1), 40)
    t[13] = task_on((2019, 8, 1), plan, office, "13", "Quý IV/2019", clerk)  # added in August
    approve(report(t[13], clerk, (2019, 11, 1), 100), office_head, (2019, 11, 2))

    # Phòng Tổng hợp, Quy hoạch (coordinating_department)
    t[21] = task_on(created, closed, coordinating_department, "21", "Quý II/2019", clerk)  # a closed plan's
    t[22] = task_on(created, plan, coordinating_department, "22", "Quý II/2019", clerk)
    cancel(t[22], clerk, (2019, 2, 1))

    round_ = round_of(agency, leader, Scope.DEPARTMENTS)
    units = {unit.department_id: unit for unit in round_.units.all()}
    return {
        "round": round_,
        "tasks": t,
        "registration": units[department.pk],
        "office": units[office.pk],
        "planning": units[coordinating_department.pk],
        "inspection": units[inspection.pk],
        "planning_head": planning_head,
    }


def counted(figure):
    return figure.numerator, figure.denominator, figure.rate


def test_the_five_measures_of_each_department(year):
    figures = computed.measure_units(year["round"])

    # Đăng ký kinh doanh: assigned 1, 2, 3, 4, 6 (5 cancelled, 7 in a draft).
    # Done: 1 (10/3, due 31/3, on time), 2 (20/7, due 30/6, late), 6 (1/3, on time); 3 open overdue
    # since 30/9; 4 not started, due 31/12 — not overdue on 31/12. Returned: 2.
    # Updates, the pairs owed (open the day before the period) and those with a report in it:
    #   1: Q1 ✓ (done 12/3, owes nothing more)                          1 / 1
    #   2: Q1 ✗, Q2 ✓ (1/6), Q3 ✓ (20/7)                                2 / 3
    #   3: Q1 ✗, Q2 ✓ (10/4), Q3 ✗, Q4 ✓ (1/10)                         2 / 4
    #   4: ✗ in all four                                                 0 / 4
    #   6: Q1 ✓ (1/3), Q2 ✓ (waiting for approval on 15/3, approved 20/3) 2 / 2
    registration = figures[year["registration"].pk]
    assert counted(registration["completed"]) == (3, 5, D("60.00"))
    assert counted(registration["on_time"]) == (2, 5, D("40.00"))
    assert counted(registration["not_overdue"]) == (3, 5, D("60.00"))  # less 2 (late) and 3 (overdue)
    assert counted(registration["first_time"]) == (2, 3, D("66.67"))  # 1 and 6; 2 was returned first
    assert counted(registration["updates"]) == (7, 14, D("50.00"))
    assert [(p.cut_off.period, p.numerator, p.denominator) for p in registration["updates"].periods] == [
        (Period.QUARTER_1, 2, 5),  # 1, 6 of 1, 2, 3, 4, 6
        (Period.HALF_YEAR, 3, 4),  # 2, 3, 6 of 2, 3, 4, 6 (1 done by 14/3)
        (Period.QUARTER_3, 1, 3),  # 2 of 2, 3, 4 (6 done on 20/3)
        (Period.YEAR, 1, 2),  # 3 of 3, 4 (2 done on 25/7)
    ]
    assert registration["completed"].assigned == 5

    # Văn phòng: 11 done 10/6 on time (due 30/6); 12 open overdue since 28/2; 13 created on 1/8, done
    # 1/11 on time (due 31/12). Nothing returned.
    # Updates: 11: Q1 ✗, Q2 ✓ = 1/2; 12: Q1 ✓ (1/2), Q2 ✗, Q3 ✗, Q4 ✗ = 1/4; 13: owes from Q3
    # (created 1/8 ≤ 14/9): Q3 ✗, Q4 ✓ (1/11) = 1/2. Total 3/8.
    office = figures[year["office"].pk]
    assert counted(office["completed"]) == (2, 3, D("66.67"))
    assert counted(office["on_time"]) == (2, 3, D("66.67"))
    assert counted(office["not_overdue"]) == (2, 3, D("66.67"))
    assert counted(office["first_time"]) == (2, 2, D("100.00"))
    assert counted(office["updates"]) == (3, 8, D("37.50"))

    # Tổng hợp, Quy hoạch: 21 (a closed plan of 2019 still counts), no report, overdue since 30/6; 22
    # cancelled. Updates: 21 owes all four periods, none made.
    planning = figures[year["planning"].pk]
    assert counted(planning["completed"]) == (0, 1, D("0.00"))
    assert counted(planning["on_time"]) == (0, 1, D("0.00"))
    assert counted(planning["not_overdue"]) == (0, 1, D("0.00"))
    assert counted(planning["first_time"]) == (0, 0, None)
    assert counted(planning["updates"]) == (0, 4, D("0.00"))

    # Thanh tra: no task at all.
    inspection = figures[year["inspection"].pk]
    assert {measure: counted(figure) for measure, figure in inspection.items()} == dict.fromkeys(
        Measure.values, (0, 0, None)
    )


def test_the_tasks_behind_each_number(year):
    round_, t, unit = year["round"], year["tasks"], year["registration"]

    def numbers(tasks):
        return sorted(int(task.number) for task in tasks)

    assert numbers(computed.tasks_behind(unit, "completed", round_)) == [1, 2, 6]
    assert numbers(computed.tasks_counted(unit, "completed", round_)) == [1, 2, 3, 4, 6]
    assert numbers(computed.tasks_behind(unit, "on_time", round_)) == [1, 6]
    assert numbers(computed.tasks_behind(unit, "not_overdue", round_)) == [1, 4, 6]
    assert numbers(computed.tasks_behind(unit, "first_time", round_)) == [1, 6]
    assert numbers(computed.tasks_counted(unit, "first_time", round_)) == [1, 2, 6]
    assert numbers(computed.tasks_behind(unit, "updates", round_)) == [1, 2, 3, 6]
    assert numbers(computed.tasks_counted(unit, "updates", round_)) == [1, 2, 3, 4, 6]
    assert numbers(computed.tasks_behind(unit, "updates", round_, period=Period.QUARTER_3)) == [2]
    assert numbers(computed.tasks_counted(unit, "updates", round_, period=Period.QUARTER_3)) == [2, 3, 4]
    # the statuses on the cut-off come with them, for the list they link to
    statuses = dict(computed.tasks_counted(unit, "completed", round_).values_list("number", "status"))
    assert statuses == {
        "1": "done_on_time",
        "2": "done_late",
        "3": "open_overdue",
        "4": "not_started",
        "6": "done_on_time",
    }

    # for every unit and measure but updates, the lists hold exactly the tasks counted
    figures = computed.measure_units(round_)
    for each in round_.units.all():
        for measure in ("completed", "on_time", "not_overdue", "first_time"):
            figure = figures[each.pk][measure]
            assert computed.tasks_behind(each, measure, round_).count() == figure.numerator
            assert computed.tasks_counted(each, measure, round_).count() == figure.denominator
    assert t[5].pk not in computed.tasks_counted(unit, "completed", round_).values_list("pk", flat=True)


def test_an_earlier_cut_off_reads_the_history_of_that_day(year, agency, leader):
    round_ = round_of(agency, leader, Scope.DEPARTMENTS, cut_off=datetime.date(2019, 6, 30))
    unit = round_.units.get(department=year["registration"].department)
    figures = computed.measure_units(round_)[unit.pk]
    # On 30/6: 1 and 6 done on time; 2 returned on 3/6, open and due 30/6 (not overdue yet); 3, 4
    # open; 5 cancelled. Periods up to 14/6: Q1 (1, 6 of 1, 2, 3, 4, 6) and Q2 (2, 3, 6 of 2, 3, 4, 6).
    assert counted(figures["completed"]) == (2, 5, D("40.00"))
    assert counted(figures["not_overdue"]) == (5, 5, D("100.00"))
    assert counted(figures["first_time"]) == (2, 2, D("100.00"))
    assert counted(figures["updates"]) == (5, 9, D("55.56"))


def test_compute_round_sets_the_points_and_leaves_the_appraisal(year):
    round_ = year["round"]
    kept = Score.objects.get(unit=year["office"], criterion__label="1")
    kept.appraised_points = D("15.00")
    kept.save()
    Score.objects.filter(unit=year["planning"], criterion__label="5").update(explanation="Giải trình riêng.")

    assert computed.compute_round(round_) == 4 * 5  # four units, five computed criteria

    def scores(unit):
        rows = Score.objects.filter(unit=unit).order_by("criterion__label")
        return {row.criterion.label: (row.computed_value, row.self_points) for row in rows}

    # completed ≥80 → 20, ≥50 → 10; on_time 20 × rate; not_overdue ≥90 → 20, ≥60 → 10; updates 20 × rate;
    # first_time 100 → 10, ≥50 → 5. The manual criterion 6 is left alone.
    assert scores(year["registration"]) == {
        "1": (D("60.00"), D("10.00")),
        "2": (D("40.00"), D("8.00")),
        "3": (D("60.00"), D("10.00")),
        "4": (D("50.00"), D("10.00")),
        "5": (D("66.67"), D("5.00")),
        "6": (None, None),
    }
    assert scores(year["office"]) == {
        "1": (D("66.67"), D("10.00")),
        "2": (D("66.67"), D("13.33")),
        "3": (D("66.67"), D("10.00")),
        "4": (D("37.50"), D("7.50")),
        "5": (D("100.00"), D("10.00")),
        "6": (None, None),
    }
    assert scores(year["planning"])["5"] == (None, D("0.00"))
    assert scores(year["inspection"]) == {
        **{label: (None, D("0.00")) for label in "12345"},
        "6": (None, None),
    }
    assert Score.objects.get(pk=kept.pk).appraised_points == D("15.00")
    explanations = dict(
        Score.objects.filter(criterion__method=Method.COMPUTED, criterion__round=round_)
        .exclude(explanation="")
        .values_list("unit__department__code", "explanation")
        .distinct()
    )
    assert explanations == {"THQH": "Giải trình riêng.", "TTr": computed.NOTHING_ASSIGNED}
    assert Score.objects.filter(unit=year["inspection"], explanation=computed.NOTHING_ASSIGNED).count() == 5


def test_no_task_completed_is_explained_as_such(year, agency, leader):
    round_ = round_of(agency, leader, Scope.DEPARTMENTS)
    computed.compute_round(round_)
    unit = round_.units.get(department=year["planning"].department)
    assert unit.scores.get(criterion__label="5").explanation == computed.NOTHING_COUNTED[Measure.FIRST_TIME]
    assert unit.scores.get(criterion__label="1").explanation == ""


def test_the_queries_do_not_grow_with_units_and_tasks(
    year, agency, plan, clerk, leader, django_assert_max_num_queries
):
    def queries_of(round_):
        with CaptureQueriesContext(connection) as captured:
            figures = computed.measure_units(round_)
        return len(captured), figures

    small, _ = queries_of(year["round"])
    assert small <= 6  # the units, the statuses on the cut-off, one per reporting period
    for index in range(3):
        more = Department.objects.create(
            agency=agency, code=f"P{index}", name=f"Phòng {index}", position=10 + index
        )
        for number in range(4):
            task = task_on((2019, 1, 10), plan, more, f"{index}{number}0", "Quý III/2019", clerk)
            if number % 2:
                report(task, clerk, (2019, 4, 1), 50)
    bigger = round_of(agency, leader, Scope.DEPARTMENTS)
    large, figures = queries_of(bigger)
    assert bigger.units.count() == year["round"].units.count() + 3
    assert large == small
    added = bigger.units.get(department__code="P0")
    assert counted(figures[added.pk]["updates"]) == (2, 16, D("12.50"))  # tasks 010, 030 in Q2 only
    with django_assert_max_num_queries(large + 4):  # + the scores, a savepoint pair and one bulk update
        computed.compute_round(bigger)


def test_a_province_round_counts_each_agencys_own_plans(
    year, province, agency, other_agency, other_plan, overseer
):
    lead = Department.objects.create(agency=other_agency, code="KHNS", name="Phòng Kế hoạch, Ngân sách")
    head = make_user("truongphongstc", Role.DEPT_HEAD, other_agency, lead)
    clerk = make_user("vanthustc2", Role.CLERK, other_agency, lead)
    done = task_on((2019, 1, 10), other_plan, lead, "1", "Quý II/2019", clerk)
    approve(report(done, clerk, (2019, 5, 2), 100), head, (2019, 5, 3))
    task_on((2019, 1, 10), other_plan, lead, "2", "Năm 2019", clerk)

    round_ = round_of(overseer.agency, overseer, Scope.AGENCIES)
    units = {unit.agency_id: unit for unit in round_.units.all()}
    assert set(units) == {agency.pk, other_agency.pk, overseer.agency_id}  # every agency but the province
    figures = computed.measure_units(round_)
    # Sở Nội vụ has no plan of its own.
    assert {counted(figure) for figure in figures[units[overseer.agency_id].pk].values()} == {(0, 0, None)}
    # Sở Kế hoạch và Đầu tư: every department's tasks together, 5 + 3 + 1 assigned, 3 + 2 + 0 done,
    # 2 + 2 on time, 2 + 1 + 1 overdue; updates 7 + 3 + 0 of 14 + 8 + 4.
    ours = figures[units[agency.pk].pk]
    assert counted(ours["completed"]) == (5, 9, D("55.56"))
    assert counted(ours["on_time"]) == (4, 9, D("44.44"))
    assert counted(ours["not_overdue"]) == (5, 9, D("55.56"))
    assert counted(ours["first_time"]) == (4, 5, D("80.00"))
    assert counted(ours["updates"]) == (10, 26, D("38.46"))
    # Sở Tài chính: 1 done 2/5 on time, 2 not started. Updates: 1: Q1 ✗, Q2 ✓ (2/5); 2: ✗ × 4.
    theirs = figures[units[other_agency.pk].pk]
    assert counted(theirs["completed"]) == (1, 2, D("50.00"))
    assert counted(theirs["on_time"]) == (1, 2, D("50.00"))
    assert counted(theirs["not_overdue"]) == (2, 2, D("100.00"))
    assert counted(theirs["first_time"]) == (1, 1, D("100.00"))
    assert counted(theirs["updates"]) == (1, 6, D("16.67"))
    assert sorted(
        computed.tasks_behind(units[other_agency.pk], "completed", round_).values_list("number", flat=True)
    ) == ["1"]

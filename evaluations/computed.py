"""The computed criteria of a round: figures counted from the year's task record of each unit, as of the
round's cut-off, with the tasks behind each figure.

Which tasks are a unit's: the tasks of the issued plans (in force or closed since) of the round's year —
for a department (scope departments), those of the organising agency's plans that the department leads
(its lead now: a change of lead has no dated history); for an agency (scope agencies), every task of
that agency's plans. A task cancelled by the cut-off is not assigned and is
counted nowhere. Statuses are those of tasks.status.with_status on the cut-off (the one rule).

The measures (numerator / denominator, the rate in % with two places, None when nothing is counted):
  - completed: tasks done (on time or late) / assigned tasks;
  - on_time: tasks done on time / assigned tasks;
  - not_overdue: assigned tasks less those overdue (open and overdue, or done late) / assigned tasks;
  - first_time: tasks done whose completion was approved without a report of theirs being returned
    first / tasks done (a task is approved once and takes no report afterwards, so every return of a
    done task came before its approval);
  - updates: (task, reporting period) pairs with an update / pairs where an update was due. The periods
    are the quarters of the year that end at the reporting cut-offs (cchc.periods.cut_offs) on or
    before the round's cut-off: 15/12 of the year before to 14/3, 15/3–14/6, 15/6–14/9, 15/9–14/12. A
    task owes an update in a period when it is assigned (as above), had been assigned by the period's
    last day (created by then, by its row or by its record of creation, and its start date — the plan's
    issue date when it has none — not after it) and was still open (not done, not cancelled) on the day
    before the period began. The
    update is there when the task had a progress report inside the period, or when its completion
    report was waiting for approval as the period began (no report is taken while one waits).

Everything is counted in the database in a constant number of queries whatever the number of units and
tasks: one for the units, one for the statuses on the cut-off (grouped by unit, status and return), and
one per reporting period (grouped by unit and whether the update was there) when updates are asked.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from cchc.periods import CutOff, cut_offs
from evaluations.models import Measure, Method, Round, Scope, Score, Unit
from evaluations.scoring import HUNDRED, Rule, points, quantize
from plans.models import Plan
from tasks.models import ProgressUpdate, Task, TaskEvent
from tasks.status import COMPLETED, OPEN, Status, end_of_day, with_status

NOTHING_ASSIGNED = "Không có nhiệm vụ được giao trong năm."
# When the unit has tasks but the measure counts none of them.
NOTHING_COUNTED = {
    Measure.FIRST_TIME: "Không có nhiệm vụ được duyệt hoàn thành trong năm.",
    Measure.UPDATES: "Không có kỳ báo cáo nào phải báo cáo tiến độ.",
}
ONE_DAY = datetime.timedelta(days=1)
# The records of a task's assignment, dated as it happened (a plan entered after the fact is dated back).
CREATION = (TaskEvent.Kind.CREATED, TaskEvent.Kind.IMPORTED)
# Plans that assigned their tasks: issued, whether still in force or closed since (a draft assigns nothing).
ISSUED = (Plan.Status.ISSUED, Plan.Status.CLOSED)

# The statuses on the cut-off each measure counts (all but updates); first_time's numerator also
# requires that no report of the task was returned.
_ASSIGNED = tuple(status for status in Status if status != Status.CANCELLED)
_OVERDUE = (Status.OPEN_OVERDUE, Status.DONE_LATE)
NUMERATOR_STATUSES = {
    Measure.COMPLETED: COMPLETED,
    Measure.ON_TIME: (Status.DONE_ON_TIME,),
    Measure.NOT_OVERDUE: tuple(status for status in _ASSIGNED if status not in _OVERDUE),
    Measure.FIRST_TIME: COMPLETED,
}
DENOMINATOR_STATUSES = {
    Measure.COMPLETED: _ASSIGNED,
    Measure.ON_TIME: _ASSIGNED,
    Measure.NOT_OVERDUE: _ASSIGNED,
    Measure.FIRST_TIME: COMPLETED,
}


def rate_of(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator in %, two places (half up); None when the denominator is 0."""
    if not denominator:
        return None
    return quantize(Decimal(numerator) * HUNDRED / Decimal(denominator))


@dataclass(frozen=True)
class PeriodFigure:
    """The updates of one reporting period: pairs with an update / pairs that owed one."""

    cut_off: CutOff
    start: datetime.date
    numerator: int
    denominator: int

    @property
    def end(self) -> datetime.date:
        return self.cut_off.day

    @property
    def rate(self) -> Decimal | None:
        return rate_of(self.numerator, self.denominator)


@dataclass(frozen=True)
class Figure:
    """One measure of one unit. The tasks behind it: tasks_behind / tasks_counted."""

    measure: str
    numerator: int
    denominator: int
    assigned: int  # the unit's assigned tasks (not cancelled by the cut-off), whatever the measure
    periods: tuple[PeriodFigure, ...] = ()  # updates only, one per reporting period

    @property
    def rate(self) -> Decimal | None:
        return rate_of(self.numerator, self.denominator)


# Which tasks ---------------------------------------------------------------------------------------


def _key_field(round_: Round) -> str:
    """The column of a task naming the unit it counts for."""
    return "lead_department_id" if round_.scope == Scope.DEPARTMENTS else "plan__agency_id"


def _unit_key(unit: Unit) -> int:
    return unit.department_id if unit.department_id else unit.agency_id


def year_tasks(round_: Round, keys: Iterable[int] | None = None):
    """The tasks of the issued plans of the round's year that count for its units (for those whose key
    — department or agency id — is in `keys`, when given)."""
    tasks = Task.objects.filter(plan__status__in=ISSUED, plan__year=round_.year)
    if round_.scope == Scope.DEPARTMENTS:
        tasks = tasks.filter(plan__agency_id=round_.agency_id)
        if keys is None:
            keys = Unit.objects.filter(round=round_).values("department_id")
    elif keys is None:
        keys = Unit.objects.filter(round=round_).values("agency_id")
    return tasks.filter(**{f"{_key_field(round_)}__in": keys})


def unit_tasks(unit: Unit, round_: Round | None = None):
    """The tasks of the round's year that count for `unit` (cancelled ones included)."""
    round_ = round_ or unit.round
    return year_tasks(round_, [_unit_key(unit)])


def _cut_off_facts(tasks, round_: Round):
    """Tasks with their status on the cut-off (with_status) and whether a report of theirs had been
    returned by then."""
    returned = ProgressUpdate.objects.filter(
        task=OuterRef("pk"),
        review=ProgressUpdate.Review.RETURNED,
        reviewed_at__lt=end_of_day(round_.cut_off),
    )
    return with_status(tasks, round_.cut_off).annotate(was_returned=Exists(returned))


def _counted(measure: str, *, numerator: bool) -> Q:
    statuses = (NUMERATOR_STATUSES if numerator else DENOMINATOR_STATUSES)[measure]
    condition = Q(status__in=statuses)
    if numerator and measure == Measure.FIRST_TIME:
        condition &= Q(was_returned=False)
    return condition


# Reporting periods ---------------------------------------------------------------------------------


def reporting_periods(round_: Round) -> list[tuple[CutOff, datetime.date]]:
    """(cut-off, first day) of each reporting period of the round's year ending by its cut-off."""
    found, start = [], datetime.date(round_.year - 1, 12, 15)
    for cut_off in cut_offs(round_.year):
        if cut_off.day > round_.cut_off:
            break
        found.append((cut_off, start))
        start = cut_off.day + ONE_DAY
    return found


def _period_pairs(tasks, round_: Round, cut_off: CutOff, start: datetime.date):
    """The tasks of `tasks` that owed an update in the period from `start` to the cut-off, annotated
    with `updated`: whether it was there."""
    begins, ends = end_of_day(start - ONE_DAY), end_of_day(cut_off.day)
    cancelled = with_status(tasks, round_.cut_off).filter(status=Status.CANCELLED).values("pk")
    reported = ProgressUpdate.objects.filter(
        task=OuterRef("pk"), reported_at__gte=begins, reported_at__lt=ends
    )
    waiting = ProgressUpdate.objects.filter(task=OuterRef("pk"), percent=100, reported_at__lt=begins).filter(
        Q(reviewed_at__isnull=True) | Q(reviewed_at__gte=begins)
    )
    recorded = TaskEvent.objects.filter(task=OuterRef("pk"), kind__in=CREATION, created_at__lt=ends)
    return (
        with_status(tasks, start - ONE_DAY)
        .filter(status__in=OPEN)
        .filter(Q(created_at__lt=ends) | Exists(recorded))
        .exclude(pk__in=cancelled)
        .alias(assigned_from=Coalesce("start_date", "plan__issued_on"))
        .filter(Q(assigned_from__isnull=True) | Q(assigned_from__lte=cut_off.day))
        .annotate(
            updated=ExpressionWrapper(Q(Exists(reported)) | Q(Exists(waiting)), output_field=BooleanField())
        )
    )


def _period(round_: Round, period: CutOff | str) -> tuple[CutOff, datetime.date]:
    for cut_off, start in reporting_periods(round_):
        if period in (cut_off, cut_off.period):
            return cut_off, start
    raise ValueError(f"{period!r} is not a reporting period of the round")


# The figures ---------------------------------------------------------------------------------------


def measure_units(round_: Round, measures: Iterable[str] | None = None) -> dict[int, dict[str, Figure]]:
    """unit id → measure → Figure for every unit of the round (the `measures` asked, all by default)."""
    measures = list(Measure.values if measures is None else measures)
    units = dict(
        Unit.objects.filter(round=round_).values_list(F("pk"), Coalesce("department_id", "agency_id"))
    )
    tasks = year_tasks(round_, list(units.values()))
    counts = defaultdict(lambda: defaultdict(int))  # unit key → (status, returned) → tasks
    rows = (
        _cut_off_facts(tasks, round_)
        .annotate(unit_key=F(_key_field(round_)))
        .values("unit_key", "status", "was_returned")
        .annotate(tasks=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["unit_key"]][row["status"], row["was_returned"]] += row["tasks"]
    pairs = defaultdict(dict)  # unit key → cut-off → [updated, owed]
    if Measure.UPDATES in measures:
        for cut_off, start in reporting_periods(round_):
            rows = (
                _period_pairs(tasks, round_, cut_off, start)
                .annotate(unit_key=F(_key_field(round_)))
                .values("unit_key", "updated")
                .annotate(tasks=Count("pk"))
                .order_by()
            )
            for row in rows:
                pair = pairs[row["unit_key"]].setdefault(cut_off, [0, 0])
                pair[0] += row["tasks"] if row["updated"] else 0
                pair[1] += row["tasks"]

    def figure(measure: str, key: int) -> Figure:
        found = counts[key]
        assigned = sum(n for (status, _returned), n in found.items() if status in _ASSIGNED)
        if measure == Measure.UPDATES:
            periods = tuple(
                PeriodFigure(cut_off, start, *pairs[key].get(cut_off, (0, 0)))
                for cut_off, start in reporting_periods(round_)
            )
            return Figure(
                measure,
                sum(period.numerator for period in periods),
                sum(period.denominator for period in periods),
                assigned,
                periods,
            )

        def total(*, numerator: bool) -> int:
            statuses = (NUMERATOR_STATUSES if numerator else DENOMINATOR_STATUSES)[measure]
            return sum(
                n
                for (status, returned), n in found.items()
                if status in statuses and not (numerator and measure == Measure.FIRST_TIME and returned)
            )

        return Figure(measure, total(numerator=True), total(numerator=False), assigned)

    return {
        unit_id: {measure: figure(measure, key) for measure in measures} for unit_id, key in units.items()
    }


def tasks_behind(unit: Unit, measure: str, round_: Round | None = None, *, period=None):
    """The tasks counted in the numerator of `measure` for `unit`, with their status on the cut-off.
    For updates: the tasks with an update in a period that owed one (in `period` — a CutOff or its
    Period code — only, when given)."""
    return _tasks(unit, measure, round_ or unit.round, numerator=True, period=period)


def tasks_counted(unit: Unit, measure: str, round_: Round | None = None, *, period=None):
    """The tasks counted in the denominator of `measure` for `unit`, with their status on the cut-off.
    For updates: the tasks that owed an update in some period (in `period` only, when given)."""
    return _tasks(unit, measure, round_ or unit.round, numerator=False, period=period)


def _tasks(unit: Unit, measure: str, round_: Round, *, numerator: bool, period):
    tasks = unit_tasks(unit, round_)
    if measure != Measure.UPDATES:
        return _cut_off_facts(tasks, round_).filter(_counted(measure, numerator=numerator))
    chosen = [_period(round_, period)] if period is not None else reporting_periods(round_)
    members = Q(pk__in=[])
    for cut_off, start in chosen:
        pairs = _period_pairs(tasks, round_, cut_off, start)
        members |= Q(pk__in=(pairs.filter(updated=True) if numerator else pairs).values("pk"))
    return with_status(Task.objects.filter(members), round_.cut_off)


# Scoring -------------------------------------------------------------------------------------------


@transaction.atomic
def compute_round(round_: Round) -> int:
    """Fill the computed value and the self-score of every computed criterion of every unit of the
    round from measure_units; returns how many scores were set. A measure with nothing to count gets
    no value, 0 points and, when the unit has written none, an explanation: NOTHING_ASSIGNED when the
    unit has no assigned task, else the measure's NOTHING_COUNTED. The appraisal is left as it is."""
    scores = list(
        Score.objects.filter(unit__round=round_, criterion__method=Method.COMPUTED).select_related(
            "criterion"
        )
    )
    if not scores:
        return 0
    figures = measure_units(round_, {score.criterion.measure for score in scores})
    now = timezone.now()
    automatic = {NOTHING_ASSIGNED, *NOTHING_COUNTED.values()}
    for score in scores:
        figure = figures[score.unit_id][score.criterion.measure]
        score.computed_value = figure.rate
        score.computed_numerator, score.computed_denominator = figure.numerator, figure.denominator
        if figure.rate is None:
            score.self_points = Decimal("0.00")
            if not score.explanation.strip():
                score.explanation = (
                    NOTHING_COUNTED.get(score.criterion.measure, NOTHING_ASSIGNED)
                    if figure.assigned
                    else NOTHING_ASSIGNED
                )
        else:
            score.self_points = points(Rule.of(score.criterion), figure.rate)
            if score.explanation in automatic:  # written here on an earlier run, no longer true
                score.explanation = ""
        score.updated_at = now
    Score.objects.bulk_update(
        scores,
        [
            "computed_value",
            "computed_numerator",
            "computed_denominator",
            "self_points",
            "explanation",
            "updated_at",
        ],
        batch_size=500,
    )
    return len(scores)

"""The benchmark's figure for the computed criteria of a province's round (evaluations.computed).

On the bench data set, the overseer's agency (Sở Nội vụ) opens a round over the other agencies of the
province for the year of the 22,000-task plan, with one computed criterion of each measure; then
compute_round fills every score of every unit, timed and its queries counted. Everything is written
inside a transaction that is rolled back, so the data set stays as it was.
"""

import datetime
import time
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from evaluations.computed import compute_round, year_tasks
from evaluations.models import Measure, Method, Scope
from evaluations.scoring import Node
from evaluations.services import round_create, rubric_create
from plans.models import Plan

TARGET_SECONDS = 5  # the issue's target for 35 agencies over a 22,000-task year

# A criterion of each measure, half against thresholds, half proportional; 20 points each.
THRESHOLDS = {
    Measure.COMPLETED: [[100, 1], [80, 0.75], [50, 0.5], [0, 0]],
    Measure.ON_TIME: [],
    Measure.NOT_OVERDUE: [[90, 1], [70, 0.5], [0, 0]],
    Measure.UPDATES: [],
    Measure.FIRST_TIME: [[95, 1], [0, 0.5]],
}


@dataclass(frozen=True)
class ComputedFigures:
    year: int
    cut_off: datetime.date
    units: int
    tasks: int  # tasks of the year counted for the units, cancelled ones included
    scores: int  # scores compute_round set
    seconds: float
    queries: int


def _criteria() -> list[Node]:
    return [
        Node(
            label=str(position),
            title=measure.label,
            max_points=Decimal(20),
            method=Method.COMPUTED,
            measure=measure.value,
            thresholds=THRESHOLDS[measure],
        )
        for position, measure in enumerate(Measure, start=1)
    ]


def measure_computed(year: int | None = None, cut_off: datetime.date | None = None) -> ComputedFigures:
    """Seconds and queries of compute_round for a round of the bench's overseer agency over the other
    agencies of the province, for `year` (by default that of the bench's largest plan) with its data as of
    `cut_off` (31/12 by default; a day before today reads the statuses from the history). Rolled back."""
    overseer = User.objects.select_related("agency").get(username="bench_overseer")
    if year is None:
        year = (
            Plan.objects.filter(status=Plan.Status.ISSUED)
            .annotate(size=Count("tasks"))
            .order_by("-size")
            .values_list("year", flat=True)
            .first()
        )
    with transaction.atomic():
        rubric = rubric_create(
            name="Bộ tiêu chí đo thời gian (bench)",
            scope=Scope.AGENCIES,
            total_points=Decimal(100),
            criteria=_criteria(),
            agency=overseer.agency,
        )
        round_ = round_create(
            agency=overseer.agency,
            by=overseer,
            rubric=rubric,
            year=year,
            title=f"Đánh giá cải cách hành chính năm {year} (bench)",
            self_from=datetime.date(year, 12, 15),
            self_to=datetime.date(year, 12, 25),
            appraisal_from=datetime.date(year, 12, 26),
            appraisal_to=datetime.date(year, 12, 31),
            cut_off=cut_off,
        )
        units = round_.units.count()
        tasks = year_tasks(round_).count()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            scores = compute_round(round_)
            seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return ComputedFigures(
        year=year,
        cut_off=round_.cut_off,
        units=units,
        tasks=tasks,
        scores=scores,
        seconds=seconds,
        queries=len(queries),
    )

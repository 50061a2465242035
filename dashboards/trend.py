"""The trend of the leadership dashboard: month by month, how many tasks of a plan had come due and how
many were completed (cumulative), on a date and, for comparison, on the same date a year earlier.

The database counts, for each month's end, the tasks whose deadline and whose completion had passed by
then, as they stood on the date (tasks.status.with_status), in one query per year; the figures are
drawn as a server-rendered SVG with the numbers in a table."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

from cchc import periods
from tasks.status import Status, with_status

WIDTH, HEIGHT = 600, 240  # the SVG's user units
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 10, 30  # margins for the axes' labels


@dataclass
class Month:
    """The cumulative figures at the end of one month (or on the date, for its own month)."""

    number: int
    due: int
    done: int
    previous_due: int | None = None
    previous_done: int | None = None


def a_year_before(day: datetime.date) -> datetime.date:
    """The same date a year earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _cumulative(tasks, as_of: datetime.date, year: int, months: int) -> list[tuple[int, int]]:
    """(due, done) by the end of each of the first `months` months of `year` (the last one ends on
    `as_of` at the latest), of the tasks not cancelled on `as_of`, in one query: the database
    aggregates over the tasks' status once (a subquery on a past date), no function per row."""
    ends = [min(periods.month_end(datetime.date(year, number, 1)), as_of) for number in range(1, months + 1)]
    totals = (
        with_status(tasks, as_of)
        .exclude(status=Status.CANCELLED)
        .aggregate(
            **{f"due_{n}": Count("pk", filter=Q(due_on__lte=end)) for n, end in enumerate(ends, start=1)},
            **{f"done_{n}": Count("pk", filter=Q(done_on__lte=end)) for n, end in enumerate(ends, start=1)},
        )
    )
    return [(totals[f"due_{n}"], totals[f"done_{n}"]) for n in range(1, months + 1)]


def monthly(tasks, previous_tasks, year: int, as_of: datetime.date) -> list[Month]:
    """The months of `year` up to `as_of`, each with the cumulative due and done tasks of `tasks` on
    `as_of`, and those of `previous_tasks` (the plans of the year before) a year earlier."""
    if as_of.year < year:
        return []
    months = 12 if as_of.year > year else as_of.month
    current = _cumulative(tasks, as_of, year, months)
    previous = _cumulative(previous_tasks, a_year_before(as_of), year - 1, months)
    return [
        Month(number=number, due=due, done=done, previous_due=previous_due, previous_done=previous_done)
        for number, ((due, done), (previous_due, previous_done)) in enumerate(
            zip(current, previous, strict=True), start=1
        )
    ]


def chart(months: list[Month]) -> dict:
    """The SVG's geometry: a polyline per series, the y-axis ticks and the x-axis labels."""
    if not months:
        return {}
    top = max(max(m.due, m.done, m.previous_due or 0, m.previous_done or 0) for m in months) or 1
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(number: int) -> float:
        return LEFT + plot_width * (number - 0.5) / 12

    def y(value: int) -> float:
        return TOP + plot_height * (1 - value / top)

    def points(attribute: str) -> str:
        return " ".join(f"{x(m.number):.1f},{y(getattr(m, attribute)):.1f}" for m in months)

    ticks = sorted({0, top // 2, top})
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
        "label_y": HEIGHT - BOTTOM + 18,
        "series": {
            "due": points("due"),
            "done": points("done"),
            "previous_due": points("previous_due"),
            "previous_done": points("previous_done"),
        },
        "ticks": [
            {"value": value, "y": f"{y(value):.1f}", "text_y": f"{y(value) + 4:.1f}"} for value in ticks
        ],
        "labels": [{"text": f"T{number}", "x": f"{x(number):.1f}"} for number in range(1, 13)],
    }

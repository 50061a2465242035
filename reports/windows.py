"""TEMPORARY until cchc.periods lands."""

import calendar
import datetime


def reporting_window(kind: str, year: int) -> tuple[datetime.date, datetime.date]:
    starts = {
        "q1": datetime.date(year - 1, 12, 15),
        "half_year": datetime.date(year - 1, 12, 15),
        "q3": datetime.date(year, 6, 15),
        "year": datetime.date(year - 1, 12, 15),
    }
    ends = {
        "q1": datetime.date(year, 3, 14),
        "half_year": datetime.date(year, 6, 14),
        "q3": datetime.date(year, 9, 14),
        "year": datetime.date(year, 12, 14),
    }
    if kind not in ends:
        raise ValueError(f"{kind!r} has no standard window")
    return starts[kind], ends[kind]


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])

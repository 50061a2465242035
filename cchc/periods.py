"""The project's one calendar: reporting periods, period ends, "due soon", working days.

Every module that needs one of these dates asks this module, so that one rule lives in one place.
Dates go in and come out as `datetime.date`; nothing here knows of a request or a page.

Reporting periods (Công văn 581/BNV-CCHC of Bộ Nội vụ, DOMAIN.md §5): the data of a report stop on a
cut-off, 14/3 (quý I), 14/6 (6 tháng), 14/9 (quý III) or 14/12 (năm), and start on 15/12 of the year
before (on 15/6 for quý III); the report is due on day 20 of the cut-off's month.

Working days: Monday to Friday, less the public holidays of Vietnam as the `holidays` package knows
them (Tết by the lunar calendar, Giỗ Tổ Hùng Vương, 30/4, 1/5, 2/9 and the days off in lieu), then
corrected by the days an admin records (cchc.models.CalendarDay): an agency's own day beats a day of
the whole deployment, which beats the package. The recorded days of one agency and year are read in
one query and kept in the cache under a version that `calendar_changed` renews whenever a recorded
day is saved or deleted; with the cache unreachable they are read from the database every time.
"""

import calendar
import datetime
import logging
import uuid
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple

import holidays
from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import F, Q

from cchc.models import CalendarDay

logger = logging.getLogger(__name__)

ONE_DAY = datetime.timedelta(days=1)

# Reporting periods ---------------------------------------------------------------------------------


class Period(models.TextChoices):
    """The kinds of periodic CCHC report; all but CUSTOM have a standard window."""

    QUARTER_1 = "q1", "Quý I"
    HALF_YEAR = "half_year", "6 tháng đầu năm"
    QUARTER_3 = "q3", "Quý III"
    YEAR = "year", "Năm"
    CUSTOM = "custom", "Tùy chọn"


CUT_OFF_DAY = 14  # the last day of a window's data
REPORT_DUE_DAY = 20  # the report is due on this day of the cut-off's month
CUT_OFF_MONTHS: Mapping[Period, int] = MappingProxyType(
    {Period.QUARTER_1: 3, Period.HALF_YEAR: 6, Period.QUARTER_3: 9, Period.YEAR: 12}
)
# The short names under which pages list the cut-offs.
CUT_OFF_LABELS: Mapping[Period, str] = MappingProxyType(
    {Period.QUARTER_1: "Quý I", Period.HALF_YEAR: "6 tháng", Period.QUARTER_3: "Quý III", Period.YEAR: "Năm"}
)
# The first day of each window, as (years before the cut-off's year, month); the day is CUT_OFF_DAY + 1.
_WINDOW_STARTS: Mapping[Period, tuple[int, int]] = MappingProxyType(
    {Period.QUARTER_1: (1, 12), Period.HALF_YEAR: (1, 12), Period.QUARTER_3: (0, 6), Period.YEAR: (1, 12)}
)


class CutOff(NamedTuple):
    """The last day of the data of a standard report."""

    period: Period
    day: datetime.date

    @property
    def label(self) -> str:
        """'Quý I', '6 tháng', 'Quý III' or 'Năm'."""
        return CUT_OFF_LABELS[self.period]


def _standard(kind: str) -> Period:
    if kind not in CUT_OFF_MONTHS:
        raise ValueError(f"{kind!r} has no standard window")
    return Period(kind)


def cut_offs(year: int) -> tuple[CutOff, ...]:
    """The four cut-offs of `year` in date order: 14/3, 14/6, 14/9, 14/12."""
    return tuple(
        CutOff(period, datetime.date(year, month, CUT_OFF_DAY)) for period, month in CUT_OFF_MONTHS.items()
    )


def next_cut_off(day: datetime.date) -> CutOff:
    """The first cut-off on or after `day` (after 14/12 it is quý I of the next year)."""
    for cut_off in cut_offs(day.year):
        if cut_off.day >= day:
            return cut_off
    return cut_offs(day.year + 1)[0]


def reporting_window(kind: str, year: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the data of the standard report `kind` of `year`; ValueError for
    Period.CUSTOM (or any other code), which has no standard window."""
    period = _standard(kind)
    years_before, month = _WINDOW_STARTS[period]
    start = datetime.date(year - years_before, month, CUT_OFF_DAY + 1)
    return start, datetime.date(year, CUT_OFF_MONTHS[period], CUT_OFF_DAY)


def report_due_date(kind: str, year: int) -> datetime.date:
    """The day the report `kind` of `year` is due: day 20 of the month of its cut-off (20/3, 20/6,
    20/9, 20/12); ValueError for Period.CUSTOM."""
    return datetime.date(year, CUT_OFF_MONTHS[_standard(kind)], REPORT_DUE_DAY)


# Period ends --------------------------------------------------------------------------------------


def month_end(day: datetime.date) -> datetime.date:
    """The last day of the month of `day`."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def quarter_of(day: datetime.date) -> int:
    """The calendar quarter of `day`, 1 to 4."""
    return (day.month - 1) // 3 + 1


def quarter_end(day: datetime.date) -> datetime.date:
    """The last day of the calendar quarter of `day` (31/3, 30/6, 30/9 or 31/12)."""
    return month_end(datetime.date(day.year, quarter_of(day) * 3, 1))


def half_year_end(day: datetime.date) -> datetime.date:
    """30/6 for a day of the first half of the year, 31/12 for one of the second."""
    return datetime.date(day.year, 6, 30) if day.month <= 6 else datetime.date(day.year, 12, 31)


def year_end(day: datetime.date) -> datetime.date:
    """31/12 of the year of `day`."""
    return datetime.date(day.year, 12, 31)


# Due soon -----------------------------------------------------------------------------------------


def due_soon_until(today: datetime.date, *, days: int | None = None) -> datetime.date:
    """The last deadline that is "due soon" on `today`: today + settings.DUE_SOON_DAYS (or `days`, when
    a list asks for another horizon, e.g. the task table's "due within N days" filter)."""
    return today + datetime.timedelta(days=settings.DUE_SOON_DAYS if days is None else days)


def is_due_soon(due: datetime.date | None, today: datetime.date) -> bool:
    """Whether a deadline is due soon: from today to due_soon_until(today), both included. A day
    already past is overdue, not due soon; no deadline is never due soon."""
    return due is not None and today <= due <= due_soon_until(today)


# Working days -------------------------------------------------------------------------------------


DayKind = CalendarDay.Kind


WEEKDAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
CACHE_SECONDS = 60 * 60  # bounds how long a change made while the cache was unreachable can go unseen
VERSION_KEY = "periods:calendar-version"


class Override(NamedTuple):
    kind: str  # a DayKind value
    note: str


@lru_cache(maxsize=64)
def public_holidays(year: int) -> Mapping[datetime.date, str]:
    """The public holidays of Vietnam in `year` as the `holidays` package gives them (days off in
    lieu included), each with its Vietnamese name, in date order; no recorded day is applied."""
    found = holidays.country_holidays("VN", years=year, language="vi")
    # The package capitalises "Đán"; Vietnamese writes "Tết Nguyên đán".
    return MappingProxyType({day: found[day].replace("Nguyên Đán", "Nguyên đán") for day in sorted(found)})


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY) or version
    return version


def _renew_version() -> None:
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.warning("The calendar's cache version could not be renewed.", exc_info=True)


def calendar_changed() -> None:
    """Make the next read of the recorded days go to the database: called whenever a CalendarDay is
    saved or deleted (connected in cchc.apps), at once and again when the transaction commits, so that no other
    process keeps what it read in between."""
    _renew_version()
    transaction.on_commit(_renew_version)


def calendar_day_changed(sender, **kwargs) -> None:
    """The receiver of a CalendarDay's post_save and post_delete (connected in cchc.apps)."""
    calendar_changed()


def _read_overrides(agency_id: int | None, year: int) -> dict[datetime.date, Override]:
    rows = CalendarDay.objects.filter(
        date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31)
    )
    if agency_id is None:
        rows = rows.filter(agency__isnull=True)
    else:
        rows = rows.filter(Q(agency__isnull=True) | Q(agency_id=agency_id))
    # the deployment's days first, so that the agency's own days overwrite them
    rows = rows.order_by(F("agency_id").asc(nulls_first=True)).values_list("date", "kind", "note")
    return {day: Override(kind, note) for day, kind, note in rows}


def _overrides(agency_id: int | None, year: int) -> dict[datetime.date, Override]:
    """The recorded days of `year` that apply to the agency (or, with None, to the whole deployment)."""
    try:
        key = f"periods:calendar:{_version()}:{agency_id or 'all'}:{year}"
        found = cache.get(key)
    except Exception:
        logger.warning("The calendar's cache is unreachable; reading the database.", exc_info=True)
        return _read_overrides(agency_id, year)
    if found is None:
        found = _read_overrides(agency_id, year)
        try:
            cache.set(key, found, CACHE_SECONDS)
        except Exception:
            logger.warning("The calendar's cache is unreachable; not keeping the days read.", exc_info=True)
    return found


class WorkingCalendar:
    """The working days of one agency (or, with agency_id None, of the deployment as a whole).

    Each year's recorded days are fetched once for the life of the object: build one to answer many
    questions in a loop; the module-level functions build one per call."""

    def __init__(self, agency_id: int | None = None):
        self.agency_id = agency_id
        self._years: dict[int, dict[datetime.date, Override]] = {}

    def _overrides(self, year: int) -> dict[datetime.date, Override]:
        if year not in self._years:
            self._years[year] = _overrides(self.agency_id, year)
        return self._years[year]

    def is_working_day(self, day: datetime.date) -> bool:
        override = self._overrides(day.year).get(day)
        if override is not None:
            return override.kind == DayKind.WORKING_DAY
        return day.weekday() < 5 and day not in public_holidays(day.year)

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        day, count = start, 0
        while day <= end:
            count += self.is_working_day(day)
            day += ONE_DAY
        return count

    def add_working_days(self, day: datetime.date, n: int) -> datetime.date:
        step = ONE_DAY if n > 0 else -ONE_DAY
        remaining = abs(n)
        while remaining:
            day += step
            remaining -= self.is_working_day(day)
        return day

    def holidays_of(self, year: int) -> dict[datetime.date, str]:
        days = dict(public_holidays(year))
        for day, override in self._overrides(year).items():
            if override.kind == DayKind.DAY_OFF:
                days[day] = override.note or days.get(day) or DayKind.DAY_OFF.label
            else:
                days.pop(day, None)
        return dict(sorted(days.items()))


def is_working_day(day: datetime.date, agency_id: int | None = None) -> bool:
    """Whether `day` is a working day of the agency (of the deployment, with None)."""
    return WorkingCalendar(agency_id).is_working_day(day)


def working_days_between(start: datetime.date, end: datetime.date, agency_id: int | None = None) -> int:
    """The number of working days from `start` to `end`, BOTH INCLUDED (0 when end is before start)."""
    return WorkingCalendar(agency_id).working_days_between(start, end)


def add_working_days(day: datetime.date, n: int, agency_id: int | None = None) -> datetime.date:
    """The n-th working day after `day` (before it, for a negative n); `day` itself does not count,
    whatever it is, and n = 0 gives `day` back unchanged."""
    return WorkingCalendar(agency_id).add_working_days(day, n)


def holidays_of(year: int, agency_id: int | None = None) -> dict[datetime.date, str]:
    """The holidays and recorded days off of `year`, date → Vietnamese name, in date order: the public
    holidays (one on a weekend too, beside its day off in lieu) less those recorded as working days,
    plus the recorded days off. Ordinary Saturdays and Sundays are not listed."""
    return WorkingCalendar(agency_id).holidays_of(year)

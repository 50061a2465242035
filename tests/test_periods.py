"""The one calendar (cchc.periods): reporting windows and cut-offs of Công văn 581/BNV-CCHC, period ends,
the "due soon" rule, and working days from the `holidays` package corrected by the recorded days."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from cchc import periods
from cchc.models import CalendarDay
from cchc.periods import (
    Period,
    add_working_days,
    cut_offs,
    due_soon_until,
    half_year_end,
    holidays_of,
    is_due_soon,
    is_working_day,
    month_end,
    next_cut_off,
    quarter_end,
    quarter_of,
    report_due_date,
    reporting_window,
    working_days_between,
    year_end,
)
from tests.conftest import client_for

D = datetime.date
SEED = importlib.import_module("cchc.migrations.0002_seed_calendar_days")


@pytest.fixture
def seeded(db):
    """The days the data migration records, put back should a transactional test have emptied the table."""
    SEED.seed(django_apps, None)


# Reporting windows and cut-offs -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "window"),
    [
        (Period.QUARTER_1, (D(2018, 12, 15), D(2019, 3, 14))),
        (Period.HALF_YEAR, (D(2018, 12, 15), D(2019, 6, 14))),
        (Period.QUARTER_3, (D(2019, 6, 15), D(2019, 9, 14))),
        (Period.YEAR, (D(2018, 12, 15), D(2019, 12, 14))),
        ("q1", (D(2018, 12, 15), D(2019, 3, 14))),  # the stored code works as well as the member
    ],
)
def test_each_period_has_the_window_of_the_ministry(kind, window):
    assert reporting_window(kind, 2019) == window


def test_the_windows_of_2026():
    assert reporting_window(Period.QUARTER_1, 2026) == (D(2025, 12, 15), D(2026, 3, 14))
    assert reporting_window(Period.QUARTER_3, 2026) == (D(2026, 6, 15), D(2026, 9, 14))


@pytest.mark.parametrize("kind", [Period.CUSTOM, "custom", "tuy_chon", "quy_1", ""])
def test_a_custom_range_or_an_unknown_code_has_no_standard_window(kind):
    with pytest.raises(ValueError, match="has no standard window"):
        reporting_window(kind, 2019)
    with pytest.raises(ValueError):
        report_due_date(kind, 2019)


def test_the_periods_are_choices_with_vietnamese_labels():
    assert Period.choices == [
        ("q1", "Quý I"),
        ("half_year", "6 tháng đầu năm"),
        ("q3", "Quý III"),
        ("year", "Năm"),
        ("custom", "Tùy chọn"),
    ]


@pytest.mark.parametrize(
    ("kind", "due"),
    [
        (Period.QUARTER_1, D(2019, 3, 20)),
        (Period.HALF_YEAR, D(2019, 6, 20)),
        (Period.QUARTER_3, D(2019, 9, 20)),
        (Period.YEAR, D(2019, 12, 20)),
    ],
)
def test_a_report_is_due_on_day_20_of_the_last_month_of_its_window(kind, due):
    assert report_due_date(kind, 2019) == due
    assert due.month == reporting_window(kind, 2019)[1].month


def test_the_cut_offs_of_a_year_with_their_labels():
    assert [(cut_off.day, cut_off.period, cut_off.label) for cut_off in cut_offs(2019)] == [
        (D(2019, 3, 14), Period.QUARTER_1, "Quý I"),
        (D(2019, 6, 14), Period.HALF_YEAR, "6 tháng"),
        (D(2019, 9, 14), Period.QUARTER_3, "Quý III"),
        (D(2019, 12, 14), Period.YEAR, "Năm"),
    ]
    assert [cut_off.day for cut_off in cut_offs(2019)] == [
        reporting_window(p, 2019)[1] for p in list(Period)[:4]
    ]


@pytest.mark.parametrize(
    ("day", "cut_off"),
    [
        (D(2019, 1, 1), D(2019, 3, 14)),
        (D(2019, 3, 14), D(2019, 3, 14)),  # on the cut-off itself
        (D(2019, 3, 15), D(2019, 6, 14)),
        (D(2019, 9, 14), D(2019, 9, 14)),
        (D(2019, 12, 14), D(2019, 12, 14)),
        (D(2019, 12, 15), D(2020, 3, 14)),  # across the year end
        (D(2019, 12, 31), D(2020, 3, 14)),
    ],
)
def test_the_next_cut_off(day, cut_off):
    assert next_cut_off(day).day == cut_off


def test_the_next_cut_off_after_the_year_one_is_quy_i_of_the_next_year():
    assert next_cut_off(D(2025, 12, 20)) == (Period.QUARTER_1, D(2026, 3, 14))
    assert next_cut_off(D(2025, 12, 20)).label == "Quý I"


# Period ends ------------------------------------------------------------------------------------


def test_month_ends():
    assert month_end(D(2019, 2, 10)) == D(2019, 2, 28)
    assert month_end(D(2020, 2, 1)) == D(2020, 2, 29)  # leap year
    assert month_end(D(2019, 4, 30)) == D(2019, 4, 30)
    assert month_end(D(2019, 12, 1)) == D(2019, 12, 31)


@pytest.mark.parametrize(
    ("day", "quarter", "end"),
    [
        (D(2019, 1, 1), 1, D(2019, 3, 31)),
        (D(2019, 3, 31), 1, D(2019, 3, 31)),
        (D(2019, 4, 1), 2, D(2019, 6, 30)),
        (D(2019, 8, 15), 3, D(2019, 9, 30)),
        (D(2019, 12, 31), 4, D(2019, 12, 31)),
    ],
)
def test_quarters(day, quarter, end):
    assert quarter_of(day) == quarter
    assert quarter_end(day) == end


def test_half_year_and_year_ends():
    assert half_year_end(D(2019, 6, 30)) == D(2019, 6, 30)
    assert half_year_end(D(2019, 7, 1)) == D(2019, 12, 31)
    assert half_year_end(D(2019, 1, 1)) == D(2019, 6, 30)
    assert year_end(D(2019, 2, 3)) == D(2019, 12, 31)


def test_the_helpers_give_the_report_dates_of_periodic_tasks():
    """What tasks.deadlines computes for ongoing, quarterly and monthly tasks."""
    assert [cut_off.day for cut_off in cut_offs(2019)] == [D(2019, m, 14) for m in (3, 6, 9, 12)]
    assert [quarter_end(D(2019, q * 3, 1)) for q in (1, 2, 3, 4)] == [
        D(2019, 3, 31),
        D(2019, 6, 30),
        D(2019, 9, 30),
        D(2019, 12, 31),
    ]
    assert len({month_end(D(2019, m, 1)) for m in range(1, 13)}) == 12


# Due soon ---------------------------------------------------------------------------------------


def test_due_soon_is_seven_days_by_default(settings):
    assert settings.DUE_SOON_DAYS == 7
    assert due_soon_until(D(2019, 3, 10)) == D(2019, 3, 17)


@pytest.mark.parametrize(
    ("due", "soon"),
    [
        (D(2019, 3, 9), False),  # yesterday: overdue, not due soon
        (D(2019, 3, 10), True),  # today
        (D(2019, 3, 17), True),  # the 7th day
        (D(2019, 3, 18), False),  # the 8th day
        (None, False),
    ],
)
def test_the_edges_of_due_soon(due, soon):
    assert is_due_soon(due, D(2019, 3, 10)) is soon


def test_due_soon_follows_the_setting(settings):
    settings.DUE_SOON_DAYS = 14
    assert due_soon_until(D(2019, 12, 25)) == D(2020, 1, 8)
    assert is_due_soon(D(2020, 1, 8), D(2019, 12, 25))
    assert not is_due_soon(D(2020, 1, 9), D(2019, 12, 25))


# Working days: the package and the seeded days ----------------------------------------------------


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize(
    "day",
    [
        *[D(2019, 2, d) for d in range(4, 9)],  # Tết Kỷ Hợi, Monday 04/02 to Friday 08/02
        D(2019, 1, 1),
        D(2019, 4, 15),  # Giỗ Tổ (Sunday 14/04) off on the Monday
        D(2019, 4, 29),  # off in exchange for Saturday 04/05
        D(2019, 4, 30),
        D(2019, 5, 1),
        D(2019, 9, 2),
        D(2019, 3, 9),  # an ordinary Saturday
        D(2019, 3, 10),  # an ordinary Sunday
    ],
)
def test_the_days_off_of_2019(day):
    assert not is_working_day(day)


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize(
    "day",
    [
        D(2019, 2, 1),  # the Friday before Tết
        D(2019, 2, 11),  # the Monday after
        D(2019, 5, 2),
        D(2019, 5, 4),  # Saturday worked in exchange for 29/04 (Công văn 6519/VPCP-KGVX)
        D(2019, 1, 5),  # Saturday worked in exchange for 31/12/2018
        D(2019, 9, 3),
    ],
)
def test_the_working_days_of_2019(day):
    assert is_working_day(day)


@pytest.mark.usefixtures("seeded")
def test_the_seeded_saturdays_are_the_deployments():
    seeded = CalendarDay.objects.filter(agency=None, kind=CalendarDay.Kind.WORKING_DAY)
    assert {day.date for day in seeded} >= {D(2019, 1, 5), D(2019, 5, 4), D(2024, 5, 4), D(2025, 4, 26)}
    assert all(day.date.weekday() == 5 and day.note.startswith("Đi làm bù") for day in seeded)
    # each seeded Saturday pays back a weekday the package has off
    assert not is_working_day(D(2024, 4, 29)) and is_working_day(D(2024, 5, 4))
    assert not is_working_day(D(2025, 5, 2)) and is_working_day(D(2025, 4, 26))


@pytest.mark.usefixtures("seeded")
def test_tet_binh_ngo_2026_is_nine_days_off_from_14_to_22_february():
    days = [D(2026, 2, d) for d in range(14, 23)]
    assert [is_working_day(day) for day in days] == [False] * 9
    assert is_working_day(D(2026, 2, 13))  # Friday before
    assert is_working_day(D(2026, 2, 23))  # Monday after
    assert working_days_between(D(2026, 2, 9), D(2026, 2, 27)) == 10  # three weeks, the middle one off


@pytest.mark.usefixtures("seeded")
def test_the_other_holidays_of_2026():
    names = holidays_of(2026)
    # Giỗ Tổ Hùng Vương, 10/3 âm lịch, falls on Sunday 26/04/2026: off on the next working day
    assert names[D(2026, 4, 26)] == "Ngày Giỗ Tổ Hùng Vương"
    assert names[D(2026, 4, 27)] == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"
    assert not is_working_day(D(2026, 4, 27))
    assert is_working_day(D(2026, 4, 28))
    for day in (D(2026, 4, 30), D(2026, 5, 1), D(2026, 9, 1), D(2026, 9, 2), D(2026, 1, 1)):
        assert not is_working_day(day), day
    assert is_working_day(D(2026, 5, 4))


@pytest.mark.usefixtures("seeded")
def test_holidays_carry_vietnamese_names():
    names = holidays_of(2019)
    assert names[D(2019, 2, 5)] == "Tết Nguyên đán"
    assert names[D(2019, 2, 4)] == "Giao thừa Tết Nguyên đán"
    assert names[D(2019, 4, 30)] == "Ngày Chiến thắng"
    assert names[D(2019, 5, 1)] == "Ngày Quốc tế Lao động"
    assert names[D(2019, 9, 2)] == "Quốc khánh"
    assert names[D(2019, 1, 1)] == "Tết Dương lịch"
    assert D(2019, 5, 4) not in names  # a working Saturday is no holiday
    assert list(names) == sorted(names)


@pytest.mark.usefixtures("seeded")
def test_working_days_between_counts_both_ends():
    assert working_days_between(D(2019, 2, 1), D(2019, 2, 28)) == 15  # 20 weekdays less 5 of Tết
    assert working_days_between(D(2019, 2, 11), D(2019, 2, 11)) == 1
    assert working_days_between(D(2019, 2, 4), D(2019, 2, 10)) == 0
    assert working_days_between(D(2019, 2, 12), D(2019, 2, 11)) == 0
    # Monday 29/04 to Saturday 04/05/2019: Thursday, Friday and the Saturday worked in exchange
    assert working_days_between(D(2019, 4, 29), D(2019, 5, 4)) == 3


@pytest.mark.usefixtures("seeded")
def test_add_working_days_steps_over_tet():
    assert add_working_days(D(2019, 2, 1), 1) == D(2019, 2, 11)
    assert add_working_days(D(2019, 1, 31), 3) == D(2019, 2, 12)
    assert add_working_days(D(2019, 2, 11), -1) == D(2019, 2, 1)
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    assert add_working_days(D(2026, 2, 14), 5) == D(2026, 2, 27)  # from a day off, which does not count
    assert add_working_days(D(2026, 2, 16), 0) == D(2026, 2, 16)


@pytest.mark.usefixtures("seeded")
def test_add_working_days_across_a_year_end_and_onto_a_worked_saturday():
    assert add_working_days(D(2018, 12, 28), 1) == D(2019, 1, 2)  # 31/12/2018 and 01/01/2019 off
    assert add_working_days(D(2019, 1, 4), 1) == D(2019, 1, 5)  # the Saturday worked in exchange
    assert add_working_days(D(2019, 5, 3), 1) == D(2019, 5, 4)


# Recorded days of an agency -----------------------------------------------------------------------


@pytest.mark.usefixtures("seeded")
def test_an_agencys_extra_day_off_applies_to_that_agency_only(agency, other_agency):
    day = D(2019, 3, 11)  # a Monday
    CalendarDay.objects.create(agency=agency, date=day, kind=CalendarDay.Kind.DAY_OFF, note="Nghỉ lễ hội")
    assert not is_working_day(day, agency.pk)
    assert is_working_day(day, other_agency.pk)
    assert is_working_day(day)
    assert holidays_of(2019, agency.pk)[day] == "Nghỉ lễ hội"
    assert day not in holidays_of(2019, other_agency.pk)
    assert add_working_days(D(2019, 3, 8), 1, agency.pk) == D(2019, 3, 12)
    assert add_working_days(D(2019, 3, 8), 1, other_agency.pk) == D(2019, 3, 11)


@pytest.mark.usefixtures("seeded")
def test_an_agencys_working_saturday_applies_to_that_agency_only(agency, other_agency):
    saturday = D(2019, 3, 16)
    CalendarDay.objects.create(agency=agency, date=saturday, kind=CalendarDay.Kind.WORKING_DAY)
    assert is_working_day(saturday, agency.pk)
    assert not is_working_day(saturday, other_agency.pk)
    assert working_days_between(D(2019, 3, 11), D(2019, 3, 17), agency.pk) == 6
    assert working_days_between(D(2019, 3, 11), D(2019, 3, 17), other_agency.pk) == 5


@pytest.mark.usefixtures("seeded")
def test_an_agencys_day_beats_the_deployments_which_beats_the_package(agency, other_agency):
    # the deployment gives a Tuesday off; the agency works it
    CalendarDay.objects.create(date=D(2019, 3, 12), kind=CalendarDay.Kind.DAY_OFF, note="Nghỉ bù")
    CalendarDay.objects.create(agency=agency, date=D(2019, 3, 12), kind=CalendarDay.Kind.WORKING_DAY)
    assert not is_working_day(D(2019, 3, 12))
    assert not is_working_day(D(2019, 3, 12), other_agency.pk)
    assert is_working_day(D(2019, 3, 12), agency.pk)
    # the deployment works Saturday 04/05/2019 (seeded); the agency does not
    CalendarDay.objects.create(agency=agency, date=D(2019, 5, 4), kind=CalendarDay.Kind.DAY_OFF)
    assert not is_working_day(D(2019, 5, 4), agency.pk)
    assert is_working_day(D(2019, 5, 4), other_agency.pk)
    # the agency works the package's 2/9 (an office on duty): it is no holiday of that agency
    CalendarDay.objects.create(agency=agency, date=D(2019, 9, 2), kind=CalendarDay.Kind.WORKING_DAY)
    assert is_working_day(D(2019, 9, 2), agency.pk)
    assert D(2019, 9, 2) not in holidays_of(2019, agency.pk)
    assert holidays_of(2019, other_agency.pk)[D(2019, 9, 2)] == "Quốc khánh"


# Cache --------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("seeded")
def test_the_recorded_days_are_read_once_per_agency_and_year_then_from_the_cache(
    agency, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert working_days_between(D(2019, 1, 1), D(2019, 12, 31), agency.pk) > 200
    with django_assert_num_queries(0):
        assert working_days_between(D(2019, 1, 1), D(2019, 12, 31), agency.pk) > 200
        assert not is_working_day(D(2019, 2, 4), agency.pk)
    with django_assert_num_queries(2):  # a year not read yet, and the deployment's own days
        add_working_days(D(2019, 12, 31), 1, agency.pk)
        is_working_day(D(2019, 5, 4))


@pytest.mark.usefixtures("seeded")
def test_saving_or_deleting_a_recorded_day_takes_effect_at_once(agency, django_assert_num_queries):
    day = D(2019, 3, 11)
    assert is_working_day(day, agency.pk)
    with django_assert_num_queries(0):
        assert is_working_day(day, agency.pk)  # answered from the cache from now on
    recorded = CalendarDay.objects.create(date=day, kind=CalendarDay.Kind.DAY_OFF)
    assert not is_working_day(day, agency.pk)
    assert not is_working_day(day)
    recorded.kind = CalendarDay.Kind.WORKING_DAY
    recorded.save()
    assert is_working_day(day, agency.pk)
    recorded.kind = CalendarDay.Kind.DAY_OFF
    recorded.save()
    assert not is_working_day(day, agency.pk)
    recorded.delete()
    assert is_working_day(day, agency.pk)
    # the admin's bulk delete goes through a queryset
    CalendarDay.objects.create(agency=agency, date=day, kind=CalendarDay.Kind.DAY_OFF)
    assert not is_working_day(day, agency.pk)
    CalendarDay.objects.filter(date=day).delete()
    assert is_working_day(day, agency.pk)


class BrokenCache:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache down")

        return fail


@pytest.mark.usefixtures("seeded")
def test_the_calendar_works_with_the_cache_down(agency, monkeypatch):
    monkeypatch.setattr(periods, "cache", BrokenCache())
    assert not is_working_day(D(2019, 2, 4), agency.pk)
    assert is_working_day(D(2019, 5, 4), agency.pk)
    CalendarDay.objects.create(agency=agency, date=D(2019, 3, 11), kind=CalendarDay.Kind.DAY_OFF)
    assert not is_working_day(D(2019, 3, 11), agency.pk)
    assert add_working_days(D(2019, 2, 1), 1, agency.pk) == D(2019, 2, 11)


# The model and its admin --------------------------------------------------------------------------


@pytest.mark.django_db
def test_one_recorded_day_per_date_for_the_whole_deployment_and_per_agency(agency):
    CalendarDay.objects.create(date=D(2030, 3, 11), kind=CalendarDay.Kind.DAY_OFF)
    twin = CalendarDay(date=D(2030, 3, 11), kind=CalendarDay.Kind.WORKING_DAY)
    with pytest.raises(ValidationError, match="Lịch chung của mọi cơ quan đã có"):
        twin.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    CalendarDay.objects.create(agency=agency, date=D(2030, 3, 11), kind=CalendarDay.Kind.WORKING_DAY)
    with pytest.raises(ValidationError):
        CalendarDay(agency=agency, date=D(2030, 3, 11), kind=CalendarDay.Kind.DAY_OFF).full_clean()
    assert str(CalendarDay(date=D(2019, 5, 4), kind="working_day", note="Đi làm bù")) == (
        "04/05/2019: Ngày làm việc (Đi làm bù)"
    )


@pytest.mark.usefixtures("seeded")
def test_the_admin_lists_the_recorded_days(admin_user, agency):
    CalendarDay.objects.create(agency=agency, date=D(2019, 3, 16), kind=CalendarDay.Kind.WORKING_DAY)
    client = client_for(admin_user)
    response = client.get(reverse("admin:cchc_calendarday_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mọi cơ quan" in page
    assert "Thứ Bảy" in page
    assert "Đi làm bù cho thứ Hai 29/04/2019" in page
    filtered = client.get(reverse("admin:cchc_calendarday_changelist"), {"agency__id__exact": agency.pk})
    assert filtered.status_code == 200
    assert list(filtered.context["cl"].result_list) == [CalendarDay.objects.get(agency=agency)]
    assert client.get(reverse("admin:cchc_calendarday_add")).status_code == 200

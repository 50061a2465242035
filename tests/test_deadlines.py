import datetime

import pytest

from tasks.deadlines import Deadline, DeadlineError, parse_deadline

D = datetime.date


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("Quý I/2019", D(2019, 3, 31)),
        ("Quý II/2019", D(2019, 6, 30)),
        ("Quý III/2019", D(2019, 9, 30)),
        ("Quý IV/2019", D(2019, 12, 31)),
        ("quý 2/2019", D(2019, 6, 30)),
        ("Quý II năm 2019", D(2019, 6, 30)),
        ("QUÝ II/2019", D(2019, 6, 30)),
        ("Quý I - II/2019", D(2019, 6, 30)),
        ("Tháng 6/2019", D(2019, 6, 30)),
        ("Tháng 2/2020", D(2020, 2, 29)),
        ("Tháng 6 năm 2019", D(2019, 6, 30)),
        ("tháng 11/2019", D(2019, 11, 30)),
        ("T6/2019", D(2019, 6, 30)),
        ("Tháng 3-4/2019", D(2019, 4, 30)),
        ("Trước 15/3/2019", D(2019, 3, 15)),
        ("Trước ngày 15/3/2019", D(2019, 3, 15)),
        ("Chậm nhất ngày 20/12/2019", D(2019, 12, 20)),
        ("Hoàn thành trước 30/6/2019", D(2019, 6, 30)),
        ("15/3/2019", D(2019, 3, 15)),
        ("05/03/2019", D(2019, 3, 5)),
        ("6 tháng đầu năm 2019", D(2019, 6, 30)),
        ("6 tháng cuối năm 2019", D(2019, 12, 31)),
        ("Năm 2019", D(2019, 12, 31)),
        ("Trong năm 2019", D(2019, 12, 31)),
    ],
)
def test_every_written_form_gives_its_due_date(text, due):
    deadline = parse_deadline(text, year=2019)
    assert deadline.due_date == due
    assert deadline.kind == Deadline.ONCE
    assert deadline.text == text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Thường xuyên", Deadline.ONGOING),
        ("Hàng năm", Deadline.ONGOING),
        ("Hàng quý", Deadline.QUARTERLY),
        ("Hàng tháng", Deadline.MONTHLY),
    ],
)
def test_periodic_tasks_are_due_at_the_end_of_the_plan_year(text, kind):
    deadline = parse_deadline(text, year=2019)
    assert (deadline.kind, deadline.due_date) == (kind, D(2019, 12, 31))


def test_ongoing_tasks_report_on_the_cut_offs_of_the_reporting_periods():
    deadline = parse_deadline("Thường xuyên", year=2019)
    assert deadline.report_dates() == [D(2019, 3, 14), D(2019, 6, 14), D(2019, 9, 14), D(2019, 12, 14)]
    assert deadline.next_report_date(D(2019, 4, 1)) == D(2019, 6, 14)


def test_quarterly_tasks_report_at_quarter_ends():
    assert parse_deadline("Hàng quý", year=2019).report_dates()[1] == D(2019, 6, 30)


def test_monthly_tasks_report_at_month_ends():
    dates = parse_deadline("Hàng tháng", year=2019).report_dates()
    assert len(dates) == 12 and dates[1] == D(2019, 2, 28)


def test_a_deadline_without_a_year_takes_the_plans_year():
    assert parse_deadline("Quý III", year=2021).due_date == D(2021, 9, 30)
    assert parse_deadline("Tháng 5", year=2021).due_date == D(2021, 5, 31)
    assert parse_deadline("Trước 15/3", year=2021).due_date == D(2021, 3, 15)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Nhập thời hạn"),
        ("Sớm nhất có thể", "Không đọc được thời hạn “Sớm nhất có thể”"),
        ("Tháng 13/2019", "tháng phải từ 1 đến 12"),
        ("Quý V/2019", "Không đọc được thời hạn"),
        ("31/02/2019", "không phải một ngày có thật"),
        ("Quý II", "thiếu năm"),
    ],
)
def test_unreadable_text_is_an_error_for_the_user_never_a_default(text, message):
    year = None if text == "Quý II" else 2019
    with pytest.raises(DeadlineError, match=message):
        parse_deadline(text, year=year)

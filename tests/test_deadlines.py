import datetime
import unicodedata

import pytest

from tasks.deadlines import ACCEPTED_FORMS, Deadline, DeadlineError, parse_deadline

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
        ("Hàng năm", Deadline.YEARLY),
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


# Multi-year programmes and the phrasing of real plans' annexes ------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("Năm 2025-2030", 2025, 2030),
        ("2025 - 2030", 2025, 2030),
        ("Giai đoạn 2026–2030", 2026, 2030),
        ("GIAI ĐOẠN 2021-2025", 2021, 2025),
        ("giai đoạn 2016 - 2020", 2016, 2020),
        ("Năm 2025-2026", 2025, 2026),
    ],
)
def test_a_span_of_years_starts_with_its_first_year_and_is_due_at_the_end_of_its_last(text, first, last):
    deadline = parse_deadline(text, year=2026)
    assert (deadline.kind, deadline.due_date, deadline.start) == (
        Deadline.ONCE,
        D(last, 12, 31),
        D(first, 1, 1),
    )
    assert deadline.text == text


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("Đến năm 2030", D(2030, 12, 31)),
        ("vào năm 2028", D(2028, 12, 31)),
        ("Trong năm 2026", D(2026, 12, 31)),
    ],
)
def test_a_year_named_alone_is_due_at_its_end(text, due):
    deadline = parse_deadline(text, year=2026)
    assert (deadline.kind, deadline.due_date, deadline.start) == (Deadline.ONCE, due, None)


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("trước ngày 31 tháng 12 năm 2025", D(2025, 12, 31)),
        ("ngày 08 tháng 12 năm 2017", D(2017, 12, 8)),
        ("Trước ngày 15/3/2019", D(2019, 3, 15)),
    ],
)
def test_a_day_written_out_is_due_that_day(text, due):
    deadline = parse_deadline(text, year=2026)
    assert (deadline.kind, deadline.due_date) == (Deadline.ONCE, due)


@pytest.mark.parametrize("text", ["trước ngày 15/11 hằng năm"])
def test_a_day_of_every_year_is_due_that_day_of_the_plans_year(text):
    deadline = parse_deadline(text, year=2026)
    assert (deadline.kind, deadline.due_date) == (Deadline.YEARLY, D(2026, 11, 15))
    assert deadline.report_dates() == [D(2026, 11, 15)]


@pytest.mark.parametrize("text", ["định kỳ hằng năm", "mỗi năm", "hàng năm", "hằng năm"])
def test_yearly_work_is_due_at_the_end_of_the_plans_year(text):
    deadline = parse_deadline(text, year=2026)
    assert (deadline.kind, deadline.due_date) == (Deadline.YEARLY, D(2026, 12, 31))
    assert deadline.report_dates() == [D(2026, 12, 31)]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Thường xuyên, kịp thời", Deadline.ONGOING),
        ("Thường xuyên", Deadline.ONGOING),
        ("định kỳ hằng quý", Deadline.QUARTERLY),
    ],
)
def test_ongoing_and_recurring_work_takes_its_recurring_part(text, kind):
    deadline = parse_deadline(text, year=2026)
    assert (deadline.kind, deadline.due_date) == (kind, D(2026, 12, 31))


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("Quý I, II/2019", D(2019, 6, 30)),
        ("Quý I - Quý II/2019", D(2019, 6, 30)),
        ("Tháng 6 - tháng 9/2019", D(2019, 9, 30)),
    ],
)
def test_several_quarters_or_months_are_due_at_the_end_of_the_last_one(text, due):
    deadline = parse_deadline(text, year=2019)
    assert (deadline.kind, deadline.due_date) == (Deadline.ONCE, due)


@pytest.mark.parametrize(
    ("text", "plan_year", "due"),
    [
        ("Bắt đầu triển khai từ năm 2026", 2026, D(2026, 12, 31)),
        ("Từ năm 2026", 2026, D(2026, 12, 31)),
        ("Từ năm 2026", 2025, D(2026, 12, 31)),
        ("Từ năm 2026", 2028, D(2028, 12, 31)),
    ],
)
def test_work_begun_in_a_year_is_ongoing_from_then(text, plan_year, due):
    deadline = parse_deadline(text, year=plan_year)
    assert (deadline.kind, deadline.due_date, deadline.start) == (Deadline.ONGOING, due, D(2026, 1, 1))


@pytest.mark.parametrize(
    ("text", "kind", "due", "start"),
    [
        ("Tháng 12 hằng năm", Deadline.YEARLY, D(2026, 12, 31), None),
        ("Quý I hàng năm", Deadline.YEARLY, D(2026, 3, 31), None),
        ("Hằng năm, trước ngày 15/11", Deadline.YEARLY, D(2026, 11, 15), None),
        ("Hằng năm (trước ngày 30/6)", Deadline.YEARLY, D(2026, 6, 30), None),
        ("Cuối năm hằng năm", Deadline.YEARLY, D(2026, 12, 31), None),
        ("Trước ngày 15 tháng 12", Deadline.ONCE, D(2026, 12, 15), None),
        ("Đến ngày 30/6", Deadline.ONCE, D(2026, 6, 30), None),
        ("Quý IV năm 2025", Deadline.ONCE, D(2025, 12, 31), None),
        ("Năm 2026 và các năm tiếp theo", Deadline.ONGOING, D(2026, 12, 31), D(2026, 1, 1)),
        ("Từ năm 2027 trở đi", Deadline.ONGOING, D(2027, 12, 31), D(2027, 1, 1)),
        ("Từ năm 2025 đến năm 2030", Deadline.ONCE, D(2030, 12, 31), D(2025, 1, 1)),
        ("2026", Deadline.ONCE, D(2026, 12, 31), None),
        ("Đến hết năm 2027", Deadline.ONCE, D(2027, 12, 31), None),
        ("Cuối năm", Deadline.ONCE, D(2026, 12, 31), None),
        ("Cuối quý II/2026", Deadline.ONCE, D(2026, 6, 30), None),
        ("30/6/2026", Deadline.ONCE, D(2026, 6, 30), None),
        ("15-3-2026", Deadline.ONCE, D(2026, 3, 15), None),
        ("Tháng 6/2026", Deadline.ONCE, D(2026, 6, 30), None),
        ("6/2026", Deadline.ONCE, D(2026, 6, 30), None),
        ("Tháng 6, 7, 8/2026", Deadline.ONCE, D(2026, 8, 31), None),
        ("Từ tháng 6 đến tháng 9/2026", Deadline.ONCE, D(2026, 9, 30), None),
        ("6 tháng đầu năm", Deadline.ONCE, D(2026, 6, 30), None),
        ("Hoàn thành trong quý III", Deadline.ONCE, D(2026, 9, 30), None),
        ("Hạn: 30/6/2026", Deadline.ONCE, D(2026, 6, 30), None),
        ("Hằng tháng", Deadline.MONTHLY, D(2026, 12, 31), None),
        ("Hàng quý", Deadline.QUARTERLY, D(2026, 12, 31), None),
        ("Thường xuyên liên tục", Deadline.ONGOING, D(2026, 12, 31), None),
        ("Kịp thời, thường xuyên", Deadline.ONGOING, D(2026, 12, 31), None),
        ("Thường xuyên, hằng năm", Deadline.ONGOING, D(2026, 12, 31), None),
        ("Hằng quý và đột xuất", Deadline.QUARTERLY, D(2026, 12, 31), None),
        ("Thường xuyên 2025", Deadline.ONGOING, D(2025, 12, 31), None),
    ],
)
def test_more_forms_of_real_plans_read_as_a_civil_servant_reads_them(text, kind, due, start):
    deadline = parse_deadline(text, year=2026)
    assert (deadline.kind, deadline.due_date, deadline.start) == (kind, due, start)


@pytest.mark.parametrize(
    "text",
    [
        "Giai đoạn 2026-2030",
        "Giai đoạn 2026–2030",
        "Giai đoạn 2026—2030",
        "Giai đoạn 2026 − 2030",
        "giai đoạn 2026 - 2030",
        "GIAI ĐOẠN 2026 – 2030",
        "  Giai   đoạn  2026 -2030  ",
        "Giai đoạn 2026 - 2030.",
        "Giai đoạn 2026-2030;",
        unicodedata.normalize("NFD", "Giai đoạn 2026-2030"),  # as some editors save it
    ],
)
def test_dashes_case_spaces_and_a_closing_stop_do_not_change_the_date(text):
    deadline = parse_deadline(text, year=2026)
    assert (deadline.due_date, deadline.start) == (D(2030, 12, 31), D(2026, 1, 1))
    assert deadline.text == " ".join(text.split())


@pytest.mark.parametrize(
    "text",
    ["TRƯỚC NGÀY 15/11 HẰNG NĂM", "trước  ngày 15 / 11  hằng năm.", "Trước ngày 15-11 hàng năm;"],
)
def test_variants_of_a_yearly_day_read_the_same(text):
    assert parse_deadline(text, year=2026).due_date == D(2026, 11, 15)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Kịp thời", "không nêu thời điểm hoàn thành"),
        ("Ngay", "không nêu thời điểm hoàn thành"),
        ("Liên tục", "không nêu thời điểm hoàn thành"),
        ("Kịp thời, liên tục", "không nêu thời điểm hoàn thành"),
        ("Sau khi Nghị định được ban hành", "phụ thuộc vào việc khác"),
        ("Theo tiến độ của Bộ Nội vụ", "phụ thuộc vào việc khác"),
        ("Trước năm 2030", "chưa rõ là hạn cuối kỳ đó hay kỳ liền trước"),
        ("Trước tháng 6/2026", "chưa rõ là hạn cuối kỳ đó hay kỳ liền trước"),
        ("Trước quý III/2026", "chưa rõ là hạn cuối kỳ đó hay kỳ liền trước"),
        ("Định kỳ 6 tháng", "chỉ theo dõi được nhiệm vụ thường xuyên"),
        ("Hằng tuần", "chỉ theo dõi được nhiệm vụ thường xuyên"),
        ("Định kỳ", "chỉ theo dõi được nhiệm vụ thường xuyên"),
        ("Từ quý II/2026", "Không đọc được thời hạn"),  # from then on: no end
        ("3-4/2026", "Không đọc được thời hạn"),  # 3 April, or months 3 to 4?
        ("Đầu năm 2026", "Không đọc được thời hạn"),
        ("Năm 2025-26", "Không đọc được thời hạn"),
        ("Năm 3026", "Không đọc được thời hạn"),
        ("Quý I/2026, Quý II/2026", "Không đọc được thời hạn"),
        ("Giai đoạn 2026-2030, hằng năm", "Không đọc được thời hạn"),
        ("Đến năm 2025, định hướng đến năm 2030", "Không đọc được thời hạn"),
        ("Hằng quý, hằng tháng", "nhiều kỳ định kỳ khác nhau"),
        ("Thường xuyên 2025, thường xuyên 2026", "nhiều năm khác nhau"),
        ("trước ngày 15/11/2026 hằng năm", "“hằng năm” đi với một ngày hay một kỳ không ghi năm"),
        ("Tháng 12/2026 hằng năm", "“hằng năm” đi với một ngày hay một kỳ không ghi năm"),
        ("29/2 hằng năm", "không phải một ngày có thật"),
    ],
)
def test_text_that_names_no_single_date_is_refused_with_the_reason(text, message):
    with pytest.raises(DeadlineError, match=message):
        parse_deadline(text, year=2026)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Năm 2030-2025", "năm kết thúc phải sau năm bắt đầu"),
        ("Giai đoạn 2030 – 2026", "năm kết thúc phải sau năm bắt đầu"),
        ("2026 - 2026", "năm kết thúc phải sau năm bắt đầu"),
        ("Từ năm 2030 đến năm 2025", "năm kết thúc phải sau năm bắt đầu"),
        ("Quý III - I/2026", "ghi các quý từ trước đến sau"),
        ("Tháng 9 - tháng 6/2026", "ghi các tháng từ trước đến sau"),
    ],
)
def test_no_reversed_range_passes(text, message):
    with pytest.raises(DeadlineError, match=message):
        parse_deadline(text, year=2026)


@pytest.mark.parametrize(
    "text", ["Từ năm 2026", "trước ngày 15/11 hằng năm", "Hằng năm", "Thường xuyên, kịp thời"]
)
def test_forms_that_need_the_plans_year_say_so_without_it(text):
    with pytest.raises(DeadlineError, match="cần năm của kế hoạch"):
        parse_deadline(text)


def test_forms_that_give_their_years_need_no_plan_year():
    assert parse_deadline("Giai đoạn 2026–2030").due_date == D(2030, 12, 31)
    assert parse_deadline("Đến năm 2030").due_date == D(2030, 12, 31)


def test_every_form_the_message_lists_is_read():
    for form in ACCEPTED_FORMS.split(", "):
        parse_deadline(form, year=2019)


@pytest.mark.parametrize(
    ("deadline", "dates"),
    [
        (Deadline("Quý II/2026", D(2026, 6, 30)), [D(2026, 6, 30)]),
        (Deadline("trước ngày 15/11 hằng năm", D(2026, 11, 15), Deadline.YEARLY), [D(2026, 11, 15)]),
        (Deadline("Giai đoạn 2026–2030", D(2030, 12, 31), Deadline.ONCE, D(2026, 1, 1)), [D(2030, 12, 31)]),
        (Deadline.unset("Kịp thời"), []),
    ],
)
def test_every_kind_has_its_report_dates(deadline, dates):
    assert deadline.report_dates() == dates


def test_an_unset_deadline_has_no_next_report_date():
    deadline = Deadline.unset("  Kịp  thời ")
    assert (deadline.text, deadline.kind, deadline.due_date) == ("Kịp thời", Deadline.UNSET, None)
    assert deadline.next_report_date(D(2026, 5, 1)) is None
    assert not deadline.is_periodic

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template

from cchc import formatting


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (5, "05/KH-SKHĐT"),
        (9, "09/KH-SKHĐT"),
        (10, "10/KH-SKHĐT"),
        (14, "14/KH-SKHĐT"),
        (10041, "10041/KH-SKHĐT"),
    ],
)
def test_document_numbers_below_ten_take_a_leading_zero(number, expected):
    assert formatting.document_number(number, "KH-SKHĐT") == expected


def test_number_line_has_no_spaces_inside_the_reference():
    assert formatting.number_line(5, "KH - SKHĐT") == "Số: 05/KH-SKHĐT"


def test_document_number_refuses_zero():
    with pytest.raises(ValueError, match="từ 1"):
        formatting.document_number(0, "KH-SKHĐT")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2019, 1, 15), "ngày 15 tháng 01 năm 2019"),
        (datetime.date(2020, 3, 5), "ngày 05 tháng 3 năm 2020"),
        (datetime.date(2020, 2, 29), "ngày 29 tháng 02 năm 2020"),
        (datetime.date(2021, 12, 1), "ngày 01 tháng 12 năm 2021"),
        (datetime.date(2021, 10, 10), "ngày 10 tháng 10 năm 2021"),
    ],
)
def test_long_dates_pad_days_below_ten_and_only_months_one_and_two(day, expected):
    assert formatting.long_date(day) == expected


def test_date_line_starts_with_the_place_name():
    assert (
        formatting.date_line("Vĩnh Phúc", datetime.date(2019, 1, 15))
        == "Vĩnh Phúc, ngày 15 tháng 01 năm 2019"
    )


def test_short_date_is_dd_mm_yyyy():
    assert formatting.short_date(datetime.date(2011, 11, 8)) == "08/11/2011"


def test_legal_basis_lines_end_with_semicolons_and_the_last_with_a_full_stop():
    lines = formatting.legal_basis_lines(
        [
            "Nghị quyết số 30c/NQ-CP ngày 08/11/2011 của Chính phủ.",
            "Căn cứ Quyết định số 2757/QĐ-UBND;",
            "Kế hoạch số 02/KH-SKHĐT",
        ]
    )
    assert lines == [
        "Căn cứ Nghị quyết số 30c/NQ-CP ngày 08/11/2011 của Chính phủ;",
        "Căn cứ Quyết định số 2757/QĐ-UBND;",
        "Căn cứ Kế hoạch số 02/KH-SKHĐT.",
    ]


def test_a_single_legal_basis_ends_with_a_full_stop():
    assert formatting.legal_basis_lines(["Luật Thi đua, khen thưởng"]) == [
        "Căn cứ Luật Thi đua, khen thưởng."
    ]


def test_recipient_lines_start_with_a_dash_and_the_storage_line_ends_the_list():
    lines = formatting.recipient_lines(["UBND tỉnh (b/c)", "- Sở Nội vụ;", "", "Lưu: VT, VP"])
    assert lines == ["- UBND tỉnh (b/c);", "- Sở Nội vụ;", "- Lưu: VT, VP."]


def test_upper_keeps_vietnamese_letters():
    assert formatting.upper("Sở Kế hoạch và Đầu tư") == "SỞ KẾ HOẠCH VÀ ĐẦU TƯ"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234567, 0, "1.234.567"),
        (0, 0, "0"),
        (12.5, 2, "12,50"),
        (99.995, 2, "100,00"),
        (-1500, 0, "-1.500"),
        (1000.126, 2, "1.000,13"),
    ],
)
def test_vietnamese_number_separators(value, decimals, expected):
    assert formatting.vn_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("source", "context", "expected"),
    [
        ("{{ value|vn_number }}", {"value": 21914}, "21.914"),
        ("{{ value|vn_number:2 }} %", {"value": Decimal("76.47")}, "76,47 %"),
        ("{{ rows|length|vn_number }}", {"rows": list(range(1200))}, "1.200"),
        ("[{{ value|vn_number }}]", {"value": None}, "[]"),
    ],
)
def test_the_vn_number_filter_prints_counts_with_vietnamese_separators(source, context, expected):
    template = Template("{% load nd30 %}" + source)
    assert template.render(Context(context)) == expected


@pytest.mark.parametrize(
    ("text", "value"), [("I", 1), ("IV", 4), ("IX", 9), ("XIV", 14), ("XL", 40), ("C", 100)]
)
def test_roman_value_reads_the_numerals_roman_writes(text, value):
    from cchc.formatting import roman, roman_value

    assert roman_value(text) == value
    assert roman_value(roman(value)) == value


@pytest.mark.parametrize("text", ["", "IIII", "VX", "A", "1", "iv"])
def test_roman_value_is_none_for_what_no_numeral_writes(text):
    from cchc.formatting import roman_value

    assert roman_value(text) is None

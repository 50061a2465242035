"""The rules of scoring: each method, the tree's checks, bands and the tie rule."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from evaluations.models import Method
from evaluations.scoring import Node, Rule, Standing, band, check_bands, check_tree, points, ranked, shown

D = Decimal


def rule(method, max_points="2", thresholds=()):
    return Rule("1.2", D(max_points), method, thresholds)


@pytest.mark.parametrize(
    ("typed", "expected"), [("1,5", D("1.50")), ("2", D("2.00")), ("0", D("0.00")), (D("0.25"), D("0.25"))]
)
def test_manual_takes_the_number_typed_within_its_range(typed, expected):
    assert points(rule(Method.MANUAL), typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2,5", "Tiêu chí 1.2: điểm phải từ 0 đến 2, không thể là 2,5."),
        ("-1", "Tiêu chí 1.2: điểm phải từ 0 đến 2, không thể là -1."),
        ("hai", "“hai” không phải là một số."),
        ("1,255", "Tiêu chí 1.2: điểm lấy nhiều nhất hai chữ số thập phân."),
    ],
)
def test_manual_refuses_what_is_out_of_range_in_vietnamese(typed, message):
    with pytest.raises(ValidationError) as caught:
        points(rule(Method.MANUAL), typed)
    assert caught.value.messages == [message]


@pytest.mark.parametrize(("answer", "expected"), [("Có", D(2)), ("không", D(0)), (True, D(2)), (False, D(0))])
def test_yes_no_is_the_maximum_or_nothing(answer, expected):
    assert points(rule(Method.YES_NO), answer) == expected


def test_yes_no_refuses_anything_else():
    with pytest.raises(ValidationError, match="ghi “Có” hoặc “Không”"):
        points(rule(Method.YES_NO), "một phần")


THRESHOLDS = [[80, 1], [50, "0.5"], [0, 0]]


@pytest.mark.parametrize(
    ("rate", "expected"),
    [("100", D("2.00")), ("80", D("2.00")), ("79,99", D("1.00")), ("50", D("1.00")), ("49", D("0.00"))],
)
def test_thresholds_give_the_share_of_the_first_band_reached(rate, expected):
    assert points(rule(Method.THRESHOLDS, thresholds=THRESHOLDS), rate) == expected


def test_computed_without_thresholds_is_proportional_and_with_them_by_band():
    assert points(rule(Method.COMPUTED, "3"), D("76.47")) == D("2.29")
    assert points(rule(Method.COMPUTED, "3", THRESHOLDS), D("76.47")) == D("1.50")


def test_a_rate_beyond_100_is_refused():
    with pytest.raises(ValidationError, match="tỷ lệ phải từ 0 đến 100 %"):
        points(rule(Method.THRESHOLDS, thresholds=THRESHOLDS), "120")


def node(label, max_points, method=Method.MANUAL, children=(), **extra):
    return Node(label, f"Tiêu chí {label}", D(max_points), method, children=list(children), **extra)


def test_a_tree_that_adds_up_passes():
    tree = [
        node("I", 10, Method.GROUP, [node("1", 4), node("2", 6, Method.YES_NO)]),
        node("II", 90, Method.GROUP, [node("1", 90, Method.COMPUTED, measure="completed")]),
    ]
    check_tree(tree, D(100))


def test_every_problem_of_a_tree_is_named_at_once():
    tree = [
        node("I", 10, Method.GROUP, [node("1", 4), node("2", 5)]),
        node("II", 80, Method.MANUAL, [node("1", 80)]),
        node("III", 5, Method.COMPUTED, thresholds=[[50, 1], [80, "0.5"]]),
        node("IV", 0, Method.GROUP),
    ]
    with pytest.raises(ValidationError) as caught:
        check_tree(tree, D(100))
    assert caught.value.messages == [
        "Tiêu chí I: điểm tối đa 10 nhưng các tiêu chí con cộng lại 9.",
        "Tiêu chí II có tiêu chí con nên là một nhóm: điểm là tổng điểm các tiêu chí con.",
        "Tiêu chí III: các ngưỡng phải ghi từ cao xuống thấp, mỗi ngưỡng một lần.",
        "Tiêu chí III: tiêu chí tính từ nhiệm vụ phải chọn số liệu tính.",
        "Tiêu chí IV là nhóm nhưng không có tiêu chí con.",
        "Các lĩnh vực cộng lại 95 điểm, không bằng tổng điểm 100 đã khai báo.",
    ]


BANDS = [[90, "Xuất sắc"], [80, "Tốt"], [65, "Khá"], [50, "Trung bình"], [0, "Yếu"]]


@pytest.mark.parametrize(
    ("total", "expected"),
    [(D("92.93"), "Xuất sắc"), (D(90), "Xuất sắc"), (D("89.99"), "Tốt"), (D(65), "Khá"), (D("49.5"), "Yếu")],
)
def test_bands_go_by_the_first_threshold_reached(total, expected):
    assert band(total, BANDS) == expected


def test_bands_must_go_down_to_zero_in_order():
    with pytest.raises(ValidationError, match="từ cao xuống thấp"):
        check_bands([[80, "Tốt"], [90, "Xuất sắc"], [0, "Yếu"]], D(100))
    with pytest.raises(ValidationError, match="bắt đầu từ 0 điểm"):
        check_bands([[90, "Xuất sắc"], [50, "Đạt"]], D(100))


def test_the_ranking_breaks_ties_by_the_areas_in_order_then_shares_the_rank():
    rows = [
        Standing(1, "Sở Xây dựng", D("91.33"), (D(10), D("81.33"))),
        Standing(2, "Sở Tài chính", D("92.93"), (D(9), D("83.93"))),
        Standing(3, "Sở Công Thương", D("85.00"), (D(8), D(77))),
        Standing(4, "Sở Y tế", D("85.00"), (D(9), D(76))),  # same total, more in area I: above
        Standing(5, "Sở Nội vụ", D("85.00"), (D(9), D(76))),  # equal on every area: same rank
    ]
    order = ranked(rows, BANDS)
    assert [(row.name, row.rank, row.band) for row in order] == [
        ("Sở Tài chính", 1, "Xuất sắc"),
        ("Sở Xây dựng", 2, "Xuất sắc"),
        ("Sở Nội vụ", 3, "Tốt"),
        ("Sở Y tế", 3, "Tốt"),
        ("Sở Công Thương", 5, "Tốt"),
    ]


def test_points_are_written_as_vietnamese_documents_write_them():
    assert [shown(D(value)) for value in ("92.93", "2.5", "10", "0.05")] == ["92,93", "2,5", "10", "0,05"]

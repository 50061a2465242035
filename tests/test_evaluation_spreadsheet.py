"""A rubric as an .xlsx grid: exported in the grid users know, read back to the same tree, and real
provincial files read despite their titles, column orders, merged cells and ways of writing points."""

import datetime
import io
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl.styles import Font

from evaluations.models import Measure, Method, Rubric, Scope
from evaluations.scoring import Node
from evaluations.services import round_create, rubric_create, rubric_tree
from evaluations.spreadsheet import export_rubric, read_rubric, thresholds_line
from tasks.importing import MAX_BYTES

D = Decimal


def every_method() -> list[Node]:
    return [
        Node(
            "I",
            "Công tác chỉ đạo, điều hành cải cách hành chính",
            D(6),
            Method.GROUP,
            children=[
                Node(
                    "1",
                    "Ban hành kế hoạch cải cách hành chính năm",
                    D(1),
                    Method.YES_NO,
                    rule="Có ban hành kế hoạch: điểm tối đa; không: 0 điểm",
                    evidence="Kế hoạch cải cách hành chính năm",
                    evidence_required=True,
                ),
                Node("2", "Có báo cáo định kỳ", D("0.5"), Method.YES_NO),
                Node(
                    "3",
                    "Tỷ lệ nhiệm vụ của kế hoạch hoàn thành",
                    D("2.5"),
                    Method.THRESHOLDS,
                    thresholds=[[80, 1], [50, 0.5], [0, 0]],
                    rule="Tính theo tỷ lệ nhiệm vụ hoàn thành trong năm",
                ),
                Node(
                    "4",
                    "Thực hiện nhiệm vụ được giao",
                    D(2),
                    Method.GROUP,
                    children=[
                        Node("4.1", "Hoàn thành đúng hạn", D(1), Method.COMPUTED, measure=Measure.ON_TIME),
                        Node(
                            "4.2",
                            "Báo cáo được duyệt ngay",
                            D("0.5"),
                            Method.COMPUTED,
                            measure=Measure.FIRST_TIME,
                            thresholds=[[90, 1], [0, 0.5]],
                        ),
                        Node(
                            "4.3",
                            "Kiểm tra nội bộ",
                            D("0.5"),
                            Method.GROUP,
                            children=[
                                Node("a)", "Có kế hoạch kiểm tra", D("0.25"), Method.MANUAL),
                                Node(
                                    "b)",
                                    "Tỷ lệ phòng được kiểm tra",
                                    D("0.25"),
                                    Method.MANUAL,
                                    rule="Từ 80% trở lên: 0,25 điểm; dưới 80%: 0 điểm",
                                ),
                            ],
                        ),
                    ],
                ),
            ],
        ),
        Node(
            "II",
            "Cải cách thủ tục hành chính",
            D(4),
            Method.GROUP,
            children=[
                Node(
                    "1",
                    "Rà soát, đơn giản hóa thủ tục hành chính",
                    D(4),
                    Method.MANUAL,
                    rule="Thực hiện đầy đủ: điểm tối đa; chưa đầy đủ: trừ điểm tương ứng",
                    evidence="Báo cáo rà soát",
                ),
            ],
        ),
    ]


def upload(data: bytes, name="bo-tieu-chi.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def workbook_upload(workbook) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return upload(buffer.getvalue())


def errors_of(file) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        read_rubric(file)
    return caught.value.messages


@pytest.fixture
def rubric(db):
    return rubric_create(
        name="Bộ tiêu chí chấm điểm cải cách hành chính các phòng",
        scope=Scope.DEPARTMENTS,
        total_points=D(10),
        criteria=every_method(),
    )


def test_an_exported_rubric_reads_back_to_the_same_tree(rubric):
    nodes, total = read_rubric(upload(export_rubric(rubric)))

    assert total == D(10)
    assert nodes == rubric_tree(rubric)
    area = nodes[0]
    assert [child.method for child in area.children] == [
        Method.YES_NO,
        Method.YES_NO,
        Method.THRESHOLDS,
        Method.GROUP,
    ]
    assert area.children[2].thresholds == [[80, 1], [50, 0.5], [0, 0]]
    assert area.children[2].rule == "Tính theo tỷ lệ nhiệm vụ hoàn thành trong năm"
    computed = area.children[3].children
    assert (computed[0].measure, computed[0].thresholds) == (Measure.ON_TIME, [])
    assert (computed[1].measure, computed[1].thresholds) == (Measure.FIRST_TIME, [[90, 1], [0, 0.5]])
    # a rule that reads as thresholds stays a manual criterion: the export says so
    assert computed[2].children[1].method == Method.MANUAL
    assert area.children[0].evidence_required
    assert not nodes[1].children[0].evidence_required


def test_the_shipped_rubrics_read_back_unchanged(db):
    shipped = list(Rubric.objects.filter(is_default=True))

    assert shipped  # loaded by a migration from evaluations/rubrics/
    for rubric in shipped:
        assert read_rubric(upload(export_rubric(rubric))) == (rubric_tree(rubric), rubric.total_points)


def test_a_round_exports_its_own_copy_of_the_criteria(rubric, agency, leader, department):
    round_ = round_create(
        agency=agency,
        by=leader,
        rubric=rubric,
        year=2026,
        title="Chấm điểm cải cách hành chính các phòng năm 2026",
        self_from=datetime.date(2026, 12, 1),
        self_to=datetime.date(2026, 12, 10),
        appraisal_from=datetime.date(2026, 12, 11),
        appraisal_to=datetime.date(2026, 12, 20),
        bands=[[9, "Tốt"], [5, "Khá"], [0, "Yếu"]],
    )
    rubric.criteria.filter(label="II").update(title="Sửa sau khi mở đợt")
    data = export_rubric(round_)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active

    assert sheet["A1"].value == rubric.name
    assert sheet["A2"].value.startswith("Chấm điểm cải cách hành chính các phòng năm 2026")
    assert read_rubric(upload(data)) == (rubric_tree(round_), D(10))
    assert read_rubric(upload(data))[0][1].title == "Cải cách thủ tục hành chính"


def test_the_export_is_the_grid_users_know(rubric):
    sheet = openpyxl.load_workbook(io.BytesIO(export_rubric(rubric))).active
    rows = {row[0].row: row for row in sheet.iter_rows()}
    header = next(line for line, row in rows.items() if row[0].value == "STT")

    assert sheet["A1"].value == "Bộ tiêu chí chấm điểm cải cách hành chính các phòng"
    assert "10 điểm" in sheet["A2"].value
    assert [cell.value for cell in rows[header]] == [
        "STT",
        "Tiêu chí, tiêu chí thành phần",
        "Điểm tối đa",
        "Cách tính điểm",
        "Tài liệu kiểm chứng",
    ]
    by_label = {row[0].value: row for line, row in rows.items() if line > header and row[0].value}
    area, yes_no, thresholds = by_label["I"], rows[header + 2], rows[header + 4]
    assert area[1].font.b and not yes_no[1].font.b and not yes_no[1].font.i
    assert by_label["4.1"][1].font.i and by_label["4.1"][1].alignment.indent == 2
    assert thresholds[2].value == 2.5 and thresholds[2].data_type == "n"
    assert thresholds[3].value.splitlines() == [
        "Tính theo tỷ lệ nhiệm vụ hoàn thành trong năm",
        "≥ 80 %: 100 % số điểm; 50–80 %: 50 %; < 50 %: 0",
    ]
    assert "Tỷ lệ nhiệm vụ được giao hoàn thành đúng hạn" in by_label["4.1"][3].value
    assert yes_no[4].value == "Kế hoạch cải cách hành chính năm\n(bắt buộc)"
    last = rows[sheet.max_row]
    assert (last[1].value, last[2].value) == ("Tổng cộng", 10)
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == f"${header}:${header}"


@pytest.mark.parametrize(
    ("thresholds", "line"),
    [
        ([[80, 1], [50, 0.5], [0, 0]], "≥ 80 %: 100 % số điểm; 50–80 %: 50 %; < 50 %: 0"),
        ([[90, 1], [0, 0.25]], "≥ 90 %: 100 % số điểm; < 90 %: 25 %"),
        ([[100, 1], [75.5, 0.3333]], "≥ 100 %: 100 % số điểm; 75,5–100 %: 33,33 %"),
    ],
)
def test_thresholds_are_written_as_a_readable_line(thresholds, line):
    assert thresholds_line(thresholds) == line


def test_text_that_looks_like_a_formula_stays_text(db):
    rubric = rubric_create(
        name='=HYPERLINK("http://example.com")',
        scope=Scope.DEPARTMENTS,
        total_points=D(2),
        criteria=[
            Node(
                "I",
                "+Cải cách thể chế",
                D(2),
                Method.GROUP,
                children=[
                    Node(
                        "1",
                        "=1+1",
                        D(1),
                        Method.MANUAL,
                        rule="-Trừ 0,5 điểm mỗi lần chậm",
                        evidence="@Văn bản",
                    ),
                    Node("-", "Ban hành đúng hạn", D(1), Method.MANUAL),
                ],
            ),
        ],
    )
    data = export_rubric(rubric)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    looking = [cell for cell in cells if cell.value.startswith(("=", "+", "-", "@"))]

    assert {cell.value for cell in looking} >= {
        "=1+1",
        "+Cải cách thể chế",
        "-",
        "@Văn bản",
        '=HYPERLINK("http://example.com")',
    }
    assert all(cell.data_type == "s" for cell in looking)
    nodes, _total = read_rubric(upload(data))
    assert nodes[0].title == "+Cải cách thể chế"
    assert nodes[0].children[0].title == "=1+1"
    assert nodes[0].children[1].label == "-"


def messy_workbook():
    """A province's file: a title over the table, the header on row 4 in another order with "TT",
    "Điểm chuẩn" and a column for the self-score, the "(1) (2)…" row, an area merged across, comma
    decimals, rules as people write them, a rule continued on the next row, a "Tổng cộng" row and the
    signatures under it."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "UBND TỈNH VĨNH PHÚC"
    sheet["A2"] = "BỘ TIÊU CHÍ ĐÁNH GIÁ CÔNG TÁC CẢI CÁCH HÀNH CHÍNH CÁC PHÒNG NĂM 2026"
    sheet.merge_cells("A2:F2")
    headers = [
        "TT",
        "Tiêu chí đánh giá",
        "Hướng dẫn chấm",
        "Tài liệu minh chứng",
        "Điểm tự đánh giá",
        "Điểm\nchuẩn",
    ]
    for col, text in enumerate(headers, start=1):
        sheet.cell(4, col, text).font = Font(bold=True)
    rows = [
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
        ["I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", None, None, None, None, None],
        [
            1,
            "Tỷ lệ văn bản ban hành đúng hạn",
            "Từ 80% trở lên: 2,5 điểm; từ 50% đến dưới 80%: 1 điểm; dưới 50%: 0 điểm",
            "Danh mục văn bản",
            2,
            "2,5",
        ],
        [
            "2.",
            "Ban hành kế hoạch kiểm tra",
            "Có ban hành kế hoạch: điểm tối đa; không ban hành: 0 điểm",
            "Kế hoạch kiểm tra",
            None,
            1.5,
        ],
        [3, "Tuyên truyền cải cách hành chính", None, None, None, None],
        [
            None,
            "a) Có chuyên mục trên trang thông tin điện tử",
            "Thực hiện đầy đủ: điểm tối đa",
            None,
            None,
            "0,5",
        ],
        ["b", "Tổ chức hội nghị tuyên truyền", "Có tổ chức hội nghị: điểm tối đa;", None, None, "0.5"],
        [None, None, "không tổ chức: 0 điểm", "Giấy mời, ảnh", None, None],
        ["II", "Cải cách thủ tục hành chính (5 điểm)", None, None, None, None],
        [1, "Công khai thủ tục hành chính", None, None, None, None],
        [
            None,
            "- Trên cổng dịch vụ công",
            "Đầy đủ: điểm tối đa; chưa đầy đủ: trừ 1 điểm mỗi thủ tục",
            None,
            None,
            3,
        ],
        ["-", "Niêm yết tại nơi tiếp nhận hồ sơ", None, None, None, "2 điểm"],
        [None, "Tổng cộng", None, None, 15, 10],
        [None, "Người lập biểu", None, None, None, "x"],
    ]
    for line, values in enumerate(rows, start=5):
        for col, value in enumerate(values, start=1):
            sheet.cell(line, col, value)
    sheet.merge_cells("A6:F6")
    sheet.cell(6, 1).font = Font(bold=True)
    sheet.merge_cells("A11:A12")  # component b) and its rule continued on row 12
    sheet.merge_cells("B11:B12")
    return workbook


def test_a_messy_provincial_grid_is_read(db):
    nodes, total = read_rubric(workbook_upload(messy_workbook()))

    assert total == D(10)
    assert [(node.label, node.title, node.max_points, node.method) for node in nodes] == [
        ("I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", D(5), Method.GROUP),
        ("II", "Cải cách thủ tục hành chính", D(5), Method.GROUP),
    ]
    rate, plan, propaganda = nodes[0].children
    assert (rate.label, rate.max_points, rate.method) == ("1", D("2.5"), Method.THRESHOLDS)
    assert rate.thresholds == [[80, 1], [50, 0.4], [0, 0]]
    assert rate.evidence == "Danh mục văn bản"
    assert (plan.label, plan.max_points, plan.method) == ("2.", D("1.5"), Method.YES_NO)
    assert (propaganda.max_points, propaganda.method) == (D(1), Method.GROUP)
    page, meeting = propaganda.children
    assert (page.label, page.title, page.max_points, page.method) == (
        "a)",
        "Có chuyên mục trên trang thông tin điện tử",
        D("0.5"),
        Method.MANUAL,
    )
    assert (meeting.label, meeting.title, meeting.max_points) == (
        "b",
        "Tổ chức hội nghị tuyên truyền",
        D("0.5"),
    )
    assert meeting.rule == "Có tổ chức hội nghị: điểm tối đa;\nkhông tổ chức: 0 điểm"
    assert meeting.method == Method.YES_NO
    assert meeting.evidence == "Giấy mời, ảnh"
    publish = nodes[1].children[0]
    assert (publish.max_points, publish.method) == (D(5), Method.GROUP)
    assert [(child.label, child.title, child.max_points, child.method) for child in publish.children] == [
        ("-", "Trên cổng dịch vụ công", D(3), Method.MANUAL),
        ("-", "Niêm yết tại nơi tiếp nhận hồ sơ", D(2), Method.MANUAL),
    ]


def test_a_read_grid_can_be_stored_as_a_rubric(db):
    nodes, total = read_rubric(workbook_upload(messy_workbook()))
    rubric = rubric_create(
        name="Bộ tiêu chí của tỉnh", scope=Scope.DEPARTMENTS, total_points=total, criteria=nodes
    )

    assert read_rubric(upload(export_rubric(rubric))) == (rubric_tree(rubric), D(10))


def grid(rows, header=("STT", "Tiêu chí, tiêu chí thành phần", "Điểm tối đa", "Cách tính điểm")):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    return workbook_upload(workbook)


def test_points_that_are_not_a_number_are_refused_naming_the_row():
    file = grid(
        [["I", "Chỉ đạo", None], ["1", "Kế hoạch", "hai"], ["2", "Báo cáo", "1,255"], ["3", "Kiểm tra", None]]
    )

    assert errors_of(file) == [
        "Dòng 3: điểm tối đa “hai” không phải là một số.",
        "Dòng 4: điểm tối đa 1,255 lấy nhiều nhất hai chữ số thập phân.",
        "Dòng 5: tiêu chí “Kiểm tra” chưa ghi điểm tối đa.",
    ]


def test_points_that_do_not_add_up_are_refused_with_every_error():
    file = grid(
        [
            ["I", "Chỉ đạo", 10],
            ["1", "Kế hoạch", 4],
            ["2", "Báo cáo", 4],
            ["II", "Thủ tục hành chính", 5],
            ["1", "Công khai", 5],
            ["", "Tổng cộng", 100],
        ]
    )

    assert errors_of(file) == [
        "Tiêu chí I: điểm tối đa 10 nhưng các tiêu chí con cộng lại 8.",
        "Các lĩnh vực cộng lại 15 điểm, không bằng tổng điểm 100 đã khai báo.",
    ]


def test_without_a_total_row_the_total_is_the_sum_of_the_areas():
    nodes, total = read_rubric(grid([["I", "Chỉ đạo", 3], ["1", "Kế hoạch", 3], ["II", "Thể chế", "2,5"]]))

    assert total == D("5.5")
    assert [node.label for node in nodes] == ["I", "II"]


def test_a_file_without_the_header_row_is_refused():
    assert errors_of(grid([["1", "Kế hoạch", 2]], header=("STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì")))[
        0
    ].startswith("Không tìm thấy dòng tiêu đề của bảng tiêu chí.")


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("Bộ tiêu chí")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bo-tieu-chi.xlsx", docx_bytes(), "không phải bảng tính Excel (.xlsx) (nội dung là tệp docx)"),
        ("bo-tieu-chi.xlsx", b"STT;Tieu chi;Diem\n1;Ke hoach;2\n", "không phải bảng tính Excel (.xlsx)."),
        ("bo-tieu-chi.xlsx", b"PK\x03\x04 not really a zip", "không phải bảng tính Excel (.xlsx)."),
        ("bo-tieu-chi.xlsx", b"", "rỗng"),
    ],
)
def test_what_is_not_an_xlsx_is_refused_by_its_content(name, data, message):
    assert message in errors_of(upload(data, name))[0]


def test_an_oversized_file_is_refused_before_it_is_opened():
    file = upload(b"PK\x03\x04" + b"\0" * 100)
    file.size = MAX_BYTES + 1

    assert errors_of(file) == [
        f"Tệp “bo-tieu-chi.xlsx” nặng 10,0 MB, vượt giới hạn {MAX_BYTES // 1_048_576} MB của tệp bộ tiêu chí."
    ]

"""The tables of an official document as .xlsx, read back with openpyxl."""

import dataclasses
import io

import openpyxl
import pytest

from cchc.printing.document import Appendix, Column, GroupRow, Paragraph, Table
from cchc.printing.xlsx import render_tables_xlsx
from tests.printing_sample import sample_document


def read(document):
    return openpyxl.load_workbook(io.BytesIO(render_tables_xlsx(document)))


@pytest.fixture(scope="module")
def plan():
    return sample_document()


@pytest.fixture(scope="module")
def sheet(plan):
    workbook = read(plan)
    assert workbook.sheetnames == ["Phụ lục"]
    return workbook["Phụ lục"]


HEADER_ROW = 5  # three title lines, an empty row, the header


def test_the_title_block_names_the_appendix_and_what_it_is_attached_to(sheet, plan):
    appendix = plan.appendices[0]
    assert [sheet.cell(row, 1).value for row in (1, 2, 3)] == [
        "Phụ lục",
        appendix.title.upper(),
        appendix.attached_to,
    ]
    assert sheet.cell(1, 1).font.b and sheet.cell(2, 1).font.b
    assert sheet.cell(3, 1).font.i
    merged = {str(cells) for cells in sheet.merged_cells.ranges}
    assert {"A1:F1", "A2:F2", "A3:F3"} <= merged


def test_the_header_row_is_bold_frozen_and_printed_on_every_page(sheet, plan):
    columns = plan.appendices[0].blocks[0].columns
    header = [sheet.cell(HEADER_ROW, col).value for col in range(1, len(columns) + 1)]
    assert header == [column.title for column in columns]
    assert all(sheet.cell(HEADER_ROW, col).font.b for col in range(1, len(columns) + 1))
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"


def test_the_sheet_prints_landscape_a4_fitted_to_the_width(sheet):
    setup = sheet.page_setup
    assert setup.orientation == "landscape"
    assert int(setup.paperSize) == 9  # A4
    assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_margins.left == pytest.approx(30 / 25.4)


def test_column_widths_follow_the_column_shares(sheet, plan):
    columns = plan.appendices[0].blocks[0].columns
    widths = [sheet.column_dimensions[chr(ord("A") + index)].width for index in range(len(columns))]
    for width, column in zip(widths, columns, strict=True):
        assert width / sum(widths) == pytest.approx(column.width, abs=0.01)
    assert widths[1] == max(widths)  # "Nội dung nhiệm vụ"


def test_group_rows_are_bold_and_merged_across_the_columns(sheet, plan):
    table = plan.appendices[0].blocks[0]
    merged = {str(cells) for cells in sheet.merged_cells.ranges}
    for offset, row in enumerate(table.rows, start=HEADER_ROW + 1):
        if isinstance(row, GroupRow):
            assert (sheet.cell(offset, 1).value, sheet.cell(offset, 2).value) == (row.label, row.text)
            assert f"B{offset}:F{offset}" in merged
            assert sheet.cell(offset, 1).font.b and sheet.cell(offset, 2).font.b
        else:
            assert f"B{offset}:F{offset}" not in merged
            assert not sheet.cell(offset, 2).font.b


def test_cells_hold_the_source_text_wrapped(sheet, plan):
    table = plan.appendices[0].blocks[0]
    width = len(table.columns)
    printed = []
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1, max_col=width, values_only=True):
        printed.append(tuple(value for value in row if value is not None))
    expected = [(row.label, row.text) if isinstance(row, GroupRow) else row for row in table.rows]
    assert printed == expected
    multiline = next(row for row in table.rows if not isinstance(row, GroupRow) and "\n" in row[1])
    cell = next(cell for (cell,) in sheet.iter_rows(min_col=2, max_col=2) if cell.value == multiline[1])
    assert cell.alignment.wrap_text and cell.alignment.vertical == "top"
    assert cell.font.name == "Times New Roman"


def test_column_alignment_follows_the_columns(sheet, plan):
    columns = plan.appendices[0].blocks[0].columns
    row = HEADER_ROW + 2  # the first task row
    assert [sheet.cell(row, col).alignment.horizontal for col in range(1, len(columns) + 1)] == [
        column.align for column in columns
    ]


def test_one_sheet_per_table_with_unique_titles_appendices_first():
    small = Table(columns=(Column("TT", 0.2, "center"), Column("Nội dung", 0.8)), rows=(("1", "Việc"),))
    long_label = "Phụ lục kèm theo Kế hoạch cải cách hành chính năm 2019"
    document = dataclasses.replace(
        sample_document(rows=5),
        body=(Paragraph("Mở đầu."), small),
        appendices=(
            Appendix("Phụ lục I", "Danh mục nhiệm vụ", "(Kèm theo …)", (small, Paragraph("Ghi chú."), small)),
            Appendix("Phụ lục II", "Chữ viết tắt", "(Kèm theo …)", (Paragraph("Không có bảng."),)),
            Appendix(long_label, "Danh mục", "(Kèm theo …)", (small,)),
            Appendix(long_label, "Danh mục khác", "(Kèm theo …)", (small,)),
        ),
    )
    workbook = read(document)
    assert workbook.sheetnames == [
        "Phụ lục I (1)",
        "Phụ lục I (2)",
        long_label[:31],
        long_label[:29] + " 2",
        "Bảng",
    ]
    assert all(len(name) <= 31 for name in workbook.sheetnames)
    body = workbook["Bảng"]
    assert [body.cell(row, 1).value for row in (1, 2, 3)] == [
        "KẾ HOẠCH",
        "Cải cách hành chính năm 2019 của Sở Kế hoạch và Đầu tư",
        "(Số: 14/KH-SKHĐT)",
    ]
    assert (body.cell(6, 1).value, body.cell(6, 2).value) == ("1", "Việc")


def test_forbidden_characters_leave_the_sheet_title(plan):
    appendix = dataclasses.replace(plan.appendices[0], label="Phụ lục 1/2: [tổng hợp]")
    workbook = read(dataclasses.replace(plan, appendices=(appendix,)))
    assert workbook.sheetnames == ["Phụ lục 1-2- -tổng hợp-"]


def test_a_document_without_tables_has_nothing_to_export(plan):
    with pytest.raises(ValueError):
        render_tables_xlsx(dataclasses.replace(plan, appendices=()))


def test_a_thousand_rows_fit_one_sheet():
    workbook = read(sample_document(rows=1000))
    sheet = workbook.active
    assert sheet.max_row == HEADER_ROW + 1000 + 5
    assert sheet.cell(sheet.max_row, 2).value

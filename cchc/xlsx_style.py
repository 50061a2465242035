"""The house style of every .xlsx the application writes (the task export and template, the annex
tables of printed documents): Times New Roman, thin grey borders, a bold grey header row frozen and
repeated on every printed page, group rows I, II… bold and merged (sub-groups III.1… bold italic),
wrapped text, landscape A4 fitted to the page width, dates as real Excel dates.

Every text is written as text, never as a formula: a value that Excel or LibreOffice would take for one
(=, +, -, @ first, or a tab or carriage return) is stored as a string with Excel's quote prefix
(`keep_text`), so both show it as written and neither evaluates it. The application writes no formula.
The helpers below do it for every cell they write; a writer that sets cells itself calls `keep_text`."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
FONT = "Times New Roman"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def keep_text(cell) -> None:
    """The cell's text stays text: one that starts like a formula is a string with the quote prefix."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


def text_cell(sheet, row: int, column: int, value):
    """sheet.cell(row, column, value) with the value kept as text (keep_text)."""
    cell = sheet.cell(row, column, value)
    keep_text(cell)
    return cell


def layout(sheet, columns, header_row: int) -> None:
    for index, (header, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        cell = text_cell(sheet, header_row, index, header)
        cell.font = Font(name=FONT, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def title(sheet, row: int, text: str, width: int, *, bold=True, italic=False) -> None:
    cell = text_cell(sheet, row, 1, text)
    cell.font = Font(name=FONT, bold=bold, italic=italic, size=13 if bold else 12)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def group_row(sheet, row: int, numeral: str, name: str, width: int, *, level: int = 0) -> None:
    """A group row: its number ("III", "III.1") in the first column, its name across the others, bold;
    a sub-group (level 1 and deeper: III.1, III.1.1…) bold italic."""
    text_cell(sheet, row, 1, numeral)
    text_cell(sheet, row, 2, name)
    for col in range(1, width + 1):
        cell = sheet.cell(row, col)
        cell.font = Font(name=FONT, bold=True, italic=level > 0)
        cell.fill = GROUP_FILL
        cell.border = BORDER
        cell.alignment = WRAP
    sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=width)


def data_row(sheet, row: int, values: list, date_columns=()) -> None:
    for col, value in enumerate(values, start=1):
        cell = text_cell(sheet, row, col, value)
        cell.font = Font(name=FONT)
        cell.border = BORDER
        cell.alignment = WRAP
        if col in date_columns and value is not None:
            cell.number_format = DATE_FORMAT


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

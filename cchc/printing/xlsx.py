"""The tables of an OfficialDocument as an .xlsx workbook, one sheet per table.

Laid out in the house style of every workbook of the application (cchc/xlsx_style.py): a title
block above, the header row bold, frozen and repeated on every printed page, group rows I, II… bold
and merged across the columns, wrapped text, landscape A4 fitted to the page width.
"""

import math
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.page import PageMargins

from cchc.xlsx_style import FONT, data_row, group_row, layout, title, workbook_bytes

from .document import GroupRow, OfficialDocument, Table

TABLE_WIDTH = 150  # characters shared out between the columns by their Column.width
MIN_COLUMN_WIDTH = 5
SHEET_TITLE_LIMIT = 31  # Excel's limit
FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _tables(document: OfficialDocument):
    """(sheet title, title lines, table) for every table: the appendices' first, then the body's."""
    for appendix in document.appendices:
        tables = [block for block in appendix.blocks if isinstance(block, Table)]
        for index, table in enumerate(tables, start=1):
            label = appendix.label if len(tables) == 1 else f"{appendix.label} ({index})"
            lines = [(appendix.label, True, False), (appendix.title.upper(), True, False)]
            lines.append((appendix.attached_to, False, True))
            yield label, lines, table
    tables = [block for block in document.body if isinstance(block, Table)]
    for index, table in enumerate(tables, start=1):
        label = "Bảng" if len(tables) == 1 else f"Bảng {index}"
        lines = [
            (document.type_name.upper(), True, False),
            (document.summary, True, False),
            (f"({document.number_line})", False, True),
        ]
        yield label, lines, table


def _sheettitle(label: str, taken: set[str]) -> str:
    """`label` made a valid, unique sheet title: no []:*?/\\, at most 31 characters."""
    base = FORBIDDEN.sub("-", label).strip("' ") or "Bảng"
    title, number = base[:SHEET_TITLE_LIMIT], 1
    while title.lower() in taken:
        number += 1
        suffix = f" {number}"
        title = base[: SHEET_TITLE_LIMIT - len(suffix)] + suffix
    taken.add(title.lower())
    return title


def _column_widths(table: Table) -> list[tuple[str, int]]:
    total = sum(column.width for column in table.columns) or 1
    return [
        (column.title, max(MIN_COLUMN_WIDTH, round(TABLE_WIDTH * column.width / total)))
        for column in table.columns
    ]


def _write_table(sheet, lines, table: Table, document: OfficialDocument) -> None:
    width = len(table.columns)
    for row, (text, bold, italic) in enumerate(lines, start=1):
        title(sheet, row, text, width, bold=bold, italic=italic)
        lines_needed = math.ceil(len(text) * 1.15 / TABLE_WIDTH)  # merged cells do not grow by themselves
        if lines_needed > 1:
            sheet.row_dimensions[row].height = 17 * lines_needed
    header_row = len(lines) + 2
    layout(sheet, _column_widths(table), header_row)
    margins = document.margins
    sheet.page_margins = PageMargins(
        left=margins.left / 25.4,
        right=margins.right / 25.4,
        top=margins.top / 25.4,
        bottom=margins.bottom / 25.4,
        header=0.3,
        footer=0.3,
    )
    alignments = [
        Alignment(wrap_text=True, vertical="top", horizontal=column.align) for column in table.columns
    ]
    row = header_row
    for values in table.rows:
        row += 1
        if isinstance(values, GroupRow):
            if width == 1:
                data_row(sheet, row, [f"{values.label}. {values.text}"])
                sheet.cell(row, 1).font = Font(name=FONT, bold=True, italic=values.level > 0)
            else:
                group_row(sheet, row, values.label, values.text, width, level=values.level)
                sheet.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top", horizontal="center")
            continue
        data_row(sheet, row, list(values))
        for col, alignment in enumerate(alignments, start=1):
            sheet.cell(row, col).alignment = alignment


def render_tables_xlsx(document: OfficialDocument) -> bytes:
    """Every table of the document on its own sheet, titled after its appendix ("Phụ lục", "Phụ lục II")."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = document.title
    workbook.properties.creator = document.agency
    taken: set[str] = set()
    for label, lines, table in _tables(document):
        sheet = workbook.create_sheet(_sheettitle(label, taken))
        _write_table(sheet, lines, table, document)
    if not workbook.worksheets:
        raise ValueError("The document has no table to export.")
    return workbook_bytes(workbook)

"""Annex files built in memory in the shapes of real plans' appendices (python-docx, openpyxl)."""

import io

import docx
import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl.styles import Alignment, Font

# DOMAIN.md §5: the appendix task table of a real CCHC plan.
HEADER = [
    "TT",
    "Nội dung nhiệm vụ",
    "Cơ quan/đơn vị chủ trì",
    "Cơ quan/đơn vị phối hợp",
    "Thời gian hoàn thành",
    "Sản phẩm/Kết quả",
]
TITLE = [
    "PHỤ LỤC",
    "DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2019",
    "(Kèm theo Kế hoạch số 14/KH-SKHĐT ngày 15/01/2019 của Sở Kế hoạch và Đầu tư)",
]


class Group(tuple):
    """A group row: (numeral, title), e.g. Group(("I", "Công tác chỉ đạo, điều hành CCHC"))."""


def group(numeral: str, title: str) -> Group:
    return Group((numeral, title))


EMPTY = ("",) * len(HEADER)

# A 2019 plan of the SKHĐT: two sections, multi-line cells, an empty row, several coordinating units.
SKHDT_ROWS = [
    group("I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC"),
    (
        "1",
        "Xây dựng, ban hành Kế hoạch cải cách hành chính năm 2019 của Sở",
        "Văn phòng Sở",
        "Các phòng, đơn vị thuộc Sở",
        "Tháng 01/2019",
        "Kế hoạch được ban hành",
    ),
    (
        "2",
        "Kiểm tra công tác CCHC tại các phòng, đơn vị:\n- Kiểm tra thực hiện TTHC;\n- Kiểm tra kỷ luật, kỷ cương hành chính",
        "Văn phòng Sở",
        "Thanh tra Sở; Phòng Tổng hợp, Quy hoạch",
        "Quý III/2019",
        "Báo cáo kết quả kiểm tra",
    ),
    EMPTY,
    group("II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"),
    (
        "3",
        "Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực đăng ký doanh nghiệp",
        "Phòng Đăng ký kinh doanh",
        "Văn phòng Sở",
        "Trước 30/6/2019",
        "Báo cáo rà soát",
    ),
    (
        "4",
        "Cập nhật, công khai thủ tục hành chính trên Cổng dịch vụ công",
        "Phòng Đăng ký kinh doanh",
        "",
        "Thường xuyên",
        "TTHC được công khai",
    ),
]


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def build_docx(rows, *, header=HEADER, title=TITLE, merge_groups=True) -> bytes:
    document = docx.Document()
    for line in title:
        document.add_paragraph().add_run(line).bold = True
    table = document.add_table(rows=0, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.add_row().cells, header, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        if isinstance(row, Group):
            numeral, text = row
            if merge_groups:
                merged = cells[0].merge(cells[-1])
                merged.paragraphs[0].add_run(f"{numeral}. {text}").bold = True
            else:
                cells[0].paragraphs[0].add_run(numeral).bold = True
                cells[1].paragraphs[0].add_run(text).bold = True
            continue
        for cell, text in zip(cells, row, strict=False):
            if text:
                cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build_xlsx(rows, *, header=HEADER, title=TITLE, merge_groups=True, bold_groups=True) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    width = len(header)
    line = 0
    for text in title:
        line += 1
        sheet.cell(line, 1, text).font = Font(bold=True)
        sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=width)
    line += 2  # a blank row between the title and the table
    for col, text in enumerate(header, start=1):
        sheet.cell(line, col, text).font = Font(bold=True)
    for row in rows:
        line += 1
        if isinstance(row, Group):
            numeral, text = row
            sheet.cell(line, 1, numeral).font = Font(bold=bold_groups)
            sheet.cell(line, 2, text).font = Font(bold=bold_groups)
            if merge_groups:
                sheet.merge_cells(start_row=line, start_column=2, end_row=line, end_column=width)
            continue
        for col, value in enumerate(row, start=1):
            if value not in ("", None):
                cell = sheet.cell(line, col, value)
                cell.alignment = Alignment(wrap_text=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

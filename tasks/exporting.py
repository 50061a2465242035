"""The plan's tasks as an .xlsx workbook, and the annex template the import reads.

Both are laid out as the office prints them: a header row, column widths, wrapped text, the header
frozen, group rows numbered I, II, III… per reform area, dates as real Excel dates. The export uses the
same column headers the import recognises, so an exported file can be imported again unchanged.
"""

import unicodedata
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from cchc.formatting import roman
from cchc.xlsx_style import FONT, WRAP, data_row, group_row, layout, title, workbook_bytes
from tasks.models import Task
from tasks.status import Status, with_status

# (header, width in characters)
EXPORT_COLUMNS = [
    ("TT", 8),
    ("Nội dung nhiệm vụ", 60),
    ("Đơn vị chủ trì", 26),
    ("Đơn vị phối hợp", 30),
    ("Thời hạn", 18),
    ("Hạn hoàn thành", 14),
    ("Sản phẩm", 32),
    ("Tiến độ (%)", 10),
    ("Tình trạng", 26),
    ("Ngày hoàn thành", 14),
]
TEMPLATE_COLUMNS = [
    ("TT", 8),
    ("Nội dung nhiệm vụ", 60),
    ("Đơn vị chủ trì", 26),
    ("Đơn vị phối hợp", 30),
    ("Thời hạn", 18),
    ("Sản phẩm", 32),
    ("Ghi chú", 20),
]


def plan_tasks_workbook(plan, *, as_of) -> bytes:
    """Every task of the plan with its status on `as_of`, grouped by reform area."""
    areas = list(plan.area_set.areas.all())
    numeral = {area.pk: roman(position) for position, area in enumerate(areas, start=1)}
    tasks = (
        with_status(Task.objects.filter(plan=plan), as_of)
        .select_related("area", "lead_department")
        .prefetch_related("coordinating_departments")
        .order_by("area__position", "sort_key")
    )
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Nhiệm vụ"
    width = len(EXPORT_COLUMNS)
    title(sheet, 1, f"DANH SÁCH NHIỆM VỤ KẾ HOẠCH SỐ {plan.number_symbol}", width)
    title(
        sheet,
        2,
        f"{plan.title} – tình trạng tính đến ngày {as_of:%d/%m/%Y}",
        width,
        bold=False,
        italic=True,
    )
    header_row = 4
    layout(sheet, EXPORT_COLUMNS, header_row)
    row, current_area = header_row, None
    for task in tasks:
        if task.area_id != current_area:
            current_area = task.area_id
            row += 1
            group_row(sheet, row, numeral.get(task.area_id, ""), task.area.name, width)
        row += 1
        data_row(
            sheet,
            row,
            [
                task.number,
                task.content,
                task.lead_department.name,
                "\n".join(department.name for department in task.coordinating_departments.all()),
                task.deadline_text,
                task.due_on,
                task.expected_output,
                task.percent,
                Status(task.status).label,
                task.done_on,
            ],
            date_columns=(6, 10),
        )
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(width)}{max(row, header_row)}"
    return workbook_bytes(workbook)


def template_workbook() -> bytes:
    """The annex template: the header row the import looks for, a group row and two example tasks,
    and a second sheet explaining each column."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Phụ lục nhiệm vụ"
    width = len(TEMPLATE_COLUMNS)
    layout(sheet, TEMPLATE_COLUMNS, 1)
    group_row(sheet, 2, "I", "Công tác chỉ đạo, điều hành cải cách hành chính", width)
    data_row(
        sheet,
        3,
        [
            "1",
            "Xây dựng, ban hành Kế hoạch cải cách hành chính năm của Sở",
            "Văn phòng Sở",
            "Các phòng, đơn vị thuộc Sở",
            "Quý I",
            "Kế hoạch được ban hành",
            "",
        ],
    )
    data_row(
        sheet,
        4,
        [
            "2",
            "Kiểm tra công tác cải cách hành chính tại các phòng, đơn vị:\n"
            "- Kiểm tra việc thực hiện thủ tục hành chính;\n- Kiểm tra việc chấp hành kỷ luật, kỷ cương hành chính",
            "Văn phòng Sở",
            "Thanh tra Sở",
            "Thường xuyên",
            "Báo cáo kết quả kiểm tra",
            "",
        ],
    )
    guide = workbook.create_sheet("Hướng dẫn")
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["B"].width = 90
    lines = [
        ("Cột", "Cách ghi"),
        (
            "TT",
            "Số thứ tự như trong kế hoạch (1, 2, 2.1…). Dòng ghi I, II, III… là dòng nhóm theo lĩnh vực CCHC.",
        ),
        ("Nội dung nhiệm vụ", "Bắt buộc. Có thể xuống dòng trong ô (Alt+Enter)."),
        ("Đơn vị chủ trì", "Bắt buộc, một đơn vị; ghi tên phòng, đơn vị như trong danh sách của cơ quan."),
        ("Đơn vị phối hợp", "Có thể ghi nhiều đơn vị, cách nhau bằng dấu chấm phẩy hoặc xuống dòng."),
        (
            "Thời hạn",
            "Bắt buộc. Ví dụ: Quý II/2025, Tháng 6/2025, Trước 15/3/2025, 30/6/2025, 6 tháng đầu năm 2025, "
            "Năm 2025, Thường xuyên, Hàng quý, Hàng tháng. Không ghi năm thì lấy năm của kế hoạch.",
        ),
        ("Sản phẩm", "Kết quả, sản phẩm dự kiến."),
        ("Ghi chú", "Không bắt buộc."),
        (
            "Nhập lại",
            "Nhập lại cùng tệp không tạo trùng: nhiệm vụ được nhận ra theo số thứ tự và được cập nhật.",
        ),
    ]
    for index, (column, text) in enumerate(lines, start=1):
        guide.cell(index, 1, column).font = Font(name=FONT, bold=True)
        cell = guide.cell(index, 2, text)
        cell.font = Font(name=FONT, bold=index == 1)
        cell.alignment = WRAP
    return workbook_bytes(workbook)


def ascii_name(text: str) -> str:
    """'14/KH-SKHĐT' → '14-KH-SKHDT': for file names that must stay ASCII."""
    text = text.replace("đ", "d").replace("Đ", "D").replace("/", "-")
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(char for char in decomposed if unicodedata.category(char) != "Mn")
    return "".join(char if char.isascii() and (char.isalnum() or char in "-_.") else "-" for char in kept)


def export_filename(plan) -> str:
    return f"nhiem-vu-{plan.number_symbol.replace('/', '-')}.xlsx"


def attachment(filename: str) -> str:
    """Content-Disposition with an ASCII name for old clients and the UTF-8 name (RFC 5987/6266)."""
    return f"attachment; filename=\"{ascii_name(filename)}\"; filename*=UTF-8''{quote(filename, safe='')}"

"""The plan's tasks as an .xlsx workbook, and the annex template the import reads.

Both are laid out as the office prints them: a header row, column widths, wrapped text, the header
frozen, group rows as the plan writes them (I, II, III.1… or, for an older plan, one per reform area),
dates as real Excel dates, every text kept as text (never a formula: cchc.xlsx_style). The export uses
the column headers the import recognises and writes every field the import reads (the outside bodies
as written, the department that follows them up, the notes), so an exported file can be imported again
unchanged.
"""

import unicodedata
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from cchc.formatting import roman
from cchc.xlsx_style import FONT, WRAP, data_row, group_row, layout, text_cell, title, workbook_bytes
from tasks.models import Task
from tasks.outline import annex_groups, coordinating_lines
from tasks.status import Status, with_status

# (header, width in characters)
EXPORT_COLUMNS = [
    ("TT", 8),
    ("Nội dung nhiệm vụ", 60),
    ("Đơn vị chủ trì", 26),
    ("Đơn vị phối hợp", 30),
    ("Đơn vị theo dõi", 24),
    ("Thời hạn", 18),
    ("Hạn hoàn thành", 14),
    ("Sản phẩm", 32),
    ("Ghi chú", 24),
    ("Tiến độ (%)", 10),
    ("Tình trạng", 26),
    ("Ngày hoàn thành", 14),
]
EXPORT_DATE_COLUMNS = (7, 12)
TEMPLATE_COLUMNS = [
    ("TT", 8),
    ("Nội dung nhiệm vụ", 60),
    ("Đơn vị chủ trì", 26),
    ("Đơn vị phối hợp", 30),
    ("Thời hạn", 18),
    ("Sản phẩm", 32),
    ("Ghi chú", 20),
]


def follow_up_name(task: Task) -> str:
    """Đơn vị theo dõi: when an outside body leads, the department following the task up."""
    return task.lead_department.name if task.lead_name else ""


def plan_tasks_workbook(plan, *, as_of, tasks=None, filtered_by=(), sections=None) -> bytes:
    """The tasks of the plan with their status on `as_of`, in the groups and order of its annex: every
    task, or `tasks` (listed on `as_of` by the plan's task table, tasks.filters.PlanTaskFilter), the
    rows that list shows, with the filters it used (`filtered_by`, as a reader names them) in the
    title. Only a filtered export leaves out the groups that hold none of its rows."""
    tasks = with_status(Task.objects.filter(plan=plan), as_of) if tasks is None else tasks
    tasks = (
        tasks.select_related("area", "lead_department")
        .prefetch_related("coordinating_departments")
        .order_by("sort_key")
    )
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Nhiệm vụ"
    width = len(EXPORT_COLUMNS)
    title(sheet, 1, f"DANH SÁCH NHIỆM VỤ KẾ HOẠCH SỐ {plan.number_symbol}", width)
    title(sheet, 2, plan.title, width, bold=False, italic=True)
    scope = f"Lọc: {'; '.join(filtered_by)}" if filtered_by else "Toàn bộ nhiệm vụ của kế hoạch"
    title(sheet, 3, f"{scope}; tình hình đến ngày {as_of:%d/%m/%Y}", width, bold=False, italic=True)
    header_row = 4
    layout(sheet, EXPORT_COLUMNS, header_row)
    row = header_row
    sections = plan.sections.all() if sections is None else sections
    for group in annex_groups(tasks, sections, keep_empty=not filtered_by):
        row += 1
        if group.section is not None:
            group_row(sheet, row, group.section.label, group.title, width, level=group.depth)
        else:  # an older plan's reform area, numbered as the task table numbers it
            numeral = roman(group.area.position + 1) if group.area is not None else ""
            group_row(sheet, row, numeral, group.title, width)
        for task in group.tasks:
            row += 1
            data_row(
                sheet,
                row,
                [
                    task.number,
                    task.content,
                    task.lead_display,
                    coordinating_lines(task),
                    follow_up_name(task),
                    task.deadline_text,
                    task.due_on,
                    task.expected_output,
                    task.notes,
                    task.percent,
                    Status(task.status).label,
                    task.done_on,
                ],
                date_columns=EXPORT_DATE_COLUMNS,
            )
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(width)}{max(row, header_row)}"
    return workbook_bytes(workbook)


# The template's example rows: a group, its tasks, a group with a sub-group, a task led by an outside
# body. (label, title, level) is a group row, a longer tuple a task row in TEMPLATE_COLUMNS' order.
TEMPLATE_ROWS = [
    ("I", "Công tác chỉ đạo, điều hành cải cách hành chính", 0),
    (
        "1",
        "Xây dựng, ban hành Kế hoạch cải cách hành chính năm của Sở",
        "Văn phòng Sở",
        "Các phòng, đơn vị thuộc Sở",
        "Quý I",
        "Kế hoạch được ban hành",
        "",
    ),
    (
        "2",
        "Kiểm tra công tác cải cách hành chính tại các phòng, đơn vị:\n"
        "- Kiểm tra việc thực hiện thủ tục hành chính;\n- Kiểm tra việc chấp hành kỷ luật, kỷ cương hành chính",
        "Văn phòng Sở",
        "Thanh tra Sở",
        "Thường xuyên",
        "Báo cáo kết quả kiểm tra",
        "",
    ),
    ("II", "Cải cách thủ tục hành chính", 0),
    ("II.1", "Kiểm soát, rà soát, đơn giản hóa thủ tục hành chính", 1),
    (
        "1",
        "Rà soát, đánh giá, đơn giản hóa thủ tục hành chính thuộc thẩm quyền giải quyết của Sở",
        "Văn phòng Sở",
        "Các phòng, đơn vị thuộc Sở",
        "Trước ngày 15/11 hằng năm",
        "Báo cáo kết quả rà soát, phương án đơn giản hóa",
        "",
    ),
    (
        "2",
        "Tiếp nhận, trả kết quả giải quyết thủ tục hành chính của Sở tại Trung tâm Phục vụ hành chính công tỉnh",
        "Trung tâm Phục vụ hành chính công tỉnh",
        "Văn phòng Sở; Bưu điện tỉnh",
        "Hằng quý",
        "Báo cáo kết quả giải quyết thủ tục hành chính",
        "",
    ),
]
DEADLINE_EXAMPLES = (
    "Quý II/2025, Tháng 6/2025, Trước ngày 15/3/2025, Năm 2025-2030, Giai đoạn 2026–2030, Đến năm 2030, "
    "Thường xuyên, Hằng năm, Trước ngày 15/11 hằng năm, Hằng quý"
)
GUIDE_LINES = [
    ("Cột", "Cách ghi"),
    (
        "TT",
        "Số thứ tự như trong kế hoạch (1, 2, 2.1…); mỗi mục có thể đánh số lại từ 1. Dòng nhóm ghi số mục ở "
        "cột TT (I, II, III… hoặc mục con II.1, II.1.2…) và tên mục ở cột Nội dung nhiệm vụ; mục con đặt "
        "ngay dưới mục chứa nó, như dòng II.1 của trang mẫu. Lĩnh vực CCHC của mục được nhận ra theo tên "
        "mục; văn thư xem lại khi nhập.",
    ),
    ("Nội dung nhiệm vụ", "Bắt buộc. Có thể xuống dòng trong ô (Alt+Enter)."),
    (
        "Đơn vị chủ trì",
        "Bắt buộc, một cơ quan, đơn vị; ghi tên phòng, đơn vị như trong danh sách của cơ quan. Tên không "
        "phải phòng, đơn vị của cơ quan (Bộ Nội vụ, Các địa phương, Trung tâm Phục vụ hành chính công "
        "tỉnh…) được giữ nguyên là cơ quan ngoài chủ trì; khi nhập, văn thư chọn phòng, đơn vị theo dõi, "
        "đôn đốc nhiệm vụ đó, và lựa chọn được ghi nhớ cho lần nhập sau.",
    ),
    (
        "Đơn vị phối hợp",
        "Có thể ghi nhiều cơ quan, đơn vị, cách nhau bằng dấu chấm phẩy hoặc xuống dòng. Tên không phải "
        "phòng, đơn vị của cơ quan được giữ nguyên là cơ quan phối hợp ngoài cơ quan.",
    ),
    (
        "Đơn vị theo dõi",
        "Cột không bắt buộc (có trong tệp xuất danh sách nhiệm vụ): phòng, đơn vị theo dõi nhiệm vụ do cơ "
        "quan ngoài chủ trì.",
    ),
    (
        "Thời hạn",
        f"Ghi như trong kế hoạch, ví dụ: {DEADLINE_EXAMPLES}. Không ghi năm thì lấy năm của kế hoạch. "
        "Thời hạn để trống hoặc ứng dụng không đọc được vẫn được nhập, giữ nguyên chữ như trong kế hoạch, "
        "nhưng chưa có hạn hoàn thành: nhiệm vụ hiện là “Chưa xác định thời hạn” cho đến khi văn thư đặt hạn.",
    ),
    ("Sản phẩm", "Kết quả, sản phẩm dự kiến."),
    ("Ghi chú", "Không bắt buộc."),
    (
        "Nhập lại",
        "Nhập lại cùng tệp không tạo trùng: nhiệm vụ được nhận ra theo mục và số thứ tự và được cập nhật. "
        "Tệp xuất danh sách nhiệm vụ của kế hoạch nhập lại được như vậy.",
    ),
]


def template_workbook() -> bytes:
    """The annex template: the header row the import looks for, example groups (one with a sub-group)
    and tasks (one led by an outside body), and a second sheet explaining each column."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Phụ lục nhiệm vụ"
    width = len(TEMPLATE_COLUMNS)
    layout(sheet, TEMPLATE_COLUMNS, 1)
    for row, values in enumerate(TEMPLATE_ROWS, start=2):
        if len(values) == 3:
            label, name, level = values
            group_row(sheet, row, label, name, width, level=level)
        else:
            data_row(sheet, row, list(values))
    guide = workbook.create_sheet("Hướng dẫn")
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["B"].width = 90
    for index, (column, text) in enumerate(GUIDE_LINES, start=1):
        text_cell(guide, index, 1, column).font = Font(name=FONT, bold=True)
        cell = text_cell(guide, index, 2, text)
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

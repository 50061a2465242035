"""The change log as an .xlsx workbook, in the house style (cchc.xlsx_style): the rows the page's filters
select, newest first, with the filters written in the title rows. Every text a user wrote is stored as
text by the house style's helpers (cchc.xlsx_style.keep_text): a value starting like a formula is kept
as a string with Excel's quote prefix, never evaluated."""

import datetime

from django.utils import timezone
from openpyxl import Workbook

from audit.sources import Entry
from cchc.formatting import vn_number
from cchc.xlsx_style import data_row, layout, title, workbook_bytes

EXPORT_LIMIT = 5000  # the newest rows an export holds; the title says when there were more
COLUMNS = [
    ("Thời gian", 17),
    ("Người thực hiện", 24),
    ("Loại đối tượng", 16),
    ("Đối tượng", 36),
    ("Phòng, đơn vị", 24),
    ("Thao tác", 24),
    ("Nội dung thay đổi (cũ → mới)", 60),
    ("Lý do", 36),
]
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"


def _changes_text(entry: Entry) -> str:
    return "\n".join(
        f"{change.field}: {change.old or '(trống)'} → {change.new or '(trống)'}" for change in entry.changes
    )


def log_workbook(entries: list[Entry], *, agency, filters: str, total: int, now: datetime.datetime) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Nhật ký thay đổi"
    width = len(COLUMNS)
    title(sheet, 1, f"NHẬT KÝ THAY ĐỔI – {agency.name.upper()}", width)
    scope = f"Lọc theo: {filters}" if filters else "Không lọc: mọi thay đổi của cơ quan"
    shown = (
        f"{vn_number(len(entries))} thay đổi mới nhất trong {vn_number(total)} thay đổi"
        if total > len(entries)
        else f"{vn_number(total)} thay đổi"
    )
    title(sheet, 2, f"{scope}. {shown}, xuất lúc {now:%H:%M ngày %d/%m/%Y}.", width, bold=False, italic=True)
    header_row = 4
    layout(sheet, COLUMNS, header_row)
    for row, entry in enumerate(entries, start=header_row + 1):
        subject = f"{entry.subject}\n{entry.detail}" if entry.detail else entry.subject
        data_row(
            sheet,
            row,
            [
                timezone_naive(entry.at),
                entry.actor,
                entry.subject_type,
                subject,
                entry.department,
                entry.action,
                _changes_text(entry),
                entry.reason,
            ],
        )
        sheet.cell(row, 1).number_format = DATETIME_FORMAT
    return workbook_bytes(workbook)


def timezone_naive(moment: datetime.datetime) -> datetime.datetime:
    """The time as the agency reads it (Excel has no time zones)."""
    return timezone.localtime(moment).replace(tzinfo=None)

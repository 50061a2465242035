"""Reading the task table of an annex: the first table (Word) or sheet (Excel) with a header row
naming the columns, its rows classified as section (group) rows and task rows, the tasks numbered.

Files are recognised by their content (tasks.evidence.sniff), and refused before a library opens them
when they would unpack into something huge or do not unpack as their headers say (cchc.archives: the
declared sizes and ratios checked, then every member unpacked through a capped stream); every refusal is
an AnnexError with a Vietnamese message.
"""

import re
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

import docx
import openpyxl

from cchc import archives
from cchc.formatting import roman_value
from cchc.text import fold, nfc
from tasks import evidence

MAX_BYTES = 10 * 1024 * 1024
MAX_TASK_ROWS = 2000
MAX_SHEET_ROWS = 10_000
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
ARCHIVE_LIMITS = archives.Limits(
    total=MAX_UNPACKED_BYTES, advice="hãy lưu lại phụ lục chỉ gồm bảng nhiệm vụ rồi tải lên"
)
MAX_MERGED_CELLS = 200_000
MAX_COLUMNS = 40
HEADER_SCAN_ROWS = 25

# What a column holds, by the words of its header (compared folded: no case, no diacritics).
COLUMN_LABELS = {
    "number": "TT",
    "content": "Nội dung nhiệm vụ",
    "lead": "Đơn vị chủ trì",
    "coordinating": "Đơn vị phối hợp",
    "deadline": "Thời hạn",
    "output": "Sản phẩm",
    "notes": "Ghi chú",
    "follow_up": "Đơn vị theo dõi",
}
REQUIRED_COLUMNS = ("content", "lead")

# A group's label as a plan writes it: I, III.1, III.1.2, A, 1, 1.2 (a trailing "." or ")" dropped).
SECTION_LABEL = re.compile(r"^(?:[IVXLC]+|[A-ZĐ]|\d{1,3})(?:\.\d{1,3})*$")
# A group row whose label opens its title: "III.1. Cải cách…", "I. Kinh tế số", "A) Nhiệm vụ…".
LABELLED_TITLE = re.compile(
    r"^(?:((?:[IVXLC]+|\d{1,3})(?:\.\d{1,3})*)\s*(?:[.):\-–]\s*|\s+(?=\S))|([A-ZĐ])\s*[.)]\s*)(.+)$",
    re.DOTALL,
)
COLUMN_NUMBERS = re.compile(r"^\(?\d{1,2}\)?$")


class AnnexError(Exception):
    """The file cannot be imported; the message tells the clerk why, in Vietnamese."""


def plain(text: str) -> str:
    """Folded text with punctuation as spaces: 'Cơ quan/đơn vị chủ trì' → 'co quan don vi chu tri'."""
    return " ".join(re.sub(r"[^\w]+", " ", fold(text or "")).split())


def column_of(header: str) -> str | None:
    text = plain(header)
    if not text:
        return None
    if text in ("tt", "stt", "so tt", "so thu tu", "thu tu"):
        return "number"
    if "theo doi" in text and "chu tri" not in text:
        return "follow_up"  # "Đơn vị theo dõi": the department following up an outside lead
    if "chu tri" in text:
        return "lead"
    if "phoi hop" in text:
        return "coordinating"
    if text.startswith(("thoi gian", "thoi han", "tien do thuc hien", "tien do hoan thanh", "moc thoi gian")):
        return "deadline"
    if text.startswith(("san pham", "ket qua")):
        return "output"
    if text.startswith(("noi dung", "nhiem vu", "chi tieu", "cong viec", "ten nhiem vu")):
        return "content"
    if text.startswith("ghi chu"):
        return "notes"
    return None


@dataclass
class SourceRow:
    line: int  # the row's number in the sheet or table, as the clerk finds it in the file
    cells: list[str]
    bold: bool = False
    span: int = 1  # the widest horizontal merge in the row
    continued: frozenset = frozenset()  # columns continuing a vertical merge from the row above


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(value, "g")
    text = nfc(str(value)).replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(lines).strip("\n ")


def _check_container(upload, kind: str) -> None:
    """Refuse archives that would unpack into something huge, or that lie about it, before a library
    opens them; every member is unpacked once through the capped stream (cchc.archives)."""
    try:
        with archives.opened(upload, ARCHIVE_LIMITS) as archive:
            archive.verify()
            if kind == "xlsx":
                for info in archive.infos:
                    if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                        _check_sheet_xml(archive.read(info))
    except archives.ArchiveError as error:
        raise AnnexError(str(error)) from error


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters.decode():
        index = index * 26 + ord(letter) - 64
    return index


def _check_sheet_xml(data: bytes) -> None:
    if len(re.findall(rb"<(?:\w+:)?row[\s>]", data)) > MAX_SHEET_ROWS:
        raise AnnexError(
            f"Bảng tính có hơn {_thousands(MAX_SHEET_ROWS)} dòng; mỗi lần nhập nhận tối đa "
            f"{_thousands(MAX_TASK_ROWS)} nhiệm vụ. Hãy tách phụ lục thành nhiều tệp."
        )
    merged = 0
    for first_col, first_row, last_col, last_row in re.findall(
        rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"', data
    ):
        rows = int(last_row) - int(first_row) + 1
        cols = _column_index(last_col) - _column_index(first_col) + 1
        merged += max(rows, 0) * max(cols, 0)
    if merged > MAX_MERGED_CELLS:
        raise AnnexError("Bảng tính có vùng gộp ô bất thường (quá lớn); hãy bỏ gộp ô rồi tải lên lại.")


def _docx_bold(cells) -> bool:
    runs = [
        run for cell in cells for paragraph in cell.paragraphs for run in paragraph.runs if run.text.strip()
    ]
    return bool(runs) and all(run.bold for run in runs)


def _docx_tables(upload) -> list[list[SourceRow]]:
    document = docx.Document(upload)
    tables = []
    for table in document.tables:
        rows, previous = [], []
        for line, row in enumerate(table.rows, start=1):
            cells = [None] * row.grid_cols_before + list(row.cells)
            texts, continued, distinct = [], set(), []
            span = run = 0
            for col, cell in enumerate(cells[:MAX_COLUMNS]):
                if cell is None:
                    texts.append("")
                    run = 0
                    continue
                left = cells[col - 1] if col else None
                same_as_left = left is not None and left._tc is cell._tc
                run = run + 1 if same_as_left else 1
                span = max(span, run)
                above = previous[col] if col < len(previous) else None
                if above is not None and above._tc is cell._tc:
                    continued.add(col)
                if not same_as_left:
                    distinct.append(cell)
                texts.append("" if same_as_left else _cell_text(cell.text))
            rows.append(SourceRow(line, texts, _docx_bold(distinct), span, frozenset(continued)))
            previous = cells
        tables.append(rows)
    if not tables:
        raise AnnexError(
            "Tệp Word không có bảng nào. Phụ lục nhiệm vụ phải là một bảng có các cột "
            "TT, Nội dung nhiệm vụ, Đơn vị chủ trì, Đơn vị phối hợp, Thời hạn, Sản phẩm."
        )
    return tables


def _xlsx_tables(upload) -> list[list[SourceRow]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about every Excel feature it does not keep
        workbook = openpyxl.load_workbook(upload, data_only=True)
    tables = []
    for sheet in workbook.worksheets:
        width = min(sheet.max_column, MAX_COLUMNS)
        spans: dict[int, int] = defaultdict(lambda: 1)
        carried: dict[tuple[int, int], object] = {}
        for merged in sheet.merged_cells.ranges:
            for row in range(merged.min_row, merged.max_row + 1):
                spans[row] = max(spans[row], merged.max_col - merged.min_col + 1)
            if merged.max_row > merged.min_row:
                top = sheet.cell(merged.min_row, merged.min_col).value
                for row in range(merged.min_row + 1, merged.max_row + 1):
                    carried[(row, merged.min_col)] = top
        rows = []
        for cells in sheet.iter_rows(min_row=1, max_row=sheet.max_row, max_col=width):
            line = cells[0].row
            texts, continued, bold = [], set(), True
            for cell in cells:
                value = cell.value
                if (line, cell.column) in carried:
                    value = carried[(line, cell.column)]
                    continued.add(cell.column - 1)
                text = _cell_text(value)
                if text and (line, cell.column) not in carried:
                    bold = bold and bool(getattr(cell.font, "b", False))
                texts.append(text)
            rows.append(SourceRow(line, texts, bold and any(texts), spans[line], frozenset(continued)))
        tables.append(rows)
    return tables


def _find_header(rows: list[SourceRow]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns: dict[str, int] = {}
        for col, text in enumerate(row.cells):
            kind = column_of(text) if len(text) <= 80 else None
            if kind and kind not in columns:
                columns[kind] = col
        if "content" in columns and len(columns) >= 3:
            return index, columns
    return None


@dataclass
class Annex:
    """The rows of the file's task table, classified, numbered, not yet matched to the plan."""

    columns: dict[str, int]
    sections: list[dict] = field(default_factory=list)
    tasks: list[dict] = field(default_factory=list)
    skipped_empty: int = 0
    notices: list[str] = field(default_factory=list)


def _is_roman(text: str) -> bool:
    return roman_value(text.rstrip(".").strip()) is not None


def _clean_number(text: str) -> str:
    return " ".join(text.split()).rstrip(".").strip()


def read_annex(upload) -> Annex:
    """Read the task table of an uploaded .docx or .xlsx, or raise AnnexError saying why not."""
    if upload is None:
        raise AnnexError("Chọn tệp phụ lục (.docx hoặc .xlsx) để tải lên.")
    name = upload.name or "tệp"
    problem = evidence.size_problem(upload, MAX_BYTES, "tệp phụ lục")
    if problem:
        raise AnnexError(problem)
    try:
        kind = evidence.sniff(upload)
    except archives.ArchiveError as error:
        raise AnnexError(str(error)) from error
    if kind not in ("docx", "xlsx"):
        if kind is None and _is_broken_zip(upload):
            raise AnnexError(
                f"Tệp “{name}” bị hỏng, không mở được. Hãy mở bằng Word hoặc Excel, lưu lại rồi tải lên."
            )
        found = f" (nội dung là tệp {kind})" if kind else ""
        raise AnnexError(
            f"Tệp “{name}” không phải tài liệu Word (.docx) hay bảng tính Excel (.xlsx){found}. "
            "Tệp .doc, .xls cũ: mở bằng Word hoặc Excel rồi lưu lại dưới dạng .docx hoặc .xlsx."
        )
    _check_container(upload, kind)
    try:
        tables = _docx_tables(upload) if kind == "docx" else _xlsx_tables(upload)
    except AnnexError:
        raise
    except Exception as error:  # the libraries raise many kinds of errors on damaged files
        raise AnnexError(
            f"Tệp “{name}” bị hỏng hoặc không đúng định dạng, không đọc được. Hãy mở bằng Word hoặc Excel, "
            "lưu lại rồi tải lên."
        ) from error
    found = [(rows, _find_header(rows)) for rows in tables]
    found = [(rows, header) for rows, header in found if header is not None]
    if not found:
        where = "bảng nào của tệp Word" if kind == "docx" else "trang tính nào"
        raise AnnexError(
            f"Không tìm thấy dòng tiêu đề của bảng nhiệm vụ trong {where}. Bảng cần có dòng tiêu đề với các cột "
            "TT, Nội dung nhiệm vụ, Đơn vị chủ trì, Thời hạn (thêm Đơn vị phối hợp, Sản phẩm nếu có); "
            "xem tệp mẫu."
        )
    rows, (header_index, columns) = found[0]
    missing = [COLUMN_LABELS[name] for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise AnnexError(
            f"Bảng nhiệm vụ thiếu cột {', '.join(missing)}. Thêm cột này vào tệp (tiêu đề như trong tệp mẫu) "
            "rồi tải lên lại."
        )
    annex = Annex(columns=columns)
    if len(found) > 1:
        annex.notices.append(f"Tệp có {len(found)} bảng nhiệm vụ; chỉ đọc bảng đầu tiên.")
    _classify(annex, rows[header_index + 1 :])
    if len(annex.tasks) > MAX_TASK_ROWS:
        raise AnnexError(
            f"Bảng có hơn {_thousands(MAX_TASK_ROWS)} dòng nhiệm vụ; mỗi lần nhập nhận tối đa "
            f"{_thousands(MAX_TASK_ROWS)} nhiệm vụ. Hãy tách phụ lục thành nhiều tệp (nhập lại không tạo trùng nhiệm vụ)."
        )
    if not annex.tasks:
        raise AnnexError("Bảng nhiệm vụ không có dòng nhiệm vụ nào dưới dòng tiêu đề.")
    _number(annex)
    return annex


def _is_broken_zip(upload) -> bool:
    """A zip container (as .docx and .xlsx are) that does not unpack as it says it will."""
    upload.seek(0)
    if upload.read(4) != b"PK\x03\x04":
        upload.seek(0)
        return False
    try:
        with archives.opened(upload, ARCHIVE_LIMITS) as archive:
            archive.verify()
    except archives.ArchiveDamaged:
        return True
    except archives.ArchiveTooLarge:
        return False  # not unpacked, so not known to be broken: refused as not an annex
    return False


def _classify(annex: Annex, rows: list[SourceRow]) -> None:
    columns = annex.columns
    width = max(columns.values()) + 1
    tree = _Tree(annex)

    def cell(row: SourceRow, name: str) -> str:
        index = columns.get(name)
        if index is None or index >= len(row.cells):
            return ""
        return row.cells[index]

    first = True
    for row in rows:
        cells = row.cells[:width]
        if not any(cells):
            annex.skipped_empty += 1
            continue
        if (
            first
            and sum(1 for text in cells if text) >= 3
            and all(COLUMN_NUMBERS.match(t) for t in cells if t)
        ):
            first = False  # the "(1) (2) (3)…" row under the header
            continue
        if _find_header([row]) == (0, columns):
            continue  # the header repeated further down (a table pasted page by page)
        first = False
        if len(annex.tasks) > MAX_TASK_ROWS:
            return
        number = "" if columns.get("number") in row.continued else _clean_number(cell(row, "number"))
        content, lead, deadline = cell(row, "content"), cell(row, "lead"), cell(row, "deadline")
        merged_across = width >= 3 and row.span >= width - 1
        first_text = next((text for text in cells if text), "")
        titled = LABELLED_TITLE.match(first_text)
        roman_title = bool(titled) and _is_roman(titled.group(1) or "")
        if (
            _is_group_number(number)
            or merged_across
            or (not lead and not deadline and (row.bold or roman_title))
        ):
            tree.add(row, number, content, cells)
            continue
        if not annex.sections:
            annex.sections.append({"line": None, "label": "", "title": "", "parent": None, "implicit": True})
        annex.tasks.append(
            {
                "line": row.line,
                "section": len(annex.sections) - 1,
                "written_number": number,
                "content": content,
                "lead": lead,
                "coordinating": cell(row, "coordinating"),
                "follow_up": cell(row, "follow_up"),
                "deadline": deadline,
                "output": cell(row, "output"),
                "notes": cell(row, "notes"),
            }
        )


def _is_group_number(number: str) -> bool:
    """A number only groups carry: I, IV, III.1, III.1.2 (tasks are numbered 1, 2, 2.1…)."""
    head = number.split(".")[0]
    return bool(number) and _is_roman(head) and bool(SECTION_LABEL.match(number))


def label_style(label: str) -> str:
    """How a group label is written, which tells its level: 'roman' (I, II), 'letter' (A, B),
    'arabic' (1, 2), 'dotted' (III.1, 1.2: a child of the label before its last dot), '' (none)."""
    if not label:
        return ""
    if "." in label:
        return "dotted"
    if _is_roman(label):
        return "roman"
    if label.isdigit():
        return "arabic"
    return "letter"


def label_key(label: str) -> str:
    """Labels compared as written but for case, spaces and a trailing dot: 'III.1.' is 'iii.1'."""
    return "".join(label.split()).rstrip(".").lower()


class _Tree:
    """Places each group row in the tree as the plan writes it: "III.1" under "III", "III.1.1" under
    "III.1"; otherwise by the way labels are written — a style seen higher up (I after A) goes back to
    that level, a new one (1 under I) goes one deeper."""

    def __init__(self, annex: Annex):
        self.annex = annex
        self.path: list[tuple[str, int]] = []  # (style, section index) from the top to the current group

    def add(self, row: SourceRow, number: str, content: str, cells: list[str]) -> None:
        label, title = _label_and_title(number, content, cells)
        style = label_style(label)
        parent = None
        if style == "dotted":
            prefix = label_key(label).rsplit(".", 1)[0]
            for depth in range(len(self.path) - 1, -1, -1):
                if label_key(self.annex.sections[self.path[depth][1]]["label"]) == prefix:
                    del self.path[depth + 1 :]
                    parent = self.path[depth][1]
                    break
            else:
                style = f"dotted-{label.count('.')}"  # "1.2" with no "1" above: a level of its own
        if parent is None:
            styles = [entry[0] for entry in self.path]
            if style in styles:
                del self.path[styles.index(style) :]
            parent = self.path[-1][1] if self.path else None
        index = len(self.annex.sections)
        self.annex.sections.append(
            {"line": row.line, "label": label, "title": title, "parent": parent, "implicit": False}
        )
        self.path.append((style, index))


def _label_and_title(number: str, content: str, cells: list[str]) -> tuple[str, str]:
    label = number.rstrip(".)") if SECTION_LABEL.match(number.rstrip(".)")) else ""
    title = content if content and content != number else next((text for text in cells if text), "")
    if label and label_key(title) == label_key(label):
        title = ""  # the TT cell merged across: its label is all the row says
    match = LABELLED_TITLE.match(title)
    written = (match.group(1) or match.group(2)) if match else ""
    if match and not label and SECTION_LABEL.match(written):
        label, title = written, match.group(3)
    elif match and label and label_key(written) == label_key(label):
        title = match.group(3)  # the label written twice: in the TT cell and before the title
    elif not label and SECTION_LABEL.match(title.rstrip(".)")) and len(title) <= 12:
        label, title = title.rstrip(".)"), ""
    return label, " ".join(title.split())


def _number(annex: Annex) -> None:
    """Give every task its number within its section: as written; a row without one continues the row
    before it in the same section (after 2 come 2.1, 2.2…)."""
    by_section: dict[int, list[dict]] = defaultdict(list)
    for task in annex.tasks:
        by_section[task["section"]].append(task)
    for tasks in by_section.values():
        used = {task["written_number"] for task in tasks if task["written_number"]}
        base, sub = "", 0
        for task in tasks:
            if task["written_number"]:
                base, sub = task["written_number"], 0
                task["number"], task["auto_number"] = base, False
                continue
            while True:
                sub += 1
                candidate = f"{base}.{sub}" if base else str(sub)
                if candidate not in used:
                    break
            used.add(candidate)
            task["number"], task["auto_number"] = candidate, True

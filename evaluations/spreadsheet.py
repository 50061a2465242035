"""A rubric as the .xlsx grid people know: STT | Tiêu chí, tiêu chí thành phần | Điểm tối đa | Cách tính
điểm | Tài liệu kiểm chứng.

`export_rubric` writes it in the house style (cchc.xlsx_style); `read_rubric` reads such a grid back, from
this application or from a province's own file: the header row found by its words, columns in any order,
merged cells, labels I, 1, 1.1, a), "-" placing each row in the tree, a "Tổng cộng" row giving the total,
points written "2,5" or 2.5, a group's empty points the sum of its criteria's. Each criterion's method is
read from its rule: criteria below it make a group, "Có …: điểm tối đa; không: 0" is yes/no, rates with
their points ("Từ 80% trở lên: 2 điểm; …") are thresholds, anything else is entered by hand.

An exported file reads back to the same tree: the lines the export adds under a rule (the thresholds,
the measure of a computed criterion, "Cách chấm: …" when the rule alone would be read as another method)
are recognised and taken off again.
"""

import re
import warnings
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
from django.core.exceptions import ValidationError
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from cchc import archives
from cchc.formatting import roman_value, vn_number
from cchc.text import fold, nfc
from cchc.xlsx_style import BORDER, FONT, GROUP_FILL, WRAP, layout, text_cell, title, workbook_bytes
from evaluations.models import Measure, Method, Rubric
from evaluations.scoring import Node, check_tree, parse_number, quantize, shown
from evaluations.services import rubric_tree
from tasks import evidence
from tasks.importing import MAX_BYTES
from tasks.importing.reading import plain

MAX_UNPACKED_BYTES = 40 * 1024 * 1024
ARCHIVE_LIMITS = archives.Limits(
    total=MAX_UNPACKED_BYTES, advice="hãy lưu lại bảng tính chỉ gồm bảng tiêu chí rồi tải lên"
)
MAX_SHEET_ROWS = 10_000
MAX_CRITERIA = 1000
MAX_COLUMNS = 40
HEADER_SCAN_ROWS = 25
LABEL_LENGTH = 20  # Criterion.label's max_length

# (header, width in characters): about 150 characters, fitted to the width of a landscape A4 page.
COLUMNS = [
    ("STT", 7),
    ("Tiêu chí, tiêu chí thành phần", 50),
    ("Điểm tối đa", 10),
    ("Cách tính điểm", 50),
    ("Tài liệu kiểm chứng", 36),
]
HEADER_ROW = 4
REQUIRED = "(bắt buộc)"
TOTAL_TITLE = "Tổng cộng"
# "General" shows 2,5 and 10 in a Vietnamese Excel; "0.##" would show "10," for whole numbers.
POINTS_FORMAT = "General"


# Export --------------------------------------------------------------------------------------------


def export_rubric(rubric_or_round) -> bytes:
    """The rubric's (or a round's copy of its) criteria as an .xlsx grid, one row per criterion in tree
    order, closed by the "Tổng cộng" row."""
    is_rubric = isinstance(rubric_or_round, Rubric)
    name = rubric_or_round.name if is_rubric else rubric_or_round.rubric_name
    total = rubric_or_round.total_points
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Bộ tiêu chí"
    width = len(COLUMNS)
    title(sheet, 1, name, width)
    subtitle = f"Tổng điểm tối đa: {shown(total)} điểm"
    if not is_rubric:
        subtitle = f"{rubric_or_round.title} – tổng điểm tối đa: {shown(total)} điểm"
    title(sheet, 2, subtitle, width, bold=False, italic=True)
    layout(sheet, COLUMNS, HEADER_ROW)
    row = HEADER_ROW

    def write(nodes, depth):
        nonlocal row
        for node in nodes:
            row += 1
            _write_row(sheet, row, node, depth)
            write(node.children, depth + 1)

    write(rubric_tree(rubric_or_round), 0)
    row += 1
    _cells(sheet, row, ["", TOTAL_TITLE, quantize(total), "", ""], Font(name=FONT, bold=True))
    return workbook_bytes(workbook)


def _write_row(sheet, row: int, node: Node, depth: int) -> None:
    """Areas bold on grey, criteria plain, component criteria italic; the title indented by its depth
    (which also places a criterion without a label when the file is read back)."""
    font = Font(name=FONT, bold=depth == 0, italic=depth >= 2)
    values = [node.label, node.title, quantize(node.max_points), rule_text(node), evidence_text(node)]
    _cells(sheet, row, values, font)
    sheet.cell(row, 2).alignment = Alignment(wrap_text=True, vertical="top", indent=depth)
    if depth == 0:
        for col in range(1, len(COLUMNS) + 1):
            sheet.cell(row, col).fill = GROUP_FILL


def _cells(sheet, row: int, values: list, font: Font) -> None:
    for col, value in enumerate(values, start=1):
        cell = text_cell(sheet, row, col, value)
        if isinstance(value, Decimal):
            cell.number_format = POINTS_FORMAT
        cell.font = font
        cell.border = BORDER
        cell.alignment = WRAP


def rule_text(node: Node) -> str:
    """Cách tính điểm as written, then what the method adds: the thresholds, the measure of a computed
    criterion, and "Cách chấm: …" when the rule alone would read as another method."""
    lines = [node.rule] if node.rule else []
    if node.method == Method.COMPUTED:
        lines.append(f"{COMPUTED_PREFIX} {Measure(node.measure).label}." if node.measure else COMPUTED_PREFIX)
        if not node.thresholds:
            lines.append(PROPORTIONAL)
    if node.method in (Method.THRESHOLDS, Method.COMPUTED) and node.thresholds:
        lines.append(thresholds_line(node.thresholds))
    read_as = _scored_method(_split_rule("\n".join(lines)), node.max_points)[0]
    if node.method in (Method.MANUAL, Method.YES_NO) and read_as != node.method:
        lines.append(f"{METHOD_PREFIX} {Method(node.method).label}.")
    return "\n".join(lines)


def evidence_text(node: Node) -> str:
    return "\n".join(part for part in (node.evidence, REQUIRED if node.evidence_required else "") if part)


def _decimal_text(value) -> str:
    """A number with a decimal comma and no trailing zeros: 2,5; 80; 33,33."""
    return f"{Decimal(str(value)).normalize():f}".replace(".", ",")


def _share_text(share, first: bool) -> str:
    share = Decimal(str(share))
    if share == 0:
        return "0"
    return f"{_decimal_text(share * 100)} %" + (" số điểm" if first else "")


def thresholds_line(thresholds) -> str:
    """[[80, 1], [50, 0.5], [0, 0]] → "≥ 80 %: 100 % số điểm; 50–80 %: 50 %; < 50 %: 0"."""
    parts = []
    previous = None
    for index, (start, share) in enumerate(thresholds):
        start_text = _decimal_text(start)
        if previous is None:
            condition = f"≥ {start_text} %"
        elif Decimal(str(start)) == 0:
            condition = f"< {previous} %"
        else:
            condition = f"{start_text}–{previous} %"
        parts.append(f"{condition}: {_share_text(share, index == 0)}")
        previous = start_text
    return "; ".join(parts)


# What the export adds under a rule, recognised when reading ------------------------------------------

COMPUTED_PREFIX = "Tính từ kết quả thực hiện nhiệm vụ:"
PROPORTIONAL = "Điểm = điểm tối đa × tỷ lệ."
METHOD_PREFIX = "Cách chấm:"
_NUMBER = r"\d+(?:,\d+)?"
_CLAUSE = re.compile(
    rf"^(?:≥ ({_NUMBER}) %|({_NUMBER})–{_NUMBER} %|< {_NUMBER} %): "
    rf"(?:({_NUMBER}) %(?: số điểm)?|(0))$"
)
MEASURES = {fold(label): value for value, label in Measure.choices}
METHODS = {fold(label): value for value, label in Method.choices}


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def _plain_number(value: Decimal):
    """A Decimal as JSON keeps thresholds: 80, 0.5."""
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def _written_thresholds(line: str) -> list | None:
    """The thresholds of a line thresholds_line wrote, or None when the line is not one."""
    thresholds = []
    clauses = line.split("; ")
    for index, clause in enumerate(clauses):
        match = _CLAUSE.match(clause)
        if match is None:
            return None
        at_least, low, share_text, zero = match.groups()
        if index == 0 and not at_least:
            return None
        start = at_least or low or "0"
        share = Decimal(0) if zero else _number(share_text) / 100
        thresholds.append([_plain_number(_number(start)), _plain_number(share)])
    return thresholds


@dataclass
class _Written:
    """A rule cell split into the rule as written and what the export added under it."""

    rule: str
    method: str = ""
    thresholds: list | None = None
    measure: str = ""
    computed: bool = False


def _split_rule(text: str) -> _Written:
    lines = text.split("\n") if text else []
    written = _Written(rule="")
    while lines:
        line = lines[-1].strip()
        thresholds = _written_thresholds(line)
        if thresholds is not None and written.thresholds is None:
            written.thresholds = thresholds
        elif line == PROPORTIONAL:
            written.computed = True
        elif line.startswith(COMPUTED_PREFIX):
            written.computed = True
            written.measure = MEASURES.get(fold(line[len(COMPUTED_PREFIX) :].strip().rstrip(".")), "")
        elif line.startswith(METHOD_PREFIX) and (
            method := METHODS.get(fold(line[len(METHOD_PREFIX) :].strip().rstrip(".")))
        ):
            written.method = method
        else:
            break
        lines.pop()
    written.rule = "\n".join(lines)
    return written


# A rule as people write it -----------------------------------------------------------------------

_AMOUNT = r"\d+(?:[.,]\d+)?"


def _clauses(rule: str) -> list[tuple[str, str]]:
    """ "Từ 80% trở lên: 2 điểm; dưới 50%: 0 điểm" → [("tu 80% tro len", "2 diem"), ("duoi 50%", "0 diem")]
    (folded), the clauses that have a value after a colon."""
    pairs = []
    for part in re.split(r"[;\n]+", rule or ""):
        condition, colon, value = part.rpartition(":")
        if colon and condition.strip() and value.strip():
            pairs.append((fold(condition).lstrip("-+•* "), fold(value).rstrip(". ")))
    return pairs


def _share(value: str, max_points: Decimal) -> Decimal | None:
    """The share of the maximum a clause's value gives: "điểm tối đa" 1, "50 %" 0,5, "1 điểm" of 2 0,5."""
    if "toi da" in value:
        return Decimal(1)
    if value.startswith(("khong diem", "0 diem")) or value in ("0", "khong"):
        return Decimal(0)
    if match := re.match(rf"^(?:duoc\s+)?({_AMOUNT})\s*%", value):
        return _number(match[1]) / 100
    if (match := re.match(rf"^(?:duoc\s+)?({_AMOUNT})(?:\s*diem)?$", value)) and max_points > 0:
        return (_number(match[1]) / max_points).quantize(Decimal("0.0001")).normalize()
    return None


def _start(condition: str) -> Decimal | None:
    """The rate a clause starts from: "tu 80% tro len" 80, "tu 50% den duoi 80%" 50, "duoi 50%" 0."""
    if "%" not in condition:
        return None
    numbers = [_number(found) for found in re.findall(_AMOUNT, condition)]
    if not numbers or len(numbers) > 2:
        return None
    if len(numbers) == 1 and re.search(r"(duoi|<|khong dat)", condition):
        return Decimal(0)
    return numbers[0]


def parsed_thresholds(rule: str, max_points: Decimal) -> list | None:
    """The thresholds a rule on a rate states, with each share computed from the points it gives, or None
    when it states none: "Từ 80% trở lên: 2 điểm; từ 50% đến dưới 80%: 1 điểm; dưới 50%: 0 điểm" with 2
    points → [[80, 1], [50, 0.5], [0, 0]]."""
    found = []
    for condition, value in _clauses(rule):
        start = _start(condition)
        if start is None:
            continue
        share = _share(value, max_points)
        if share is None:
            return None
        found.append((start, share))
    starts = [start for start, _ in found]
    if len(found) < 2 or len(set(starts)) != len(starts):
        return None
    found.sort(key=lambda pair: -pair[0])
    return [[_plain_number(start), _plain_number(share)] for start, share in found]


def is_yes_no(rule: str, max_points: Decimal) -> bool:
    """ "Có ban hành văn bản …: điểm tối đa; không: 0 điểm" (or "Đã …: 1 điểm; chưa …: 0")."""
    yes = no = False
    for condition, value in _clauses(rule):
        share = _share(value, max_points)
        if re.match(r"^(co|da)\b", condition) and share == 1:
            yes = True
        elif re.match(r"^(khong|chua)\b", condition) and share == 0:
            no = True
    return yes and no


def _inferred(rule: str, max_points: Decimal) -> tuple[str, list]:
    """The method (and thresholds) a scored criterion's rule reads as."""
    thresholds = parsed_thresholds(rule, max_points)
    if thresholds is not None:
        return Method.THRESHOLDS, thresholds
    if is_yes_no(rule, max_points):
        return Method.YES_NO, []
    return Method.MANUAL, []


# Reading ----------------------------------------------------------------------------------------


def column_of(header: str) -> str | None:
    text = plain(header)
    if text in ("tt", "stt", "so tt", "so thu tu", "thu tu"):
        return "number"
    if text.startswith(("diem toi da", "diem chuan", "thang diem", "so diem toi da", "muc diem toi da")):
        return "points"
    if text.startswith(
        ("cach tinh diem", "huong dan cham", "cach cham", "phuong phap cham", "huong dan tinh")
    ):
        return "rule"
    if "kiem chung" in text or "minh chung" in text:
        return "evidence"
    if text.startswith(("tieu chi", "linh vuc", "noi dung")):
        return "title"
    return None


@dataclass
class _Row:
    line: int
    texts: list[str]
    values: list
    continued: frozenset  # columns continuing a vertical merge from the row above
    bold: bool
    indents: list[int]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = nfc(str(value)).replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    return "\n".join(" ".join(line.split()) for line in text.split("\n")).strip("\n ")


def _sheet_rows(sheet) -> list[_Row]:
    width = min(sheet.max_column, MAX_COLUMNS)
    carried = {}
    for merged in sheet.merged_cells.ranges:
        if merged.max_row > merged.min_row:
            top = sheet.cell(merged.min_row, merged.min_col).value
            for line in range(merged.min_row + 1, merged.max_row + 1):
                carried[(line, merged.min_col)] = top
    rows = []
    for cells in sheet.iter_rows(min_row=1, max_row=sheet.max_row, max_col=width):
        line = cells[0].row
        texts, values, continued, indents, bold = [], [], set(), [], True
        for cell in cells:
            value = cell.value
            if (line, cell.column) in carried:
                value = carried[(line, cell.column)]
                continued.add(cell.column - 1)
            text = _cell_text(value)
            if text and cell.column - 1 not in continued:
                bold = bold and bool(getattr(cell.font, "b", False))
            texts.append(text)
            values.append(value)
            indents.append(int(getattr(cell.alignment, "indent", 0) or 0))
        rows.append(_Row(line, texts, values, frozenset(continued), bold and any(texts), indents))
    return rows


def _find_header(rows: list[_Row]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns: dict[str, int] = {}
        for col, text in enumerate(row.texts):
            kind = column_of(text) if len(text) <= 80 else None
            if kind and kind not in columns:
                columns[kind] = col
        if "title" in columns and "points" in columns:
            return index, columns
    return None


def _check_file(upload) -> None:
    """Refuse what is not an .xlsx by its content, and what is too large, before openpyxl opens it."""
    if upload is None:
        raise ValidationError("Chọn tệp bảng tính (.xlsx) của bộ tiêu chí để tải lên.")
    name = upload.name or "tệp"
    problem = evidence.size_problem(upload, MAX_BYTES, "tệp bộ tiêu chí")
    if problem:
        raise ValidationError(problem)
    try:
        kind = evidence.sniff(upload)
    except archives.ArchiveError as error:
        raise ValidationError(str(error)) from error
    if kind != "xlsx":
        found = f" (nội dung là tệp {kind})" if kind else ""
        raise ValidationError(
            f"Tệp “{name}” không phải bảng tính Excel (.xlsx){found}. Tệp .xls cũ: mở bằng Excel rồi lưu "
            "lại dưới dạng .xlsx."
        )
    try:
        with archives.opened(upload, ARCHIVE_LIMITS) as archive:
            archive.verify()
            for info in archive.infos:
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    data = archive.read(info)
                    if len(re.findall(rb"<(?:\w+:)?row[\s>]", data)) > MAX_SHEET_ROWS:
                        raise ValidationError(
                            f"Tệp “{name}” có trang tính hơn {vn_number(MAX_SHEET_ROWS)} dòng; bảng tiêu chí "
                            "không dài như vậy. Hãy lưu lại bảng tính chỉ gồm bảng tiêu chí rồi tải lên."
                        )
    except archives.ArchiveError as error:
        raise ValidationError(str(error)) from error


def read_rubric(upload) -> tuple[list[Node], Decimal]:
    """The criteria tree and total of an uploaded .xlsx grid, checked as a rubric is (check_tree), or a
    ValidationError listing every problem, each naming its row."""
    _check_file(upload)
    name = upload.name or "tệp"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about every Excel feature it does not keep
            workbook = openpyxl.load_workbook(upload, data_only=True)
        sheets = [_sheet_rows(sheet) for sheet in workbook.worksheets]
    except Exception as error:  # openpyxl raises many kinds of errors on damaged files
        raise ValidationError(
            f"Tệp “{name}” bị hỏng hoặc không đúng định dạng, không đọc được. Hãy mở bằng Excel, lưu lại rồi "
            "tải lên."
        ) from error
    for rows in sheets:
        header = _find_header(rows)
        if header is not None:
            index, columns = header
            return _Reader(columns).read(rows[index + 1 :])
    raise ValidationError(
        "Không tìm thấy dòng tiêu đề của bảng tiêu chí. Bảng cần có dòng tiêu đề với các cột STT, "
        "Tiêu chí, tiêu chí thành phần, Điểm tối đa (thêm Cách tính điểm, Tài liệu kiểm chứng nếu có)."
    )


COLUMN_NUMBERS = re.compile(r"^\(?\d{1,2}\)?$")
BULLETS = ("-", "–", "+", "•", "*")
# A label before a title in one cell: "I. Công tác…", "1. Xây dựng…", "1.2 Ban hành…", "a) Có…", "- Có…"
LABELLED_TITLE = re.compile(
    r"^((?:[IVXLC]+|\d{1,3})(?:\.\d{1,3})*\.?|[a-zđA-ZĐ]\)|[a-zđ]\.|[-–+•*])\s+(\S.*)$",
    re.DOTALL,
)
LABEL = re.compile(r"^(?:(?:[IVXLC]+|\d{1,3})(?:\.\d{1,3})*[.)]?|[a-zđA-ZĐ][.)]?|[-–+•*])$")
POINTS_IN_TITLE = re.compile(r"\s*\((" + _AMOUNT + r")\s*điểm\)$", re.IGNORECASE)


def _key(label: str) -> str:
    return "".join(label.split()).rstrip(".):").lower()


def _style(label: str) -> str:
    """How a label is written, which tells its level: roman (I, II), upper (A, B), arabic (1, 2),
    dotted-n (1.1, I.1: under the label before its last dot), lower (a, b), bullet (-), plus (+)."""
    if label in BULLETS:
        return "plus" if label == "+" else "bullet"
    key = label.rstrip(".):")
    if "." in key:
        return f"dotted-{key.count('.')}"
    value = roman_value(key)
    if value is not None and value < 40:
        return "roman"
    if key.isdigit():
        return "arabic"
    if len(key) == 1 and key.isalpha():
        return "upper" if key.isupper() else "lower"
    return "other"


class _Reader:
    def __init__(self, columns: dict[str, int]):
        self.columns = columns
        self.errors: list[str] = []
        self.roots: list[Node] = []
        self.path: list[tuple[str, Node]] = []  # (label style, node) from the top to the last row
        self.empty_points: list[tuple[Node, int]] = []  # rows whose points are their criteria's sum
        self.last: Node | None = None
        self.total: Decimal | None = None
        self.count = 0

    def text(self, row: _Row, name: str) -> str:
        index = self.columns.get(name)
        if index is None or index >= len(row.texts) or index in row.continued:
            return ""
        return row.texts[index]

    def read(self, rows: list[_Row]) -> tuple[list[Node], Decimal]:
        first = True
        width = max(self.columns.values()) + 1
        for row in rows:
            texts = row.texts[:width]
            if not any(texts):
                continue
            if first and sum(1 for t in texts if t) >= 3 and all(COLUMN_NUMBERS.match(t) for t in texts if t):
                first = False  # the "(1) (2) (3)…" row under the header
                continue
            first = False
            if _find_header([row]) == (0, self.columns):
                continue  # the header repeated on a following page
            if self.row(row):
                break  # the total row closes the table
            if self.count > MAX_CRITERIA:
                raise ValidationError(
                    f"Bảng có hơn {vn_number(MAX_CRITERIA)} tiêu chí; hãy kiểm tra lại tệp đã chọn."
                )
        if not self.roots and not self.errors:
            self.errors.append("Bảng tiêu chí không có dòng tiêu chí nào dưới dòng tiêu đề.")
        missing = []
        for node, line in reversed(self.empty_points):  # the criteria below a group come after it
            if node.children:
                node.max_points = sum((child.max_points for child in node.children), Decimal(0))
            else:
                missing.append(f"Dòng {line}: tiêu chí “{node.title[:60]}” chưa ghi điểm tối đa.")
        self.errors.extend(reversed(missing))
        if self.errors:
            raise ValidationError(self.errors)
        _settle(self.roots)
        total = self.total
        if total is None:
            total = sum((root.max_points for root in self.roots), Decimal(0))
        check_tree(self.roots, total)
        return self.roots, total

    def points(self, row: _Row) -> tuple[Decimal | None, bool]:
        """The row's points (None when empty) and whether they could be read."""
        index = self.columns["points"]
        if index >= len(row.values) or index in row.continued:
            return None, True
        value = row.values[index]
        if value is None or (isinstance(value, str) and not value.strip()):
            return None, True
        if isinstance(value, bool):
            value = str(value)
        if isinstance(value, int | float | Decimal):
            number = Decimal(str(value))
        else:
            written = _cell_text(value)
            cleaned = re.sub(r"\s*điểm$", "", written, flags=re.IGNORECASE)
            try:
                number = parse_number(cleaned)
            except ValidationError:
                self.errors.append(f"Dòng {row.line}: điểm tối đa “{written}” không phải là một số.")
                return None, False
        if number != quantize(number):
            self.errors.append(
                f"Dòng {row.line}: điểm tối đa {_decimal_text(number)} lấy nhiều nhất hai chữ số thập phân."
            )
            return None, False
        return number, True

    def label_and_title(self, row: _Row) -> tuple[str, str]:
        label = " ".join(self.text(row, "number").split())
        heading = self.text(row, "title")
        if label and not heading and not LABEL.match(label):
            heading, label = label, ""  # a row merged across from the STT column: "I. CÔNG TÁC …"
        match = LABELLED_TITLE.match(heading)
        if match and not label:
            label, heading = match[1].rstrip("."), match[2]
        elif match and _key(match[1]) == _key(label):
            heading = match[2]  # the label written twice: in the STT cell and before the title
        return label, heading.strip()

    def row(self, row: _Row) -> bool:
        """Take one row of the table; True when it is the total row."""
        label, heading = self.label_and_title(row)
        rule, evidence_cell = self.text(row, "rule"), self.text(row, "evidence")
        points, readable = self.points(row)
        folded = plain(heading or label)
        if folded == "cong" or folded.startswith(("tong cong", "tong diem", "tong so diem")):
            if points is not None:
                self.total = points
            elif readable:
                self.errors.append(f"Dòng {row.line}: dòng “{heading or label}” chưa ghi tổng điểm.")
            return True
        if not label and not heading:
            if points is None and readable and self.last is not None and (rule or evidence_cell):
                self.last.rule = "\n".join(part for part in (self.last.rule, rule) if part)
                self.last.evidence = "\n".join(part for part in (self.last.evidence, evidence_cell) if part)
                return False  # a rule or evidence continued on the next row (the STT and title merged down)
            self.errors.append(f"Dòng {row.line}: thiếu tên tiêu chí.")
            return False
        if not heading:
            self.errors.append(f"Dòng {row.line}: tiêu chí {label} thiếu tên tiêu chí.")
            return False
        if len(label) > LABEL_LENGTH:
            self.errors.append(f"Dòng {row.line}: số thứ tự “{label}” dài quá {LABEL_LENGTH} ký tự.")
            return False
        if points is None and readable and (found := POINTS_IN_TITLE.search(heading)):
            points, heading = _number(found[1]), heading[: found.start()]  # "I. Công tác … (10 điểm)"
        self.count += 1
        node = Node(label=label, title=heading, max_points=points or Decimal(0), method=Method.MANUAL)
        node.rule = rule
        node.evidence, node.evidence_required = _evidence(evidence_cell)
        if points is None and readable:
            self.empty_points.append((node, row.line))
        self.place(node, row)
        self.last = node
        return False

    def place(self, node: Node, row: _Row) -> None:
        """Put the node in the tree: by its label's style (a style seen higher up goes back to that
        level, a new one goes one deeper; 1.2 under the 1 above); a bullet or no label by the title's
        indent when it has one (the export indents each row by its depth), else a row without a label
        at the top when bold, beside the row before when not."""
        label = node.label
        parent = None
        placed = False
        indent = row.indents[self.columns["title"]] if self.columns["title"] < len(row.indents) else 0
        if label and not (label in BULLETS and indent):
            style = _style(label)
            if style.startswith("dotted"):
                prefix = _key(label).rsplit(".", 1)[0]
                for depth in range(len(self.path) - 1, -1, -1):
                    if _key(self.path[depth][1].label) == prefix:
                        del self.path[depth + 1 :]
                        parent, placed = self.path[depth][1], True
                        break
            if not placed:
                styles = [entry[0] for entry in self.path]
                if style in styles:
                    del self.path[styles.index(style) :]
                parent = self.path[-1][1] if self.path else None
        else:
            if indent:
                depth = indent
            elif row.bold or not self.path:
                depth = 0
            else:
                depth = len(self.path) - 1  # beside the row before
            style = f"{_style(label) if label else 'none'}-{depth}"
            del self.path[depth:]
            parent = self.path[-1][1] if self.path else None
        (parent.children if parent else self.roots).append(node)
        self.path.append((style, node))


def _settle(nodes: list[Node]) -> None:
    """Each criterion's method, from its place and its rule: criteria below it make a group; what the
    export wrote under the rule decides; else the rule as people write it."""
    for node in nodes:
        written = _split_rule(node.rule)
        node.rule = written.rule
        if node.children:
            node.method = Method.GROUP
            _settle(node.children)
        else:
            node.method, node.thresholds, node.measure = _scored_method(written, node.max_points)


def _scored_method(written: _Written, max_points: Decimal) -> tuple[str, list, str]:
    """(method, thresholds, measure) of a criterion without criteria below it."""
    if written.computed:
        return Method.COMPUTED, written.thresholds or [], written.measure
    if written.method:
        thresholds = written.thresholds or [] if written.method == Method.THRESHOLDS else []
        return written.method, thresholds, ""
    if written.thresholds is not None:
        return Method.THRESHOLDS, written.thresholds, ""
    return (*_inferred(written.rule, max_points), "")


def _evidence(text: str) -> tuple[str, bool]:
    """Tài liệu kiểm chứng and whether it is required ("(bắt buộc)" at its end)."""
    stripped = text.rstrip()
    if fold(stripped).endswith(fold(REQUIRED)):
        return stripped[: -len(REQUIRED)].rstrip(" \n;,"), True
    return text, False

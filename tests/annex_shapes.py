"""Annex files in the shapes of real published Vietnamese plan annexes, with the facts they hold.

Each shape is a module-level `Annex`: the rows as written (group rows, tasks, the odd empty row or
repeated header) and, read from them, the facts an importer should find (`sections`, `tasks`,
`task_count`). The builders render that one description as .docx (python-docx) or .xlsx (openpyxl),
so a file and its facts cannot drift apart.

The shapes:
- `government_annex`: a Thủ tướng Chính phủ decision's Phụ lục, 75 tasks in groups I…IX with
  sub-groups III.1, III.1.1…, a "(1) … (6)" column-number row, group rows merged across the table.
- `agency_annex`: the Sở Kế hoạch và Đầu tư tỉnh Vĩnh Phúc's 2019 plan, leads written loosely
  ("VP Sở", "Phòng ĐKKD"), unmerged bold group rows "I.", a header copied mid-table, an empty row.
- `no_time_column_annex`: the real rows of the Bắc Ninh Kế hoạch 144/KH-UBND annex, "TT | Chỉ tiêu |
  Chủ trì", group rows written in the content column.
- `nfd_copy`: any of them with every text in Unicode NFD, as some Word and Mac tools save.
- `large_update_annex` / `large_update_annex_revised`: N generated tasks for timing re-imports.
- `mixed_kmh_docx`: a whole plan whose first table is the header layout, the task table second, with
  one lead cell merged down over two tasks.

Except the Bắc Ninh rows, the tasks, the decision number and the plans' wording are illustrative,
written in the style of real plans (DOMAIN.md §4–5).
"""

import enum
import functools
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import docx
import openpyxl
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from openpyxl.styles import Alignment, Border, Font, Side

from demo.loading import AGENCIES
from tests.annexes import HEADER, TITLE

GOVERNMENT_HEADER = (
    "STT",
    "Nội dung nhiệm vụ",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Thời gian hoàn thành",
    "Sản phẩm",
)
# The columns of a full task table, in the order of the header, as `Task` attributes.
FULL_COLUMNS = ("number", "content", "lead", "coordinating_cell", "deadline", "product")


@dataclass(frozen=True)
class Section:
    """A group row: "III.1.1" under parent "III.1". `written` is the row's text when it is not "<label>. <title>"."""

    label: str
    title: str
    parent: str | None = None
    written: str = ""

    @property
    def text(self) -> str:
        return self.written or f"{self.label}. {self.title}"


@dataclass(frozen=True)
class Task:
    """A task row as written. `lead_department` is the agency's department the lead names (None: a body outside it)."""

    section: str
    number: str
    content: str
    lead: str
    coordinating_cell: str = ""
    deadline: str = ""
    product: str = ""
    lead_department: str | None = None
    # The lead cell is merged down from the row above (the same lead written once for both tasks).
    lead_merged_up: bool = False

    @property
    def first_line(self) -> str:
        return self.content.splitlines()[0]

    @property
    def coordinating(self) -> tuple[str, ...]:
        """The coordinating bodies as written, one per ";" or line ("Các bộ, cơ quan ngang bộ, …" is one)."""
        parts = self.coordinating_cell.replace("\n", ";").split(";")
        return tuple(part.strip() for part in parts if part.strip())


class Filler(enum.Enum):
    """Rows of a table that are neither groups nor tasks."""

    EMPTY_ROW = "empty row"
    HEADER_AGAIN = "the header copied at a page break"


class GroupStyle(enum.Enum):
    MERGED = "one cell across the row: “I. TITLE”, bold"
    NUMERAL = "“I.” in the number column, the title beside it, bold, unmerged"
    CONTENT = "“I. Title” in the content column, the number column empty, bold"


@dataclass(frozen=True)
class Annex:
    """An annex table as written, how it is laid out, and the facts read from it."""

    title: tuple[str, ...]
    header: tuple[str, ...]
    rows: tuple[Section | Task | Filler, ...]
    columns: tuple[str, ...] = FULL_COLUMNS
    group_style: GroupStyle = GroupStyle.MERGED
    column_numbers: bool = False  # a "(1) (2) …" row under the header
    line_paragraphs: bool = False  # docx: a multi-line cell as paragraphs (else line breaks in one)
    int_numbers: bool = False  # xlsx: "1" stored as the number 1, as Excel does when typed
    borders: bool = True  # xlsx: thin borders on the table's cells (slow to write for thousands of rows)
    sheet_title: str = "Phụ lục"

    @property
    def sections(self) -> tuple[Section, ...]:
        return tuple(row for row in self.rows if isinstance(row, Section))

    @property
    def tasks(self) -> tuple[Task, ...]:
        return tuple(row for row in self.rows if isinstance(row, Task))

    @property
    def task_count(self) -> int:
        return len(self.tasks)

    def cells(self, task: Task) -> tuple[str, ...]:
        return tuple(getattr(task, column) for column in self.columns)


_FILLERS = {"(empty row)": Filler.EMPTY_ROW, "(header again)": Filler.HEADER_AGAIN}


def _rows(table: str, departments: dict[str, str] | None = None) -> tuple[Section | Task | Filler, ...]:
    """The rows of a table written one a line, its cells between "|".

    `§ | label | title | parent | written` is a group row (parent and written optional);
    `number | content | lead | coordinating | deadline | product | department code` a task, trailing
    cells optional, "\\n" a line break in a cell, a lead "^" the cell above merged down over this row;
    `(empty row)` and `(header again)` the other rows.
    """
    rows: list[Section | Task | Filler] = []
    section = lead = None
    for line in table.strip().splitlines():
        if line in _FILLERS:
            rows.append(_FILLERS[line])
            continue
        cells = [cell.strip().replace("\\n", "\n") for cell in line.split("|")]
        if cells[0] == "§":
            label, title, parent, written = (cells[1:] + ["", ""])[:4]
            section = Section(label, title, parent or None, written)
            rows.append(section)
            continue
        number, content, lead_cell, coordinating, deadline, product, code = (cells + [""] * 7)[:7]
        merged = lead_cell == "^"
        lead = lead if merged else lead_cell
        department = departments[code] if code else None
        rows.append(
            Task(section.label, number, content, lead, coordinating, deadline, product, department, merged)
        )
    return tuple(rows)


# 1. A Government decision's Phụ lục ----------------------------------------------------------------

# Groups I…IX, III split into III.1 (one task of its own, then III.1.1–III.1.3) and III.2 (written
# without the dot); numbers restart in every (sub)group. Leads and coordinating bodies are ministries and
# collectives; deadlines are mostly "Năm 2025-2030", with every other way real decisions write them.
_GOVERNMENT_TABLE = r"""
§ | I | CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH
1 | Hướng dẫn xây dựng kế hoạch cải cách hành chính hằng năm của các bộ, ngành, địa phương | Bộ Nội vụ | Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ | Hằng năm | Văn bản hướng dẫn
2 | Tổ chức kiểm tra công tác cải cách hành chính tại các bộ, ngành, địa phương:\n- Kiểm tra việc thực hiện kế hoạch cải cách hành chính;\n- Kiểm tra kỷ luật, kỷ cương hành chính;\n- Kiểm tra việc giải quyết thủ tục hành chính | Bộ Nội vụ | Văn phòng Chính phủ; Bộ Tư pháp | Hằng năm | Báo cáo kết quả kiểm tra
3 | Tổng hợp, báo cáo Chính phủ, Thủ tướng Chính phủ kết quả thực hiện Kế hoạch năm 2025 | Bộ Nội vụ | Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ | Trước ngày 31 tháng 12 năm 2025 | Báo cáo của Bộ Nội vụ
4 | Xác định Chỉ số cải cách hành chính của các bộ, cơ quan ngang bộ, Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương | Bộ Nội vụ | Văn phòng Chính phủ; Bộ Tài chính | Hằng năm | Báo cáo Chỉ số cải cách hành chính
5 | Đo lường sự hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước | Bộ Nội vụ | Các địa phương | Hằng năm | Báo cáo Chỉ số SIPAS
6 | Sơ kết 01 năm thực hiện Kế hoạch | Bộ Nội vụ |  | Tháng 6 - tháng 9/2026 | Báo cáo sơ kết
§ | II | CẢI CÁCH THỂ CHẾ
1 | Xây dựng, trình Chính phủ Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Ban hành văn bản quy phạm pháp luật (sửa đổi) | Bộ Tư pháp | Văn phòng Chính phủ | Quý IV/2025 | Nghị định của Chính phủ
2 | Rà soát, hệ thống hóa văn bản quy phạm pháp luật; kịp thời phát hiện, xử lý quy định mâu thuẫn, chồng chéo | Bộ Tư pháp | Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ | Thường xuyên | Báo cáo kết quả rà soát
3 | Nâng cao chất lượng thẩm định dự án, dự thảo văn bản quy phạm pháp luật | Bộ Tư pháp |  | Năm 2025-2030
4 | Hoàn thiện thể chế về tổ chức chính quyền địa phương hai cấp | Bộ Nội vụ | Bộ Tư pháp\nVăn phòng Chính phủ | Năm 2025-2026 | Các văn bản quy phạm pháp luật được ban hành
5 | Hoàn thiện thể chế về phân cấp, phân quyền giữa Chính phủ và chính quyền địa phương | Bộ Nội vụ | Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ | Năm 2025-2030 | Nghị định của Chính phủ
6 | Hoàn thiện thể chế về dữ liệu, giao dịch điện tử, bảo đảm hành lang pháp lý cho chuyển đổi số | Bộ Khoa học và Công nghệ | Bộ Công an; Bộ Tư pháp | Năm 2025-2026 | Các văn bản quy phạm pháp luật được ban hành
7 | Theo dõi, kiểm tra tình hình thi hành pháp luật tại các bộ, ngành, địa phương | Bộ Tư pháp | Các địa phương | Năm 2025-2030 | Báo cáo tình hình thi hành pháp luật
8 | Ban hành văn bản quy định chi tiết luật, nghị quyết của Quốc hội đúng thời hạn, không để nợ đọng | Văn phòng Chính phủ | Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ | Kịp thời | Văn bản quy định chi tiết được ban hành
§ | III | CẢI CÁCH THỦ TỤC HÀNH CHÍNH
§ | III.1 | Cải cách thủ tục hành chính liên quan đến người dân, doanh nghiệp | III
1 | Triển khai Chương trình cắt giảm, đơn giản hóa thủ tục hành chính liên quan đến hoạt động kinh doanh giai đoạn 2025-2030 | Văn phòng Chính phủ | Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ | Năm 2025-2030 | Quyết định của Thủ tướng Chính phủ
§ | III.1.1 | Kiểm soát quy định thủ tục hành chính | III.1
1 | Kiểm soát chặt chẽ việc ban hành quy định thủ tục hành chính trong dự thảo văn bản quy phạm pháp luật | Bộ Tư pháp | Văn phòng Chính phủ | Thường xuyên
2 | Đánh giá tác động thủ tục hành chính trong đề nghị xây dựng văn bản quy phạm pháp luật | Văn phòng Chính phủ | Bộ Tư pháp | Năm 2025-2030 | Báo cáo đánh giá tác động
3 | Công bố, công khai thủ tục hành chính trên Cơ sở dữ liệu quốc gia về thủ tục hành chính | Văn phòng Chính phủ | Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ | Thường xuyên | Thủ tục hành chính được công khai
4 | Tiếp nhận, xử lý phản ánh, kiến nghị của người dân, doanh nghiệp về quy định hành chính | Văn phòng Chính phủ |  | Thường xuyên
§ | III.1.2 | Rà soát, cắt giảm, đơn giản hóa thủ tục hành chính | III.1
1 | Rà soát, cắt giảm ít nhất 30% thời gian giải quyết và chi phí tuân thủ thủ tục hành chính | Văn phòng Chính phủ | Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ | Năm 2025-2026 | Phương án cắt giảm được phê duyệt
2 | Bãi bỏ ít nhất 30% điều kiện đầu tư kinh doanh không cần thiết | Bộ Tài chính | Văn phòng Chính phủ; Bộ Tư pháp | Năm 2025-2026 | Nghị định của Chính phủ
3 | Rà soát, đơn giản hóa thủ tục hành chính trong các lĩnh vực:\n- Lĩnh vực đất đai;\n- Lĩnh vực xây dựng;\n- Lĩnh vực đầu tư | UBND các tỉnh, thành phố trực thuộc trung ương | Bộ Nông nghiệp và Môi trường; Bộ Xây dựng; Bộ Tài chính | Năm 2025-2030 | Báo cáo kết quả rà soát
4 | Thực thi phương án phân cấp thẩm quyền giải quyết thủ tục hành chính | Các địa phương | Văn phòng Chính phủ | Năm 2025-2030
5 | Cắt giảm giấy tờ công dân trên cơ sở khai thác Cơ sở dữ liệu quốc gia về dân cư | Bộ Công an | Văn phòng Chính phủ; Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ | Năm 2025-2030 | Giấy tờ được cắt giảm
§ | III.1.3 | Thực hiện thủ tục hành chính trên môi trường điện tử | III.1
1 | Cung cấp dịch vụ công trực tuyến toàn trình trên Cổng Dịch vụ công quốc gia | Văn phòng Chính phủ | Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ | Năm 2025-2030 | Dịch vụ công trực tuyến toàn trình
2 | Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính | UBND các tỉnh, thành phố trực thuộc trung ương |  | Năm 2025-2030 | Kết quả giải quyết được số hóa
3 | Thanh toán trực tuyến nghĩa vụ tài chính trong giải quyết thủ tục hành chính | Bộ Tài chính | Ngân hàng Nhà nước Việt Nam | Năm 2025-2030
4 | Kết nối, chia sẻ dữ liệu giữa Cơ sở dữ liệu quốc gia về dân cư với các hệ thống thông tin giải quyết thủ tục hành chính | Bộ Công an | Văn phòng Chính phủ; Bộ Khoa học và Công nghệ | Năm 2025-2026 | Các hệ thống được kết nối
5 | Tiếp nhận hồ sơ, trả kết quả thủ tục hành chính không phụ thuộc địa giới hành chính | Các địa phương | Văn phòng Chính phủ | Bắt đầu triển khai từ năm 2026
§ | III.2 | Cải cách thủ tục hành chính nội bộ | III | III.2 Cải cách thủ tục hành chính nội bộ
1 | Rà soát, cắt giảm, đơn giản hóa thủ tục hành chính nội bộ giữa các cơ quan hành chính nhà nước | Văn phòng Chính phủ | Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ | Năm 2025-2026 | Quyết định phê duyệt phương án đơn giản hóa
2 | Công bố, công khai thủ tục hành chính nội bộ | UBND các tỉnh, thành phố trực thuộc trung ương |  | Quý IV/2025 | Quyết định công bố
3 | Xây dựng quy trình điện tử giải quyết thủ tục hành chính nội bộ | Văn phòng Chính phủ | Bộ Khoa học và Công nghệ | Năm 2025-2030
4 | Thống kê, theo dõi việc giải quyết thủ tục hành chính nội bộ trên Hệ thống thông tin báo cáo Chính phủ | Văn phòng Chính phủ |  | Thường xuyên | Báo cáo thống kê
§ | IV | CẢI CÁCH TỔ CHỨC BỘ MÁY HÀNH CHÍNH NHÀ NƯỚC
1 | Rà soát chức năng, nhiệm vụ, quyền hạn, cơ cấu tổ chức của các bộ, cơ quan ngang bộ sau sắp xếp | Bộ Nội vụ | Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ | Năm 2025-2026 | Nghị định quy định chức năng, nhiệm vụ
2 | Kiện toàn tổ chức bộ máy chính quyền địa phương hai cấp | UBND các tỉnh, thành phố trực thuộc trung ương | Bộ Nội vụ | Quý IV/2025
3 | Sắp xếp, tinh gọn các đơn vị sự nghiệp công lập | Bộ Nội vụ | Bộ Tài chính; Bộ Y tế; Bộ Giáo dục và Đào tạo | Năm 2025-2030 | Đề án sắp xếp
4 | Quản lý biên chế gắn với vị trí việc làm và tinh giản biên chế | Bộ Nội vụ | Các địa phương | Năm 2025-2030
5 | Đánh giá mô hình tổ chức chính quyền địa phương hai cấp sau một năm vận hành | Bộ Nội vụ |  |  | Báo cáo đánh giá
6 | Hoàn thiện cơ chế phối hợp giữa các cơ quan hành chính nhà nước | Văn phòng Chính phủ | Bộ Nội vụ | Năm 2025-2030
7 | Thực hiện phân cấp, phân quyền trong quản lý nhà nước theo ngành, lĩnh vực | Bộ Nội vụ | Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ | Giai đoạn 2026–2030
8 | Rà soát, sắp xếp các ban quản lý dự án, tổ chức phối hợp liên ngành | Bộ Nội vụ | Bộ Tài chính | Năm 2025-2026 | Báo cáo kết quả sắp xếp
§ | V | CẢI CÁCH CHẾ ĐỘ CÔNG VỤ
1 | Hoàn thiện hệ thống vị trí việc làm trong cơ quan hành chính nhà nước | Bộ Nội vụ | Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ | Năm 2025-2026 | Thông tư hướng dẫn
2 | Đổi mới tuyển dụng công chức theo hướng cạnh tranh, thi tuyển trên máy tính | Bộ Nội vụ |  | Bắt đầu triển khai từ năm 2026
3 | Đánh giá cán bộ, công chức, viên chức theo kết quả, sản phẩm cụ thể:\n- Xây dựng tiêu chí đánh giá theo vị trí việc làm;\n- Ứng dụng phần mềm đánh giá | Bộ Nội vụ | Các bộ, ngành, địa phương | Năm 2025-2030 | Nghị định về đánh giá, xếp loại
4 | Xây dựng cơ chế thu hút, trọng dụng người có tài năng vào khu vực công | Bộ Nội vụ | Bộ Tài chính | Năm 2025-2030 | Nghị định của Chính phủ
5 | Bồi dưỡng kỹ năng số, kỹ năng quản trị cho cán bộ, công chức, viên chức | Bộ Nội vụ | Học viện Chính trị quốc gia Hồ Chí Minh | Năm 2025-2030
6 | Thực hiện chính sách tiền lương mới đối với cán bộ, công chức, viên chức | Bộ Nội vụ | Bộ Tài chính; Bảo hiểm xã hội Việt Nam
7 | Tăng cường kỷ luật, kỷ cương hành chính; kiểm tra công vụ đột xuất | Bộ Nội vụ | Các địa phương | Thường xuyên | Báo cáo kiểm tra công vụ
8 | Xây dựng Cơ sở dữ liệu quốc gia về cán bộ, công chức, viên chức | Bộ Nội vụ | Bộ Công an; Bộ Tài chính | Trước ngày 31 tháng 12 năm 2025 | Cơ sở dữ liệu được vận hành
9 | Thực hiện chính sách đối với người nghỉ việc do sắp xếp tổ chức bộ máy | UBND các tỉnh, thành phố trực thuộc trung ương | Bộ Nội vụ; Bộ Tài chính | Năm 2025-2026
§ | VI | CẢI CÁCH TÀI CHÍNH CÔNG
1 | Đổi mới cơ chế phân bổ ngân sách nhà nước gắn với nhiệm vụ và kết quả đầu ra | Bộ Tài chính | Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ | Năm 2025-2030
2 | Thực hiện cơ chế tự chủ tài chính của đơn vị sự nghiệp công lập | Bộ Tài chính | Bộ Nội vụ | Năm 2025-2030 | Nghị định của Chính phủ
3 | Quản lý, sử dụng tài sản công tiết kiệm, hiệu quả | Bộ Tài chính | Các địa phương | Thường xuyên
4 | Đẩy mạnh giải ngân vốn đầu tư công | Bộ Tài chính | Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ | Quý IV/2025 | Báo cáo tình hình giải ngân
5 | Hoàn thiện cơ chế đặt hàng, giao nhiệm vụ cung cấp dịch vụ sự nghiệp công | Bộ Tài chính |  | Năm 2025-2030
6 | Công khai, minh bạch ngân sách nhà nước | Các địa phương | Bộ Tài chính | Hằng năm | Báo cáo công khai ngân sách
§ | VII | XÂY DỰNG VÀ PHÁT TRIỂN CHÍNH PHỦ ĐIỆN TỬ, CHÍNH PHỦ SỐ
1 | Phát triển hạ tầng số, nền tảng số dùng chung của Chính phủ | Bộ Khoa học và Công nghệ | Bộ Công an; Bộ Tài chính | Năm 2025-2030
2 | Xây dựng, hoàn thiện các cơ sở dữ liệu quốc gia, cơ sở dữ liệu chuyên ngành | Bộ Khoa học và công nghệ | Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ | Năm 2025-2030 | Cơ sở dữ liệu được kết nối
3 | Bảo đảm an toàn, an ninh mạng cho các hệ thống thông tin của cơ quan nhà nước | Bộ Công an | Bộ Quốc phòng; Bộ Khoa học và Công nghệ | Thường xuyên
4 | Vận hành Hệ thống thông tin báo cáo Chính phủ, Trung tâm thông tin, chỉ đạo, điều hành | Văn phòng Chính phủ |  | Năm 2025-2030
5 | Triển khai Nền tảng định danh và xác thực điện tử phục vụ giao dịch điện tử | Bộ Công an | Bộ Khoa học và Công nghệ | Năm 2025-2026
6 | Ứng dụng trí tuệ nhân tạo trong chỉ đạo, điều hành và giải quyết thủ tục hành chính | Bộ Khoa học và Công nghệ | Văn phòng Chính phủ | Giai đoạn 2026–2030 | Các ứng dụng được triển khai
7 | Gửi, nhận văn bản điện tử có ký số giữa các cơ quan hành chính nhà nước | Văn phòng Chính phủ | Ban Cơ yếu Chính phủ | Năm 2025-2030
8 | Phát triển đô thị thông minh, chính quyền số cấp tỉnh | UBND các tỉnh, thành phố trực thuộc trung ương | Bộ Khoa học và Công nghệ; Bộ Xây dựng | Năm 2025-2030
9 | Đánh giá mức độ chuyển đổi số của các bộ, ngành, địa phương | Bộ Khoa học và Công nghệ | Các bộ, ngành, địa phương | Năm 2025-2030 | Báo cáo xếp hạng chuyển đổi số
10 | Phổ cập kỹ năng số cho người dân thông qua Tổ công nghệ số cộng đồng | Các địa phương | Bộ Khoa học và Công nghệ | Năm 2025-2030
§ | VIII | CÔNG TÁC THÔNG TIN, TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH
1 | Xây dựng kế hoạch tuyên truyền cải cách hành chính giai đoạn 2026-2030 | Bộ Nội vụ | Bộ Văn hóa, Thể thao và Du lịch | Quý IV/2025 | Kế hoạch tuyên truyền
2 | Tổ chức Hội thi tìm hiểu về cải cách hành chính | Bộ Nội vụ |  | Năm 2025-2030
3 | Đưa tin, bài về cải cách hành chính trên các phương tiện thông tin đại chúng | Bộ Văn hóa, Thể thao và Du lịch | Đài Truyền hình Việt Nam; Thông tấn xã Việt Nam | Thường xuyên
4 | Cập nhật tin, bài trên Trang thông tin điện tử cải cách hành chính của Chính phủ | Bộ Nội vụ |  | Thường xuyên
5 | Tổ chức đối thoại với người dân, doanh nghiệp về cải cách hành chính | Các địa phương |  | Năm 2025-2030
§ | IX | BẢO ĐẢM NGUỒN LỰC, THEO DÕI, ĐÁNH GIÁ THỰC HIỆN KẾ HOẠCH
1 | Bố trí kinh phí thực hiện Kế hoạch trong dự toán ngân sách hằng năm | Bộ Tài chính | Các bộ, ngành, địa phương | Hằng năm
2 | Bồi dưỡng nghiệp vụ cho công chức làm công tác cải cách hành chính | Bộ Nội vụ |  | Năm 2025-2030
3 | Nghiên cứu, đề xuất mô hình, sáng kiến cải cách hành chính | Bộ Nội vụ | Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ | Năm 2025-2030
4 | Sơ kết 05 năm thực hiện Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021-2030 | Bộ Nội vụ | Văn phòng Chính phủ | Trước ngày 31 tháng 12 năm 2025 | Báo cáo sơ kết
"""

GOVERNMENT_EXPECTED = Annex(
    title=(
        "PHỤ LỤC",
        "DANH MỤC NHIỆM VỤ THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NHÀ NƯỚC GIAI ĐOẠN 2025 - 2030",
        "(Kèm theo Quyết định số 2089/QĐ-TTg ngày 22 tháng 9 năm 2025 của Thủ tướng Chính phủ)",
    ),
    header=GOVERNMENT_HEADER,
    rows=_rows(_GOVERNMENT_TABLE),
    column_numbers=True,
    line_paragraphs=True,
    int_numbers=True,
)


@functools.cache  # bytes: the same file for every test that asks
def government_annex(kind: str) -> bytes:
    return build(GOVERNMENT_EXPECTED, kind)


# 2. A Sở-level plan annex ---------------------------------------------------------------------------

# The departments of the seed agency as demo/loading.py creates them (code, name).
AGENCY_DEPARTMENTS = tuple(next(agency for agency in AGENCIES if agency["code"] == "SKHĐT")["departments"])
_DEPARTMENT_NAMES = tuple(name for _code, name in AGENCY_DEPARTMENTS)

# The last cell names the department a lead means ("VP Sở", "Phòng ĐKKD", "Phòng Khoa giáo – Văn xã"
# with an en dash); none for a body outside the Sở.
_AGENCY_TABLE = r"""
§ | I | CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC
1 | Xây dựng, ban hành Kế hoạch cải cách hành chính năm 2019 của Sở | Văn phòng | Các phòng, đơn vị thuộc Sở | Tháng 01/2019 | Kế hoạch được ban hành | VP
1.1 | Xây dựng Kế hoạch tuyên truyền cải cách hành chính năm 2019 | VP Sở |  | Quý I, II/2019 | Kế hoạch tuyên truyền | VP
1.2 | Xây dựng Kế hoạch kiểm tra công tác cải cách hành chính năm 2019 | Văn phòng Sở | Thanh tra Sở | Quý I - Quý II/2019 | Kế hoạch kiểm tra | VP
2 | Báo cáo định kỳ công tác cải cách hành chính:\n- Báo cáo quý;\n- Báo cáo 6 tháng;\n- Báo cáo năm | Văn phòng Sở | Các phòng, đơn vị thuộc Sở | Định kỳ hằng quý | Báo cáo CCHC | VP
3 | Tự đánh giá, chấm điểm Chỉ số cải cách hành chính của Sở | Văn phòng Sở | Các phòng, đơn vị thuộc Sở | Trước ngày 15/11 hằng năm | Báo cáo tự đánh giá | VP
4 | Tham gia tập huấn nghiệp vụ cải cách hành chính cho công chức đầu mối | Sở Nội vụ | Văn phòng Sở | Tháng 6 - tháng 9/2019
§ | II | CẢI CÁCH THỂ CHẾ
1 | Tham mưu xây dựng văn bản quy phạm pháp luật thuộc lĩnh vực kế hoạch và đầu tư | Phòng Tổng hợp, Quy hoạch | Thanh tra Sở | Năm 2019 | Dự thảo văn bản | THQH
2 | Rà soát, hệ thống hóa văn bản quy phạm pháp luật thuộc lĩnh vực quản lý của Sở | Thanh tra Sở | Các phòng, đơn vị thuộc Sở | ngày 08 tháng 12 năm 2019 | Báo cáo rà soát | TTr
(empty row)
§ | III | CẢI CÁCH THỦ TỤC HÀNH CHÍNH
1 | Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực đăng ký doanh nghiệp | Phòng ĐKKD | Văn phòng Sở | Trước 30/6/2019 | Báo cáo rà soát | ĐKKD
2 | Cập nhật, công khai thủ tục hành chính trên Cổng dịch vụ công của tỉnh | Văn phòng Sở | Phòng Đăng ký kinh doanh | Thường xuyên | TTHC được công khai | VP
3 | Hướng dẫn đăng ký hộ kinh doanh qua mạng điện tử tại cấp huyện | UBND các huyện, thành phố | Phòng Đăng ký kinh doanh | Quý III/2019
4 | Tiếp nhận, xử lý phản ánh, kiến nghị của tổ chức, cá nhân về quy định hành chính | Thanh tra Sở | Văn phòng Sở | Thường xuyên, kịp thời |  | TTr
(header again)
§ | IV | CẢI CÁCH TỔ CHỨC BỘ MÁY HÀNH CHÍNH NHÀ NƯỚC
1 | Rà soát chức năng, nhiệm vụ, quyền hạn của các phòng, đơn vị thuộc Sở | Văn phòng Sở | Các phòng, đơn vị thuộc Sở | Quý II/2019 | Quyết định quy định chức năng, nhiệm vụ | VP
2 | Thực hiện quy chế làm việc của Sở; phân công nhiệm vụ rõ ràng trong từng phòng | Văn phòng |  | Thường xuyên |  | VP
§ | V | XÂY DỰNG VÀ NÂNG CAO CHẤT LƯỢNG ĐỘI NGŨ CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC
1 | Rà soát, hoàn thiện Đề án vị trí việc làm của Sở | Văn phòng Sở | Các phòng, đơn vị thuộc Sở | Tháng 6/2019 | Đề án vị trí việc làm | VP
2 | Cử công chức tham gia các lớp bồi dưỡng chuyên môn, nghiệp vụ | Văn phòng Sở | Các phòng, đơn vị thuộc Sở | Năm 2019 |  | VP
3 | Đánh giá, xếp loại công chức, viên chức năm 2019 | Văn phòng Sở | Các phòng, đơn vị thuộc Sở | Tháng 12/2019 | Kết quả đánh giá, xếp loại | VP
§ | VI | CẢI CÁCH TÀI CHÍNH CÔNG
1 | Thực hiện cơ chế tự chủ, tự chịu trách nhiệm về sử dụng kinh phí quản lý hành chính | Văn phòng Sở |  | Năm 2019 | Quy chế chi tiêu nội bộ | VP
2 | Theo dõi, đôn đốc giải ngân vốn đầu tư công trên địa bàn tỉnh | Phòng Kinh tế ngành | Phòng Đấu thầu, thẩm định và giám sát đầu tư | Quý IV/2019 | Báo cáo tình hình giải ngân | KTN
3 | Kiểm tra công tác đấu thầu các dự án sử dụng vốn nhà nước | Phòng Đấu thầu, thẩm định và giám sát đầu tư | Thanh tra Sở | Quý III/2019 | Báo cáo kiểm tra | ĐTTĐ
§ | VII | HIỆN ĐẠI HÓA HÀNH CHÍNH
1 | Duy trì hệ thống quản lý chất lượng theo TCVN ISO 9001:2015 | Văn phòng Sở | Các phòng, đơn vị thuộc Sở | Thường xuyên |  | VP
2 | Sử dụng phần mềm quản lý văn bản và điều hành; gửi, nhận văn bản điện tử | VP Sở |  | Thường xuyên |  | VP
3 | Xúc tiến đầu tư trực tuyến, cung cấp thông tin cho nhà đầu tư nước ngoài | Phòng Kinh tế đối ngoại | Phòng Tổng hợp, Quy hoạch | Năm 2019 |  | KTĐN
4 | Cập nhật cơ sở dữ liệu dự án đầu tư lĩnh vực giáo dục, y tế, văn hóa | Phòng Khoa giáo – Văn xã |  | Quý IV/2019 |  | KGVX
5 | Tiếp nhận hồ sơ đăng ký doanh nghiệp qua mạng điện tử | Phòng ĐKKD |  | Thường xuyên | Hồ sơ được tiếp nhận qua mạng | ĐKKD
"""

AGENCY_EXPECTED = Annex(
    title=tuple(TITLE),
    header=tuple(HEADER),
    group_style=GroupStyle.NUMERAL,
    rows=_rows(_AGENCY_TABLE, dict(AGENCY_DEPARTMENTS)),
)


@functools.cache
def agency_annex(kind: str) -> bytes:
    return build(AGENCY_EXPECTED, kind)


# 3. An annex without a time column (Bắc Ninh, Kế hoạch 144/KH-UBND ngày 24/11/2025) -----------------

# The rows as published (../shared/reference/documents/ubnd-tinh-bac-ninh-2025-KH144-kinh-te-so-xa-hoi-so.md),
# the crawl's line wrapping joined with spaces.
_BAC_NINH_TABLE = r"""
§ | I | Kinh tế số
1 | Kinh tế số chiếm 45% GRDP tỉnh. | Sở Tài chính
2 | Phấn đấu mỗi năm phát triển từ 05 bộ dữ liệu mở chất lượng cao phục vụ phát triển kinh tế số và xã hội số; công bố trên Cổng Dữ liệu mở tỉnh Bắc Ninh và Cổng Dữ liệu mở quốc gia; có tối thiểu 05 kịch bản ứng dụng dữ liệu cấp tỉnh, ngành và địa phương. Đến năm 2030, tỉnh Bắc Ninh có ít nhất 20 tập dữ liệu mở phục vụ phát triển kinh tế số và xã hội số được công bố. | Sở KH&CN chủ trì hướng dẫn, tổng hợp; Các sở, ngành, UBND cấp xã thực hiện công bố dữ liệu mở hằng năm theo lĩnh vực quản lý.
3 | Tỷ lệ doanh nghiệp vừa và nhỏ địa phương ứng dụng công nghệ số đạt 60% | Sở Khoa học và Công nghệ thúc đẩy, theo dõi, báo cáo chỉ tiêu
4 | Tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo đạt tối thiểu 40% | Sở Khoa học và Công nghệ
5 | Kinh phí chi cho nghiên cứu phát triển (R&D)/GRDP tối thiểu 2%. | Sở Tài chính
6 | Tỷ trọng đào tạo các ngành STEM trong các cơ sở giáo dục đại học, cao đẳng, đào tạo nghề của tỉnh đạt tối thiểu 30%, gắn với nhu cầu phát triển nguồn nhân lực số và công nghiệp công nghệ cao. | Sở Giáo dục và Đào tạo; Sở Nội vụ; Sở Khoa học và Công nghệ thúc đẩy, theo dõi, báo cáo chỉ tiêu
§ | II | Xã hội số
1 | Tỷ lệ người sử dụng có khả năng truy cập băng rộng cố định với tốc độ 01 Gb/s đạt 100%. | Sở Khoa học và Công nghệ
2 | Tỷ lệ phủ sóng 5G trên địa bàn đạt 100% dân số. | Sở Khoa học và Công nghệ
3 | Tỷ lệ người dân kết nối mạng được bảo vệ ở mức cơ bản đạt 80%. | Công an tỉnh
4 | Tỷ lệ người dân có tài khoản định danh điện tử (VNeID) đạt 80%. | Công an tỉnh
5 | Tỷ lệ dân số từ 15 tuổi trở lên có tài khoản giao dịch tại ngân hàng hoặc các tổ chức được phép khác đạt 95% | Ngân hàng nhà nước khu vực XII
6 | Tỷ lệ người dân trưởng thành có chữ ký số hoặc chữ ký điện tử cá nhân đạt 80% | Tỉnh đoàn
7 | Đào tạo, bồi dưỡng, tập huấn kỹ năng số cơ bản cho người dân trong độ tuổi lao động đạt 70%. | Sở Khoa học và Công nghệ thúc đẩy, theo dõi, báo cáo chỉ tiêu
8 | Tỷ lệ hồ sơ dịch vụ công trực tuyến toàn trình đạt 80%. | Văn phòng UBND tỉnh
9 | Tỷ lệ dân số trưởng thành tiếp cận dịch vụ số trong y tế, giáo dục, bảo hiểm, giao thông đạt 90%. | Sở Y tế
10 | Tỷ lệ người dân có Sổ sức khỏe điện tử đạt 95%. | Sở Y tế
11 | Tỉ lệ giao dịch không dùng tiền mặt đạt 80%. | Ngân hàng nhà nước khu vực XII
12 | Tỷ lệ người dân được định danh số đạt 100%. | Công an tỉnh
13 | Tỷ trọng kinh phí từ xã hội trên kinh phí chi cho nghiên cứu phát triển (R&D) đạt trên 60%. | Sở Khoa học và Công nghệ
"""

NO_TIME_COLUMN_EXPECTED = Annex(
    title=(
        "PHỤ LỤC",
        "PHÂN CÔNG THỰC HIỆN CÁC CHỈ TIÊU PHÁT TRIỂN KINH TẾ SỐ, XÃ HỘI SỐ ĐẾN NĂM 2030",
        "(Ban hành kèm theo Kế hoạch số 144/KH-UBND ngày 24 tháng 11 năm 2025 của UBND tỉnh Bắc Ninh)",
    ),
    header=("TT", "Chỉ tiêu", "Chủ trì"),
    columns=("number", "content", "lead"),
    group_style=GroupStyle.CONTENT,
    rows=_rows(_BAC_NINH_TABLE),
)


@functools.cache
def no_time_column_annex(kind: str) -> bytes:
    return build(NO_TIME_COLUMN_EXPECTED, kind)


# 4. The same file in Unicode NFD ---------------------------------------------------------------------


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def nfd_copy(content: bytes, kind: str) -> bytes:
    """The file re-saved with every text decomposed (NFD), through python-docx / openpyxl, layout kept."""
    if kind == "docx":
        document = docx.Document(io.BytesIO(content))
        for text in document.element.body.iter(qn("w:t")):
            if text.text:
                text.text = _nfd(text.text)
        return _saved(document)
    if kind == "xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        for sheet in workbook.worksheets:
            sheet.title = _nfd(sheet.title)
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str):
                        cell.value = _nfd(cell.value)
        return _saved(workbook)
    raise ValueError(kind)


# 5. A large annex, and the same with every content changed -------------------------------------------

_LARGE_GROUPS = (
    "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
    "CẢI CÁCH THỂ CHẾ",
    "CẢI CÁCH THỦ TỤC HÀNH CHÍNH",
    "CẢI CÁCH TỔ CHỨC BỘ MÁY HÀNH CHÍNH NHÀ NƯỚC",
    "CẢI CÁCH CHẾ ĐỘ CÔNG VỤ",
    "CẢI CÁCH TÀI CHÍNH CÔNG",
    "XÂY DỰNG VÀ PHÁT TRIỂN CHÍNH PHỦ ĐIỆN TỬ, CHÍNH PHỦ SỐ",
    "CÔNG TÁC THÔNG TIN, TUYÊN TRUYỀN",
    "KIỂM TRA, GIÁM SÁT",
    "BẢO ĐẢM NGUỒN LỰC",
)
_LARGE_SUBGROUPS = ("Nhiệm vụ trọng tâm", "Nhiệm vụ thường xuyên")
_LARGE_VERBS = (
    "Rà soát, đánh giá",
    "Xây dựng, hoàn thiện",
    "Tổ chức triển khai",
    "Kiểm tra, đôn đốc",
    "Tổng hợp",
)
_LARGE_SUBJECTS = (
    "quy trình nội bộ giải quyết công việc",
    "thủ tục hành chính thuộc lĩnh vực quản lý",
    "quy chế phối hợp giữa các phòng",
    "kết quả thực hiện nhiệm vụ được giao",
    "cơ sở dữ liệu chuyên ngành",
    "việc công khai thông tin trên Cổng thông tin điện tử",
    "hồ sơ đề xuất dự án đầu tư",
)
_LARGE_DEADLINES = (
    "Quý I/2026",
    "Quý II/2026",
    "Quý III/2026",
    "Quý IV/2026",
    "Tháng 6/2026",
    "Trước 30/9/2026",
    "Thường xuyên",
    "Năm 2026",
)
REVISED_SUFFIX = " (sửa đổi)"
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def large_update_facts(
    *, rows: int = 2000, departments: Sequence[str] = _DEPARTMENT_NAMES, revised: bool = False
) -> Annex:
    """`rows` tasks spread evenly over groups I…X, each with sub-groups "<I>.1" and "<I>.2"."""
    titles = dict(zip(_ROMAN, _LARGE_GROUPS, strict=True))
    subgroups = [
        Section(f"{numeral}.{k}", subtitle, numeral)
        for numeral in _ROMAN
        for k, subtitle in enumerate(_LARGE_SUBGROUPS, start=1)
    ]
    table: list[Section | Task] = []
    previous = None
    number = 0
    for index in range(rows):
        subgroup = subgroups[index * len(subgroups) // rows]
        if subgroup is not previous:
            if previous is None or previous.parent != subgroup.parent:
                table.append(Section(subgroup.parent, titles[subgroup.parent]))
            table.append(subgroup)
            previous, number = subgroup, 0
        number += 1
        content = (
            f"{_LARGE_VERBS[index % len(_LARGE_VERBS)]} {_LARGE_SUBJECTS[index % len(_LARGE_SUBJECTS)]} "
            f"(mục {subgroup.label}, nhiệm vụ {number})"
        )
        table.append(
            Task(
                subgroup.label,
                str(number),
                content + REVISED_SUFFIX if revised else content,
                departments[index % len(departments)],
                departments[(index + 1) % len(departments)] if index % 3 else "",
                _LARGE_DEADLINES[index % len(_LARGE_DEADLINES)],
                "Báo cáo kết quả" if index % 2 else "",
            )
        )
    return Annex(
        title=(
            "PHỤ LỤC",
            "DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026",
            "(Kèm theo Kế hoạch số 05/KH-SKHĐT năm 2026 của Sở Kế hoạch và Đầu tư)",
        ),
        header=tuple(HEADER),
        rows=tuple(table),
        int_numbers=True,
        borders=False,
    )


def large_update_annex(*, rows: int = 2000, departments: Sequence[str] = _DEPARTMENT_NAMES) -> bytes:
    return build(large_update_facts(rows=rows, departments=departments), "xlsx")


def large_update_annex_revised(*, rows: int = 2000, departments: Sequence[str] = _DEPARTMENT_NAMES) -> bytes:
    """`large_update_annex` with every task's content ending in " (sửa đổi)"; sections, numbers, the rest alike."""
    return build(large_update_facts(rows=rows, departments=departments, revised=True), "xlsx")


# 6. A whole plan: the header layout table first, the task table second --------------------------------

MIXED_KMH_LAYOUT = (
    ("ỦY BAN NHÂN DÂN\nTỈNH VĨNH PHÚC", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"),
    ("Số: 10041/KH-UBND", "Vĩnh Phúc, ngày 17 tháng 12 năm 2018"),
)
_MIXED_PREAMBLE = (
    "KẾ HOẠCH",
    "Cải cách hành chính năm 2019",
    "Thực hiện Nghị quyết số 30c/NQ-CP ngày 08/11/2011 của Chính phủ ban hành Chương trình tổng thể cải cách "
    "hành chính nhà nước giai đoạn 2011 - 2020, Ủy ban nhân dân tỉnh ban hành Kế hoạch cải cách hành chính "
    "năm 2019 với các nhiệm vụ tại Phụ lục kèm theo.",
)
# Numbers run on across the groups; the lead of tasks 3 and 4 is one cell merged down.
_MIXED_TABLE = r"""
§ | I | CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC
1 | Ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2019 | Sở Nội vụ | Sở Thông tin và Truyền thông | Quý I/2019 | Kế hoạch tuyên truyền
2 | Kiểm tra công tác cải cách hành chính tại các sở, ngành, UBND cấp huyện | Sở Nội vụ | Văn phòng UBND tỉnh; Sở Tư pháp | Quý III/2019 | Báo cáo kết quả kiểm tra
§ | II | CẢI CÁCH THỂ CHẾ
3 | Xây dựng, ban hành văn bản quy phạm pháp luật theo Chương trình năm 2019 | Sở Tư pháp | Các sở, ngành | Năm 2019 | Văn bản được ban hành
4 | Rà soát, hệ thống hóa văn bản quy phạm pháp luật của HĐND, UBND tỉnh | ^ | Các sở, ngành | Quý IV/2019 | Báo cáo rà soát
5 | Thanh tra, kiểm tra việc thực hiện văn bản quy phạm pháp luật | Thanh tra tỉnh | Sở Tư pháp | Năm 2019
§ | III | CẢI CÁCH THỦ TỤC HÀNH CHÍNH
6 | Công bố, công khai thủ tục hành chính thuộc thẩm quyền giải quyết của các cấp | Văn phòng UBND tỉnh | Các sở, ngành; UBND các huyện, thành phố | Thường xuyên | TTHC được công khai
7 | Vận hành Trung tâm Phục vụ hành chính công tỉnh | Văn phòng UBND tỉnh | Sở Thông tin và Truyền thông | Năm 2019
8 | Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực đầu tư | Sở Kế hoạch và Đầu tư | Văn phòng UBND tỉnh | Trước 30/6/2019 | Báo cáo rà soát
"""

MIXED_KMH_EXPECTED = Annex(
    title=(
        "PHỤ LỤC",
        "DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2019",
        "(Kèm theo Kế hoạch số 10041/KH-UBND ngày 17/12/2018 của UBND tỉnh Vĩnh Phúc)",
    ),
    header=tuple(HEADER),
    rows=_rows(_MIXED_TABLE),
)


@functools.cache
def mixed_kmh_docx() -> bytes:
    document = docx.Document()
    layout = document.add_table(rows=0, cols=2)
    for texts in MIXED_KMH_LAYOUT:
        for cell, text in zip(layout.add_row().cells, texts, strict=True):
            _write(cell.paragraphs[0], text, bold=True).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in _MIXED_PREAMBLE:
        document.add_paragraph(text)
    _docx_annex(document, MIXED_KMH_EXPECTED)
    return _saved(document)


# Rendering --------------------------------------------------------------------------------------------


def build(annex: Annex, kind: str) -> bytes:
    if kind == "docx":
        document = docx.Document()
        _docx_annex(document, annex)
        return _saved(document)
    if kind == "xlsx":
        return _xlsx_annex(annex)
    raise ValueError(kind)


def _saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _write(paragraph, text: str, *, bold=False, italic=False):
    run = paragraph.add_run(text)  # "\n" becomes a line break
    run.bold, run.italic = bold or None, italic or None
    return paragraph


def _docx_cell(cell, text: str, *, bold=False, paragraphs=False) -> None:
    lines = text.split("\n") if paragraphs else [text]
    _write(cell.paragraphs[0], lines[0], bold=bold)
    for line in lines[1:]:
        _write(cell.add_paragraph(), line, bold=bold)


def _docx_annex(document, annex: Annex):
    for line in annex.title:
        attached = line.startswith("(")
        paragraph = _write(document.add_paragraph(), line, bold=not attached, italic=attached)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = document.add_table(rows=0, cols=len(annex.header))
    table.style = "Table Grid"
    lead_column = annex.columns.index("lead")

    def header_row():
        for cell, text in zip(table.add_row().cells, annex.header, strict=True):
            _docx_cell(cell, text, bold=True)

    header_row()
    if annex.column_numbers:
        for number, cell in enumerate(table.add_row().cells, start=1):
            _docx_cell(cell, f"({number})")
    for row in annex.rows:
        if row is Filler.HEADER_AGAIN:
            header_row()
            continue
        cells = table.add_row().cells
        if isinstance(row, Section):
            if annex.group_style is GroupStyle.MERGED:
                _docx_cell(cells[0].merge(cells[-1]), row.text, bold=True)
            elif annex.group_style is GroupStyle.NUMERAL:
                _docx_cell(cells[0], f"{row.label}.", bold=True)
                _docx_cell(cells[1], row.title, bold=True)
            else:
                _docx_cell(cells[1], row.text, bold=True)
        elif isinstance(row, Task):
            for column, (cell, text) in enumerate(zip(cells, annex.cells(row), strict=True)):
                if column == lead_column and row.lead_merged_up:
                    table.rows[len(table.rows) - 2].cells[column].merge(cell)
                elif text:
                    _docx_cell(cell, text, paragraphs=annex.line_paragraphs)
    return table


_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")


def _xlsx_annex(annex: Annex) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = annex.sheet_title
    width = len(annex.header)
    lead_column = annex.columns.index("lead") + 1
    line = 0
    for text in annex.title:
        line += 1
        sheet.cell(line, 1, text).font = Font(bold=not text.startswith("("), italic=text.startswith("("))
        sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=width)
    line += 1  # a blank row between the title and the table

    def put(row, values, *, bold=False):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row, column)
            if annex.borders:
                cell.border = _BORDER
            if value not in ("", None):
                cell.value = value
                if isinstance(value, str) and "\n" in value:
                    cell.alignment = _WRAP
                if bold:
                    cell.font = Font(bold=True)

    line += 1
    put(line, annex.header, bold=True)
    if annex.column_numbers:
        line += 1
        put(line, [f"({number})" for number in range(1, width + 1)])
    for row in annex.rows:
        line += 1
        if row is Filler.HEADER_AGAIN:
            put(line, annex.header, bold=True)
        elif row is Filler.EMPTY_ROW:
            put(line, [""] * width)
        elif isinstance(row, Section):
            if annex.group_style is GroupStyle.MERGED:
                put(line, [row.text] + [""] * (width - 1), bold=True)
                sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=width)
            elif annex.group_style is GroupStyle.NUMERAL:
                put(line, [f"{row.label}.", row.title] + [""] * (width - 2), bold=True)
            else:
                put(line, ["", row.text] + [""] * (width - 2), bold=True)
        else:
            values = list(annex.cells(row))
            if annex.int_numbers and row.number.isdigit():
                values[0] = int(row.number)
            if row.lead_merged_up:
                values[lead_column - 1] = ""
            put(line, values)
            if row.lead_merged_up:
                sheet.merge_cells(
                    start_row=line - 1, start_column=lead_column, end_row=line, end_column=lead_column
                )
    return _saved(workbook)

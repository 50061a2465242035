"""The annex fixtures hold what their facts say: opened with python-docx and openpyxl, cell by cell."""

import collections
import io
import unicodedata

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from tests import annex_shapes as shapes
from tests.annex_shapes import Filler, GroupStyle, Section, Task

SHAPES = {
    "government": (shapes.government_annex, shapes.GOVERNMENT_EXPECTED),
    "agency": (shapes.agency_annex, shapes.AGENCY_EXPECTED),
    "no-time-column": (shapes.no_time_column_annex, shapes.NO_TIME_COLUMN_EXPECTED),
}
KINDS = ["docx", "xlsx"]


def expected_rows(annex, kind):
    """The task table's rows as the brief describes them; a docx merged cell is one cell."""
    width = len(annex.header)
    blank = [""] * width
    rows = [list(annex.header)]
    if annex.column_numbers:
        rows.append([f"({n})" for n in range(1, width + 1)])
    for row in annex.rows:
        if row is Filler.HEADER_AGAIN:
            rows.append(list(annex.header))
        elif row is Filler.EMPTY_ROW:
            rows.append(blank)
        elif isinstance(row, Section) and annex.group_style is GroupStyle.MERGED:
            rows.append([row.text] if kind == "docx" else [row.text, *blank[1:]])
        elif isinstance(row, Section) and annex.group_style is GroupStyle.NUMERAL:
            rows.append([f"{row.label}.", row.title, *blank[2:]])
        elif isinstance(row, Section):
            rows.append(["", row.text, *blank[2:]])
        else:
            rows.append(list(annex.cells(row)))
    return rows


def docx_rows(table):
    """Each row's cells as text, a cell merged across columns once."""
    rows = []
    for row in table.rows:
        cells = row.cells
        rows.append([cell.text for i, cell in enumerate(cells) if i == 0 or cell._tc is not cells[i - 1]._tc])
    return rows


def is_bold(cell):
    runs = [run for paragraph in cell.paragraphs for run in paragraph.runs]
    return bool(runs) and all(run.bold for run in runs)


def open_sheet(content):
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert len(workbook.worksheets) == 1
    return workbook.active


def header_line(annex):
    return len(annex.title) + 2  # the title lines, a blank row, then the header


def xlsx_rows(sheet, annex):
    return [
        ["" if value is None else str(value) for value in row]
        for row in sheet.iter_rows(min_row=header_line(annex), values_only=True)
    ]


def merged(sheet):
    return {str(cell_range) for cell_range in sheet.merged_cells.ranges}


def all_texts(content, kind):
    if kind == "docx":
        document = docx.Document(io.BytesIO(content))
        return [text.text or "" for text in document.element.body.iter(qn("w:t"))]
    sheet = open_sheet(content)
    return [sheet.title] + [
        value for row in sheet.iter_rows(values_only=True) for value in row if isinstance(value, str)
    ]


def tasks_of(annex, label):
    return [task for task in annex.tasks if task.section == label]


# Every shape, both kinds --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("shape", SHAPES)
def test_the_file_holds_the_title_and_the_table_its_facts_describe(shape, kind):
    build, annex = SHAPES[shape]
    content = build(kind)
    if kind == "docx":
        document = docx.Document(io.BytesIO(content))
        assert [paragraph.text for paragraph in document.paragraphs] == list(annex.title)
        assert len(document.tables) == 1
        assert docx_rows(document.tables[0]) == expected_rows(annex, kind)
    else:
        sheet = open_sheet(content)
        assert [sheet.cell(line, 1).value for line in range(1, len(annex.title) + 1)] == list(annex.title)
        assert sheet.max_column == len(annex.header)
        assert xlsx_rows(sheet, annex) == expected_rows(annex, kind)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("shape", SHAPES)
def test_the_nfd_copy_decomposes_every_text_and_keeps_the_rest(shape, kind):
    build, _annex = SHAPES[shape]
    original = build(kind)
    copy = shapes.nfd_copy(original, kind)
    texts, decomposed = all_texts(original, kind), all_texts(copy, kind)
    assert all(unicodedata.is_normalized("NFD", text) for text in decomposed)
    assert [unicodedata.normalize("NFC", text) for text in decomposed] == texts
    assert sum(a != b for a, b in zip(texts, decomposed, strict=True)) > len(texts) // 2
    if kind == "docx":
        before, after = (docx.Document(io.BytesIO(content)).tables[0] for content in (original, copy))
        assert [len(row) for row in docx_rows(after)] == [len(row) for row in docx_rows(before)]
    else:
        assert merged(open_sheet(copy)) == merged(open_sheet(original))


# 1. The Government decision's annex --------------------------------------------------------------------


def test_the_government_annex_has_75_tasks_in_groups_i_to_ix_with_the_sub_groups_of_iii():
    annex = shapes.GOVERNMENT_EXPECTED
    assert annex.task_count == 75
    assert [(s.label, s.parent) for s in annex.sections] == [
        ("I", None),
        ("II", None),
        ("III", None),
        ("III.1", "III"),
        ("III.1.1", "III.1"),
        ("III.1.2", "III.1"),
        ("III.1.3", "III.1"),
        ("III.2", "III"),
        ("IV", None),
        ("V", None),
        ("VI", None),
        ("VII", None),
        ("VIII", None),
        ("IX", None),
    ]
    assert annex.sections[0].title == "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"
    assert annex.sections[1].title == "CẢI CÁCH THỂ CHẾ"
    assert annex.sections[2].title == "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"
    assert tasks_of(annex, "III") == []
    assert len(tasks_of(annex, "III.1")) == 1
    for section in annex.sections:
        numbers = [task.number for task in tasks_of(annex, section.label)]
        assert numbers == [str(n) for n in range(1, len(numbers) + 1)]


def test_the_government_annex_writes_leads_bodies_and_deadlines_in_every_real_way():
    annex = shapes.GOVERNMENT_EXPECTED
    leads = collections.Counter(task.lead for task in annex.tasks)
    assert leads["Bộ Khoa học và công nghệ"] == 1
    for lead in (
        "Bộ Nội vụ",
        "Văn phòng Chính phủ",
        "Bộ Khoa học và Công nghệ",
        "Bộ Tư pháp",
        "Bộ Công an",
        "Các địa phương",
        "UBND các tỉnh, thành phố trực thuộc trung ương",
    ):
        assert leads[lead] >= 1, lead
    coordinating = [task.coordinating for task in annex.tasks]
    assert ("Bộ Công an", "Bộ Tài chính") in coordinating
    assert ("Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ",) in coordinating
    assert ("Bộ Tư pháp", "Văn phòng Chính phủ") in coordinating  # one body a line
    assert () in coordinating
    deadlines = collections.Counter(task.deadline for task in annex.tasks)
    assert deadlines.most_common(1)[0][0] == "Năm 2025-2030"
    assert deadlines[""] == 2
    assert deadlines["Kịp thời"] == 1
    assert "Giai đoạn 2026\u20132030" in deadlines
    assert {
        "Năm 2025-2026",
        "Bắt đầu triển khai từ năm 2026",
        "Quý IV/2025",
        "Thường xuyên",
        "Hằng năm",
        "Trước ngày 31 tháng 12 năm 2025",
        "Tháng 6 - tháng 9/2026",
    } <= set(deadlines)
    bulleted = [task for task in annex.tasks if "\n- " in task.content]
    assert len(bulleted) >= 2
    assert (
        bulleted[0].first_line
        == "Tổ chức kiểm tra công tác cải cách hành chính tại các bộ, ngành, địa phương:"
    )


def test_the_government_docx_merges_each_group_row_across_the_table_in_bold():
    table = docx.Document(io.BytesIO(shapes.government_annex("docx"))).tables[0]
    group_rows = [row for row in table.rows if len(row._tr.tc_lst) == 1]
    assert [row.cells[0].text for row in group_rows] == [s.text for s in shapes.GOVERNMENT_EXPECTED.sections]
    assert all(row._tr.tc_lst[0].grid_span == 6 and is_bold(row.cells[0]) for row in group_rows)
    assert "III.2 Cải cách thủ tục hành chính nội bộ" in [row.cells[0].text for row in group_rows]
    # A bulleted cell is written as one paragraph a line, as Word users type it.
    bulleted = next(row for row in table.rows if row.cells[1].text.startswith("Tổ chức kiểm tra"))
    assert len(bulleted.cells[1].paragraphs) == 4


def test_the_government_xlsx_merges_group_rows_a_to_f_in_bold_and_stores_numbers_as_numbers():
    annex = shapes.GOVERNMENT_EXPECTED
    sheet = open_sheet(shapes.government_annex("xlsx"))
    group_lines = [
        line
        for line in range(header_line(annex), sheet.max_row + 1)
        if sheet.cell(line, 2).value is None and sheet.cell(line, 1).value
    ]
    assert [sheet.cell(line, 1).value for line in group_lines] == [s.text for s in annex.sections]
    assert {f"A{line}:F{line}" for line in group_lines} <= merged(sheet)
    assert all(sheet.cell(line, 1).font.b for line in group_lines)
    numbers = [sheet.cell(line, 1).value for line in range(header_line(annex) + 2, sheet.max_row + 1)]
    assert sum(isinstance(number, int) for number in numbers) == 75


# 2. The Sở's annex ----------------------------------------------------------------------------------


def test_the_agency_annex_writes_its_departments_loosely_and_names_outside_bodies():
    annex = shapes.AGENCY_EXPECTED
    names = {name for _code, name in shapes.AGENCY_DEPARTMENTS}
    meant = {task.lead: task.lead_department for task in annex.tasks}
    assert meant["Văn phòng"] == meant["VP Sở"] == "Văn phòng Sở"
    assert meant["Phòng ĐKKD"] == "Phòng Đăng ký kinh doanh"
    assert meant["Phòng Khoa giáo – Văn xã"] == "Phòng Khoa giáo - Văn xã"
    assert meant["Sở Nội vụ"] is None
    assert meant["UBND các huyện, thành phố"] is None
    assert {department for department in meant.values() if department} <= names
    assert any(task.coordinating == ("Các phòng, đơn vị thuộc Sở",) for task in annex.tasks)
    assert [task.number for task in tasks_of(annex, "I")] == ["1", "1.1", "1.2", "2", "3", "4"]
    assert {
        "Quý I, II/2019",
        "Quý I - Quý II/2019",
        "Trước ngày 15/11 hằng năm",
        "Định kỳ hằng quý",
        "Thường xuyên, kịp thời",
        "Tháng 6 - tháng 9/2019",
        "ngày 08 tháng 12 năm 2019",
    } <= {task.deadline for task in annex.tasks}


@pytest.mark.parametrize("kind", KINDS)
def test_the_agency_annex_has_bold_unmerged_group_rows_a_repeated_header_and_an_empty_row(kind):
    annex = shapes.AGENCY_EXPECTED
    content = shapes.agency_annex(kind)
    if kind == "docx":
        table = docx.Document(io.BytesIO(content)).tables[0]
        rows = docx_rows(table)
        groups = [row for row in table.rows if row.cells[0].text.endswith(".")]
        assert all(
            len(row._tr.tc_lst) == 6 and is_bold(row.cells[0]) and is_bold(row.cells[1]) for row in groups
        )
        assert [row.cells[0].text for row in groups] == ["I.", "II.", "III.", "IV.", "V.", "VI.", "VII."]
    else:
        sheet = open_sheet(content)
        rows = xlsx_rows(sheet, annex)
        lines = [line for line in range(1, sheet.max_row + 1) if str(sheet.cell(line, 1).value).endswith(".")]
        assert len(lines) == 7
        assert all(sheet.cell(line, 1).font.b and sheet.cell(line, 2).font.b for line in lines)
        assert not any(cell_range.min_row in lines for cell_range in sheet.merged_cells.ranges)
    assert rows.count(list(annex.header)) == 2
    assert rows.count([""] * 6) == 1


# 3. The Bắc Ninh annex without a time column -----------------------------------------------------------


def test_the_bac_ninh_annex_has_three_columns_two_groups_in_the_content_column_and_its_19_rows():
    annex = shapes.NO_TIME_COLUMN_EXPECTED
    assert annex.header == ("TT", "Chỉ tiêu", "Chủ trì")
    assert [(s.label, s.title, s.text) for s in annex.sections] == [
        ("I", "Kinh tế số", "I. Kinh tế số"),
        ("II", "Xã hội số", "II. Xã hội số"),
    ]
    assert [len(tasks_of(annex, label)) for label in ("I", "II")] == [6, 13]
    assert tasks_of(annex, "II")[0].number == "1"
    leads = {task.lead for task in annex.tasks}
    assert "Sở Khoa học và Công nghệ thúc đẩy, theo dõi, báo cáo chỉ tiêu" in leads
    assert (
        "Sở Giáo dục và Đào tạo; Sở Nội vụ; Sở Khoa học và Công nghệ thúc đẩy, theo dõi, báo cáo chỉ tiêu"
        in leads
    )
    assert all(task.deadline == "" for task in annex.tasks)


def test_the_bac_ninh_group_rows_are_bold_in_the_content_column():
    table = docx.Document(io.BytesIO(shapes.no_time_column_annex("docx"))).tables[0]
    groups = [row for row in table.rows if row.cells[0].text == "" and row.cells[1].text]
    assert [row.cells[1].text for row in groups] == ["I. Kinh tế số", "II. Xã hội số"]
    assert all(is_bold(row.cells[1]) for row in groups)


# 5. The large annex and its revision -------------------------------------------------------------------

DEPARTMENTS = ["Văn phòng Sở", "Phòng Cải cách hành chính", "Phòng Tổng hợp, Quy hoạch"]


def test_the_large_annex_has_2000_tasks_in_ten_groups_of_two_sub_groups():
    annex = shapes.large_update_facts(departments=DEPARTMENTS)
    sheet = open_sheet(shapes.large_update_annex(departments=DEPARTMENTS))
    rows = xlsx_rows(sheet, annex)
    assert rows == expected_rows(annex, "xlsx")
    tasks = [row for row in rows[1:] if row[1]]
    assert len(tasks) == annex.task_count == 2000
    assert {row[2] for row in tasks} == set(DEPARTMENTS)
    assert "Quý II/2026" in {row[4] for row in tasks}
    top = [s for s in annex.sections if s.parent is None]
    assert [s.label for s in top] == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
    assert len(annex.sections) == 30
    assert len(merged(sheet)) == 3 + 30  # the title lines and every group row
    assert {len(tasks_of(annex, s.label)) for s in annex.sections if s.parent} == {100}


def test_the_revised_large_annex_changes_every_content_and_nothing_else():
    annex = shapes.large_update_facts(rows=300, departments=DEPARTMENTS)
    before = xlsx_rows(open_sheet(shapes.large_update_annex(rows=300, departments=DEPARTMENTS)), annex)
    after = xlsx_rows(open_sheet(shapes.large_update_annex_revised(rows=300, departments=DEPARTMENTS)), annex)
    assert len(before) == len(after)
    changed = [(old, new) for old, new in zip(before, after, strict=True) if old != new]
    assert len(changed) == 300
    for old, new in changed:
        assert new[1] == old[1] + " (sửa đổi)"
        assert new[:1] + new[2:] == old[:1] + old[2:]


# 6. The whole plan with its header layout table ----------------------------------------------------------


def test_the_mixed_plan_has_the_layout_table_first_and_the_task_table_second():
    document = docx.Document(io.BytesIO(shapes.mixed_kmh_docx()))
    assert len(document.tables) == 2
    layout, tasks = document.tables
    assert docx_rows(layout) == [list(row) for row in shapes.MIXED_KMH_LAYOUT]
    assert layout.cell(0, 0).text.startswith("ỦY BAN NHÂN DÂN")
    assert layout.cell(0, 1).text.startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert docx_rows(tasks) == expected_rows(shapes.MIXED_KMH_EXPECTED, "docx")
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert paragraphs[0] == "KẾ HOẠCH"
    assert paragraphs[-3:] == list(shapes.MIXED_KMH_EXPECTED.title)


def test_the_mixed_plan_writes_the_lead_of_tasks_3_and_4_once_in_a_cell_merged_down():
    tasks = docx.Document(io.BytesIO(shapes.mixed_kmh_docx())).tables[1]
    by_number = {row.cells[0].text: row for row in tasks.rows}
    top, below = by_number["3"]._tr.tc_lst[2], by_number["4"]._tr.tc_lst[2]
    assert (top.vMerge, below.vMerge) == ("restart", "continue")
    assert "".join(below.itertext()) == ""
    assert by_number["4"].cells[2].text == "Sở Tư pháp"
    facts = {task.number: task for task in shapes.MIXED_KMH_EXPECTED.tasks}
    assert facts["3"].lead == facts["4"].lead == "Sở Tư pháp"
    assert [task.number for task in shapes.MIXED_KMH_EXPECTED.tasks if task.lead_merged_up] == ["4"]


def test_a_task_row_reads_back_into_its_facts():
    task = Task(
        "II", "4", "Hoàn thiện\n- một;\n- hai", "Bộ Nội vụ", "Bộ Tư pháp\nVăn phòng Chính phủ; Bộ Công an "
    )
    assert task.first_line == "Hoàn thiện"
    assert task.coordinating == ("Bộ Tư pháp", "Văn phòng Chính phủ", "Bộ Công an")

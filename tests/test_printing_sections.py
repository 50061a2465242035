"""A plan written in sections, printed: its groups and sub-groups as written and in the written order
(III.1 under III, before IV; IX after V), a sub-group lighter than its group, the tasks numbered as
written, an outside body by its name; in the document, then in the PDF, the DOCX and the XLSX."""

import io

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn
from openpyxl import load_workbook

from cchc.printing.document import GroupRow, Heading
from cchc.printing.docx import render_docx
from cchc.printing.pdf import render_pdf
from cchc.printing.xlsx import render_tables_xlsx
from tasks import services
from tasks.documents import build_plan_document
from tests.sectioned import OUTSIDE_LEAD, UNSET_TEXT, sectioned_plan

PRINTED_GROUPS = [
    ("I", 0),
    ("III", 0),
    ("III.1", 1),
    ("III.1.1", 2),
    ("III.2", 1),
    ("IV", 0),
    ("V", 0),
    ("IX", 0),
]


@pytest.fixture
def sectioned(plan, clerk, office, department, coordinating_department):
    return sectioned_plan(
        plan, clerk, office=office, department=department, coordinating_department=coordinating_department
    )


@pytest.fixture
def document(plan, sectioned):
    return build_plan_document(plan)


def task_table(document):
    (table,) = document.appendices[0].blocks
    return table


def task_row(document, task):
    return next(
        row for row in task_table(document).rows if not isinstance(row, GroupRow) and row[1] == task.content
    )


def test_the_annex_prints_the_groups_as_written_in_the_written_order(document):
    rows = task_table(document).rows
    assert [(row.label, row.level) for row in rows if isinstance(row, GroupRow)] == PRINTED_GROUPS
    assert [row.label if isinstance(row, GroupRow) else row[0] for row in rows] == [
        *("I", "1", "III", "1", "III.1", "1", "2", "III.1.1", "1", "III.2", "1"),
        *("IV", "1", "V", "1", "IX", "1"),
    ]
    groups = {row.label: row.text for row in rows if isinstance(row, GroupRow)}
    assert groups["III"] == "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"  # a group upper case, as NĐ 30 prints sections
    assert groups["III.1"] == "Kiểm soát thủ tục hành chính"  # a sub-group as written
    assert groups["IX"] == "KINH PHÍ THỰC HIỆN"  # a group that is no reform area


def test_an_outside_lead_prints_by_its_name_and_outside_coordinators_after_the_departments(
    document, sectioned, coordinating_department
):
    row = task_row(document, sectioned["tasks"]["III.1/1"])
    assert row[2] == OUTSIDE_LEAD
    assert row[3].split("\n") == [coordinating_department.name, "Bộ Công an", "Bộ Tài chính"]
    assert row[4] == "Tháng 9/2019"
    assert task_row(document, sectioned["tasks"]["III.1/2"])[2] == "Phòng Đăng ký kinh doanh"


def test_a_deadline_that_names_no_date_prints_as_written(document, sectioned):
    assert task_row(document, sectioned["tasks"]["III.2/1"])[4] == UNSET_TEXT


def test_a_group_left_without_tasks_by_a_cancellation_is_not_printed(plan, clerk, sectioned):
    services.task_cancel(task=sectioned["tasks"]["IX/1"], by=clerk, reason="Không còn phù hợp")
    rows = task_table(build_plan_document(plan)).rows
    assert [row.label for row in rows if isinstance(row, GroupRow)][-2:] == ["IV", "V"]


def test_the_text_numbers_the_top_groups_and_letters_the_sub_groups(document):
    headings = [(block.text, block.level) for block in document.body if isinstance(block, Heading)]
    start = next(index for index, (text, _) in enumerate(headings) if text.endswith(". NHIỆM VỤ TRỌNG TÂM"))
    duties = headings[start + 1 :]
    assert duties[:7] == [
        ("1. Công tác chỉ đạo, điều hành cải cách hành chính", 2),
        ("2. Cải cách thủ tục hành chính", 2),
        ("a) Kiểm soát thủ tục hành chính", 3),
        ("b) Thực hiện cơ chế một cửa", 3),
        ("3. Cải cách tổ chức bộ máy hành chính nhà nước", 2),
        ("4. Xây dựng và nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức", 2),
        ("5. Kinh phí thực hiện", 2),
    ]


def test_the_pdf_prints_each_sub_group_under_its_group_lighter_and_the_outside_lead(document):
    with pdfplumber.open(io.BytesIO(render_pdf(document))) as pdf:
        annex = [page for page in pdf.pages if page.width > page.height]
        labels, text = [], ""
        for index, page in enumerate(annex):
            words = page.extract_words(extra_attrs=["fontname"])
            first_column = min(word["x0"] for word in words) + 20
            labels += [
                (index, word["top"], word["text"], word["fontname"])
                for word in words
                if word["x0"] < first_column and word["text"] in dict(PRINTED_GROUPS)
            ]
            text += page.extract_text()
    labels.sort()
    assert [label for _, _, label, _ in labels] == [label for label, _ in PRINTED_GROUPS]
    fonts = {label: font.split("+")[-1] for _, _, label, font in labels}
    assert fonts["III"] == fonts["IV"] == "Tinos-Bold"
    assert fonts["III.1"] == fonts["III.1.1"] == fonts["III.2"] == "Tinos-Bold-Italic"
    assert OUTSIDE_LEAD in text
    assert "Kiểm soát thủ tục hành chính" in text


def test_the_docx_prints_each_sub_group_under_its_group_lighter(document):
    table = docx.Document(io.BytesIO(render_docx(document))).tables[-1]
    groups = [row for row in table.rows[1:] if len(row._tr.findall(qn("w:tc"))) == 2]
    assert [row.cells[0].text for row in groups] == [label for label, _ in PRINTED_GROUPS]
    for row, (_, level) in zip(groups, PRINTED_GROUPS, strict=True):
        runs = [run for cell in row.cells[:2] for paragraph in cell.paragraphs for run in paragraph.runs]
        assert runs and all(run.font.bold for run in runs)
        assert all(bool(run.font.italic) == (level > 0) for run in runs), row.cells[0].text


def test_the_xlsx_prints_each_sub_group_under_its_group_lighter(document):
    sheet = load_workbook(io.BytesIO(render_tables_xlsx(document))).active
    groups = [row for row in sheet.iter_rows() if row[0].value in dict(PRINTED_GROUPS) and row[0].font.b]
    assert [row[0].value for row in groups] == [label for label, _ in PRINTED_GROUPS]
    assert [bool(row[1].font.i) for row in groups] == [level > 0 for _, level in PRINTED_GROUPS]

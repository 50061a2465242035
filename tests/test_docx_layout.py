"""The .docx of an official document, read back with python-docx: the NĐ 30/2020 layout (Phụ lục I)."""

import dataclasses
import io
import time

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from cchc.printing.document import (
    Appendix,
    Column,
    GroupRow,
    Heading,
    Margins,
    Paragraph,
    Table,
)
from cchc.printing.docx import render_docx, text_width_mm
from tests.printing_sample import sample_document

FONT = "Times New Roman"
TWIP_MM = 25.4 / 1440


def read(document):
    return docx.Document(io.BytesIO(render_docx(document)))


@pytest.fixture(scope="module")
def plan():
    return sample_document()


@pytest.fixture(scope="module")
def printed(plan):
    return read(plan)


def mm(length) -> float:
    return length / 36000  # EMU


def run_size(paragraph) -> float:
    sizes = {run.font.size.pt for run in paragraph.runs}
    assert len(sizes) == 1, paragraph.text
    return sizes.pop()


def bold(paragraph) -> bool:
    return all(run.font.bold for run in paragraph.runs) and bool(paragraph.runs)


def italic(paragraph) -> bool:
    return all(run.font.italic for run in paragraph.runs) and bool(paragraph.runs)


def texts(paragraphs) -> list[str]:
    return [paragraph.text for paragraph in paragraphs if paragraph.text]


def rule_length_mm(paragraph, container_mm: float) -> float:
    """The length of the line drawn as the bottom border of an indented paragraph."""
    ppr = paragraph._p.pPr
    assert ppr.find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:val")) == "single"
    indent = ppr.find(qn("w:ind"))
    left, right = int(indent.get(qn("w:left"))), int(indent.get(qn("w:right")))
    return container_mm - (left + right) * TWIP_MM


def cell_width_mm(cell) -> float:
    return int(cell._tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) * TWIP_MM


def inner_width_mm(table, cell) -> float:
    margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
    sides = sum(int(margins.find(qn(f"w:{side}")).get(qn("w:w"))) for side in ("left", "right"))
    return cell_width_mm(cell) - sides * TWIP_MM


# --- page setup ------------------------------------------------------------------------------------------


def test_the_first_section_is_a4_portrait_with_the_margins_given():
    document = dataclasses.replace(sample_document(), margins=Margins(top=25, bottom=22, left=35, right=20))
    section = read(document).sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (round(mm(section.page_width), 1), round(mm(section.page_height), 1)) == (210.0, 297.0)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(mm(margin), 1) for margin in margins] == [25.0, 22.0, 35.0, 20.0]


def test_the_default_margins_are_20_20_30_15(printed):
    section = printed.sections[0]
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(mm(margin), 1) for margin in margins] == [20.0, 20.0, 30.0, 15.0]


def test_the_landscape_appendix_has_its_own_section_with_swapped_sizes(printed):
    assert len(printed.sections) == 2
    appendix = printed.sections[1]
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    assert (round(mm(appendix.page_width), 1), round(mm(appendix.page_height), 1)) == (297.0, 210.0)
    assert round(mm(appendix.left_margin), 1) == 30.0
    assert appendix.start_type == 2  # WD_SECTION.NEW_PAGE


def test_the_appendix_numbers_its_pages_from_1(printed):
    for section in printed.sections:
        numbering = section._sectPr.find(qn("w:pgNumType"))
        assert numbering is not None and numbering.get(qn("w:start")) == "1"


def test_page_1_shows_no_number_and_the_other_pages_a_centred_page_field(printed):
    section = printed.sections[0]
    assert section.different_first_page_header_footer
    first = section.first_page_header
    assert not first.is_linked_to_previous
    assert not first._element.xpath(".//w:fldChar | .//w:instrText | .//w:fldSimple")
    assert all(not paragraph.text.strip() for paragraph in first.paragraphs)

    header = section.header
    instructions = [node.text.strip() for node in header._element.xpath(".//w:instrText")]
    assert instructions == ["PAGE"]
    (paragraph,) = header.paragraphs
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert {run.font.size.pt for run in paragraph.runs} == {14}


def test_the_appendix_shares_the_headers_and_hides_its_first_number(printed):
    appendix = printed.sections[1]
    assert appendix.different_first_page_header_footer
    assert appendix.header.is_linked_to_previous
    assert appendix.first_page_header.is_linked_to_previous


# --- fonts -----------------------------------------------------------------------------------------------


def test_normal_style_and_document_defaults_are_times_new_roman(printed):
    normal = printed.styles["Normal"]
    assert normal.font.name == FONT
    fonts = normal.element.rPr.rFonts
    for script in ("ascii", "hAnsi", "cs", "eastAsia"):
        assert fonts.get(qn(f"w:{script}")) == FONT
    defaults = printed.styles.element.find(qn("w:docDefaults")).find(f".//{qn('w:rFonts')}")
    assert not [name for name in defaults.attrib if name.endswith("Theme")]
    assert normal.font.color.rgb == docx.shared.RGBColor(0, 0, 0)


def test_every_run_says_times_new_roman_for_every_script(printed):
    parts = [printed.element.body] + [
        part._element for section in printed.sections for part in (section.header, section.first_page_header)
    ]
    runs = [run for part in parts for run in part.xpath(".//w:r")]
    assert len(runs) > 100
    for run in runs:
        fonts = run.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert {fonts.get(qn(f"w:{script}")) for script in ("ascii", "hAnsi", "cs", "eastAsia")} == {FONT}
        assert run.find(qn("w:rPr")).find(qn("w:color")).get(qn("w:val")) == "000000"


# --- page 1: the header ----------------------------------------------------------------------------------


def test_the_header_is_a_borderless_two_column_table(printed):
    table = printed.tables[0]
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}
    left, right = table.rows[0].cells
    text_width = 210 - 30 - 15
    # 41 % as in the PDF: the table starts at the left margin and Quốc hiệu still fits at 13 pt.
    assert cell_width_mm(left) == pytest.approx(0.41 * text_width, abs=0.5)
    # Quốc hiệu (13 pt, bold) stands on one line.
    assert inner_width_mm(table, right) > text_width_mm("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, bold=True)


def test_the_left_column_holds_the_parent_body_the_agency_and_a_short_rule(printed, plan):
    table = printed.tables[0]
    cell = table.rows[0].cells[0]
    parent, agency, rule = cell.paragraphs
    assert (parent.text, run_size(parent), bold(parent)) == ("UBND TỈNH VĨNH PHÚC", 13, False)
    assert (agency.text, run_size(agency), bold(agency)) == ("SỞ KẾ HOẠCH VÀ ĐẦU TƯ", 13, True)
    assert rule.text == ""
    line = text_width_mm(plan.agency, 13, bold=True)
    assert line / 3 <= rule_length_mm(rule, inner_width_mm(table, cell)) <= line / 2


def test_the_right_column_holds_the_national_name_and_the_motto_with_a_rule_as_long(printed):
    table = printed.tables[0]
    cell = table.rows[0].cells[1]
    name, motto, rule = cell.paragraphs
    assert (name.text, run_size(name), bold(name)) == ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, True)
    assert (motto.text, run_size(motto), bold(motto)) == ("Độc lập - Tự do - Hạnh phúc", 14, True)
    assert {name.alignment, motto.alignment, rule.alignment} == {WD_ALIGN_PARAGRAPH.CENTER}
    length = rule_length_mm(rule, inner_width_mm(table, cell))
    assert length == pytest.approx(text_width_mm(motto.text, 14, bold=True), abs=0.5)


def test_the_number_and_the_date_share_one_row(printed):
    number, date = printed.tables[0].rows[1].cells
    (number,), (date,) = number.paragraphs, date.paragraphs
    assert (number.text, run_size(number), bold(number), italic(number)) == (
        "Số: 14/KH-SKHĐT",
        13,
        False,
        False,
    )
    assert (date.text, run_size(date), italic(date)) == ("Vĩnh Phúc, ngày 15 tháng 01 năm 2019", 14, True)
    assert number.paragraph_format.space_before == date.paragraph_format.space_before


def test_an_undated_draft_leaves_room_for_the_day_and_month_and_is_marked(plan):
    printed = read(sample_document(draft=True))
    mark = printed.paragraphs[0]
    assert mark.text == "DỰ THẢO" and bold(mark)
    borders = mark._p.pPr.find(qn("w:pBdr"))
    assert {edge.tag.split("}")[1] for edge in borders} == {"top", "left", "bottom", "right"}
    number, date = (cell.paragraphs[0].text for cell in printed.tables[0].rows[1].cells)
    assert number == "Số:      /KH-SKHĐT"
    assert date == "Vĩnh Phúc, ngày      tháng      năm 2019"
    # Word keeps runs of spaces only where the text says so.
    date_text = printed.tables[0].rows[1].cells[1]._tc.xpath(".//w:t")[0]
    assert date_text.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"


def test_a_final_document_carries_no_draft_mark(printed):
    everything = [paragraph.text for paragraph in printed.paragraphs]
    everything += [cell.text for table in printed.tables for row in table.rows for cell in row.cells]
    assert not [text for text in everything if "DỰ THẢO" in text]


# --- page 1: title, legal bases, body --------------------------------------------------------------------


def test_the_type_and_summary_are_bold_centred_with_a_short_rule(printed, plan):
    type_name, summary, rule = printed.paragraphs[:3]
    assert (type_name.text, run_size(type_name), bold(type_name)) == ("KẾ HOẠCH", 14, True)
    assert (summary.text, run_size(summary), bold(summary)) == (plan.summary, 14, True)
    assert {type_name.alignment, summary.alignment} == {WD_ALIGN_PARAGRAPH.CENTER}
    line = min(text_width_mm(plan.summary, 14, bold=True), 165)
    assert line / 3 <= rule_length_mm(rule, 165) <= line / 2


def test_the_legal_bases_are_italic_indented_and_justified(printed, plan):
    paragraphs = [paragraph for paragraph in printed.paragraphs if paragraph.text.startswith("Căn cứ")]
    assert [paragraph.text for paragraph in paragraphs] == list(plan.legal_bases)
    for paragraph in paragraphs:
        assert italic(paragraph) and run_size(paragraph) == 14
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert round(paragraph.paragraph_format.first_line_indent.cm, 2) == 1.27


def body_paragraphs(printed, plan):
    first = plan.body[0].text
    start = next(index for index, paragraph in enumerate(printed.paragraphs) if paragraph.text == first)
    return [paragraph for paragraph in printed.paragraphs[start:] if paragraph.text]


def expected_body_lines(blocks) -> list[str]:
    lines = []
    for block in blocks:
        if isinstance(block, Heading):
            lines.append(block.text)
        elif isinstance(block, Paragraph):
            lines.extend(line for line in block.text.splitlines() if line.strip())
    return lines


def test_the_body_text_is_the_source_text_diacritics_included(printed, plan):
    paragraphs = body_paragraphs(printed, plan)
    lines = expected_body_lines(plan.body)
    appendix = [plan.appendices[0].label, plan.appendices[0].title, plan.appendices[0].attached_to]
    assert [paragraph.text for paragraph in paragraphs] == lines + appendix
    joined = "\n".join(lines)
    for capital in ("Ỉ", "Ữ", "Ặ", "Ư", "Đ", "Ụ", "ơ", "ạ", "ữ"):
        assert capital in joined


def test_body_paragraphs_are_14_pt_justified_indented_and_spaced(printed, plan):
    sources = {block.text: block for block in plan.body if isinstance(block, Heading)}
    paragraphs = body_paragraphs(printed, plan)[: len(expected_body_lines(plan.body))]
    for paragraph in paragraphs:
        layout = paragraph.paragraph_format
        assert run_size(paragraph) == 14
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert round(layout.first_line_indent.cm, 2) == 1.27
        assert layout.space_after.pt >= 6
        assert 1.15 <= layout.line_spacing <= 1.3
        heading = sources.get(paragraph.text)
        if heading is None:
            assert not bold(paragraph) and not italic(paragraph)
        elif heading.level < 3:
            assert bold(paragraph) and not italic(paragraph)
        else:
            # points "a) …": regular, upright (Phụ lục I II.6.đ)
            assert not italic(paragraph) and not bold(paragraph)


# --- signature and recipients ----------------------------------------------------------------------------


def test_the_recipients_stand_beside_the_signature(printed, plan):
    table = next(table for table in printed.tables if table.rows[0].cells[0].text.startswith("Nơi nhận:"))
    recipients, signature = table.rows[0].cells
    heading, *lines = recipients.paragraphs
    assert (heading.text, run_size(heading), bold(heading), italic(heading)) == ("Nơi nhận:", 12, True, True)
    assert [line.text for line in lines] == list(plan.recipients)
    assert {run_size(line) for line in lines} == {11}
    assert lines[-1].text == "- Lưu: VT, VP."

    filled = [paragraph for paragraph in signature.paragraphs if paragraph.text]
    assert [paragraph.text for paragraph in filled] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn Thành"]
    for paragraph in filled:
        assert bold(paragraph) and run_size(paragraph) == 14
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert len(signature.paragraphs) - len(filled) >= 3  # room for the signature and the seal
    assert {edge.get(qn("w:val")) for edge in table._tbl.tblPr.find(qn("w:tblBorders"))} == {"nil"}


# --- the appendix ----------------------------------------------------------------------------------------


def test_the_appendix_opens_with_its_label_title_and_reference(printed, plan):
    appendix = plan.appendices[0]
    paragraphs = printed.paragraphs
    start = next(index for index, paragraph in enumerate(paragraphs) if paragraph.text == appendix.label)
    label, title, attached = paragraphs[start : start + 3]
    assert (run_size(label), bold(label), label.alignment) == (14, True, WD_ALIGN_PARAGRAPH.CENTER)
    assert (title.text, bold(title)) == (appendix.title.upper(), True)
    assert (attached.text, italic(attached)) == (appendix.attached_to, True)


def annex_table(printed):
    return printed.tables[-1]


def test_the_annex_header_row_repeats_on_every_page(printed, plan):
    table = annex_table(printed)
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [cell.text for cell in header.cells] == [
        column.title for column in plan.appendices[0].blocks[0].columns
    ]
    assert all(bold(cell.paragraphs[0]) for cell in header.cells)
    assert [
        row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
        for row in table.rows[1:]
    ] == [False] * (len(table.rows) - 1)


def test_the_annex_has_thin_borders_and_column_widths_from_the_shares(printed, plan):
    table = annex_table(printed)
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {(edge.get(qn("w:val")), edge.get(qn("w:sz"))) for edge in borders} == {("single", "4")}
    grid = [int(column.get(qn("w:w"))) * TWIP_MM for column in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    text_width = 297 - 30 - 15
    columns = plan.appendices[0].blocks[0].columns
    assert grid == pytest.approx([column.width * text_width for column in columns], abs=0.1)


def test_group_rows_are_bold_and_span_the_table(printed, plan):
    table = annex_table(printed)
    source = plan.appendices[0].blocks[0]
    groups = [row for row in source.rows if isinstance(row, GroupRow)]
    printed_groups = [row for row in table.rows[1:] if len(row._tr.findall(qn("w:tc"))) == 2]
    assert len(printed_groups) == len(groups) == 5
    for row, group in zip(printed_groups, groups, strict=True):
        label, text = row._tr.findall(qn("w:tc"))
        assert text.tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == str(len(source.columns) - 1)
        cells = row.cells
        assert (cells[0].text, cells[1].text) == (group.label, group.text)
        assert all(bold(paragraph) for cell in (cells[0], cells[1]) for paragraph in cell.paragraphs)


def test_annex_cells_hold_the_source_text_in_12_pt(printed, plan):
    table = annex_table(printed)
    source = plan.appendices[0].blocks[0]
    printed_rows = []
    for row in table.rows[1:]:
        cells = row._tr.findall(qn("w:tc"))
        printed_rows.append(
            tuple("\n".join(p.text for p in row.cells[i].paragraphs) for i in range(len(cells)))
        )
    expected = [(row.label, row.text) if isinstance(row, GroupRow) else row for row in source.rows]
    assert printed_rows == expected
    sizes = {
        run.font.size.pt
        for row in table.rows
        for cell in row.cells
        for p in cell.paragraphs
        for run in p.runs
    }
    assert sizes == {12}


def test_body_tables_use_the_portrait_width_and_appendices_without_tables_still_print():
    columns = (Column("TT", 0.1, "center"), Column("Nội dung", 0.9))
    table = Table(columns=columns, rows=(GroupRow("I", "NHÓM"), ("1", "Việc thứ nhất")))
    document = dataclasses.replace(
        sample_document(),
        body=(Paragraph("Đoạn mở đầu."), table),
        appendices=(
            Appendix(
                "Phụ lục I", "Bảng chữ viết tắt", "(Kèm theo …)", (Paragraph("CCHC: cải cách hành chính"),)
            ),
            Appendix("Phụ lục II", "Danh mục", "(Kèm theo …)", (table,), landscape=True),
        ),
    )
    printed = read(document)
    assert [section.orientation for section in printed.sections] == [
        WD_ORIENT.PORTRAIT,
        WD_ORIENT.PORTRAIT,
        WD_ORIENT.LANDSCAPE,
    ]
    body_table = printed.tables[1]
    grid = [
        int(column.get(qn("w:w"))) * TWIP_MM for column in body_table._tbl.tblGrid.findall(qn("w:gridCol"))
    ]
    assert sum(grid) == pytest.approx(165, abs=0.1)
    assert "BẢNG CHỮ VIẾT TẮT" in [paragraph.text for paragraph in printed.paragraphs]


def test_the_core_title_is_the_documents_title(printed):
    assert printed.core_properties.title == "Kế hoạch 14/KH-SKHĐT"


def test_word_opens_it_in_its_current_layout_mode(printed):
    modes = [
        setting.get(qn("w:val"))
        for setting in printed.settings.element.iter(qn("w:compatSetting"))
        if setting.get(qn("w:name")) == "compatibilityMode"
    ]
    assert modes == ["15"]


def test_empty_cells_and_spaces_survive():
    columns = (Column("TT", 0.1, "center"), Column("Nội dung", 0.6), Column("Ghi chú", 0.3, "right"))
    table = Table(columns=columns, rows=(("1", "Hai  khoảng trắng", ""),))
    printed = read(dataclasses.replace(sample_document(), appendices=(), body=(table,)))
    row = printed.tables[1].rows[1]
    assert [cell.text for cell in row.cells] == ["1", "Hai  khoảng trắng", ""]
    spaced = row.cells[1]._tc.xpath(".//w:t")[0]
    assert spaced.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    assert row.cells[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert len(printed.sections) == 1


def test_a_thousand_rows_render_in_a_few_seconds():
    document = sample_document(rows=1000)
    started = time.perf_counter()
    data = render_docx(document)
    elapsed = time.perf_counter() - started
    assert elapsed < 5, elapsed
    table = docx.Document(io.BytesIO(data)).tables[-1]
    assert len(table.rows) == 1 + 1000 + 5


# --- issue 14: "Kính gửi:", the header at the margin, rows kept whole and together ----------------------

ADDRESSEES = ("Ủy ban nhân dân tỉnh Vĩnh Phúc", "Sở Nội vụ tỉnh Vĩnh Phúc", "Sở Tài chính")


def paragraph_after_summary(printed, plan) -> int:
    """The index in printed.paragraphs of the first paragraph after the summary's rule."""
    texts_ = [paragraph.text for paragraph in printed.paragraphs]
    return texts_.index(plan.summary) + 2


def left_indent_mm(paragraph) -> float:
    ind = paragraph._p.pPr.find(qn("w:ind"))
    return int(ind.get(qn("w:left"), 0)) * TWIP_MM if ind is not None else 0.0


def test_one_addressee_is_one_centred_regular_line_under_the_summary(plan):
    document = dataclasses.replace(plan, addressees=("Ủy ban nhân dân tỉnh Vĩnh Phúc",))
    printed = read(document)
    start = paragraph_after_summary(printed, document)
    line, following = printed.paragraphs[start], printed.paragraphs[start + 1]
    assert line.text == "Kính gửi: Ủy ban nhân dân tỉnh Vĩnh Phúc."
    assert (run_size(line), bold(line), italic(line)) == (14, False, False)
    assert line.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert following.text == plan.legal_bases[0]


def test_several_addressees_one_a_line_with_their_dashes_under_the_colon(plan):
    document = dataclasses.replace(plan, addressees=ADDRESSEES)
    printed = read(document)
    start = paragraph_after_summary(printed, document)
    lines = printed.paragraphs[start : start + 4]
    assert [line.text for line in lines] == [
        "Kính gửi:",
        "- Ủy ban nhân dân tỉnh Vĩnh Phúc;",
        "- Sở Nội vụ tỉnh Vĩnh Phúc;",
        "- Sở Tài chính.",
    ]
    assert {(run_size(line), bold(line), italic(line)) for line in lines} == {(14, False, False)}
    assert printed.paragraphs[start + 4].text == plan.legal_bases[0]
    word, *items = lines
    # the dashes stand under the colon: indented by the width of "Kính gửi"
    for item in items:
        assert left_indent_mm(item) - left_indent_mm(word) == pytest.approx(
            text_width_mm("Kính gửi", 14), abs=0.1
        )
    # the block is centred on the text width
    block = (
        left_indent_mm(items[0]) - left_indent_mm(word) + max(text_width_mm(item.text, 14) for item in items)
    )
    assert left_indent_mm(word) == pytest.approx((165 - block) / 2, abs=0.2)
    assert all(line.paragraph_format.keep_with_next for line in lines[:-1])


def test_without_addressees_nothing_is_printed(printed, plan):
    assert plan.addressees == ()
    assert not any("Kính gửi" in paragraph.text for paragraph in printed.paragraphs)
    assert printed.paragraphs[paragraph_after_summary(printed, plan)].text == plan.legal_bases[0]


def test_the_header_table_starts_at_the_left_margin(printed):
    section = printed.sections[0]
    table = printed.tables[0]
    ind = table._tbl.tblPr.find(qn("w:tblInd"))
    indent = int(ind.get(qn("w:w"))) * TWIP_MM if ind is not None else 0.0
    left_edge = mm(section.left_margin) + indent
    assert 30 <= left_edge <= 35
    assert left_edge == pytest.approx(30, abs=0.1)
    width = sum(int(column.get(qn("w:w"))) for column in table._tbl.tblGrid.findall(qn("w:gridCol")))
    assert width * TWIP_MM == pytest.approx(165, abs=0.1)  # and ends at the right margin


def test_every_row_of_a_long_annex_is_kept_whole_and_the_header_repeats():
    printed = read(sample_document(rows=63))
    table = annex_table(printed)
    rows = [row._tr for row in table.rows]
    assert len(rows) == 1 + 63 + 5
    assert all(row.trPr is not None and row.trPr.find(qn("w:cantSplit")) is not None for row in rows)
    assert rows[0].trPr.find(qn("w:tblHeader")) is not None
    assert all(row.trPr.find(qn("w:tblHeader")) is None for row in rows[1:])


def test_the_last_row_of_a_table_never_stands_alone_on_a_page():
    printed = read(sample_document(rows=63))
    table = annex_table(printed)

    def keeps(row) -> bool:
        return all(
            paragraph.paragraph_format.keep_with_next for cell in row.cells for paragraph in cell.paragraphs
        )

    *_, before_last, last = table.rows
    assert len(before_last._tr.findall(qn("w:tc"))) == 6  # a task row
    assert keeps(before_last)
    assert not keeps(last)
    task_rows = [row for row in table.rows[1:-2] if len(row._tr.findall(qn("w:tc"))) == 6]
    assert not any(keeps(row) for row in task_rows)

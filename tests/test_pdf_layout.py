"""The printed plan measured on the PDF itself: page, margins, fonts, sizes, positions, numbering, text.

The rules are those of Nghị định 30/2020/NĐ-CP, Phụ lục I (DOMAIN.md §6). Each PDF is rendered once
for the module: the demo plan 14/KH-SKHĐT as issued (56 tasks), a small draft plan, and a one-page
document dated 5 March.
"""

import dataclasses
import datetime
import io
import re
import unicodedata
import zoneinfo

import pdfplumber
import pytest
import time_machine
from django.db import transaction
from pdfminer.pdftypes import resolve1

from accounts.models import Agency, Department
from cchc.printing.document import Appendix, Column, GroupRow, Heading, Margins, Paragraph, Table
from cchc.printing.pdf import render_html, render_pdf
from demo.loading import load_demo
from plans.models import LegalDocument, Plan, ReformAreaSet
from tasks.documents import build_plan_document
from tests.conftest import demo_settings, make_plan, make_task

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
MARGINS = Margins()  # 20 / 20 / 30 / 15 mm
HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# The test database is only created for a session whose tests ask for it.
pytestmark = pytest.mark.django_db
TINOS = re.compile(r"^[A-Z]{6}\+Tinos(-Bold|-Italic|-Bold-Italic)?$")

# Vietnamese letters that fonts without full coverage lack (WeasyPrint then silently mixes in DejaVu).
DRAFT_TASKS = [
    ("1.1", 0, "Kiểm soát chặt chẽ việc ban hành những quy định mới, bảo đảm đúng thẩm quyền"),
    ("1.2", 0, "Chỉ đạo rà soát, đánh giá thủ tục hành chính; giữ vững kỷ cương hành chính"),
    ("2.1", 2, "Cập nhật, công khai đầy đủ thủ tục hành chính trên Cổng Dịch vụ công của tỉnh"),
]
EXTRA_HEADING = "III. KIỂM TRA CHẶT CHẼ NHỮNG NHIỆM VỤ ĐƯỢC GIAO"


def draft_document(agency: Agency):
    plan = make_plan(
        agency,
        number=30,
        issued_on=datetime.date(2019, 3, 5),
        documents=list(
            LegalDocument.objects.filter(number__in=["30c/NQ-CP", "2757/QĐ-UBND"]).order_by("issued_on")
        ),
        purpose="Nâng cao chất lượng thực thi công vụ.",
        arrangements="Văn phòng Sở theo dõi, đôn đốc.",
    )
    lead = Department.objects.get(agency=agency, code="ĐKKD")
    for number, area, content in DRAFT_TASKS:
        make_task(plan, lead, number=number, area_position=area, content=content)
    document = build_plan_document(plan)
    # One more section, so that an upper-case heading carries "Ặ" and "Ữ".
    body = list(document.body)
    last = body.index(Heading("III. TỔ CHỨC THỰC HIỆN", 1))
    body[last] = Heading("IV. TỔ CHỨC THỰC HIỆN", 1)
    body[last:last] = [Heading(EXTRA_HEADING, 1), Paragraph("Kiểm tra định kỳ những nhiệm vụ được giao.")]
    return dataclasses.replace(document, body=tuple(body))


@pytest.fixture(scope="module")
def documents(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock(), demo_settings(tmp_path_factory.mktemp("demo")), transaction.atomic():
        if not ReformAreaSet.objects.exists():
            from plans.reform_areas import ensure_area_sets

            ensure_area_sets()
        with time_machine.travel(datetime.datetime(2026, 10, 15, 10, 0, tzinfo=HANOI), tick=False):
            load_demo()
        agency = Agency.objects.get(code="SKHĐT")
        issued = build_plan_document(Plan.objects.get(agency=agency, number=14, issued_on__year=2019))
        draft = draft_document(agency)
        transaction.set_rollback(True)
    march = dataclasses.replace(
        issued, date=datetime.date(2020, 3, 5), body=issued.body[:3], appendices=(), title="Ngày 05 tháng 3"
    )
    return {"issued": issued, "draft": draft, "march": march}


@pytest.fixture(scope="module")
def pdfs(documents):
    opened = {name: pdfplumber.open(io.BytesIO(render_pdf(document))) for name, document in documents.items()}
    yield opened
    for pdf in opened.values():
        pdf.close()


@pytest.fixture(scope="module")
def issued(pdfs):
    return pdfs["issued"]


@pytest.fixture(scope="module")
def draft(pdfs):
    return pdfs["draft"]


# Helpers -----------------------------------------------------------------------------------------


def normalized(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def find(page, text: str, below: float = 0) -> dict:
    """The first place `text` stands on the page (lower than `below`)."""
    matches = [m for m in page.search(text, regex=False, return_chars=True) if m["top"] >= below]
    assert matches, f"{text!r} is not on page {page.page_number}"
    return matches[0]


def title_top(page) -> float:
    """Where the type name may start: below the header's number and date row."""
    return find(page, "Số: ")["bottom"]


def style(match) -> tuple[float, str]:
    """(size, weight/style) of a matched text: sizes must agree and every char share one font."""
    sizes = {round(char["size"], 1) for char in match["chars"]}
    fonts = {char["fontname"].split("+")[-1] for char in match["chars"]}
    assert len(sizes) == 1 and len(fonts) == 1, (sizes, fonts)
    return sizes.pop(), fonts.pop()


def text_block(page) -> tuple[float, float]:
    return MARGINS.left * MM, page.width - MARGINS.right * MM


def in_top_margin(page) -> list[dict]:
    return [char for char in page.chars if char["bottom"] <= MARGINS.top * MM + 0.5]


def content_chars(page) -> list[dict]:
    return [char for char in page.chars if char["bottom"] > MARGINS.top * MM + 0.5]


def whole_text(pdf) -> str:
    return normalized(" ".join(page.extract_text() for page in pdf.pages))


def landscape_pages(pdf):
    return [page for page in pdf.pages if page.width > page.height]


def rule_below(page, match, within=8.0) -> dict:
    rules = [
        rect
        for rect in page.rects
        if rect["height"] < 2
        and 0 <= rect["top"] - match["bottom"] <= within
        and rect["x0"] < match["x1"]
        and rect["x1"] > match["x0"]
    ]
    assert rules, f"no rule under {match['text']!r}"
    return rules[0]


# Page and margins --------------------------------------------------------------------------------


def test_the_body_pages_are_a4_portrait_and_the_appendix_pages_a4_landscape(issued):
    appendix = landscape_pages(issued)
    assert len(appendix) >= 2
    first_appendix = issued.pages.index(appendix[0])
    for page in issued.pages[:first_appendix]:
        assert (page.width, page.height) == pytest.approx(A4, abs=1)
    for page in issued.pages[first_appendix:]:
        assert (page.width, page.height) == pytest.approx(A4[::-1], abs=1)
    assert "Phụ lục" in appendix[0].extract_text()


def test_every_character_stays_inside_the_margins_but_the_page_number(pdfs):
    for pdf in pdfs.values():
        for page in pdf.pages:
            left, right = text_block(page)
            for char in content_chars(page):
                assert char["x0"] >= left - 0.5, (page.page_number, char["text"], char["x0"])
                assert char["x1"] <= right + 0.5, (page.page_number, char["text"], char["x1"])
                assert char["bottom"] <= page.height - MARGINS.bottom * MM + 0.5, (
                    page.page_number,
                    char["text"],
                )
            assert "".join(char["text"] for char in in_top_margin(page)).isdigit() or not in_top_margin(page)


def test_the_margins_are_within_the_legal_ranges(issued):
    page = issued.pages[1]  # a full page of body text, justified
    chars = content_chars(page)
    assert 30 * MM - 0.5 <= min(char["x0"] for char in chars) <= 35 * MM
    assert 195 * MM - 5 * MM <= max(char["x1"] for char in chars) <= 195 * MM + 0.5  # right 15–20 mm
    assert 20 * MM - 0.5 <= min(char["top"] for char in chars) <= 25 * MM  # top 20–25 mm
    portrait = [page for page in issued.pages if page.width < page.height]
    bottoms = [max(char["bottom"] for char in page.chars) for page in portrait[:-1]]
    assert max(bottoms) <= 277 * MM + 0.5  # bottom 20–25 mm: a full page ends within a line of 277 mm
    assert max(bottoms) >= 277 * MM - 10 * MM  # within one line and paragraph gap of the limit


# Fonts -------------------------------------------------------------------------------------------


def embedded_fonts(pdf) -> dict[str, bool]:
    fonts = {}
    for page in pdf.pages:
        for reference in resolve1(page.page_obj.resources.get("Font", {})).values():
            font = resolve1(reference)
            name = resolve1(font["BaseFont"]).name
            name = name.decode() if isinstance(name, bytes) else name
            program = resolve1(resolve1(font["DescendantFonts"])[0]) if "DescendantFonts" in font else font
            descriptor = resolve1(program["FontDescriptor"])
            fonts[name] = any(key in descriptor for key in ("FontFile", "FontFile2", "FontFile3"))
    return fonts


def test_only_tinos_subsets_are_used_and_all_are_embedded(pdfs):
    for pdf in pdfs.values():
        fonts = embedded_fonts(pdf)
        assert {name.split("+")[1] for name in fonts} == {
            "Tinos",
            "Tinos-Bold",
            "Tinos-Italic",
            "Tinos-Bold-Italic",
        }
        assert all(TINOS.match(name) for name in fonts), fonts
        assert all(fonts.values()), fonts
        assert all(TINOS.match(char["fontname"]) for page in pdf.pages for char in page.chars)


# Header ------------------------------------------------------------------------------------------


def test_header_elements_have_their_sizes_and_weights(issued):
    page = issued.pages[0]
    assert style(find(page, "UBND TỈNH VĨNH PHÚC")) == (13, "Tinos")
    assert style(find(page, "SỞ KẾ HOẠCH VÀ ĐẦU TƯ")) == (13, "Tinos-Bold")
    assert style(find(page, "Số: 14/KH-SKHĐT")) == (13, "Tinos")
    assert style(find(page, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")) == (13, "Tinos-Bold")
    assert style(find(page, "Độc lập - Tự do - Hạnh phúc")) == (14, "Tinos-Bold")
    assert style(find(page, "Vĩnh Phúc, ngày 15 tháng 01 năm 2019")) == (14, "Tinos-Italic")
    assert style(find(page, "KẾ HOẠCH", below=title_top(page))) == (14, "Tinos-Bold")
    assert style(find(page, "Cải cách hành chính năm 2019 của Sở Kế hoạch và Đầu tư")) == (14, "Tinos-Bold")


def test_header_is_two_columns_left_41_percent(issued):
    page = issued.pages[0]
    left, right = text_block(page)
    split = left + 0.41 * (right - left)
    for text in ("UBND TỈNH VĨNH PHÚC", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "Số: 14/KH-SKHĐT"):
        match = find(page, text)
        assert match["x1"] <= split
        assert (match["x0"] + match["x1"]) / 2 == pytest.approx((left + split) / 2, abs=3 * MM)
    for text in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Vĩnh Phúc, ngày 15 tháng 01 năm 2019",
    ):
        match = find(page, text)
        assert match["x0"] >= split - 0.5
        assert match["x1"] <= right + 0.5
        assert (match["x0"] + match["x1"]) / 2 == pytest.approx((split + right) / 2, abs=3 * MM)


def test_the_number_and_the_date_are_on_one_row(issued):
    page = issued.pages[0]
    number = find(page, "Số: 14/KH-SKHĐT")
    date = find(page, "Vĩnh Phúc, ngày 15 tháng 01 năm 2019")
    assert abs(number["top"] - date["top"]) < 2
    assert abs(number["bottom"] - date["bottom"]) < 2


def test_rules_under_the_agency_the_motto_and_the_summary(issued):
    page = issued.pages[0]
    agency = find(page, "SỞ KẾ HOẠCH VÀ ĐẦU TƯ")
    rule = rule_below(page, agency)
    width = agency["x1"] - agency["x0"]
    assert width / 3 - 1 <= rule["width"] <= width / 2 + 1
    assert (rule["x0"] + rule["x1"]) / 2 == pytest.approx((agency["x0"] + agency["x1"]) / 2, abs=1)

    motto = find(page, "Độc lập - Tự do - Hạnh phúc")
    rule = rule_below(page, motto)
    assert rule["width"] == pytest.approx(motto["x1"] - motto["x0"], abs=2)

    summary = find(page, "Cải cách hành chính năm 2019 của Sở Kế hoạch và Đầu tư")
    rule = rule_below(page, summary)
    width = summary["x1"] - summary["x0"]
    assert width / 3 - 1 <= rule["width"] <= width / 2 + 1
    left, right = text_block(page)
    assert (rule["x0"] + rule["x1"]) / 2 == pytest.approx((left + right) / 2, abs=3 * MM)


def test_type_name_and_summary_are_centred(issued):
    page = issued.pages[0]
    left, right = text_block(page)
    for text in ("KẾ HOẠCH", "Cải cách hành chính năm 2019 của Sở Kế hoạch và Đầu tư"):
        match = find(page, text, below=title_top(page))
        assert (match["x0"] + match["x1"]) / 2 == pytest.approx((left + right) / 2, abs=3 * MM)


def test_dates_keep_the_leading_zero_rules(pdfs, documents):
    assert find(pdfs["issued"].pages[0], "ngày 15 tháng 01 năm 2019")
    assert find(pdfs["march"].pages[0], "Vĩnh Phúc, ngày 05 tháng 3 năm 2020")
    # An undated draft leaves the day and the month blank for the clerk, and keeps the year.
    text = pdfs["draft"].pages[0].extract_text()
    assert re.search(r"Vĩnh Phúc, ngày +tháng +năm 2019", text)
    assert "Số: /KH-SKHĐT" in normalized(text)
    assert "ngày      tháng      năm 2019" in render_html(documents["draft"])


# Body --------------------------------------------------------------------------------------------


def test_legal_bases_are_italic_14_and_the_body_regular_14_justified_and_indented(issued, documents):
    page = issued.pages[0]
    left, right = text_block(page)
    basis = find(page, "Căn cứ Nghị quyết số 30c/NQ-CP")
    assert style(basis) == (14, "Tinos-Italic")
    assert basis["x0"] == pytest.approx(left + 1.27 * 28.3465, abs=1)
    opening = find(page, "ban hành Kế hoạch cải cách hành chính năm 2019")
    assert style(opening) == (14, "Tinos")
    body_page = issued.pages[1]
    lines = {}
    for char in content_chars(body_page):
        lines.setdefault(round(char["top"]), []).append(char)
    full = [chars for chars in lines.values() if max(c["x1"] for c in chars) > right - 3]
    assert len(full) >= 10  # justified: most lines reach the right margin
    assert all(chars[0]["size"] == pytest.approx(14, abs=0.1) for chars in full)
    tops = sorted(lines)
    assert 14 * 1.15 - 1 <= min(b - a for a, b in zip(tops, tops[1:], strict=False)) <= 14 * 1.5 + 0.5


def test_headings_are_bold_and_level_1_upper(issued):
    text_page = next(page for page in issued.pages if page.search("II. NHIỆM VỤ TRỌNG TÂM", regex=False))
    assert style(find(text_page, "II. NHIỆM VỤ TRỌNG TÂM")) == (14, "Tinos-Bold")
    first = issued.pages[0]
    assert style(find(first, "I. MỤC ĐÍCH, YÊU CẦU")) == (14, "Tinos-Bold")


def test_the_text_comes_back_with_its_vietnamese_letters(pdfs, documents):
    for name in ("issued", "draft"):
        text = whole_text(pdfs[name])
        document = documents[name]
        assert normalized(document.summary) in text
        for line in document.legal_bases:
            assert normalized(line) in text
        task_lines = [b.text for b in document.body if isinstance(b, Paragraph) and b.text.startswith("- ")]
        assert task_lines
        for line in task_lines[:: max(1, len(task_lines) // 8)]:
            assert normalized(line) in text
    text = whole_text(pdfs["draft"])
    for content in [content for _, _, content in DRAFT_TASKS]:
        assert normalized(content) in text
    assert EXTRA_HEADING in text
    assert "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH" in text  # the group row, with "Ỉ"
    heading = find(
        next(p for p in pdfs["draft"].pages if p.search(EXTRA_HEADING, regex=False)), EXTRA_HEADING
    )
    assert style(heading) == (14, "Tinos-Bold")


# Signature and recipients ------------------------------------------------------------------------


def test_signature_on_the_right_recipients_on_the_left_level_with_each_other(issued):
    page = next(page for page in issued.pages if page.search("Nơi nhận:", regex=False))
    left, right = text_block(page)
    centre = (left + right) / 2
    label = find(page, "Nơi nhận:")
    assert style(label) == (12, "Tinos-Bold-Italic")
    assert label["x0"] == pytest.approx(left, abs=1)
    first = find(page, "- UBND tỉnh (b/c);")
    assert style(first) == (11, "Tinos")
    assert style(find(page, "- Lưu: VT, VP.")) == (11, "Tinos")
    authority = find(page, "KT. GIÁM ĐỐC")
    position = find(page, "PHÓ GIÁM ĐỐC")
    name = find(page, "Nguyễn Văn Thành")
    for match in (authority, position, name):
        assert style(match) == (14, "Tinos-Bold")
        assert match["x0"] > centre
        assert (match["x0"] + match["x1"]) / 2 == pytest.approx((centre + right) / 2, abs=3 * MM)
    assert abs(label["top"] - authority["top"]) < 3
    assert 2.5 * 28.3465 <= name["top"] - position["bottom"] <= 3.5 * 28.3465


# Page numbers ------------------------------------------------------------------------------------


def test_page_numbers_from_page_2_centred_in_the_top_margin(issued):
    assert in_top_margin(issued.pages[0]) == []
    for page in issued.pages[1:3]:
        number = in_top_margin(page)
        assert "".join(char["text"] for char in number) == str(page.page_number)
        left, right = text_block(page)
        middle = (number[0]["x0"] + number[-1]["x1"]) / 2
        assert middle == pytest.approx((left + right) / 2, abs=3 * MM)
        assert all(char["size"] == pytest.approx(14, abs=0.1) for char in number)
        assert number[0]["top"] >= 0


def test_the_appendix_is_numbered_on_its_own(issued):
    appendix = landscape_pages(issued)
    assert in_top_margin(appendix[0]) == []
    for index, page in enumerate(appendix[1:], start=2):
        number = in_top_margin(page)
        assert "".join(char["text"] for char in number) == str(index)
        left, right = text_block(page)
        assert (number[0]["x0"] + number[-1]["x1"]) / 2 == pytest.approx((left + right) / 2, abs=3 * MM)


# Appendix ----------------------------------------------------------------------------------------


def test_the_appendix_heading(issued):
    page = landscape_pages(issued)[0]
    assert style(find(page, "Phụ lục")) == (14, "Tinos-Bold")
    assert style(find(page, "DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2019")) == (14, "Tinos-Bold")
    attached = find(
        page, "(Kèm theo Kế hoạch số 14/KH-SKHĐT ngày 15 tháng 01 năm 2019 của Sở Kế hoạch và Đầu tư)"
    )
    assert style(attached) == (14, "Tinos-Italic")


def test_the_task_table_repeats_its_header_and_has_bold_group_rows(issued, documents):
    pages = landscape_pages(issued)
    for page in pages:
        header = find(page, "Nội dung nhiệm vụ")
        assert style(header) == (12, "Tinos-Bold")
        assert find(page, "Thời gian hoàn")
    group = find(pages[0], "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH")
    assert style(group) == (12, "Tinos-Bold")
    (table,) = documents["issued"].appendices[0].blocks
    group_rows = [row for row in table.rows if isinstance(row, GroupRow)]
    assert len(group_rows) == 7
    for row in group_rows:
        page = next(page for page in pages if page.search(row.text, regex=False))
        assert style(find(page, row.text)) == (12, "Tinos-Bold")
    cell = find(pages[0], "Văn phòng Sở")
    assert style(cell) == (12, "Tinos")


def test_markup_in_a_text_prints_as_written_and_a_cell_keeps_its_lines(documents):
    table = Table(
        columns=(Column("TT", 0.1, "center"), Column("Nội dung", 0.6), Column("Đơn vị", 0.3, "center")),
        rows=(
            GroupRow("I", "NHÓM <I> & <b>II</b>"),
            ("1", "Sửa <b>Quy chế</b> & mẫu", "Văn phòng Sở\n\n  Thanh tra Sở  "),
        ),
    )
    body = (Paragraph("Đoạn có <i>thẻ</i> & ký hiệu."), table)
    document = dataclasses.replace(documents["march"], body=body, title="Ký hiệu")
    with pdfplumber.open(io.BytesIO(render_pdf(document))) as pdf:
        page = pdf.pages[0]
        text = normalized(page.extract_text())
        for written in ("Đoạn có <i>thẻ</i> & ký hiệu.", "NHÓM <I> & <b>II</b>", "Sửa <b>Quy chế</b> & mẫu"):
            assert written in text
        assert style(find(page, "Sửa <b>Quy chế</b> & mẫu")) == (12, "Tinos")  # no bold from the "<b>"
        # The cell's two lines, the blank one between them dropped, one under the other in the column.
        first, second = (
            find(page, "Văn phòng Sở"),
            find(page, "Thanh tra Sở", below=find(page, "Văn phòng Sở")["top"]),
        )
        assert 12 * 1.15 - 1 <= second["top"] - first["top"] <= 12 * 1.15 + 1
        assert (first["x0"] + first["x1"]) / 2 == pytest.approx((second["x0"] + second["x1"]) / 2, abs=1)


# Draft mark --------------------------------------------------------------------------------------


def test_a_draft_carries_the_draft_mark_and_an_issued_plan_does_not(pdfs):
    mark = find(pdfs["draft"].pages[0], "DỰ THẢO")
    assert style(mark) == (13, "Tinos-Bold")
    assert any(rect["x0"] <= mark["x0"] and rect["x1"] >= mark["x1"] for rect in pdfs["draft"].pages[0].rects)
    for name in ("issued", "march"):
        assert "DỰ THẢO" not in whole_text(pdfs[name])


def test_the_title_is_in_the_pdf_metadata(pdfs):
    assert pdfs["issued"].metadata["Title"] == "Kế hoạch 14/KH-SKHĐT"


def test_custom_margins_move_the_text(documents):
    document = dataclasses.replace(
        documents["march"], margins=Margins(top=25, bottom=25, left=35, right=20), title="Lề khác"
    )
    with pdfplumber.open(io.BytesIO(render_pdf(document))) as pdf:
        chars = pdf.pages[0].chars
        assert min(char["x0"] for char in chars) == pytest.approx(35 * MM, abs=1)
        assert max(char["x1"] for char in chars) <= pdf.pages[0].width - 20 * MM + 0.5
        nation = find(pdf.pages[0], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        assert style(nation) == (12, "Tinos-Bold")  # 13 pt would not fit the narrower column
        assert min(char["top"] for char in chars) >= 25 * MM - 0.5


# System check ------------------------------------------------------------------------------------


def test_the_system_check_passes_with_the_bundled_fonts():
    from cchc.checks import document_printing_ready

    assert document_printing_ready(None) == []


def test_the_system_check_names_missing_fonts(settings, tmp_path):
    from cchc.checks import document_printing_ready

    settings.BASE_DIR = tmp_path
    (error,) = document_printing_ready(None)
    assert error.id == "cchc.E002"
    assert "Tinos-Regular.ttf" in error.msg and "Tinos-BoldItalic.ttf" in error.msg


def test_several_portrait_appendices_each_start_a_page_and_number_their_own_pages(documents):
    words = "Nội dung phụ lục minh họa, đủ dài để sang trang thứ hai của phụ lục. " * 6
    appendices = tuple(
        Appendix(
            label=f"Phụ lục {numeral}",
            title=f"Danh mục số {numeral}",
            attached_to="(Kèm theo Kế hoạch số 14/KH-SKHĐT ngày 15/01/2019 của Sở Kế hoạch và Đầu tư)",
            blocks=tuple(Paragraph(f"{index}. {words}") for index in range(1, 13)),
        )
        for numeral in ("I", "II")
    )
    document = dataclasses.replace(documents["march"], appendices=appendices, title="Hai phụ lục")
    with pdfplumber.open(io.BytesIO(render_pdf(document))) as pdf:
        starts = [page.page_number for page in pdf.pages if page.search("Phụ lục I", regex=False)]
        assert starts[0] == 2  # the document is one page; each appendix starts a page of its own
        second = next(page.page_number for page in pdf.pages if page.search("Phụ lục II", regex=False))
        assert second > starts[0] + 1
        for page in pdf.pages:
            assert (page.width, page.height) == pytest.approx(A4, abs=1)
        numbers = ["".join(char["text"] for char in in_top_margin(page)) for page in pdf.pages]
        assert numbers[0] == "" and numbers[1] == "" and numbers[2] == "2"
        assert numbers[second - 1] == "" and numbers[second] == "2"
        title = find(pdf.pages[1], "DANH MỤC SỐ I")  # titles are printed upper case
        assert style(title) == (14, "Tinos-Bold")


# Issue 14: "Kính gửi:", upright points, no lone row on an annex page ----------------------------------

ONE_ADDRESSEE = ("Ủy ban nhân dân tỉnh Vĩnh Phúc",)
ADDRESSEES = ("Ủy ban nhân dân tỉnh Vĩnh Phúc", "Sở Nội vụ tỉnh Vĩnh Phúc", "Sở Tài chính")


def first_page(document):
    with pdfplumber.open(io.BytesIO(render_pdf(document))) as pdf:
        page = pdf.pages[0]
        page.chars  # noqa: B018 (parsed while the file is open)
        return page


def line_at(page, text: str) -> dict:
    """The one text line of the page that reads `text`, with its chars."""
    lines = [line for line in page.extract_text_lines() if normalized(line["text"]) == text]
    assert len(lines) == 1, (text, [line["text"] for line in page.extract_text_lines()])
    return lines[0]


def test_one_addressee_stands_on_one_centred_line_under_the_summary_rule():
    from tests.printing_sample import sample_document

    document = dataclasses.replace(sample_document(), addressees=ONE_ADDRESSEE)
    page = first_page(document)
    line = line_at(page, "Kính gửi: Ủy ban nhân dân tỉnh Vĩnh Phúc.")
    assert style(line) == (14, "Tinos")
    left, right = text_block(page)
    assert (line["x0"] + line["x1"]) / 2 == pytest.approx((left + right) / 2, abs=1.5)
    summary = find(page, document.summary)
    rule = rule_below(page, summary)
    basis = find(page, "Căn cứ Nghị quyết số 30c/NQ-CP")
    assert rule["bottom"] < line["top"] < basis["top"]


def test_several_addressees_one_a_line_their_dashes_under_the_colon():
    from tests.printing_sample import sample_document

    document = dataclasses.replace(sample_document(), addressees=ADDRESSEES)
    page = first_page(document)
    word = line_at(page, "Kính gửi:")
    assert style(word) == (14, "Tinos")
    items = [
        line_at(page, text)
        for text in ("- Ủy ban nhân dân tỉnh Vĩnh Phúc;", "- Sở Nội vụ tỉnh Vĩnh Phúc;", "- Sở Tài chính.")
    ]
    colon = word["chars"][-1]
    for item in items:
        assert style(item) == (14, "Tinos")
        assert item["chars"][0]["x0"] == pytest.approx(colon["x0"], abs=1.0)  # the dash under the colon
    tops = [word["top"], *(item["top"] for item in items)]
    assert tops == sorted(tops)
    assert all(14 <= below - above <= 20 for above, below in zip(tops, tops[1:], strict=False))
    # the block is centred on the text width
    left, right = text_block(page)
    block = (word["x0"], max(item["x1"] for item in items))
    assert (block[0] + block[1]) / 2 == pytest.approx((left + right) / 2, abs=1.5)
    assert rule_below(page, find(page, document.summary))["bottom"] < word["top"]


def test_without_addressees_nothing_is_printed(issued, documents):
    assert documents["issued"].addressees == ()
    assert "Kính gửi" not in whole_text(issued)
    assert "addressee" not in render_html(documents["issued"])


def test_points_are_printed_regular_and_upright():
    from tests.printing_sample import sample_document

    page = first_page(sample_document())
    assert style(find(page, "a) Về tổ chức thực hiện")) == (14, "Tinos")


def tasks_per_page(document) -> list[int]:
    with pdfplumber.open(io.BytesIO(render_pdf(document))) as pdf:
        counts = [
            len([word for word in page.extract_words() if re.fullmatch(r"R\d+", word["text"])])
            for page in pdf.pages
        ]
    return [count for count in counts if count]


def test_an_annex_page_never_holds_one_lone_row():
    from tests.printing_sample import sample_document

    columns = (Column("TT", 0.1, "center"), Column("Nội dung", 0.9))
    seen = []
    # from 30 rows (one page) to 40: somewhere a table runs one row onto a new page
    for count in range(30, 41):
        rows = tuple((f"R{n}", f"Nhiệm vụ cải cách hành chính số {n}") for n in range(1, count + 1))
        appendix = Appendix("Phụ lục", "Danh mục", "(Kèm theo …)", (Table(columns, rows),))
        per_page = tasks_per_page(dataclasses.replace(sample_document(), appendices=(appendix,)))
        assert sum(per_page) == count
        assert 1 not in per_page, (count, per_page)
        seen.append(len(per_page))
    assert max(seen) == 2  # the range did reach a second page


def test_the_plan_annex_ends_with_at_least_two_task_rows_on_its_last_page(issued):
    last = landscape_pages(issued)[-1]
    tt_column_right = MARGINS.left * MM + 20 * MM
    numbers = [
        word
        for word in last.extract_words()
        if word["x1"] < tt_column_right and re.fullmatch(r"\d+(\.\d+)*", word["text"])
    ]
    assert len(numbers) >= 2, [word["text"] for word in numbers]

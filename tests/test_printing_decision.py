"""A decision's layout (Nghị định 30/2020, Phụ lục III Mẫu 1.2): after the title block the issuing
authority (upper case, bold, centred), the legal bases (italic), "QUYẾT ĐỊNH:" (bold, centred), then the
articles opening with a bold "Điều 1."; the same in PDF and DOCX. Documents without them print as before."""

import dataclasses
import io

import docx
import pdfplumber
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH

from cchc.printing.document import Paragraph
from cchc.printing.docx import render_docx
from cchc.printing.pdf import render_html, render_pdf
from tests.printing_sample import sample_document

BASES = (
    "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
    "Xét đề nghị của Hội đồng Thi đua - Khen thưởng Sở Kế hoạch và Đầu tư.",
)
ARTICLES = (
    Paragraph(
        "Công nhận danh hiệu thi đua năm 2019 cho các cá nhân (có danh sách kèm theo).", lead="Điều 1."
    ),
    Paragraph("Quyết định này có hiệu lực kể từ ngày ký./.", lead="Điều 2."),
)


@pytest.fixture(scope="module")
def decision():
    return dataclasses.replace(
        sample_document(),
        type_name="QUYẾT ĐỊNH",
        summary="Về việc công nhận danh hiệu thi đua năm 2019",
        authority="Giám đốc Sở Kế hoạch và Đầu tư",
        legal_bases=BASES,
        enacting="QUYẾT ĐỊNH:",
        body=ARTICLES,
        appendices=(),
    )


def lines_of(page) -> list[dict]:
    """The page's text lines with their characters, top to bottom."""
    return [
        {"text": line["text"], "chars": line["chars"]}
        for line in page.extract_text_lines(return_chars=True)
        if line["text"].strip()
    ]


def is_bold(chars) -> bool:
    return all("Bold" in char["fontname"] for char in chars if char["text"].strip())


def is_italic(chars) -> bool:
    return all("Italic" in char["fontname"] for char in chars if char["text"].strip())


def centred(chars, page, margins) -> bool:
    left = margins.left * 72 / 25.4
    right = page.width - margins.right * 72 / 25.4
    middle = (min(char["x0"] for char in chars) + max(char["x1"] for char in chars)) / 2
    return abs(middle - (left + right) / 2) < 3


def test_the_pdf_prints_the_authority_the_bases_the_enacting_word_and_bold_article_leads(decision):
    with pdfplumber.open(io.BytesIO(render_pdf(decision))) as pdf:
        page = pdf.pages[0]
        lines = lines_of(page)
        texts = [line["text"] for line in lines]
        summary = texts.index("Về việc công nhận danh hiệu thi đua năm 2019")
        authority = texts.index("GIÁM ĐỐC SỞ KẾ HOẠCH VÀ ĐẦU TƯ")
        basis = texts.index(BASES[0])
        enacting = texts.index("QUYẾT ĐỊNH:")
        article = next(index for index, text in enumerate(texts) if text.startswith("Điều 1. Công nhận"))
        assert summary < authority < basis < enacting < article
        for index in (authority, enacting):
            assert is_bold(lines[index]["chars"]), texts[index]
            assert centred(lines[index]["chars"], page, decision.margins), texts[index]
        assert is_italic(lines[basis]["chars"]) and not is_bold(lines[basis]["chars"])
        chars = [char for char in lines[article]["chars"] if char["text"].strip()]
        assert is_bold(chars[: len("Điều1.")])  # "Điều 1." without its space
        assert not any("Bold" in char["fontname"] for char in chars[len("Điều1.") :])
        second = next(line for line in lines if line["text"].startswith("Điều 2."))
        assert is_bold([char for char in second["chars"] if char["text"].strip()][: len("Điều2.")])


def test_the_docx_prints_the_same_in_the_same_order(decision):
    word = docx.Document(io.BytesIO(render_docx(decision)))
    paragraphs = [paragraph for paragraph in word.paragraphs if paragraph.text]
    texts = [paragraph.text for paragraph in paragraphs]
    authority = texts.index("GIÁM ĐỐC SỞ KẾ HOẠCH VÀ ĐẦU TƯ")
    assert texts[authority - 1] == "Về việc công nhận danh hiệu thi đua năm 2019"
    assert texts[authority + 1 : authority + 3] == list(BASES)
    assert texts[authority + 3] == "QUYẾT ĐỊNH:"
    assert texts[authority + 4] == f"Điều 1. {ARTICLES[0].text}"
    assert texts[authority + 5] == f"Điều 2. {ARTICLES[1].text}"
    for index in (authority, authority + 3):
        paragraph = paragraphs[index]
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert all(run.font.bold for run in paragraph.runs)
        assert {run.font.size.pt for run in paragraph.runs} == {14}
    assert all(run.font.italic for run in paragraphs[authority + 1].runs)
    lead, rest = paragraphs[authority + 4].runs
    assert (lead.text, lead.font.bold) == ("Điều 1. ", True)
    assert (rest.text, rest.font.bold) == (ARTICLES[0].text, None)
    assert paragraphs[authority + 4].alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert paragraphs[authority + 4].paragraph_format.first_line_indent is not None


def test_a_lead_opens_only_the_first_line_of_its_paragraph():
    document = dataclasses.replace(
        sample_document(), body=(Paragraph("Khoản một.\nKhoản hai.", lead="Điều 1."),), appendices=()
    )
    html = render_html(document)
    assert '<p><b class="lead">Điều 1.</b> Khoản một.</p>\n<p>Khoản hai.</p>' in html
    texts = [p.text for p in docx.Document(io.BytesIO(render_docx(document))).paragraphs]
    assert "Điều 1. Khoản một." in texts and "Khoản hai." in texts


def test_a_document_without_them_prints_no_authority_no_enacting_word_and_no_lead():
    html = render_html(sample_document())
    for mark in ('class="authority"', 'class="enacting"', 'class="lead"'):
        assert mark not in html
